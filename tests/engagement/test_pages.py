"""The engagement pages: who may see and do what, moderation, review kept across re-runs,
alignment, shared statements, votes and the report."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from commonground.engagement import services
from commonground.engagement.models import Conversation, LabelCorrection, Statement, Vote
from tests.engagement.factories import WHO, World, client_for


def _expect(who: str, allowed: tuple[str, ...], ok: int, hidden: int = 404) -> int:
    return ok if who in allowed else hidden


@pytest.mark.parametrize("who", WHO)
def test_a_private_conversation_is_seen_by_participants_convener_and_moderators(
    engagement_world: World, who: str
) -> None:
    client = client_for(engagement_world.user(who))
    for path in ("", "alignment/", "report.pdf"):
        response = client.get(f"/conversations/{engagement_world.private.pk}/{path}")
        assert response.status_code == _expect(
            who, ("participant", "convener", "moderator"), 200
        ), path


@pytest.mark.parametrize("who", WHO)
def test_a_public_conversation_is_seen_by_anyone(engagement_world: World, who: str) -> None:
    assert (
        client_for(engagement_world.user(who))
        .get(f"/conversations/{engagement_world.public.pk}/")
        .status_code
        == 200
    )


@pytest.mark.parametrize("who", WHO)
def test_only_the_convener_runs_the_conversation(engagement_world: World, who: str) -> None:
    client = client_for(engagement_world.user(who))
    response = client.get(f"/conversations/{engagement_world.public.pk}/participants/add/")
    expected = {"anonymous": 302, "convener": 200}.get(who, 403)
    assert response.status_code == expected
    response = client.post(f"/conversations/{engagement_world.public.pk}/analyse/")
    assert response.status_code == {"anonymous": 302, "convener": 302}.get(who, 403)


@pytest.mark.parametrize("who", WHO)
def test_the_moderation_queue_is_for_the_convener_and_moderators(
    engagement_world: World, who: str
) -> None:
    response = client_for(engagement_world.user(who)).get(
        f"/conversations/{engagement_world.public.pk}/moderation/"
    )
    assert response.status_code == {"anonymous": 302, "convener": 200, "moderator": 200}.get(
        who, 403
    )


def test_conversation_list_shows_only_what_each_person_may_see(engagement_world: World) -> None:
    anonymous = client_for(None).get("/conversations/").content.decode()
    assert "Open consultation (test)" in anonymous and "Round table (test)" not in anonymous
    participant = (
        client_for(engagement_world.participant_user).get("/conversations/").content.decode()
    )
    assert "Round table (test)" in participant


def test_an_anonymous_community_statement_waits_for_moderation(engagement_world: World) -> None:
    anonymous = client_for(None)
    response = anonymous.post(
        f"/conversations/{engagement_world.public.pk}/statements/add/",
        {
            "text": "Decisions about our estate should be made on our estate.",
            "perspective": "community",
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get(conversation=engagement_world.public)
    assert statement.status == "pending" and statement.author is None
    page = f"/conversations/{engagement_world.public.pk}/"
    assert "our estate" not in anonymous.get(page).content.decode()
    assert "our estate" not in client_for(engagement_world.outsider).get(page).content.decode()
    assert "our estate" in client_for(engagement_world.moderator).get(page).content.decode()
    assert client_for(None).get(f"/statements/{statement.pk}/").status_code == 404
    # Published by the convener from the moderation queue, it is shown to everyone.
    client_for(engagement_world.convener).post(
        f"/conversations/{engagement_world.public.pk}/moderation/",
        {"statement": statement.pk, "decision": "published"},
    )
    statement.refresh_from_db()
    assert statement.status == "published" and statement.moderated_by == engagement_world.convener
    assert "our estate" in anonymous.get(page).content.decode()


@pytest.mark.parametrize("posted", ["²", "abc", "1.5", "99999999999999999999999"])
def test_a_moderation_form_with_a_mangled_statement_id_changes_nothing(
    engagement_world: World, posted: str
) -> None:
    statement = services.statement_add(
        engagement_world.outsider,
        engagement_world.public,
        text="Waiting for a moderator.",
        perspective="community",
    )
    client = client_for(engagement_world.convener)
    client.raise_request_exception = False
    response = client.post(
        f"/conversations/{engagement_world.public.pk}/moderation/",
        {"statement": posted, "decision": "published"},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "pending"


def test_a_rejected_statement_is_never_shown_to_others(engagement_world: World) -> None:
    statement = services.statement_add(
        engagement_world.outsider,
        engagement_world.public,
        text="Spam spam spam.",
        perspective="community",
    )
    services.statement_moderate(engagement_world.moderator, statement, "rejected", "Off topic")
    page = f"/conversations/{engagement_world.public.pk}/"
    assert "Spam spam" not in client_for(None).get(page).content.decode()
    assert (
        "Spam spam" not in client_for(engagement_world.participant_user).get(page).content.decode()
    )
    assert (
        "Spam spam" in client_for(engagement_world.outsider).get(page).content.decode()
    )  # its author


def test_anonymous_people_cannot_add_where_the_convener_does_not_allow_it(
    engagement_world: World,
) -> None:
    response = client_for(None).post(
        f"/conversations/{engagement_world.private.pk}/statements/add/",
        {"text": "Hello", "perspective": "community"},
    )
    assert response.status_code == 404
    Conversation.objects.filter(pk=engagement_world.public.pk).update(allow_anonymous=False)
    response = client_for(None).get(f"/conversations/{engagement_world.public.pk}/statements/add/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert not Statement.objects.exists()


def test_a_participant_adds_a_statement_from_their_own_perspective(engagement_world: World) -> None:
    client_for(engagement_world.participant_user).post(
        f"/conversations/{engagement_world.private.pk}/statements/add/",
        {"text": "We need long-term funding, not three-year cycles."},
    )
    statement = Statement.objects.get()
    assert statement.perspective == "provider" and statement.status == "pending"


def test_the_convener_records_a_statement_for_a_participant_published_at_once(
    engagement_world: World,
) -> None:
    response = client_for(engagement_world.convener).post(
        f"/conversations/{engagement_world.private.pk}/statements/add/",
        {
            "text": "Trust is the working currency.",
            "participant": str(engagement_world.participant.pk),
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.status == "published" and statement.perspective == "provider"
    assert statement.principles == ["trust"]


def test_an_empty_statement_shows_the_error_summary(engagement_world: World) -> None:
    response = client_for(engagement_world.convener).post(
        f"/conversations/{engagement_world.private.pk}/statements/add/", {"text": ""}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_the_statement_page_shows_the_evidence_and_negation(engagement_world: World) -> None:
    statement = services.statement_add(
        engagement_world.convener,
        engagement_world.private,
        text="This is not about profit; it is about the public good.",
        perspective="provider",
    )
    page = (
        client_for(engagement_world.participant_user)
        .get(f"/statements/{statement.pk}/")
        .content.decode()
    )
    assert '<mark class="cg-said">public good</mark>' in page
    assert "cg-said--negated" in page
    assert "Review the labels" not in page  # participants do not review


def test_a_review_is_kept_shown_and_used_when_the_analysis_runs_again(
    engagement_world: World,
) -> None:
    statement = services.statement_add(
        engagement_world.convener,
        engagement_world.private,
        text="We are not customers, we are residents.",
        perspective="community",
    )
    assert statement.orientation_label != "mixed"  # the reviewer reads it otherwise
    client = client_for(engagement_world.convener)
    response = client.post(
        f"/statements/{statement.pk}/",
        {"orientation": "mixed", "concepts": ["public_value"], "note": "Both frames"},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.reviewed and statement.orientation_label == "mixed"
    assert statement.concepts == ["public_value"]
    assert "Reviewed" in client.get(f"/statements/{statement.pk}/").content.decode()
    services.conversation_analyse(engagement_world.convener, engagement_world.private)
    statement.refresh_from_db()
    assert statement.reviewed and statement.orientation_label == "mixed"
    # The same words elsewhere take the reviewed labels too.
    again = services.statement_add(
        engagement_world.convener,
        engagement_world.public,
        text="We are not customers, we are  residents.",
        perspective="community",
    )
    assert again.reviewed and again.orientation_label == "mixed"
    export = client.get(
        f"/conversations/{engagement_world.private.pk}/label-reviews.csv"
    ).content.decode()
    assert '"We are not customers, we are residents.",mixed,public_value' in export


@pytest.mark.parametrize("who", WHO)
def test_only_the_convener_and_moderators_review_labels(engagement_world: World, who: str) -> None:
    statement = services.statement_add(
        engagement_world.convener,
        engagement_world.public,
        text="Trust matters.",
        perspective="funder",
    )
    response = client_for(engagement_world.user(who)).post(
        f"/statements/{statement.pk}/", {"orientation": "market"}
    )
    assert response.status_code == (302 if who in ("convener", "moderator") else 403)
    assert LabelCorrection.objects.exists() == (who in ("convener", "moderator"))


def _round_table(engagement_world: World) -> None:
    texts = {
        "commissioner": ["We want to collaborate with providers over the long term.",
                         "Value for money still matters to the cabinet."],
        "provider": ["Collaboration is how we work, and trust takes years.",
                     "We compete for every contract."],
        "funder": ["Funders should collaborate around a shared purpose.",
                   "We fund for the long term."],
        "community": ["If the council and the charities worked together, we would be fine.",
                      "Trust us and keep talking to us."],
    }  # fmt: skip
    for perspective, said in texts.items():
        for text in said:
            services.statement_add(
                engagement_world.convener,
                engagement_world.private,
                text=text,
                perspective=perspective,
            )


def test_alignment_finds_common_ground_with_quotes_and_drafts_shared_statements(
    engagement_world: World,
) -> None:
    _round_table(engagement_world)
    client = client_for(engagement_world.convener)
    page = client.get(f"/conversations/{engagement_world.private.pk}/alignment/").content.decode()
    assert "Every perspective speaks of collaboration." in page
    assert "We compete for every contract." in page  # a tension, quoted
    assert "Themes that emerge" in page and "Theme 1:" in page
    client.post(f"/conversations/{engagement_world.private.pk}/shared-statements/draft/")
    shared = engagement_world.private.shared_statements.get(theme="collaboration")
    assert shared.drafted_from is not None
    said = {s.text for s in engagement_world.private.statements.all()}
    # Every draft, from a fixed label or an emergent theme, is words someone said.
    drafts = list(engagement_world.private.shared_statements.all())
    assert all(d.text in said and d.drafted_from is not None for d in drafts)
    # Drafting again makes nothing new.
    client.post(f"/conversations/{engagement_world.private.pk}/shared-statements/draft/")
    assert engagement_world.private.shared_statements.count() == len(drafts)


def test_votes_reach_consensus_only_across_all_four_perspectives(engagement_world: World) -> None:
    # Consensus is judged once at least two from each perspective have voted (ADR 0061).
    _round_table(engagement_world)
    shared = services.shared_statement_add(
        engagement_world.convener, engagement_world.private, "Work together."
    )
    people = {
        (p, n): services.participant_add(
            engagement_world.convener,
            engagement_world.private,
            display_name=f"{p} person {n}",
            perspective=p,
        )
        for p in ("commissioner", "provider", "funder", "community")
        for n in (1, 2)
        if (p, n) != ("provider", 1)  # the participant with an account votes for themselves
    }
    client_for(engagement_world.participant_user).post(
        f"/shared-statements/{shared.pk}/vote/", {"choice": "agree"}
    )
    for key, participant in people.items():
        if key != ("community", 2):
            services.vote_record(engagement_world.convener, shared, participant, "agree")
    page = client_for(engagement_world.convener).get(
        f"/conversations/{engagement_world.private.pk}/alignment/"
    )
    assert "Consensus</strong>" not in page.content.decode()
    services.vote_record(engagement_world.convener, shared, people["community", 2], "agree")
    page = client_for(engagement_world.convener).get(
        f"/conversations/{engagement_world.private.pk}/alignment/"
    )
    assert "Consensus</strong>" in page.content.decode()
    # Voting again changes the vote rather than adding one.
    client_for(engagement_world.participant_user).post(
        f"/shared-statements/{shared.pk}/vote/", {"choice": "pass"}
    )
    assert Vote.objects.filter(shared_statement=shared).count() == 8


@pytest.mark.parametrize("who", ("anonymous", "outsider", "moderator"))
def test_people_who_are_not_participants_cannot_vote(engagement_world: World, who: str) -> None:
    shared = services.shared_statement_add(
        engagement_world.convener, engagement_world.private, "Work together."
    )
    response = client_for(engagement_world.user(who)).post(
        f"/shared-statements/{shared.pk}/vote/", {"choice": "agree"}
    )
    assert response.status_code == {"anonymous": 302, "outsider": 404, "moderator": 403}[who]
    assert not Vote.objects.exists()


def test_the_report_downloads_as_pdf_and_html(engagement_world: World) -> None:
    _round_table(engagement_world)
    client = client_for(engagement_world.convener)
    pdf = client.get(f"/conversations/{engagement_world.private.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    html = client.get(f"/conversations/{engagement_world.private.pk}/report.html")
    assert "attachment" in html["Content-Disposition"]
    assert "Alignment report:" in html.content.decode()


def test_the_demo_round_table_loads_once_and_is_labelled_an_example(db) -> None:
    call_command("load_demo_engagement")
    call_command("load_demo_engagement")
    conversation = Conversation.objects.get(is_example=True)
    assert conversation.statements.count() == 23
    assert {s.perspective for s in conversation.statements.all()} == {
        "commissioner", "provider", "funder", "community"
    }  # fmt: skip
    assert conversation.shared_statements.exists() and Vote.objects.exists()
    page = client_for(None).get(f"/conversations/{conversation.pk}/alignment/").content.decode()
    assert "Example: an illustrative conversation" in page


@pytest.mark.parametrize("who", WHO)
def test_only_the_convener_closes_a_conversation(engagement_world: World, who: str) -> None:
    response = client_for(engagement_world.user(who)).post(
        f"/conversations/{engagement_world.public.pk}/status/", {"status": "closed"}
    )
    assert response.status_code == {"anonymous": 302, "convener": 302}.get(who, 403)
    engagement_world.public.refresh_from_db()
    assert (engagement_world.public.status == "closed") == (who == "convener")


def test_a_closed_conversation_takes_no_statements_or_votes(engagement_world: World) -> None:
    shared = services.shared_statement_add(
        engagement_world.convener, engagement_world.private, "Work together."
    )
    services.conversation_set_status(engagement_world.convener, engagement_world.private, "closed")
    participant = client_for(engagement_world.participant_user)
    response = participant.post(
        f"/conversations/{engagement_world.private.pk}/statements/add/", {"text": "Late words."}
    )
    assert response.status_code == 403
    response = participant.post(f"/shared-statements/{shared.pk}/vote/", {"choice": "agree"})
    assert response.status_code == 403
    assert not Statement.objects.exists() and not Vote.objects.exists()


@override_settings(ENGAGEMENT_ANONYMOUS_STATEMENT_LIMIT=2)
def test_a_flood_of_anonymous_statements_is_stopped_with_429(engagement_world: World) -> None:
    anonymous = client_for(None)
    path = f"/conversations/{engagement_world.public.pk}/statements/add/"
    body = {"text": "Words.", "perspective": "community"}
    assert [anonymous.post(path, body).status_code for _ in range(3)] == [302, 302, 429]
    assert Statement.objects.count() == 2
    # Signed-in people are not counted against it.
    assert client_for(engagement_world.outsider).post(path, body).status_code == 302


def test_people_in_a_public_conversation_are_named_only_to_those_signed_in(
    engagement_world: World,
) -> None:
    # Issue 15 §5: members and conveners are never shown to signed-out visitors.
    path = f"/conversations/{engagement_world.public.pk}/"
    anonymous = client_for(None).get(path).content.decode()
    assert (
        "Convened by" not in anonymous and '<td class="govuk-table__cell">Pat</td>' not in anonymous
    )
    assert "1 participant." in anonymous
    signed_in = client_for(engagement_world.outsider).get(path).content.decode()
    assert "Convened by" in signed_in and '<td class="govuk-table__cell">Pat</td>' in signed_in
    api = client_for(None).get(f"/api/v1/conversations/{engagement_world.public.pk}").json()
    assert [p["display_name"] for p in api["participants"]] == [None]


def test_a_conversation_prompt_over_5000_characters_is_refused_and_nothing_is_started(
    engagement_world: World,
) -> None:
    before = Conversation.objects.count()
    response = client_for(engagement_world.convener).post(
        "/conversations/new/",
        {
            "title": "Long prompt (test)",
            "kind": "survey",
            "prompt": "What matters? " * 400,  # 5,600 characters
            "visibility": "participants",
        },
    )
    assert response.status_code == 200
    assert "5000 characters" in response.content.decode()
    assert Conversation.objects.count() == before
    with pytest.raises(ValidationError, match="5000 characters"):
        services.conversation_create(
            engagement_world.convener, title="Long", kind="survey", prompt="x" * 5001
        )
    assert Conversation.objects.count() == before


def test_a_statement_sent_twice_by_its_author_is_added_once(engagement_world: World) -> None:
    """A double click must not count one person's words twice in the alignment."""
    client = client_for(engagement_world.participant_user)
    url = f"/conversations/{engagement_world.private.pk}/statements/add/"
    said = {"text": "Partnership means sharing the risk as well as the credit."}
    for _ in range(2):
        assert client.post(url, said).status_code == 302
    statement = Statement.objects.get(conversation=engagement_world.private)
    assert statement.participant == engagement_world.participant
    # Something else said is another statement.
    client.post(url, {"text": "And sharing the budget."})
    assert Statement.objects.filter(conversation=engagement_world.private).count() == 2
    # A convener recording a round table may hear the same words from two people.
    for _ in range(2):
        services.statement_add(
            engagement_world.convener,
            engagement_world.private,
            text="Agreed.",
            perspective="community",
        )
    assert Statement.objects.filter(text="Agreed.").count() == 2


def test_starting_a_conversation_sent_twice_starts_one(engagement_world: World) -> None:
    client = client_for(engagement_world.convener)
    form = {
        "title": "Estate round table (test)",
        "kind": "round_table",
        "prompt": "What would partnership mean on this estate?",
        "visibility": "participants",
    }
    first, second = (client.post("/conversations/new/", form) for _ in range(2))
    started = Conversation.objects.get(title="Estate round table (test)")
    assert first["Location"] == second["Location"] == f"/conversations/{started.pk}/"
