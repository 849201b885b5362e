"""The social value API: open frameworks; a partnership's figures private to its members (404
for everyone else); writes by acting members only; verification refused to the claimant and to
their own perspective; bad input answered 422 naming the field; nothing half-saved."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.accounts import services as account_services
from commonground.audit.models import AuditEvent
from commonground.social_value.models import Commitment, Delivery

pytestmark = pytest.mark.django_db

API = "/api/v1"


def token_for(user) -> str:
    _token, raw = account_services.api_token_create(user, "test")
    return raw


def call(method: str, url: str, user=None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"} if user else {}
    client = Client()
    if method == "get":
        return client.get(API + url, **headers)
    return client.post(API + url, body or {}, content_type="application/json", **headers)


def commitment_body(social_value_world, **changes):
    return {
        "measure_id": social_value_world.measure("CG-T5.2-A").pk,
        "quantity": "120",
        "unit": "hours",
        "period_start": "2026-04-01",
        "period_end": "2027-03-31",
        "description": "Volunteering hours",
        **changes,
    }


DELIVERY = {
    "quantity": "40.5",
    "unit": "hours",
    "period_start": "2026-04-01",
    "period_end": "2026-06-30",
    "evidence_links": [{"url": "https://example.org/log", "description": "Sign-in sheets"}],
}


def test_frameworks_are_open_and_describe_units_and_proxies(social_value_world) -> None:
    response = call("get", "/social-value/frameworks")
    assert response.status_code == 200
    (framework,) = response.json()
    assert framework["is_default"] is True
    measure = framework["themes"][4]["outcomes"][1]["measures"][0]
    assert measure["unit"] == "hours" and measure["proxy_value_pence"] is None


def test_every_field_of_the_social_value_operations_is_described() -> None:
    document = Client().get(f"{API}/openapi.json").json()
    schemas = document["components"]["schemas"]
    names = [
        "FrameworkOut",
        "MeasureOut",
        "CommitmentIn",
        "CommitmentOut",
        "DeliveryIn",
        "DeliveryOut",
        "EvidenceOut",
        "EvidenceLinkIn",
        "VerifyIn",
        "SocialValueOut",
        "MoneyOut",
        "MeasureLineOut",
        "ThemeLineOut",
        "StatementOut",
        "DeliveryCountsOut",
    ]
    for name in names:
        for field, spec in schemas[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"


def test_write_authorisation(social_value_world) -> None:
    p = social_value_world.partnership.pk
    body = commitment_body(social_value_world)
    assert call("post", f"/partnerships/{p}/commitments", None, body).status_code == 401
    assert (
        call(
            "post", f"/partnerships/{p}/commitments", social_value_world.people["outsider"], body
        ).status_code
        == 404
    )
    assert (
        call(
            "post",
            f"/partnerships/{p}/commitments",
            social_value_world.people["other_member"],
            body,
        ).status_code
        == 404
    )
    assert (
        call(
            "post", f"/partnerships/{p}/commitments", social_value_world.people["observer"], body
        ).status_code
        == 403
    )
    assert (
        call(
            "post", f"/partnerships/{p}/commitments", social_value_world.people["staff"], body
        ).status_code
        == 403
    )
    assert not Commitment.objects.exists()
    response = call(
        "post", f"/partnerships/{p}/commitments", social_value_world.people["provider"], body
    )
    assert response.status_code == 201, response.json()
    assert response.json()["perspective"] == "provider"
    assert response.json()["quantity"] == "120.00"


def test_read_authorisation_of_a_partnerships_social_value(social_value_world) -> None:
    url = f"/partnerships/{social_value_world.partnership.pk}/social-value"
    assert call("get", url).status_code == 401
    assert call("get", url, social_value_world.people["outsider"]).status_code == 404
    assert call("get", url, social_value_world.people["other_member"]).status_code == 404
    for who in ("observer", "provider", "staff"):
        assert call("get", url, social_value_world.people[who]).status_code == 200, who
    assert (
        call(
            "get", "/partnerships/999999/social-value", social_value_world.people["staff"]
        ).status_code
        == 404
    )


def test_a_unit_mismatch_is_refused_naming_the_field(social_value_world) -> None:
    response = call(
        "post",
        f"/partnerships/{social_value_world.partnership.pk}/commitments",
        social_value_world.people["provider"],
        commitment_body(social_value_world, unit="people"),
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "unit"
    assert "counts hours, not people" in error["detail"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "1.234"}, "quantity"),
        ({"unit": "smiles"}, "unit"),
        ({"period_start": "not a date"}, "period_start"),
        ({"measure_id": 999999}, "measure_id"),
        ({"period_end": "2026-01-01"}, "period_end"),
    ],
)
def test_bad_commitments_are_refused_with_422(social_value_world, changes, field) -> None:
    response = call(
        "post",
        f"/partnerships/{social_value_world.partnership.pk}/commitments",
        social_value_world.people["provider"],
        commitment_body(social_value_world, **changes),
    )
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not Commitment.objects.exists()


def _commit(social_value_world):
    response = call(
        "post",
        f"/partnerships/{social_value_world.partnership.pk}/commitments",
        social_value_world.people["provider"],
        commitment_body(social_value_world),
    )
    return response.json()["id"]


def test_claim_then_verify_from_another_perspective(social_value_world) -> None:
    commitment_id = _commit(social_value_world)
    url = f"/commitments/{commitment_id}/deliveries"
    assert call("post", url, None, DELIVERY).status_code == 401
    assert call("post", url, social_value_world.people["outsider"], DELIVERY).status_code == 404
    assert call("post", url, social_value_world.people["observer"], DELIVERY).status_code == 403
    response = call("post", url, social_value_world.people["provider"], DELIVERY)
    assert response.status_code == 201, response.json()
    delivery = response.json()
    assert delivery["status"] == "evidenced" and delivery["evidence"][0]["kind"] == "link"

    verify = f"/deliveries/{delivery['id']}/verify"
    body = {"decision": "verified", "note": "Checked"}
    assert call("post", verify, None, body).status_code == 401
    assert call("post", verify, social_value_world.people["outsider"], body).status_code == 404
    assert call("post", verify, social_value_world.people["other_member"], body).status_code == 404
    refused = call("post", verify, social_value_world.people["provider"], body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You claimed this delivery, so someone else must verify it."
    assert call("post", verify, social_value_world.people["observer"], body).status_code == 403
    assert call("post", verify, social_value_world.people["staff"], body).status_code == 403
    response = call("post", verify, social_value_world.people["commissioner"], body)
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    assert response.json()["decider_perspective"] == "commissioner"
    assert AuditEvent.objects.filter(action="social_value.delivery.verify").count() == 1

    report = call(
        "get",
        f"/partnerships/{social_value_world.partnership.pk}/social-value",
        social_value_world.people["funder"],
    ).json()
    line = report["themes"][0]["measures"][0]
    assert (line["committed"], line["verified"], line["claimed_not_verified"]) == (
        "120.00",
        "40.50",
        "0.00",
    )
    assert report["delivery_counts"]["verified"] == 1


def test_same_perspective_verification_is_refused(social_value_world) -> None:
    response = call(
        "post",
        f"/partnerships/{social_value_world.partnership.pk}/commitments",
        social_value_world.people["commissioner"],
        commitment_body(social_value_world),
    )
    delivery = call(
        "post",
        f"/commitments/{response.json()['id']}/deliveries",
        social_value_world.people["commissioner"],
        DELIVERY,
    ).json()
    refused = call(
        "post",
        f"/deliveries/{delivery['id']}/verify",
        social_value_world.people["commissioner2"],
        {"decision": "verified"},
    )
    assert refused.status_code == 403
    assert "another perspective" in refused.json()["detail"]
    assert Delivery.objects.get().status == "evidenced"


def test_a_bad_evidence_link_leaves_no_delivery_behind(social_value_world) -> None:
    commitment_id = _commit(social_value_world)
    body = {**DELIVERY, "evidence_links": [{"url": "ftp://x", "description": "Log"}]}
    response = call(
        "post",
        f"/commitments/{commitment_id}/deliveries",
        social_value_world.people["provider"],
        body,
    )
    assert response.status_code == 422
    assert response.json()["field"] == "evidence_links.0.url"
    assert not Delivery.objects.exists()


def test_verifying_without_evidence_or_disputing_without_a_note_is_422(social_value_world) -> None:
    commitment_id = _commit(social_value_world)
    delivery = call(
        "post",
        f"/commitments/{commitment_id}/deliveries",
        social_value_world.people["provider"],
        {**DELIVERY, "evidence_links": []},
    ).json()
    assert delivery["status"] == "claimed"
    url = f"/deliveries/{delivery['id']}/verify"
    response = call("post", url, social_value_world.people["funder"], {"decision": "verified"})
    assert response.status_code == 422 and "evidence" in response.json()["detail"]
    response = call("post", url, social_value_world.people["funder"], {"decision": "disputed"})
    assert response.status_code == 422 and response.json()["field"] == "note"
    response = call(
        "post", url, social_value_world.people["funder"], {"decision": "disputed", "note": "No log"}
    )
    assert response.status_code == 200 and response.json()["status"] == "disputed"
