"""Engagement: articulation analysis of 10,000 statements; a 2,000-statement alignment report.

Three parts, each beside a baseline measured in the same run:

1. quality: the evaluation (commonground.engagement.analysis.evaluation) on the frozen,
   source-grouped test split of the published statements (held out: nothing was tuned on it):
   orientation accuracy and macro-F1 for concepts, principles, methodologies and reform stance
   against the issue's targets. Baseline: the lexicon alone (the analyser before the model).
2. analysis speed: the model (`articulate_many`, embedding included, in batches of 1,000 as an
   import runs it) over 10,000 SYNTHETIC statements (sentences of the labelled sets recombined
   at random with a fixed seed), target under 60 s. Baseline: the lexicon alone (`analyse()`)
   over the same statements.
3. report speed: the alignment page (selector, alignment, emergent themes, template) for one
   conversation of 2,000 SYNTHETIC published statements, in a throwaway test database, target
   under 1 s. Baseline: reading the same 2,000 statements and counting them by perspective and
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
    from commonground.engagement.analysis.corpus import load_corpus

    sentences = [e.text for e in load_corpus(practice=False)]
    rng = random.Random(seed)
    return [
        (rng.choice(PERSPECTIVES), " ".join(rng.sample(sentences, rng.randint(1, 3))))
        for _ in range(count)
    ]


def _quality() -> tuple[list[dict[str, Any]], str]:
    from commonground.engagement.analysis.corpus import ADJUDICATED_PATH, by_split, load_corpus
    from commonground.engagement.analysis.evaluation import (
        TARGETS,
        evaluate,
        lexicon_only,
        model_analyser,
    )

    figures, texts = [], []
    for labels in ("original", "adjudicated", "revised"):
        if labels != "original" and not ADJUDICATED_PATH.exists():
            continue
        test = by_split(load_corpus(labels), "test")
        report = evaluate(test, f"test, {labels} labels", model_analyser)
        baseline = evaluate(test, "test", lexicon_only).figures()
        for name, target in TARGETS.items():
            value = report.figures().get(name, 0.0)
            before = baseline.get(name)
            figures.append(
                {
                    "name": f"articulation {name.replace('_', ' ')} (held-out test split, "
                    f"{len(test)}, {labels} labels)",
                    "backend": "",
                    "figure": f"{value:.3f}",
                    "baseline": f"{before:.3f} (lexicon alone)" if before is not None else "n/a",
                    "ratio": f"{value / before:.2f}x" if before else "",
                    "target": f">= {target:.2f}",
                    "met": value >= target,
                }
            )
        texts.append(report.to_text())
    return figures, "\n\n".join(texts)


def _analysis_speed(count: int) -> dict[str, Any]:
    from commonground.engagement.analysis.analyser import analyse
    from commonground.engagement.analysis.model import articulate_many, current_model

    statements = synthetic_statements(count)
    started = time.perf_counter()
    for perspective, text in statements:
        analyse(text, perspective)
    baseline = time.perf_counter() - started
    current_model.cache_clear()  # the model's loading is part of the figure
    started = time.perf_counter()
    for i in range(0, len(statements), 1000):
        batch = statements[i : i + 1000]
        articulate_many([t for _, t in batch], [p for p, _ in batch])
    elapsed = time.perf_counter() - started
    return {
        "name": f"articulation analysis of {count:,} statements (synthetic), model and lexicon",
        "backend": "",
        "figure": f"{elapsed:.2f} s",
        "baseline": f"{baseline:.2f} s (lexicon alone)",
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
        from django.utils import timezone

        from commonground.accounts.models import Profile

        convener = User.objects.create_user("bench-convener", "bench@example.org")
        # Convening needs a confirmed address (ADR 0023): the benchmark's convener has one.
        Profile.objects.update_or_create(
            user=convener, defaults={"email_verified_at": timezone.now()}
        )
        conversation = services.conversation_create(
            convener,
            title="Benchmark conversation (synthetic)",
            kind="consultation",
            prompt="Synthetic statements for the benchmark.",
            visibility="public",
        )
        statements = []
        from commonground.engagement.analysis.model import articulate_many
        from commonground.engagement.services import _apply

        pairs = synthetic_statements(count, seed=11)
        readings = articulate_many([t for _, t in pairs], [p for p, _ in pairs])
        for (perspective, text), reading in zip(pairs, readings, strict=True):
            statement = Statement(
                conversation=conversation,
                text=text,
                perspective=perspective,
                source="imported",
                status=StatementStatus.PUBLISHED,
            )
            _apply(statement, reading, None)
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
    say("  evaluation on the held-out test split ...")
    figures, evaluation_text = _quality()
    count = rows or ANALYSIS_STATEMENTS
    say(f"  analysing {count:,} synthetic statements ...")
    figures.append(_analysis_speed(count))
    say(f"  alignment report for {REPORT_STATEMENTS:,} synthetic statements ...")
    figures.append(_report_speed(REPORT_STATEMENTS))
    report_md = (
        "Articulation analysis (model), evaluated on the frozen source-grouped test split of "
        "the published statements (held out; ADR 0022):\n\n```\n" + evaluation_text + "\n```\n"
    )
    return {"benchmark": "engagement", "figures": figures, "report_md": report_md}


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    for f in result["figures"]:
        say(f"{f['name']}: {f['figure']} (baseline {f['baseline']}, target {f['target']})")
