"""Partner search and needs matching quality on commissioners' own words within Trafford
(issues 14 and 15).

Four sets of queries with the relevant charities judged by hand (tests/organisations/data/
EVALUATION.md): search_judgements.json, committed before any tuning and since tuned on (a
development set); search_judgements_heldout.json, written by another session and committed
before anything had run on it, held out until a session tuned on it (ADR 0051); and
search_judgements_heldout2.json, written blind by a third session, held out until it was first
scored (ADR 0051) and since used for development (ADR 0053); search_judgements_heldout3.json,
written blind by a fourth session and scored twice (its summary only) before
search_judgements_heldout4.json, written blind by a fifth, was held out until it too was scored
again; search_judgements_heldout5.json, written blind by a sixth, is the held-out set now. Only
the summary of the last three is ever reported, never their per-query results. Likewise the needs
(tests/needs/data/EVALUATION.md): need_judgements.json, need_judgements_heldout.json and
need_judgements_heldout2.json (the third and fourth search sets have no needs beside them). A
fresh bench database
gets Trafford's places, the register of charities operating in Trafford and the Co-operatives UK
register (so other organisations compete), through the ordinary importers, which also compute
the embeddings. Then each query runs within Trafford through search_organisations twice in the
same run: hybrid (words and meaning) and the full-text search alone.

- recall@20: relevant organisations in the first 20, divided by min(20, number relevant);
- nDCG@10: gain 2 for a best-judged organisation, 1 for another relevant one;
- best in top 10: share of queries with a best-judged organisation in the first 10;
- needs recall@10: charities judged to fit a need among its first 10 matches (needs.matching),
  divided by min(10, number judged to fit), averaged over the needs.

`python -m bench search_quality` (a child process per backend, as the other benchmarks).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import OUT_DIR, PROJECT_DIR
from .harness import cleanup, django_setup, load_average, say

DATA = PROJECT_DIR / "tests" / "organisations" / "data"
NEEDS_DATA = PROJECT_DIR / "tests" / "needs" / "data"
# label, search judgements, needs judgements (if any), recall@20 target (issue 14)
SETS = (
    ("development", DATA / "search_judgements.json", NEEDS_DATA / "need_judgements.json", 0.70),
    (
        "former held-out",
        DATA / "search_judgements_heldout.json",
        NEEDS_DATA / "need_judgements_heldout.json",
        0.60,
    ),
    (
        "second former held-out",
        DATA / "search_judgements_heldout2.json",
        NEEDS_DATA / "need_judgements_heldout2.json",
        0.60,
    ),
    # Both scored before (their summaries only; EVALUATION.md counts how often); nothing was
    # chosen while looking at their per-query results. The fifth, written blind, is held out.
    ("third held-out, scored before", DATA / "search_judgements_heldout3.json", None, 0.60),
    ("fourth held-out, scored before", DATA / "search_judgements_heldout4.json", None, 0.60),
    ("held-out", DATA / "search_judgements_heldout5.json", None, 0.60),
)
TARGET_BEST_TOP10 = 0.80
TARGET_NEEDS_RECALL = 0.70


def recall_at(found: list[str], relevant: set[str], k: int = 20) -> float:
    return len([f for f in found[:k] if f in relevant]) / min(k, len(relevant))


def ndcg_at(found: list[str], best: set[str], relevant: set[str], k: int = 10) -> float:
    def gain(value: str) -> int:
        return 2 if value in best else 1 if value in relevant else 0

    dcg = sum(gain(f) / math.log2(i + 2) for i, f in enumerate(found[:k]))
    ideal = sorted((gain(r) for r in relevant), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def evaluate(
    meaning: bool, queries: list[dict[str, Any]], place: str, per_query_kept: bool = True
) -> dict[str, Any]:
    from commonground.organisations.forms import search_form
    from commonground.organisations.selectors import search_organisations

    recalls, ndcgs, best_hits, per_query = [], [], 0, []
    for item in queries:
        form = search_form({"q": item["query"], "place": place, "page_size": "20"})
        result = search_organisations(form.params(), meaning=meaning)
        found = [_charity_number(org) for org in result.organisations]
        relevant, best = set(item["relevant"]), set(item["best"])
        recall = recall_at(found, relevant)
        ndcg = ndcg_at(found, best, relevant)
        hit = any(f in best for f in found[:10])
        recalls.append(recall)
        ndcgs.append(ndcg)
        best_hits += hit
        per_query.append(
            {
                "query": item["query"],
                "recall20": round(recall, 3),
                "ndcg10": round(ndcg, 3),
                "best_in_top10": hit,
            }
        )
    return {
        "recall20": sum(recalls) / len(recalls),
        "ndcg10": sum(ndcgs) / len(ndcgs),
        "best_top10": best_hits / len(queries),
        "count": len(queries),
        "queries": per_query if per_query_kept else [],
    }


def evaluate_needs(needs: list[dict[str, Any]], place_code: str) -> dict[str, Any]:
    """recall@10 of the matches for each need (an unsaved need: its words, the place, no wards
    and no routes; the judged organisations have no profiles, so routes would change nothing)."""
    from commonground.needs.matching import need_matches
    from commonground.needs.models import Need
    from commonground.places.models import Place, PlaceKind

    place = Place.objects.get(gss_code=place_code, kind=PlaceKind.LOCAL_AUTHORITY)
    recalls = []
    for item in needs:
        need = Need(
            title=item["title"], who_for=item["who_for"], outcomes=item["outcomes"], place=place
        )
        found = [_charity_number(m.organisation) for m in need_matches(need, limit=10)]
        fits = set(item["fits"])
        recalls.append(len(fits & set(found)) / min(10, len(fits)))
    return {"recall10": sum(recalls) / len(recalls), "count": len(needs)}


def _charity_number(org: Any) -> str:
    for value in org.identifiers.values_list("value", flat=True):
        if value.startswith("GB-CHC-"):
            return value.removeprefix("GB-CHC-")
    return org.org_id


def load_trafford() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    for command, arguments in (
        ("load_places", []),
        ("import_register", ["trafford_charities"]),
        ("import_register", ["coops_uk"]),
    ):
        call_command(command, *arguments, verbosity=0)
    return time.perf_counter() - started


def child(backend: str) -> dict[str, Any]:
    django_setup("search_quality", backend)
    seconds = load_trafford()
    say(f"  {backend}: Trafford loaded with embeddings in {seconds:.1f} s")
    sets = {}
    for label, search_file, needs_file, _target in SETS:
        judged = json.loads(search_file.read_text())
        kept = label == "development"  # a held-out set's per-query results are never kept
        sets[label] = {
            "hybrid": evaluate(True, judged["queries"], judged["place"], kept),
            "full_text": evaluate(False, judged["queries"], judged["place"], kept),
        }
        if needs_file is not None:
            needs = json.loads(needs_file.read_text())
            sets[label]["needs"] = evaluate_needs(needs["needs"], needs["place"])
        h, n = sets[label]["hybrid"], sets[label].get("needs")
        needs_said = f", needs recall@10 {n['recall10']:.3f}" if n else ""
        say(
            f"  {backend} {label}: hybrid recall@20 {h['recall20']:.3f}, best in top 10 "
            f"{h['best_top10']:.0%}{needs_said}"
        )
    return {"backend": backend, "sets": sets, "load_seconds": seconds, "load": load_average()}


def run(
    rows: int | None = None, backends: tuple[str, ...] = ("sqlite", "postgresql")
) -> dict[str, Any]:
    figures: list[dict[str, Any]] = []
    lines = [
        "### Partner search and needs matching quality (Trafford)",
        "",
        "| database | set | search | recall@20 | nDCG@10 | best in top 10 | needs recall@10 |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    failed = []
    for backend in backends:
        result = _child(backend)
        if result.get("failed"):
            failed.append(f"{backend}: {result.get('error')}")
            continue
        for label, _search, _needs, target in SETS:
            found = result["sets"][label]
            lines += _rows(backend, label, found)
            figures += _set_figures(backend, label, found, target)
        lines.append(f"| {backend} | load average | {result.get('load', '')} | | | | |")
    out: dict[str, Any] = {"figures": figures, "report_md": "\n".join(lines)}
    if failed:
        out.update(failed=True, error="; ".join(failed))
    return out


def _rows(backend: str, label: str, found: dict[str, Any]) -> list[str]:
    h, w, n = found["hybrid"], found["full_text"], found.get("needs")
    name = (
        f"{label} ({h['count']} queries, {n['count']} needs)"
        if n
        else f"{label} ({h['count']} queries)"
    )
    return [
        f"| {backend} | {name} | {search} | {m['recall20']:.3f} | {m['ndcg10']:.3f} | "
        f"{m['best_top10']:.0%} | {needs} |"
        for search, m, needs in (
            ("hybrid", h, f"{n['recall10']:.3f}" if n else "none judged"),
            ("full text alone", w, ""),
        )
    ]


def _set_figures(
    backend: str, label: str, found: dict[str, Any], target: float
) -> list[dict[str, Any]]:
    h, w = found["hybrid"], found["full_text"]
    figures = [
        _figure(
            f"search recall@20 ({label} queries)",
            backend,
            h["recall20"],
            w["recall20"],
            f">= {target}",
            h["recall20"] >= target,
        ),
        _figure(
            f"search best in top 10 ({label} queries)",
            backend,
            h["best_top10"],
            w["best_top10"],
            f">= {TARGET_BEST_TOP10}",
            h["best_top10"] >= TARGET_BEST_TOP10,
        ),
        _figure(f"search nDCG@10 ({label} queries)", backend, h["ndcg10"], w["ndcg10"], "", None),
    ]
    if "needs" in found:
        needs = found["needs"]["recall10"]
        figures.append(
            {
                "name": f"needs matching recall@10 ({label} needs)",
                "backend": backend,
                "figure": round(needs, 3),
                "baseline": "",
                "ratio": "",
                "target": f">= {TARGET_NEEDS_RECALL}",
                "met": needs >= TARGET_NEEDS_RECALL,
            }
        )
    return figures


def _figure(
    name: str, backend: str, figure: float, baseline: float, target: str, met: bool | None
) -> dict[str, Any]:
    return {
        "name": name,
        "backend": backend,
        "figure": round(figure, 3),
        "baseline": round(baseline, 3),
        "ratio": round(figure / baseline, 2) if baseline else None,
        "target": target,
        "met": met,
    }


def _child(backend: str) -> dict[str, Any]:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".json", dir=OUT_DIR, delete=False) as handle:
        result_file = Path(handle.name)
    command = [sys.executable, "-m", "bench.search_quality", backend, "--result", str(result_file)]
    completed = subprocess.run(command, cwd=PROJECT_DIR, check=False)
    try:
        result = json.loads(result_file.read_text() or "{}")
    except (OSError, json.JSONDecodeError):
        result = {}
    finally:
        result_file.unlink(missing_ok=True)
    if completed.returncode != 0 and not result.get("failed"):
        result.update(failed=True, error=f"worker exited with {completed.returncode}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("backend", choices=("sqlite", "postgresql"))
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args()
    result: dict[str, Any] = {}
    try:
        result = child(args.backend)
    except Exception as error:  # reported by the parent
        import traceback

        traceback.print_exc()
        result = {"failed": True, "error": f"{type(error).__name__}: {error}"}
    finally:
        try:
            cleanup("search_quality", args.backend)
        except Exception as error:
            say(f"  could not remove the bench database: {error}")
    args.result.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
