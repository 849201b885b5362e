"""Engagement: articulation analysis of 10,000 statements; a 2,000-statement alignment report.

Three parts, each beside a baseline measured in the same run:

1. quality: the evaluation (commonground.engagement.analysis.evaluation) on the fixed test split
   of the hand-labelled set: orientation accuracy and macro-F1 for concepts and methodologies
   against the issue's targets (0.85, 0.80, 0.80). Baseline: a naive keyword match (a label is
   found when the first six letters of each word of its name appear anywhere in the text, with
   no negation; orientation from how many of the labels found are market concepts and how many
   purpose ones), on the same statements.
2. analysis speed: `analyse()` over 10,000 SYNTHETIC statements (sentences of the labelled set
   recombined at random with a fixed seed), target under 60 s. Baseline: the naive keyword
   count over the same statements.
3. report speed: the alignment page (selector, alignment, template) for one conversation of
   2,000 SYNTHETIC published statements, in a throwaway test database, target under 1 s.
   Baseline: reading the same 2,000 statements and counting them by perspective and
   orientation, the least any report must do.

`run(rows)` returns {"figures": [{"name", "backend", "figure", "baseline", "ratio", "target",
"met"}, ...], "report_md": "..."}; rows (optional) sets the number of statements analysed.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections import Counter
from typing import Any

from . import PROJECT_DIR
from .harness import say

ANALYSIS_STATEMENTS = 10_000
REPORT_STATEMENTS = 2_000
ANALYSIS_TARGET_S = 60.0
REPORT_TARGET_S = 1.0
PERSPECTIVES = ("commissioner", "provider", "funder", "community")


def _django() -> None:
    src = str(PROJECT_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings.local")
    import django

    django.setup()


def synthetic_statements(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(perspective, text) pairs: one to three sentences of the labelled set, recombined."""
    from commonground.engagement.analysis.evaluation import load_examples

    sentences = [e.text for e in load_examples()]
    rng = random.Random(seed)
    return [
        (rng.choice(PERSPECTIVES), " ".join(rng.sample(sentences, rng.randint(1, 3))))
        for _ in range(count)
    ]


class NaiveKeywords:
    """The baseline: a label is found when the stems of the words of its name all appear
    ("public_value": "public" and "value"; "competition": "compet"), with no negation."""

    def __init__(self) -> None:
        from commonground.engagement.analysis.analyser import LABELS, MARKET_CONCEPTS

        self.words: dict[tuple[str, str], list[str]] = {
            (kind, label): [word[:6] for word in label.split("_")]
            for kind, labels in LABELS.items()
            for label in labels
        }
        self.market = MARKET_CONCEPTS

    def labels(self, text: str) -> dict[str, set[str]]:
        lowered = text.lower()
        found: dict[str, set[str]] = {
            "concepts": set(),
            "principles": set(),
            "methodologies": set(),
        }
        for (kind, label), stems in self.words.items():
            if all(lowered.count(stem) for stem in stems):
                found[kind].add(label)
        return found

    def orientation(self, concepts: set[str]) -> str:
        market = len(concepts & self.market)
        purpose = len(concepts - self.market)
        if not market and not purpose:
            return "neutral"
        if market and purpose:
            return "mixed"
        return "market" if market else "purpose"


def _quality(naive: NaiveKeywords) -> tuple[list[dict[str, Any]], str]:
    from commonground.engagement.analysis.analyser import Articulation, Orientation
    from commonground.engagement.analysis.evaluation import TARGETS, evaluate, load_examples

    test = load_examples(split="test")
    report = evaluate(test, "test")

    def naive_analyser(text: str, perspective: str | None) -> Articulation:
        from commonground.engagement.analysis.analyser import Label

        found = naive.labels(text)
        labels = {k: [Label(x, 1.0, []) for x in sorted(v)] for k, v in found.items()}
        orientation = Orientation(0.0, naive.orientation(found["concepts"]), [], 0.0, 0.0)
        return Articulation(orientation, **labels)

    baseline = evaluate(test, "test", analyser=naive_analyser).figures()
    figures = []
    for name, target in TARGETS.items():
        value = report.figures()[name]
        figures.append(
            {
                "name": f"articulation {name.replace('_', ' ')} (test split, {len(test)})",
                "backend": "",
                "figure": f"{value:.3f}",
                "baseline": f"{baseline[name]:.3f} (naive keywords)",
                "ratio": f"{value / baseline[name]:.2f}x" if baseline[name] else "",
                "target": f">= {target:.2f}",
                "met": value >= target,
            }
        )
    return figures, report.to_text()


