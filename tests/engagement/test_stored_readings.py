"""What the alignment report reads is kept with each statement when it is analysed (its
embedding, each theme's sentence, its reform stance), so the report reads it back instead of
decoding every analysis and embedding every statement again, and says the same either way."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from commonground.core import embeddings
from commonground.engagement import services
from commonground.engagement.alignment import record_from_statement
from commonground.engagement.models import Statement
from commonground.engagement.selectors import RECORD_FIELDS, alignment_records
from commonground.engagement.themes import _vectors, emergent_themes
from tests.engagement.factories import World

LABEL_FIELDS = (
    "orientation_label",
    "concepts",
    "principles",
    "methodologies",
    "theme_evidence",
    "reform_stance",
    "embedding_fingerprint",
)
SAID = [
    ("commissioner", "The day centre contract went to the cheapest bidder after the tender."),
    ("provider", "We lost the tender because another bidder undercut our price."),
    ("community", "The cheapest bid won the tender and the day centre got worse."),
    ("funder", "Tenders that reward the lowest price push good charities out."),
    ("commissioner", "Residents will run the library as a community hub from next year."),
    ("provider", "Our volunteers keep the library open three days a week, in partnership."),
    ("community", "We saved our library by running it ourselves with volunteers."),
    ("funder", "We fund community groups for ten years so they can take over the library."),
]


def _said(world: World) -> None:
    for perspective, text in SAID:
        services.statement_add(world.convener, world.private, text=text, perspective=perspective)


def test_an_analysed_statement_keeps_the_embedding_of_its_own_words(
    engagement_world: World,
) -> None:
    _said(engagement_world)
    for statement in Statement.objects.filter(conversation=engagement_world.private):
        stored = embeddings.from_bytes(statement.embedding)
        assert statement.embedding_fingerprint == embeddings.text_fingerprint(statement.text)
        assert np.array_equal(stored, embeddings.embed([statement.text])[0])
        assert "vector" not in statement.analysis


def test_the_report_reads_the_same_themes_evidence_and_stances_as_from_the_whole_analysis(
    engagement_world: World,
) -> None:
    _said(engagement_world)
    kept = alignment_records(engagement_world.private)
    whole = [
        record_from_statement(row)
        for row in engagement_world.private.statements.values(*RECORD_FIELDS, "analysis")
    ]
    assert [(r.evidence, r.reform_stance) for r in kept] == [
        (r.evidence, r.reform_stance) for r in whole
    ]
    assert any(r.evidence for r in kept) and all(r.reform_stance for r in kept)
    fresh = [replace(r, embedding=b"", embedding_fingerprint="") for r in kept]
    assert [(t.name, t.size, t.quotes) for t in emergent_themes(kept, k=2)] == [
        (t.name, t.size, t.quotes) for t in emergent_themes(fresh, k=2)
    ]


def test_a_stored_embedding_is_not_used_once_the_words_differ(engagement_world: World) -> None:
    _said(engagement_world)
    first = Statement.objects.filter(conversation=engagement_world.private).first()
    assert first is not None
    Statement.objects.filter(pk=first.pk).update(text="Grants, not contracts, for the hub.")
    records = alignment_records(engagement_world.private)
    vectors = _vectors(records)
    changed = next(i for i, r in enumerate(records) if r.id == first.pk)
    assert np.array_equal(vectors[changed], embeddings.embed([records[changed].text])[0])


def test_analysing_a_conversation_again_keeps_every_reading_and_what_the_report_reads(
    engagement_world: World,
) -> None:
    _said(engagement_world)
    before = list(engagement_world.private.statements.order_by("pk").values(*LABEL_FIELDS))
    Statement.objects.filter(conversation=engagement_world.private).update(
        embedding=b"", embedding_fingerprint="", theme_evidence={}, reform_stance=""
    )
    assert services.conversation_analyse(engagement_world.convener, engagement_world.private) == 8
    after = list(engagement_world.private.statements.order_by("pk").values(*LABEL_FIELDS))
    assert after == before
