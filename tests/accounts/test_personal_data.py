"""Nobody's email address reaches a signed-out visitor (issue 20, item 3; ADR 0023).

The demo (Trafford's atlas, the example partnership, its social value and the example round
table) is loaded, with people added the way the probe found them: an account that never
confirmed its address but convened a public conversation before that needed a confirmed
address, its statements, and a label review. A signed-out visitor then crawls every page it can
reach from the home page and the public conversations, and every public API answer, and no
account's address may appear in any of them.
"""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from io import StringIO
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from commonground.accounts import services as account_services
from commonground.api.urls import api
from commonground.engagement import services as engagement_services
from commonground.engagement.models import Conversation, Statement
from commonground.needs.models import Need
from commonground.organisations.models import Organisation

from .factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]

PAGES_PER_ROUTE = 3  # enough to see each kind of page with real data, not all 736 charities
MAX_PAGES = 700
SKIP = ("/static/", "/admin/", "/account/sign-out/", "/api/v1/docs")
HREF = re.compile(r'href="([^"#]+)')


def _demo_with_legacy_people() -> None:
    call_command("load_demo_partnerships", stdout=StringIO())
    call_command("load_demo_social_value", stdout=StringIO())
    call_command("load_demo_engagement", stdout=StringIO())
    # Before convening needed a confirmed address, anyone could convene under an address they
    # merely typed: such rows stay, so they are shown here as they were made.
    typed = UserFactory(email="someone.else@victim.example", verified=False)
    convener = UserFactory(email="named.convener@example.net")
    account_services.display_name_set(convener, "Sam Convener")
    Conversation.objects.create(
        title="Open question (test)",
        kind="consultation",
        prompt="What matters?",
        convener=typed,
        visibility="public",
        allow_anonymous=True,
    )
    conversation = engagement_services.conversation_create(
        convener,
        title="Public round table (test)",
        kind="round_table",
        prompt="What should partnership mean?",
        visibility="public",
    )
    writer = UserFactory(email="writer@example.net")
    statement = engagement_services.statement_add(
        writer, conversation, text="Partners should plan for ten years.", perspective="community"
    )
    engagement_services.statement_moderate(convener, statement, "published")
    statement.refresh_from_db()
    engagement_services.statement_review(
        convener,
        statement,
        orientation=statement.orientation_label or "neutral",
        concepts=list(statement.concepts),
        principles=list(statement.principles),
        methodologies=list(statement.methodologies),
        note="Checked.",
    )


def _api_paths() -> list[str]:
    """Every GET operation of the API, its path parameters filled from the demo's rows."""
    conversations = list(Conversation.objects.values_list("pk", flat=True))
    org_ids = list(Organisation.objects.values_list("org_id", flat=True)[:3])
    fill = {
        "conversation_id": [str(pk) for pk in conversations],
        "org_id": org_ids,
        "gss_code": ["E08000009"],
        "code": ["grant"],
        "flow_id": ["1"],
        "appraisal_id": ["1"],
        "id": ["1"],
        "partnership_id": ["1"],
        "need_id": [str(pk) for pk in Need.objects.values_list("pk", flat=True)[:3]] or ["1"],
        "token": ["not-a-token"],
    }
    paths = []
    for template, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"{(\w+)}", template)
        if not names:
            paths.append(template)
            continue
        for value in fill[names[0]]:
            paths.append(template.replace(f"{{{names[0]}}}", quote(value, safe="")))
    return paths


def _crawl(client: Client, seeds: list[str]) -> dict[str, str]:
    """Every page reachable from the seeds for a signed-out visitor: path -> text."""
    seen: dict[str, str] = {}
    per_route: Counter[str] = Counter()
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        try:
            route = resolve(urlsplit(url).path).route
        except Resolver404:
            continue
        if per_route[route] >= PAGES_PER_ROUTE and url not in seeds:
            continue
        per_route[route] += 1
        response = client.get(url)
        body = b"" if response.streaming else response.content
        seen[url] = body.decode("utf-8", "replace")
        if "text/html" in response.get("Content-Type", ""):
            for href in HREF.findall(seen[url]):
                href = html.unescape(href)
                if href.startswith("http://testserver/"):
                    href = href[len("http://testserver") :]
                if href.startswith("/") and not href.startswith("//"):
                    queue.append(href)
    return seen


def test_no_account_email_address_appears_on_any_public_page_or_api_answer() -> None:
    _demo_with_legacy_people()
    addresses = {e.lower() for e in User.objects.exclude(email="").values_list("email", flat=True)}
    assert "engagement.convener@example.org" in addresses  # the probe's finding is in the data
    assert len(addresses) >= 10
    conversations = [
        f"/conversations/{pk}/{page}"
        for (pk,) in Conversation.objects.values_list("pk")
        for page in ("", "alignment/")
    ]
    statements = [
        f"/statements/{pk}/"
        for pk in Statement.objects.filter(status="published").values_list("pk", flat=True)
    ]
    pages = _crawl(
        Client(),
        ["/", "/conversations/", "/case-studies/", *conversations, *statements, *_api_paths()],
    )

    assert len(pages) >= 80, sorted(pages)
    leaks = {
        url: sorted(a for a in addresses if a in text.lower() or quote(a) in text.lower())
        for url, text in pages.items()
    }
    assert {url: found for url, found in leaks.items() if found} == {}
    # Issue 15 §5: people are named only to those signed in, so no account's name either.
    names = {n for n in User.objects.exclude(first_name="").values_list("first_name", flat=True)}
    assert "Sam Convener" in names
    named = {url: sorted(n for n in names if n in text) for url, text in pages.items()}
    assert {url: found for url, found in named.items() if found} == {}


def test_a_person_is_shown_by_the_name_they_chose_and_never_by_their_address() -> None:
    person = UserFactory(email="pat@example.net", verified=False)
    assert account_services.display_name(person) == "Unnamed account"
    account_services.display_name_set(person, "  Pat   Jones ")
    assert account_services.display_name(person) == "Pat Jones"
    # In an email to one person, an unconfirmed address is never used as the sender's name.
    User.objects.filter(pk=person.pk).update(first_name="")
    person.refresh_from_db()
    assert account_services.sender_name(person) == "Unnamed account"