def _analysis_speed(count: int, naive: NaiveKeywords) -> dict[str, Any]:
    from commonground.engagement.analysis.analyser import analyse

    statements = synthetic_statements(count)
    started = time.perf_counter()
    for perspective, text in statements:
        analyse(text, perspective)
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    for _, text in statements:
        naive.labels(text)
    baseline = time.perf_counter() - started
    return {
        "name": f"articulation analysis of {count:,} statements (synthetic)",
        "backend": "",
        "figure": f"{elapsed:.2f} s",
        "baseline": f"{baseline:.2f} s (naive keyword count)",
        "ratio": f"{elapsed / baseline:.1f}x" if baseline else "",
        "target": f"< {ANALYSIS_TARGET_S:.0f} s",
        "met": elapsed < ANALYSIS_TARGET_S,
    }


def _report_speed(count: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from commonground.engagement import services
    from commonground.engagement.models import Conversation, Statement, StatementStatus
    from commonground.engagement.selectors import alignment_records

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth.models import User

        convener = User.objects.create_user("bench-convener", "bench@example.org")
        conversation = services.conversation_create(
            convener,
            title="Benchmark conversation (synthetic)",
            kind="consultation",
            prompt="Synthetic statements for the benchmark.",
            visibility="public",
        )
        statements = []
        from commonground.engagement.analysis.analyser import analyse
        from commonground.engagement.services import _apply

        for perspective, text in synthetic_statements(count, seed=11):
            statement = Statement(
                conversation=conversation,
                text=text,
                perspective=perspective,
                source="imported",
                status=StatementStatus.PUBLISHED,
            )
            _apply(statement, analyse(text, perspective), None)
            statements.append(statement)
        Statement.objects.bulk_create(statements, batch_size=500)
        drafts = services.shared_statements_draft(convener, conversation)
        assert Conversation.objects.count() == 1
        client = Client()
        path = f"/conversations/{conversation.pk}/alignment/"
        client.get(path)  # warm: templates compiled, lexicon loaded
        timings, baselines = [], []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
            started = time.perf_counter()
            rows = conversation.statements.filter(status="published").values(
                "perspective", "orientation_label"
            )
            Counter((r["perspective"], r["orientation_label"]) for r in rows)
            baselines.append(time.perf_counter() - started)
        assert len(alignment_records(conversation)) == count
        backend = connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    figure, baseline = statistics.median(timings), statistics.median(baselines)
    return {
        "name": f"alignment report page, {count:,} statements, {len(drafts)} shared (synthetic)",
        "backend": backend,
        "figure": f"{figure * 1000:.0f} ms (median of 5)",
        "baseline": f"{baseline * 1000:.0f} ms (read and count the statements)",
        "ratio": f"{figure / baseline:.1f}x" if baseline else "",
        "target": f"< {REPORT_TARGET_S * 1000:.0f} ms",
        "met": figure < REPORT_TARGET_S,
    }


def run(rows: int | None = None) -> dict[str, Any]:
    _django()
    naive = NaiveKeywords()
    say("  evaluation on the test split ...")
    figures, evaluation_text = _quality(naive)
    count = rows or ANALYSIS_STATEMENTS
    say(f"  analysing {count:,} synthetic statements ...")
    figures.append(_analysis_speed(count, naive))
    say(f"  alignment report for {REPORT_STATEMENTS:,} synthetic statements ...")
    figures.append(_report_speed(REPORT_STATEMENTS))
    report_md = (
        "Articulation analysis, evaluated on the fixed test split of the hand-labelled set "
        "(written for this project; the same people wrote the lexicon, so real statements will "
        "score lower):\n\n```\n" + evaluation_text + "\n```\n"
    )
    return {"benchmark": "engagement", "figures": figures, "report_md": report_md}


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    for f in result["figures"]:
        say(f"{f['name']}: {f['figure']} (baseline {f['baseline']}, target {f['target']})")
