"""Every partnership page, asked by each kind of person: anonymous, signed-in outsider, member of
another partnership, observer, member, lead and platform administrator. A partnership's
existence is private to its members (404); a member whose role does not allow a page gets 403."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commonground.audit.models import AuditEvent
from commonground.partnerships import services
from commonground.partnerships.models import Partnership, PartnershipDocument
from tests.partnerships.factories import WHO, all_answers, closed_round_with

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def client_for(client, partnership_world, who):
    if who != "anonymous":
        client.force_login(partnership_world.people[who])
    return client


def _expect(who, allowed):
    if who == "anonymous":
        return 302
    if who in ("outsider", "other_member"):
        return 404
    return 200 if who in allowed else 403


VIEWERS = {"observer", "member", "lead", "staff"}
CHANGERS = {"member", "lead"}
LEADS = {"lead"}
MEMBERS = {"observer", "member", "lead"}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("suffix", "allowed"),
    [
        ("", VIEWERS),
        ("health-check/", VIEWERS),
        ("edit/", CHANGERS),
        ("stage/", CHANGERS),
        ("milestones/add/", CHANGERS),
        ("documents/add/", CHANGERS),
        ("members/add/", LEADS),
    ],
)
def test_partnership_pages(client, partnership_world, who, suffix, allowed):
    response = client_for(client, partnership_world, who).get(
        f"/partnerships/{partnership_world.partnership.pk}/{suffix}"
    )
    assert response.status_code == _expect(who, allowed)
    if who == "anonymous":
        assert response["Location"].startswith("/account/sign-in/?next=")


@pytest.mark.parametrize("who", WHO)
def test_answering_the_health_check_is_for_members(client, partnership_world, who):
    services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    response = client_for(client, partnership_world, who).get(
        f"/partnerships/{partnership_world.partnership.pk}/health-check/answer/"
    )
    assert response.status_code == _expect(who, MEMBERS)


@pytest.mark.parametrize("who", WHO)
def test_opening_a_round_is_for_the_lead(client, partnership_world, who):
    response = client_for(client, partnership_world, who).post(
        f"/partnerships/{partnership_world.partnership.pk}/health-check/open/"
    )
    assert response.status_code == (302 if who == "lead" else _expect(who, LEADS))
    assert partnership_world.partnership.health_check_rounds.exists() == (who == "lead")


@pytest.mark.parametrize("who", WHO)
def test_the_list_and_start_pages_need_sign_in(client, partnership_world, who):
    for path in ("/partnerships/", "/partnerships/new/"):
        response = client_for(client, partnership_world, who).get(path)
        assert response.status_code == (302 if who == "anonymous" else 200)
    if who not in ("anonymous", "outsider", "staff"):
        listing = client.get("/partnerships/").content.decode()
        expected = "Another partnership" if who == "other_member" else "Sale Community"
        assert expected in listing


def test_starting_a_partnership_on_the_page_makes_you_its_lead(client, partnership_world):
    client.force_login(partnership_world.people["outsider"])
    response = client.post(
        "/partnerships/new/",
        {
            "name": "Stretford food partnership",
            "purpose": "Nobody in Stretford goes hungry.",
            "place": "E08000009",
            "perspective": "community",
            "stage": "idea",
            "resembles_case_study": "",
        },
    )
    created = Partnership.objects.get(name="Stretford food partnership")
    assert response.status_code == 302 and response["Location"] == f"/partnerships/{created.pk}/"
    assert created.role_of(partnership_world.people["outsider"]) == "lead"


def test_a_form_with_errors_is_shown_again_with_an_error_summary(client, partnership_world):
    client.force_login(partnership_world.people["outsider"])
    response = client.post("/partnerships/new/", {"name": "", "place": "E99999999"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Enter the name of the partnership" in page
    assert not Partnership.objects.filter(created_by=partnership_world.people["outsider"]).exists()


def test_the_health_check_page_shows_a_chart_and_a_data_table_of_the_results(
    client, partnership_world
):
    lead, member, observer = (partnership_world.people[w] for w in ("lead", "member", "observer"))
    closed_round_with(partnership_world.partnership, lead, [(lead, 5), (member, 2), (observer, 3)])
    client.force_login(member)
    page = client.get(
        f"/partnerships/{partnership_world.partnership.pk}/health-check/"
    ).content.decode()
    assert '<svg class="cg-hc-chart"' in page
    assert "Round 1: scores for each principle" in page
    assert "Mutuality and fairness" in page


def test_a_member_answers_the_health_check_on_the_page(client, partnership_world):
    health_round = services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    client.force_login(partnership_world.people["member"])
    data = {f"{p}_score": "4" for p in all_answers()}
    data["trust_score"] = "9"
    response = client.post(
        f"/partnerships/{partnership_world.partnership.pk}/health-check/answer/", data
    )
    assert response.status_code == 400
    assert "Choose a score from 1 to 5 for trust" in response.content.decode()
    assert not health_round.answers.exists()
    data["trust_score"] = "2"
    response = client.post(
        f"/partnerships/{partnership_world.partnership.pk}/health-check/answer/", data
    )
    assert response.status_code == 302
    assert health_round.answers.get().scores.get(principle="trust").score == 2


def test_a_stage_change_on_the_page(client, partnership_world):
    client.force_login(partnership_world.people["member"])
    response = client.post(
        f"/partnerships/{partnership_world.partnership.pk}/stage/",
        {"stage": "exploring", "changed_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    partnership_world.partnership.refresh_from_db()
    assert partnership_world.partnership.stage == "exploring"


def test_the_partnership_page_links_to_its_social_value(client, partnership_world):
    client.force_login(partnership_world.people["member"])
    page = client.get(f"/partnerships/{partnership_world.partnership.pk}/").content.decode()
    assert f'href="/partnerships/{partnership_world.partnership.pk}/social-value/"' in page


# ---- Documents ---------------------------------------------------------------------------------


def _upload(client, partnership_world, name, content, who="member"):
    client.force_login(partnership_world.people[who])
    return client.post(
        f"/partnerships/{partnership_world.partnership.pk}/documents/add/",
        {"title": "Collaboration agreement", "file": SimpleUploadedFile(name, content)},
    )


def test_a_document_is_stored_outside_the_web_root_and_audited(client, partnership_world):
    response = _upload(client, partnership_world, "agreement.pdf", PDF)
    assert response.status_code == 302
    document = PartnershipDocument.objects.get()
    path = document.file.path
    assert path.startswith(str(settings.UPLOADS_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert "agreement" not in path  # stored under a random name
    assert (document.kind, document.original_name) == ("pdf", "agreement.pdf")
    assert AuditEvent.objects.filter(action="partnership.document_upload").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "must be smaller than 10 MB"),
        ("run.exe", b"MZ\x90\x00" + b"\x00" * 100, "must be a PDF"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "its content is not"),
        ("script.pdf", b"<script>alert(1)</script>", "its content is not"),
    ],
)
def test_an_upload_too_large_of_the_wrong_type_or_disguised_is_refused(
    client, partnership_world, name, content, message
):
    response = _upload(client, partnership_world, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PartnershipDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="partnership.document_upload").exists()


def test_an_observer_cannot_upload(client, partnership_world):
    assert _upload(client, partnership_world, "a.pdf", PDF, who="observer").status_code == 403
    assert not PartnershipDocument.objects.exists()


@pytest.mark.parametrize("who", WHO)
def test_a_document_is_served_only_to_those_who_see_the_partnership_with_safe_headers(
    client, partnership_world, who
):
    _upload(client, partnership_world, "agreement.pdf", PDF)
    document = PartnershipDocument.objects.get()
    client.logout()
    response = client_for(client, partnership_world, who).get(
        f"/partnerships/{partnership_world.partnership.pk}/documents/{document.pk}/"
    )
    assert response.status_code == _expect(who, VIEWERS)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content) == PDF


def test_a_document_of_another_partnership_is_not_found_through_this_one(client, partnership_world):
    _upload(client, partnership_world, "agreement.pdf", PDF)
    document = PartnershipDocument.objects.get()
    client.force_login(partnership_world.people["other_member"])
    response = client.get(f"/partnerships/{partnership_world.other.pk}/documents/{document.pk}/")
    assert response.status_code == 404


def test_a_member_sees_their_own_answers_and_nobody_elses(client, partnership_world):
    health_round = services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    services.health_check_answer(
        partnership_world.people["member"], health_round, all_answers(4, "mine")
    )
    services.health_check_answer(
        partnership_world.people["lead"], health_round, all_answers(1, "theirs")
    )
    client.force_login(partnership_world.people["member"])
    page = client.get(
        f"/partnerships/{partnership_world.partnership.pk}/health-check/"
    ).content.decode()
    assert "Your answers in round 1" in page and "mine" in page
    assert "theirs" not in page  # the round is open: no results, and never one person's answers


@pytest.mark.parametrize(
    ("who", "target", "status", "ended"),
    [
        ("anonymous", "member", 302, False),
        ("outsider", "member", 404, False),
        ("other_member", "member", 404, False),
        ("observer", "member", 403, False),
        ("member", "observer", 403, False),
        ("member", "member", 302, True),  # leaving yourself
        ("lead", "member", 302, True),
        ("staff", "member", 403, False),
    ],
)
def test_ending_a_membership_on_the_page(client, partnership_world, who, target, status, ended):
    row = partnership_world.partnership.members.get(user=partnership_world.people[target])
    response = client_for(client, partnership_world, who).post(
        f"/partnerships/{partnership_world.partnership.pk}/members/{row.pk}/leave/"
    )
    assert response.status_code == status
    row.refresh_from_db()
    assert (row.left_on is not None) == ended


def test_a_deleted_account_stays_in_the_record_as_deleted_account_without_access(
    client, partnership_world
):
    from commonground.accounts.services import account_delete

    account_delete(partnership_world.people["member"])
    partnership_world.people["member"].refresh_from_db()
    assert partnership_world.partnership.role_of(partnership_world.people["member"]) is None
    client.force_login(partnership_world.people["lead"])
    page = client.get(f"/partnerships/{partnership_world.partnership.pk}/").content.decode()
    assert "Deleted account" in page
    assert "member@example.org" not in page


def test_a_start_or_milestone_form_sent_twice_makes_one_partnership_and_one_milestone(
    client, partnership_world
):
    """A double click, or the page refreshed after posting, does not make a second one."""
    client.force_login(partnership_world.people["outsider"])
    form = {
        "name": "Stretford food partnership",
        "purpose": "Nobody in Stretford goes hungry.",
        "place": "E08000009",
        "perspective": "community",
        "stage": "idea",
    }
    first, second = (client.post("/partnerships/new/", form) for _ in range(2))
    created = Partnership.objects.get(name="Stretford food partnership")
    assert first["Location"] == second["Location"] == f"/partnerships/{created.pk}/"
    assert created.members.count() == 1
    assert (
        AuditEvent.objects.filter(action="partnership.create", object_id=str(created.pk)).count()
        == 1
    )
    milestone = {"title": "First meeting", "due_on": "1/5/2027"}
    for _ in range(2):
        assert (
            client.post(f"/partnerships/{created.pk}/milestones/add/", milestone).status_code == 302
        )
    assert created.milestones.count() == 1
    client.post(f"/partnerships/{created.pk}/milestones/add/", {"title": "Second meeting"})
    assert created.milestones.count() == 2


def test_a_document_sent_twice_is_kept_once(client, partnership_world):
    for _ in range(2):  # a double click
        assert _upload(client, partnership_world, "agreement.pdf", PDF).status_code == 302
    assert PartnershipDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="partnership.document_upload").count() == 1
