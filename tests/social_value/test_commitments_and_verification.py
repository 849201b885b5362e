"""Commitments, deliveries, evidence and verification: what is refused, and that every change is
audited with who, what, before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.audit.models import AuditEvent
from commonground.social_value import services
from commonground.social_value.models import Commitment, Delivery, Evidence
from commonground.social_value.services import SocialValueError, VerificationRefused

pytestmark = pytest.mark.django_db

YEAR = {"period_start": dt.date(2026, 4, 1), "period_end": dt.date(2027, 3, 31)}
QUARTER = {"period_start": dt.date(2026, 4, 1), "period_end": dt.date(2026, 6, 30)}


def commit(social_value_world, who="provider", code="CG-T5.2-A", quantity="100", unit="hours"):
    return services.commitment_create(
        social_value_world.people[who],
        social_value_world.partnership,
        measure=social_value_world.measure(code),
        quantity=quantity,
        unit=unit,
        **YEAR,
    )


def claim(social_value_world, commitment, who="provider", quantity="40", unit="hours"):
    return services.delivery_claim(
        social_value_world.people[who], commitment, quantity=quantity, unit=unit, **QUARTER
    )


def with_link(social_value_world, delivery, who="provider"):
    services.evidence_add_link(
        social_value_world.people[who],
        delivery,
        url="https://example.org/volunteer-log",
        description="Volunteer sign-in sheets for the quarter",
    )
    delivery.refresh_from_db()
    return delivery


def test_a_member_commits_and_the_commitment_records_their_perspective(social_value_world) -> None:
    commitment = commit(social_value_world)
    assert commitment.perspective == "provider"
    event = AuditEvent.objects.get(action="social_value.commitment.create")
    assert event.actor_id == social_value_world.people["provider"].pk
    assert event.after["quantity"] == "100.00"


def test_a_unit_that_is_not_the_measures_unit_is_refused(social_value_world) -> None:
    with pytest.raises(SocialValueError) as caught:
        commit(social_value_world, unit="people")
    assert caught.value.field == "unit"
    assert "counts hours, not people" in caught.value.message
    commitment = commit(social_value_world)
    with pytest.raises(SocialValueError, match="counts hours"):
        claim(social_value_world, commitment, unit="weeks")
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("0", "more than 0"), ("-3", "more than 0"), ("1.234", "two decimal places"), ("x", "number")],
)
def test_a_quantity_must_be_a_positive_number_to_the_hundredth(
    social_value_world, quantity, message
) -> None:
    with pytest.raises(SocialValueError, match=message):
        commit(social_value_world, quantity=quantity)
    assert not Commitment.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(social_value_world) -> None:
    with pytest.raises(SocialValueError) as caught:
        services.commitment_create(
            social_value_world.people["provider"],
            social_value_world.partnership,
            measure=social_value_world.measure("CG-T5.2-A"),
            quantity="1",
            unit="hours",
            period_start=dt.date(2026, 5, 1),
            period_end=dt.date(2026, 4, 1),
        )
    assert caught.value.field == "period_end"


def test_a_delivery_outside_the_commitments_period_is_refused(social_value_world) -> None:
    commitment = commit(social_value_world)
    with pytest.raises(SocialValueError, match="within the commitment's period"):
        services.delivery_claim(
            social_value_world.people["provider"],
            commitment,
            quantity="1",
            unit="hours",
            period_start=dt.date(2027, 3, 1),
            period_end=dt.date(2027, 4, 30),
        )


@pytest.mark.parametrize("who", ["observer", "outsider", "other_member"])
def test_observers_and_non_members_cannot_commit(social_value_world, who) -> None:
    with pytest.raises(PermissionDenied):
        commit(social_value_world, who=who)


def test_the_claimant_cannot_verify_their_own_delivery(social_value_world) -> None:
    delivery = with_link(social_value_world, claim(social_value_world, commit(social_value_world)))
    with pytest.raises(VerificationRefused, match="You claimed this delivery"):
        services.delivery_decide(
            social_value_world.people["provider"], delivery, decision="verified"
        )
    delivery.refresh_from_db()
    assert delivery.status == "evidenced"


def test_someone_from_the_claimants_perspective_cannot_verify_it(social_value_world) -> None:
    commitment = commit(social_value_world, who="commissioner")
    delivery = with_link(
        social_value_world,
        claim(social_value_world, commitment, who="commissioner"),
        who="commissioner",
    )
    with pytest.raises(VerificationRefused, match="claimed from the commissioner perspective"):
        services.delivery_decide(
            social_value_world.people["commissioner2"], delivery, decision="verified"
        )
    delivery.refresh_from_db()
    assert delivery.status == "evidenced" and delivery.decided_by is None


def test_observers_cannot_verify(social_value_world) -> None:
    delivery = with_link(social_value_world, claim(social_value_world, commit(social_value_world)))
    with pytest.raises(VerificationRefused, match="act for it"):
        services.delivery_decide(
            social_value_world.people["observer"], delivery, decision="verified"
        )


def test_a_named_person_from_another_perspective_verifies_evidenced_deliveries(
    social_value_world,
) -> None:
    delivery = claim(social_value_world, commit(social_value_world))
    assert delivery.status == "claimed"
    with pytest.raises(SocialValueError, match="once it has evidence"):
        services.delivery_decide(
            social_value_world.people["commissioner"], delivery, decision="verified"
        )
    delivery = with_link(social_value_world, delivery)
    assert delivery.status == "evidenced"
    decided = services.delivery_decide(
        social_value_world.people["commissioner"],
        delivery,
        decision="verified",
        note="Checked the sheets",
    )
    assert decided.status == "verified"
    assert decided.decided_by == social_value_world.people["commissioner"]
    assert decided.decider_perspective == "commissioner"
    event = AuditEvent.objects.get(action="social_value.delivery.verify")
    assert event.before["status"] == "evidenced" and event.after["status"] == "verified"
    assert event.actor_id == social_value_world.people["commissioner"].pk


def test_disputing_needs_a_reason(social_value_world) -> None:
    delivery = claim(social_value_world, commit(social_value_world))
    with pytest.raises(SocialValueError) as caught:
        services.delivery_decide(social_value_world.people["funder"], delivery, decision="disputed")
    assert caught.value.field == "note"
    disputed = services.delivery_decide(
        social_value_world.people["funder"],
        delivery,
        decision="disputed",
        note="No record of these hours",
    )
    assert disputed.status == "disputed"


def test_the_database_itself_refuses_a_self_verified_delivery(social_value_world) -> None:
    from django.db import IntegrityError, transaction

    delivery = claim(social_value_world, commit(social_value_world))
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status="verified", decided_by=social_value_world.people["provider"]
        )


def test_file_evidence_is_checked_and_stored_privately(social_value_world, settings) -> None:
    delivery = claim(social_value_world, commit(social_value_world))
    pdf = SimpleUploadedFile("log.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    evidence = services.evidence_add_file(
        social_value_world.people["provider"], delivery, upload=pdf, description="Signed log"
    )
    assert evidence.file_kind == "pdf"
    assert str(settings.UPLOADS_ROOT) in evidence.file.path
    assert evidence.file.name.startswith("social-value-evidence/")
    delivery.refresh_from_db()
    assert delivery.status == "evidenced"


def test_wrong_type_and_too_large_uploads_are_refused_and_nothing_is_saved(
    social_value_world, settings
) -> None:
    delivery = claim(social_value_world, commit(social_value_world))
    fake = SimpleUploadedFile("log.pdf", b"MZ this is a program", content_type="application/pdf")
    with pytest.raises(SocialValueError, match="content is not") as caught:
        services.evidence_add_file(
            social_value_world.people["provider"], delivery, upload=fake, description="Log"
        )
    assert caught.value.field == "file"
    settings.UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("log.txt", b"x" * 11, content_type="text/plain")
    with pytest.raises(SocialValueError, match="must be smaller"):
        services.evidence_add_file(
            social_value_world.people["provider"], delivery, upload=big, description="L"
        )
    assert not Evidence.objects.exists()
    delivery.refresh_from_db()
    assert delivery.status == "claimed"


def test_a_link_must_be_https(social_value_world) -> None:
    delivery = claim(social_value_world, commit(social_value_world))
    with pytest.raises(SocialValueError) as caught:
        services.evidence_add_link(
            social_value_world.people["provider"],
            delivery,
            url="javascript:alert(1)",
            description="x",
        )
    assert caught.value.field == "url"


def test_a_value_statement_records_the_authors_perspective(social_value_world) -> None:
    statement = services.value_statement_add(
        social_value_world.people["funder"],
        social_value_world.partnership,
        text="People trust the service again.",
    )
    assert statement.perspective == "funder"
    assert AuditEvent.objects.filter(action="social_value.statement.add").exists()
    with pytest.raises(PermissionDenied):
        services.value_statement_add(
            social_value_world.people["outsider"], social_value_world.partnership, text="x"
        )


def test_a_persons_data_export_includes_what_they_entered_here(social_value_world) -> None:
    from commonground.accounts.data_rights import personal_data_export

    delivery = with_link(social_value_world, claim(social_value_world, commit(social_value_world)))
    services.delivery_decide(social_value_world.people["funder"], delivery, decision="verified")
    provider = personal_data_export(social_value_world.people["provider"])["social_value"]
    assert len(provider["commitments"]) == 1 and len(provider["deliveries_claimed"]) == 1
    assert provider["evidence_added"][0]["url"] == "https://example.org/volunteer-log"
    funder = personal_data_export(social_value_world.people["funder"])["social_value"]
    assert funder["verification_decisions"][0]["decision"] == "verified"


def test_the_same_evidence_file_sent_twice_is_kept_once(social_value_world) -> None:
    delivery = claim(social_value_world, commit(social_value_world))
    for _ in range(2):  # a double click
        pdf = SimpleUploadedFile("log.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
        services.evidence_add_file(
            social_value_world.people["provider"], delivery, upload=pdf, description="Signed log"
        )
    assert Evidence.objects.filter(delivery=delivery).count() == 1
    assert AuditEvent.objects.filter(action="social_value.evidence.add").count() == 1
