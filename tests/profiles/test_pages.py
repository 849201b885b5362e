"""The pages that change a profile's services: the second of two saves from the same page is
refused with a plain message, and nothing the first person saved is overwritten."""

from __future__ import annotations

from django.test import Client

from commonground.profiles import services
from commonground.profiles.models import PartnershipProfile, Service

from .factories import profile_data


def test_a_second_save_of_a_service_from_an_old_page_is_refused_with_a_message(
    profile_world,
) -> None:
    w = profile_world
    profile = services.profile_save(w.owner, w.charity, profile_data(), version=None)
    service = services.service_save(
        w.owner, w.charity, {"name": "Befriending"}, version=profile.version
    )
    first, second = Client(), Client()
    first.force_login(w.owner)
    second.force_login(w.owner)
    url = f"/organisations/{w.charity.org_id}/profile/services/{service.pk}"
    assert 'name="version"' in first.get(url).content.decode()
    version = PartnershipProfile.objects.get().version
    saved = first.post(url, {"name": "Befriending by phone", "version": str(version)})
    assert saved.status_code == 302
    refused = second.post(url, {"name": "Befriending visits", "version": str(version)})
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "The profile changed while you were editing this service" in page
    assert "Nothing you sent was saved" in page
    assert Service.objects.get().name == "Befriending by phone"
