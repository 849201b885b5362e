"""The conversations API: each endpoint for anonymous, outsider, participant, convener and
moderator; bad input refused naming the field; every field described in OpenAPI."""

from __future__ import annotations

import json

import pytest

from commonground.engagement import services
from commonground.engagement.models import Vote
from tests.engagement.factories import WHO, World, shared_statement_with_votes, token_for

pytestmark = pytest.mark.django_db


def call(client, method, path, engagement_world: World, who: str, body=None):
    kwargs = token_for(engagement_world.user(who))
    if body is not None:
        kwargs["data"] = json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def write_status(who: str, allowed: tuple[str, ...], ok: int, private: bool = True) -> int:
    if who == "anonymous":
        return 401
    if private and who == "outsider":
        return 404
    return ok if who in allowed else 403


@pytest.mark.parametrize("who", WHO)
def test_get_a_private_conversation(client, engagement_world: World, who: str) -> None:
    response = call(
        client, "get", f"/conversations/{engagement_world.private.pk}", engagement_world, who
    )
    visible = who in ("participant", "convener", "moderator")
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert response.json()["participants"][0]["perspective"] == "provider"


@pytest.mark.parametrize("who", WHO)
def test_list_shows_what_each_person_may_see(client, engagement_world: World, who: str) -> None:
    titles = {
        c["title"] for c in call(client, "get", "/conversations", engagement_world, who).json()
    }
    assert "Open consultation (test)" in titles
    assert ("Round table (test)" in titles) == (who in ("participant", "convener", "moderator"))


def test_an_invalid_token_is_refused_even_for_a_read(client, engagement_world: World) -> None:
    response = client.get("/api/v1/conversations", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401


@pytest.mark.parametrize("who", WHO)
def test_add_a_participant(client, engagement_world: World, who: str) -> None:
    body = {"display_name": "Sam", "perspective": "funder"}
    path = f"/conversations/{engagement_world.private.pk}/participants"
    response = call(client, "post", path, engagement_world, who, body)
    assert response.status_code == write_status(who, ("convener",), 201)


@pytest.mark.parametrize("who", WHO)
def test_add_a_statement_to_a_private_conversation(
    client, engagement_world: World, who: str
) -> None:
    body = {"text": "Trust is the working currency.", "perspective": "funder"}
    response = call(
        client,
        "post",
        f"/conversations/{engagement_world.private.pk}/statements",
        engagement_world,
        who,
        body,
    )
    expected = write_status(who, ("participant", "convener"), 201)
    assert response.status_code == expected
    if expected == 201:
        statement = response.json()
        assert statement["principles"] == ["trust"]
        assert statement["status"] == ("published" if who == "convener" else "pending")
        # A participant speaks from their own perspective.
        assert statement["perspective"] == ("funder" if who == "convener" else "provider")


def test_statements_waiting_for_moderation_are_hidden_from_others(
    client, engagement_world: World
) -> None:
    services.statement_add(
        engagement_world.outsider,
        engagement_world.public,
        text="Community benefit first.",
        perspective="community",
    )
    path = f"/conversations/{engagement_world.public.pk}/statements"
    assert call(client, "get", path, engagement_world, "anonymous").json() == []
    assert call(client, "get", path, engagement_world, "participant").json() == []
    assert len(call(client, "get", path, engagement_world, "outsider").json()) == 1  # the author
    assert len(call(client, "get", path, engagement_world, "moderator").json()) == 1


@pytest.mark.parametrize("who", WHO)
def test_moderate_a_statement(client, engagement_world: World, who: str) -> None:
    statement = services.statement_add(
        engagement_world.outsider,
        engagement_world.public,
        text="Community benefit first.",
        perspective="community",
    )
    path = f"/statements/{statement.pk}/moderation"
    response = call(client, "post", path, engagement_world, who, {"decision": "published"})
    if who == "outsider":  # the author sees it but may not publish it
        assert response.status_code == 403
    else:
        expected = write_status(who, ("convener", "moderator"), 200, private=False)
        assert response.status_code == (404 if who == "participant" else expected)
    statement.refresh_from_db()
    assert (statement.status == "published") == (who in ("convener", "moderator"))


@pytest.mark.parametrize("who", WHO)
def test_review_a_statement(client, engagement_world: World, who: str) -> None:
    statement = services.statement_add(
        engagement_world.convener,
        engagement_world.private,
        text="We are not customers.",
        perspective="community",
    )
    body = {"orientation": "purpose", "concepts": ["public_value"]}
    response = call(
        client, "post", f"/statements/{statement.pk}/review", engagement_world, who, body
    )
    expected = write_status(who, ("convener", "moderator"), 200)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["reviewed"] is True
        assert response.json()["orientation"] == "purpose"


def test_a_review_with_an_unknown_label_names_the_field(client, engagement_world: World) -> None:
    statement = services.statement_add(
        engagement_world.convener, engagement_world.private, text="Trust.", perspective="community"
    )
    body = {"orientation": "purpose", "concepts": ["kindness"]}
    response = call(
        client, "post", f"/statements/{statement.pk}/review", engagement_world, "convener", body
    )
    assert response.status_code == 422
    assert response.json()["field"] == "concepts.0"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "round_table", "prompt": "Why?"}, "title"),
        ({"title": "T", "kind": "chat", "prompt": "Why?"}, "kind"),
        ({"title": "T", "kind": "survey", "prompt": "Why?", "place": "E99999999"}, "place"),
        # A NUL character cannot be stored in PostgreSQL text: a field error, never a 500.
        ({"title": "T\u0000", "kind": "survey", "prompt": "Why?"}, "title"),
        ({"title": "T", "kind": "survey", "prompt": "Why\u0000?"}, "prompt"),
    ],
)
def test_bad_input_when_starting_a_conversation_names_the_field(
    client,
    engagement_world: World,
    body,
    field,
) -> None:
    response = call(client, "post", "/conversations", engagement_world, "outsider", body)
    assert response.status_code == 422
    assert field == response.json()["field"]


