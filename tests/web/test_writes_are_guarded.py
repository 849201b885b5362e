"""Every write checks on the server who is asking (ASVS 4.1.1, issue 19 §3).

The test keeps no list of forms to check: it posts to every URL pattern, with an address made
from objects someone else owns, as a signed-out visitor and as a signed-in, confirmed outsider
who belongs to nothing. A signed-out visitor is sent to sign in (or refused); the outsider is
refused (403, 404 or 405) wherever the address names another person's object; and neither
leaves a record in the audit trail, which every write makes. The few writes open to them are
listed, each with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from commonground.accounts import services as account_services
from commonground.audit.models import AuditEvent
from commonground.commissioning import services as commissioning
from commonground.commissioning.answers import parse_answers
from commonground.engagement import services as engagement
from commonground.needs import services as needs
from commonground.organisations.shortlists import shortlist_create
from commonground.partnerships import services as partnerships
from tests.commissioning.factories import answers
from tests.needs.factories import needs_world

# Writes a signed-out visitor may make, and why.
OPEN_TO_VISITORS = {
    "account/sign-up/": "creating an account",
    "account/sign-in/": "signing in",
    "account/sign-in/code/": "the second step of signing in",
    "account/sign-out/": "signing out (a visitor has nothing to end)",
    "account/password-reset/": "asking for a reset link (same answer for any address)",
    "account/password-reset/<uidb64>/<token>/": "the reset link itself is the proof",
    "appraisals/new/": "the appraisal's questions are kept in the visitor's session",
    "appraisals/new/<slug:field>/": "the appraisal's questions are kept in the visitor's session",
    "appraisals/new/check/": "the appraisal's questions are kept in the visitor's session",
    "appraisals/new/result/": "reads the session (without answers, back to the first question)",
    "appraisals/new/record.pdf": "reads the session (without answers, back to the first question)",
    "appraisals/new/record.docx": "reads the session (without answers, back to the first question)",
}
# Writes the outsider may make: each makes or changes only their own things.
OWN_THINGS = {
    "conversations/new/": "convening a conversation of their own",
    "partnerships/new/": "starting a partnership of their own",
    "needs/new/": "a need is published for an organisation they act for (refused on the form)",
    "organisations/shortlists/": "a shortlist of their own",
    "organisations/<str:org_id>/save/": "saving an organisation to a shortlist of their own",
    "account/join/<str:org_id>/": "asking to join an organisation (its administrators decide)",
    "appraisals/new/save/": "saving an appraisal of their own",
}


@dataclass
class Seeded:
    outsider: Any
    ids: dict[str, Any]
    by_prefix: dict[str, int]
    api_ids: dict[str, Any]  # API path parameters and collections the pages do not name


@pytest.fixture(name="seeded")
def seeded_fixture(db: None) -> Seeded:
    world = needs_world()
    owner = world.people["commissioner"]
    need = world.need()
    interest = needs.interest_submit(
        world.people["provider"], need, world.provider_org, kind="lead"
    )
    question = needs.question_ask(world.people["provider"], need, world.provider_org, text="When?")
    partnership = partnerships.partnership_create(
        owner, name="Owned partnership", purpose="Test.", place=world.place, perspective="funder"
    )
    member = partnerships.partnership_add_member(
        owner, partnership, user=world.people["provider"], perspective="provider"
    )
    invitation = partnerships.invitation_send(
        owner, partnership, email="x@example.org", perspective="funder", site_url="http://t/"
    )
    conversation = engagement.conversation_create(
        owner, title="Owned conversation", kind="round_table", prompt="What matters?"
    )
    statement = engagement.statement_add(
        owner, conversation, text="We should share the building.", perspective="funder"
    )
    shared = engagement.shared_statement_add(owner, conversation, "Share the building.")
    appraisal = commissioning.appraisal_create(author=owner, answers=parse_answers(answers()))
    shortlist = shortlist_create(owner, name="Owned shortlist")
    membership = owner.memberships.get()
    return Seeded(
        outsider=world.people["outsider"],
        ids={
            "org_id": world.council.org_id,
            "gss_code": world.place.gss_code,
            "partnership_id": partnership.pk,
            "appraisal_pk": appraisal.pk,
            "interest_id": interest.pk,
            "question_id": question.pk,
            "invitation_id": invitation.pk,
            "member_id": member.pk,
            "user_id": owner.pk,
        },
        by_prefix={
            "conversations": conversation.pk,
            "statements": statement.pk,
            "shared-statements": shared.pk,
            "partnerships": partnership.pk,
            "needs": need.pk,
            "appraisals": appraisal.pk,
            "organisations": shortlist.pk,
            "account": membership.pk,
        },
        api_ids={
            "shortlists": shortlist.pk,
            "need_id": need.pk,
            "conversation_id": conversation.pk,
            "statement_id": statement.pk,
            "shared_statement_id": shared.pk,
        },
    )


def _writes(seeded: Seeded, site_routes: list, route_paths: Any) -> list[tuple[str, str]]:
    return [
        (route, path)
        for route, _ in site_routes
        if not route.startswith(("api/", "healthz"))
        for path in route_paths(route, seeded.ids, seeded.by_prefix)
    ]


def _got_through(response: Any, audited: bool, *, signed_in: bool) -> bool:
    """Whether the post reached the write: it was recorded, it redirected somewhere other than
    sign-in (a write's success), or its form was checked (an error summary). A read page that
    ignores the post, or a refusal, did not."""
    if audited or response.status_code >= 500:
        return True
    if response.status_code == 302:
        to = response.get("Location", "")
        return not (
            to.startswith("/static/") or (to.startswith("/account/sign-in/") and not signed_in)
        )
    body = b"" if response.streaming else response.content
    return response.status_code in (200, 400, 422) and b"govuk-error-summary" in body


def _post_everywhere(client: Client, paths: list[tuple[str, str]], signed_in: bool) -> list[str]:
    let_through = []
    for _, path in paths:
        before = AuditEvent.objects.count()
        response = client.post(path, {"probe": "1"})  # non-empty, so a form is bound and checked
        audited = AuditEvent.objects.count() != before
        if _got_through(response, audited, signed_in=signed_in):
            let_through.append(f"{path} {response.status_code}")
    return let_through


def test_a_signed_out_visitor_cannot_write_anywhere_but_the_open_forms(
    seeded: Seeded, site_routes: list, route_paths: Any
) -> None:
    paths = [
        (route, path)
        for route, path in _writes(seeded, site_routes, route_paths)
        if route not in OPEN_TO_VISITORS
    ]
    assert len(paths) > 100  # the walk reached the site
    assert not _post_everywhere(Client(), paths, signed_in=False)


def test_an_outsider_cannot_write_to_anything_they_do_not_own(
    seeded: Seeded, site_routes: list, route_paths: Any
) -> None:
    client = Client()
    client.force_login(seeded.outsider)
    paths = [
        (route, path)
        for route, path in _writes(seeded, site_routes, route_paths)
        if route not in OPEN_TO_VISITORS
        and route not in OWN_THINGS
        and not route.startswith("account/")  # their own account
    ]
    assert not _post_everywhere(client, paths, signed_in=True)


# API writes open without a token: each computes an answer and keeps nothing.
API_OPEN = {
    "/api/v1/appraisals": "without a token the appraisal is computed and not saved",
    "/api/v1/analysis/articulation": "reads a statement and keeps nothing",
}
API_OWN_THINGS = ("/api/v1/partnerships", "/api/v1/shortlists", "/api/v1/conversations",
                  "/api/v1/needs")  # fmt: skip


def _api_writes(client: Client, seeded: Seeded) -> list[tuple[str, str]]:
    """Every write operation in the OpenAPI document, its path filled from the seeded objects
    (an {id} by the collection it follows)."""
    document = client.get("/api/v1/openapi.json").json()
    values = {**seeded.ids, **{f"{k}_id": v for k, v in seeded.by_prefix.items()}}
    values.update(request_id=seeded.by_prefix["account"], token="x")
    writes = []
    for template, operations in document["paths"].items():
        path = template
        for name in re.findall(r"\{(\w+)\}", template):
            if name == "id":
                collection = template.split("/")[3]
                value = seeded.by_prefix.get(collection, seeded.api_ids.get(collection, 1))
            else:
                value = seeded.api_ids.get(name, values.get(name, 1))
            path = path.replace("{" + name + "}", str(value))
        writes += [(m, path) for m in operations if m in ("post", "put", "patch", "delete")]
    return writes


def test_every_api_write_needs_a_token_and_refuses_an_outsider(seeded: Seeded) -> None:
    client = Client()
    writes = _api_writes(client, seeded)
    assert len(writes) > 30  # the walk reached the API
    _token, raw = account_services.api_token_create(seeded.outsider, "probe")
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    let_through = []
    for method, path in writes:
        for headers in ({}, outsider):
            if path in API_OPEN or (headers and path in API_OWN_THINGS):
                continue
            before = AuditEvent.objects.count()
            response = getattr(client, method)(
                path, data="{}", content_type="application/json", **headers
            )
            audited = AuditEvent.objects.count() != before
            refused = response.status_code == 401 if not headers else response.status_code >= 400
            if audited or not refused or response.status_code >= 500:
                let_through.append(f"{method} {path} {'outsider' if headers else 'anonymous'} "
                                   f"{response.status_code}")  # fmt: skip
    assert not let_through


def test_an_outsiders_malformed_api_write_says_nothing_of_what_exists(seeded: Seeded) -> None:
    """The API checks a write's body against its schema before the handler asks who may write
    (ADR 0043): an outsider sending an incomplete body gets 422, not 403 or 404. The 422 must
    then be the same whether or not the object named exists, so it tells them nothing."""
    client = Client()
    _token, raw = account_services.api_token_create(seeded.outsider, "probe")
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    compared = 0
    differ = []
    for method, path in _api_writes(client, seeded):
        missing = re.sub(r"/\d+(?=/|$)", "/999999", path)
        if missing == path or path in API_OPEN or path in API_OWN_THINGS:
            continue
        answers = [
            getattr(client, method)(p, data="{}", content_type="application/json", **outsider)
            for p in (path, missing)
        ]
        if answers[0].status_code != 422:
            continue
        compared += 1
        if (answers[1].status_code, answers[1].content) != (422, answers[0].content):
            differ.append(f"{method} {path}: {answers[1].status_code} for a missing object")
    assert compared > 10  # the walk found the schema-checked writes
    assert not differ
