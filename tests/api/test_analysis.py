"""POST /api/v1/analysis/articulation: open without sign-in, stores nothing, rate-limited."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import override_settings

from commonground.audit.models import AuditEvent
from commonground.engagement.models import Statement

PATH = "/api/v1/analysis/articulation"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def post(client, body, **extra):
    return client.post(PATH, data=json.dumps(body), content_type="application/json", **extra)


@pytest.mark.django_db
def test_the_analysis_answers_without_sign_in_with_the_fields_the_issue_names(client) -> None:
    text = "This is not about profit; it is about collaboration and the public good."
    response = post(client, {"text": text, "perspective": "provider"})
    assert response.status_code == 200
    body = response.json()
    assert body["orientation"]["label"] == "purpose"
    assert 0 < body["orientation"]["score"] <= 1
    assert body["orientation"]["evidence"]
    concepts = {c["label"]: c for c in body["concepts"]}
    assert set(concepts) == {"collaboration", "public_value"}
    for label in concepts.values():
        assert 0 < label["confidence"] <= 1
        for evidence in label["evidence"]:
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert [e["text"] for e in body["negated"]] == ["profit"]
    assert body["perspective"] == "provider"
    assert {"principles", "methodologies"} <= set(body)
    # Nothing was stored.
    assert not Statement.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_methodologies_come_with_evidence(client) -> None:
    body = post(client, {"text": "We will run an open competitive tender."}).json()
    assert [m["label"] for m in body["methodologies"]] == ["procurement"]
    assert body["methodologies"][0]["evidence"][0]["text"] == "tender"
    assert body["orientation"]["label"] == "market"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"text": "Fine.", "perspective": "mayor"}, "perspective"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, body, field) -> None:
    response = post(client, body)
    assert response.status_code == 422
    assert field == response.json()["field"]


@pytest.mark.django_db
@override_settings(ENGAGEMENT_ANALYSIS_RATE_LIMIT=3, ENGAGEMENT_ANALYSIS_RATE_WINDOW=60)
def test_over_the_rate_limit_the_answer_is_429_with_retry_after(client) -> None:
    for _ in range(3):
        assert post(client, {"text": "Trust matters."}).status_code == 200
    response = post(client, {"text": "Trust matters."})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.json()["detail"]
    # Another address has its own allowance.
    other = post(client, {"text": "Trust matters."}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_every_field_of_the_analysis_is_described_in_openapi(client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in ("ArticulationIn", "ArticulationOut", "OrientationOut", "LabelOut", "EvidenceOut"):
        for field, spec in schemas[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
    operation = document["paths"][PATH]["post"]
    assert {"200", "422", "429"} <= set(operation["responses"])
    assert "security" not in operation


@pytest.mark.django_db
def test_the_answer_names_the_model_and_gives_a_reform_stance_with_evidence(client) -> None:
    from commonground.engagement.analysis.model import current_model

    text = "The council should hand the library to residents and fund it with a grant."
    body = post(client, {"text": text}).json()
    assert body["model"]["version"] == current_model().version
    stance = body["reform_stance"]
    assert stance["label"] in {"socialise", "refine", "mature", "replace", "none"}
    assert 0 < stance["confidence"] <= 1
    assert stance["evidence"]
    for evidence in stance["evidence"]:
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.django_db
def test_a_label_no_lexicon_phrase_showed_carries_its_sentence_and_what_it_reads_like(
    client,
) -> None:
    text = "Bidders are scored seventy percent on cost. The cheapest quote wins."
    body = post(client, {"text": text}).json()
    decided = [
        item
        for kind in ("concepts", "principles", "methodologies")
        for item in body[kind]
        if item["basis"] == "model"
    ] + ([body["orientation"]] if body["orientation"]["basis"] == "model" else [])
    assert decided, body
    for item in decided:
        sentence = item["evidence"][0]
        assert sentence["kind"] == "sentence"
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert len(item["reads_like"]) == 2
        assert all(r["text"] and -1 <= r["similarity"] <= 1 for r in item["reads_like"])