def test_anyone_signed_in_starts_a_conversation_and_convenes_it(
    client, engagement_world: World
) -> None:
    body = {"title": "Our vision", "kind": "survey", "prompt": "What matters?"}
    response = call(client, "post", "/conversations", engagement_world, "outsider", body)
    assert response.status_code == 201
    assert (
        call(client, "post", "/conversations", engagement_world, "anonymous", body).status_code
        == 401
    )


def test_alignment_drafts_and_votes(client, engagement_world: World) -> None:
    for perspective in ("commissioner", "provider", "funder", "community"):
        services.statement_add(
            engagement_world.convener, engagement_world.private,
            text=f"We want to work together with everyone for the long term ({perspective}).",
            perspective=perspective,
        )  # fmt: skip
    alignment = call(
        client,
        "get",
        f"/conversations/{engagement_world.private.pk}/alignment",
        engagement_world,
        "participant",
    )
    assert alignment.status_code == 200
    themes = {f["theme"] for f in alignment.json()["common_ground"]}
    assert {"collaboration", "long_term"} <= themes
    path = f"/conversations/{engagement_world.private.pk}/shared-statements/draft"
    assert call(client, "post", path, engagement_world, "participant").status_code == 403
    drafted = call(client, "post", path, engagement_world, "convener")
    assert drafted.status_code == 201 and drafted.json()
    shared_id = drafted.json()[0]["id"]
    vote_path = f"/shared-statements/{shared_id}/votes"
    assert (
        call(
            client, "post", vote_path, engagement_world, "anonymous", {"choice": "agree"}
        ).status_code
        == 401
    )
    assert (
        call(
            client, "post", vote_path, engagement_world, "outsider", {"choice": "agree"}
        ).status_code
        == 404
    )
    assert (
        call(
            client, "post", vote_path, engagement_world, "moderator", {"choice": "agree"}
        ).status_code
        == 403
    )
    voted = call(client, "post", vote_path, engagement_world, "participant", {"choice": "agree"})
    assert voted.status_code == 200 and voted.json()["perspective"] == "provider"
    bad = call(client, "post", vote_path, engagement_world, "participant", {"choice": "maybe"})
    assert bad.status_code == 422 and bad.json()["field"] == "choice"
    assert Vote.objects.count() == 1
    shared = call(
        client,
        "get",
        f"/conversations/{engagement_world.private.pk}/shared-statements",
        engagement_world,
        "participant",
    )
    votes = {v["perspective"]: v for v in shared.json()[0]["votes"]}
    # One provider's vote is theirs: withheld (ADR 0061); nobody else has voted yet.
    assert votes["provider"] == {
        "perspective": "provider", "withheld": True, "agree": None, "disagree": None,
        "passed": None,
    }  # fmt: skip
    assert votes["funder"] == {
        "perspective": "funder", "withheld": False, "agree": 0, "disagree": 0, "passed": 0
    }  # fmt: skip
    assert shared.json()[0]["consensus"] is False
    assert shared.json()[0]["consensus_judged"] is False


