"""The route appraisal engine's time: one appraisal (a fixed service, repeated) and 10,000 random
valid answer sets, each answer set timed alone; p95 against a target of 20 ms. The same-run
baseline is validating the same answers (parse_answers), the work every request does before the
engine runs, so the ratio says how much the engine adds to it. Pure Python, no database."""

from __future__ import annotations

import random
import statistics
import sys
import time
from typing import Any

from . import PROJECT_DIR
from .harness import say

ANSWER_SETS = 10_000
ONE_REPEATS = 500
TARGET_MS = 20.0


def _src() -> None:
    src = str(PROJECT_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)


def random_answers(rng: random.Random) -> dict[str, Any]:
    """A valid answer set: random facts, yes/no/unknown answers, follow-ups only where the
    answer they follow is not no (the question pages' rule)."""
    from commonground.commissioning.answers import UNKNOWN_ALLOWED

    subject = rng.choice(["services", "goods", "works"])
    raw: dict[str, Any] = {
        "nation": rng.choice(["england", "wales", "scotland", "northern_ireland"]),
        "decision_date": (
            f"{rng.randint(2016, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        ),
        "authority_type": rng.choice(
            [
                "local_authority",
                "nhs_trust",
                "nhs_foundation_trust",
                "nhs_body",
                "central_government",
                "other_public_body",
            ]
        ),
        "subject": subject,
        "estimated_value_pence": rng.choice([0, rng.randint(1, 10**10)]),
        "duration_months": rng.randint(1, 360),
        "supported_employment_share": rng.random(),
        "prior_subsidy_pence_3y": rng.randint(0, 10**8),
        "aims": rng.sample(
            ["long_term_planning", "collaboration", "trust", "prevention", "flexibility"],
            rng.randint(0, 3),
        ),
    }
    for name in UNKNOWN_ALLOWED:
        raw[name] = rng.choice([True, False, "unknown"])
    if subject != "services":
        raw["is_health_care_service"] = raw["light_touch_service"] = False
    follows = (
        ("incumbent_performing_well", "incumbent_exists"),
        ("considerable_change", "incumbent_exists"),
        ("asset_listed_as_community_value", "involves_land_or_building"),
        ("reservable_for_mutuals", "light_touch_service"),
        ("patient_choice_applies", "is_health_care_service"),
    )
    for name, needs in follows:
        if raw[needs] is False:
            raw[name] = False
    raw["asset_undervalue_pence"] = (
        0 if raw["involves_land_or_building"] is False else rng.randint(0, 10**9)
    )
    return raw


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def _time(fn: Any, inputs: list[Any]) -> list[float]:
    out = []
    for x in inputs:
        start = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - start) * 1000)
    return out


def run(rows: int | None = None) -> dict[str, Any]:
    _src()
    from commonground.commissioning.answers import parse_answers
    from commonground.commissioning.catalogue import rules
    from commonground.commissioning.engine import appraise

    rules()  # the catalogue is read once per process, as in the server
    rng = random.Random(17)
    count = rows or ANSWER_SETS
    raws = [random_answers(rng) for _ in range(count)]
    parsed = [parse_answers(r) for r in raws]
    one = parsed[0]
    say(f"  one appraisal x {ONE_REPEATS}, then {count:,} random answer sets ...")
    one_ms = _time(appraise, [one] * ONE_REPEATS)
    one_base = _time(parse_answers, [raws[0]] * ONE_REPEATS)
    many_ms = _time(appraise, parsed)
    many_base = _time(parse_answers, raws)
    figures = []
    for name, ms, base in (
        ("appraisal engine, one answer set (p95)", one_ms, one_base),
        (f"appraisal engine, {count:,} random answer sets (p95)", many_ms, many_base),
    ):
        p95, b95 = _p95(ms), _p95(base)
        figures.append(
            {
                "name": name,
                "figure": f"{p95:.2f} ms (median {statistics.median(ms):.2f})",
                "baseline": f"{b95:.3f} ms validating the answers",
                "ratio": f"{p95 / b95:.0f}x" if b95 else "",
                "target": f"p95 < {TARGET_MS:g} ms",
                "met": p95 < TARGET_MS,
            }
        )
    return {"benchmark": "appraisal", "figures": figures}


if __name__ == "__main__":
    for f in run(int(sys.argv[1]) if len(sys.argv) > 1 else None)["figures"]:
        say(f"{f['name']}: {f['figure']} (baseline {f['baseline']}, target {f['target']})")
