"""A person's data export includes what they said, convened, reviewed and voted."""

from __future__ import annotations

from commonground.accounts.data_rights import personal_data_export
from commonground.engagement import services
from tests.engagement.factories import World


def test_the_export_holds_a_persons_statements_conversations_reviews_and_votes(
    engagement_world: World,
) -> None:
    statement = services.statement_add(
        engagement_world.participant_user,
        engagement_world.private,
        text="Trust us with the long term.",
    )
    services.statement_review(
        engagement_world.convener,
        statement,
        orientation="purpose",
        concepts=[],
        principles=["trust"],
        methodologies=[],
    )
    shared = services.shared_statement_add(
        engagement_world.convener, engagement_world.private, "Trust each other."
    )
    services.vote_cast(engagement_world.participant_user, shared, "agree")
    mine = personal_data_export(engagement_world.participant_user)["engagement"]
    assert [s["text"] for s in mine["statements"]] == ["Trust us with the long term."]
    assert mine["votes"][0]["choice"] == "agree"
    convener = personal_data_export(engagement_world.convener)["engagement"]
    assert {c["title"] for c in convener["conversations_convened"]} == {
        "Round table (test)", "Open consultation (test)"
    }  # fmt: skip
    assert convener["label_reviews"][0]["principles"] == ["trust"]