def test_every_field_of_the_conversation_operations_is_described(client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    names = [
        "ConversationOut", "ConversationIn", "ParticipantIn", "ParticipantOut", "StatementOut",
        "StatementIn", "ModerationIn", "ReviewIn", "SharedStatementOut", "PerspectiveVotes",
        "VoteIn", "VoteOut", "AlignmentOut", "ProfileOut", "PairOut", "FindingOut", "QuoteOut",
    ]  # fmt: skip
    for name in names:
        for field, spec in schemas[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"


def test_a_conversation_belongs_to_a_partnership_only_its_members_choose(
    client,
    engagement_world: World,
) -> None:
    from commonground.partnerships.services import partnership_create
    from commonground.places.models import Place

    place = Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")
    partnership = partnership_create(
        engagement_world.convener, name="Later life (test)", purpose="Wellbeing", place=place,
        perspective="commissioner",
    )  # fmt: skip
    body = {"title": "Our vision", "kind": "round_table", "prompt": "Why?",
            "partnership_id": partnership.pk}  # fmt: skip
    refused = call(client, "post", "/conversations", engagement_world, "outsider", body)
    assert refused.status_code == 422
    assert refused.json()["field"] == "partnership_id"
    made = call(client, "post", "/conversations", engagement_world, "convener", body)
    assert made.status_code == 201
    assert made.json()["partnership_id"] == partnership.pk
    assert made.json()["place"] == "E08000009"  # the partnership's place


LONE_FUNDER = {
    "commissioner": ["agree", "agree", "disagree"],
    "provider": ["agree", "pass"],
    "community": ["agree", "agree", "agree"],
}


@pytest.mark.parametrize("lone_vote", ("agree", "disagree", "pass"))
def test_a_lone_funders_vote_is_withheld_and_the_answer_is_the_same_whichever_way_they_voted(
    client, engagement_world: World, lone_vote: str
) -> None:
    shared_statement_with_votes(
        engagement_world, engagement_world.public, {**LONE_FUNDER, "funder": [lone_vote]}
    )
    conversation = engagement_world.public.pk
    for path in (f"/conversations/{conversation}/shared-statements",
                 f"/conversations/{conversation}/alignment"):  # fmt: skip
        body = call(client, "get", path, engagement_world, "anonymous").json()
        shared = body[0] if isinstance(body, list) else body["shared_statements"][0]
        votes = {v["perspective"]: v for v in shared["votes"]}
        assert votes["funder"]["withheld"] and votes["funder"]["agree"] is None
        # The smallest other perspective too, so the funder's is not a total minus the rest.
        assert votes["provider"]["withheld"] and votes["provider"]["passed"] is None
        assert (votes["commissioner"]["agree"], votes["commissioner"]["disagree"]) == (2, 1)
        assert not votes["community"]["withheld"]
        assert (shared["consensus"], shared["consensus_judged"]) == (False, False)


def test_the_convener_is_not_shown_a_lone_vote_either(client, engagement_world: World) -> None:
    shared_statement_with_votes(
        engagement_world, engagement_world.private, {**LONE_FUNDER, "funder": ["disagree"]}
    )
    path = f"/conversations/{engagement_world.private.pk}/shared-statements"
    votes = {
        v["perspective"]: v
        for v in call(client, "get", path, engagement_world, "convener").json()[0]["votes"]
    }
    assert votes["funder"]["withheld"] and votes["funder"]["disagree"] is None


def test_consensus_is_judged_once_two_from_every_perspective_have_voted(
    client, engagement_world: World
) -> None:
    shared_statement_with_votes(
        engagement_world, engagement_world.public, {**LONE_FUNDER, "funder": ["agree", "agree"]}
    )
    path = f"/conversations/{engagement_world.public.pk}/shared-statements"
    shared = call(client, "get", path, engagement_world, "anonymous").json()[0]
    assert not any(v["withheld"] for v in shared["votes"])
    # A pass is not counted either way: the provider's one decided vote agrees.
    assert (shared["consensus"], shared["consensus_judged"]) == (True, True)


def test_the_schema_says_withheld_votes_are_null(client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    votes = schemas["PerspectiveVotes"]["properties"]
    assert "withheld" in schemas["PerspectiveVotes"]["required"]
    assert {"type": "null"} in votes["agree"]["anyOf"]
    assert "null" in votes["withheld"]["description"]
    assert "consensus_judged" in schemas["SharedStatementOut"]["properties"]
