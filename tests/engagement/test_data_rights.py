"""A person's data export includes what they said, convened, reviewed and voted."""

from __future__ import annotations

from commonground.accounts.data_rights import personal_data_export
from commonground.engagement import services

from .conftest import World


def test_the_export_holds_a_persons_statements_conversations_reviews_and_votes(
    world: World,
) -> None:
    statement = services.statement_add(
        world.participant_user, world.private, text="Trust us with the long term."
    )
    services.statement_review(
        world.convener, statement, orientation="purpose", concepts=[], principles=["trust"],
        methodologies=[],
    )  # fmt: skip
    shared = services.shared_statement_add(world.convener, world.private, "Trust each other.")
    services.vote_cast(world.participant_user, shared, "agree")
    mine = personal_data_export(world.participant_user)["engagement"]
    assert [s["text"] for s in mine["statements"]] == ["Trust us with the long term."]
    assert mine["votes"][0]["choice"] == "agree"
    convener = personal_data_export(world.convener)["engagement"]
    assert {c["title"] for c in convener["conversations_convened"]} == {
        "Round table (test)", "Open consultation (test)"
    }  # fmt: skip
    assert convener["label_reviews"][0]["principles"] == ["trust"]
