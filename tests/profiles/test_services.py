"""Writing a profile: only its verified members, every problem named, every save audited, and
the second of two concurrent saves refused rather than silently overwriting the first."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from commonground.audit.models import AuditEvent
from commonground.profiles import services
from commonground.profiles.models import PartnershipProfile, Service
from commonground.profiles.selectors import is_stale

from .factories import ProfileFactory, a_year_and_a_day_ago, profile_data


def test_an_approved_officer_writes_the_profile_and_it_is_audited(profile_world) -> None:
    w = profile_world
    profile = services.profile_save(w.owner, w.charity, profile_data(), version=None)
    assert profile.version == 1
    assert profile.routes == ["grant", "contract", "consortium_lead"]
    assert profile.contact_consent_by == w.owner and profile.contact_consent_at is not None
    event = AuditEvent.objects.get(action="profile.create")
    assert event.actor_id == w.owner.pk and event.after["routes"] == profile.routes


@pytest.mark.parametrize("who", ["volunteer", "pending", "outsider", "commissioner", "other_owner"])
def test_nobody_but_the_organisations_acting_members_can_write_its_profile(
    profile_world, who
) -> None:
    with pytest.raises(PermissionDenied):
        services.profile_save(
            getattr(profile_world, who), profile_world.charity, profile_data(), version=None
        )
    assert not PartnershipProfile.objects.exists()


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_nothing_is_overwritten(
    profile_world,
) -> None:
    w = profile_world
    first = services.profile_save(w.owner, w.charity, profile_data(), version=None)
    services.profile_save(w.owner, w.charity, profile_data(staff=61), version=first.version)
    with pytest.raises(services.ProfileConflict) as caught:
        services.profile_save(w.owner, w.charity, profile_data(staff=99), version=first.version)
    assert "Someone else saved this profile" in str(caught.value)
    saved = PartnershipProfile.objects.get()
    assert (saved.staff, saved.version) == (61, 2)


def test_every_problem_is_named_by_field_and_nothing_is_saved(profile_world) -> None:
    w = profile_world
    data = profile_data(
        routes=["grant", "franchise"],
        member_owned=True,
        quality_marks=[{"name": "PQASSO", "evidence": ""}],
        contact_consent=False,
    )
    services_data = [{"name": "Lunch club", "areas": ["E05015259", "E05999999"]}]
    with pytest.raises(services.ProfileInvalid) as caught:
        services.profile_save(w.owner, w.charity, data, version=None, services=services_data)
    fields = [field for field, _ in caught.value.problems]
    assert fields == [
        "routes.1",
        "member_owned_evidence",
        "quality_marks.0.evidence",
        "contact_consent",
        "services.0.areas.1",
    ]
    assert not PartnershipProfile.objects.exists() and not Service.objects.exists()


def test_services_written_with_the_profile_serve_real_places(profile_world) -> None:
    w = profile_world
    services.profile_save(
        w.owner,
        w.charity,
        profile_data(),
        version=None,
        services=[
            {"name": "Lunch club", "areas": ["E05015259", "E08000009"], "languages": ["English"]}
        ],
    )
    service = Service.objects.get()
    assert sorted(service.places.values_list("gss_code", flat=True)) == ["E05015259", "E08000009"]


def test_a_service_added_later_is_audited_and_removable_by_an_owner_only(profile_world) -> None:
    w = profile_world
    service = services.service_save(
        w.owner, w.charity, {"name": "Befriending", "areas": ["E05015259"]}, version=None
    )
    with pytest.raises(PermissionDenied):
        services.service_delete(w.other_owner, service, version=None)
    services.service_delete(w.owner, service, version=None)
    assert not Service.objects.exists()
    assert list(
        AuditEvent.objects.filter(model="profiles.service")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == [
        "service.create",
        "service.delete",
    ]


def test_the_second_of_two_service_saves_from_one_profile_version_is_refused(
    profile_world,
) -> None:
    w = profile_world
    profile = services.profile_save(w.owner, w.charity, profile_data(), version=None)
    service = services.service_save(
        w.owner, w.charity, {"name": "Befriending", "areas": []}, version=profile.version
    )
    opened = profile.version + 1  # a service save moves the profile's version on
    services.service_save(
        w.owner, w.charity, {"name": "Befriending by phone"}, service=service, version=opened
    )
    with pytest.raises(services.ProfileConflict) as caught:
        services.service_save(
            w.owner, w.charity, {"name": "Befriending visits"}, service=service, version=opened
        )
    assert "Nothing you sent was saved" in str(caught.value)
    with pytest.raises(services.ProfileConflict):
        services.service_delete(w.owner, service, version=opened)
    with pytest.raises(services.ProfileConflict):  # the profile too, from before the services
        services.profile_save(w.owner, w.charity, profile_data(), version=profile.version)
    assert Service.objects.get().name == "Befriending by phone"
    assert PartnershipProfile.objects.get().version == opened + 1


def test_confirming_a_stale_profile_dates_it_today(profile_world) -> None:
    profile = ProfileFactory(
        organisation=profile_world.charity, confirmed_at=a_year_and_a_day_ago()
    )
    assert is_stale(profile)
    confirmed = services.profile_confirm(profile_world.owner, profile, version=profile.version)
    assert not is_stale(confirmed) and confirmed.version == profile.version + 1
