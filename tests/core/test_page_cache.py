"""The shared cache of public pages: anonymous readers share one copy of a page until public
data changes; nobody signed in ever gets or leaves one; nothing personal is ever kept."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.test import Client, override_settings
from django.urls import path
from django.utils.cache import patch_cache_control

from commonground.core.page_cache import cached_derived, public_data_changed, public_page
from commonground.imports.engine import run_import
from commonground.money.giving.importer import GrantsImporter
from commonground.organisations.linkage.services import link_review_decide
from commonground.organisations.models import LinkReview, LinkReviewStatus, Organisation
from commonground.places.importers.boundaries import LocalAuthorityBoundaryImporter
from tests.accounts.factories import UserFactory
from tests.organisations.factories import TRAFFORD

pytestmark = pytest.mark.django_db

AGE_UK = "GB-CHC-1109047"  # Age UK Trafford, in the real Trafford charities register
ORG_PAGE = f"/organisations/{AGE_UK}/"
PUBLIC_PAGES = [
    "/organisations/?q=age+uk&place=E08000009",
    ORG_PAGE,
    f"/places/{TRAFFORD}/",
    f"/places/{TRAFFORD}/profile/",
    "/api/v1/organisations?q=age%20uk&place=E08000009",
    f"/api/v1/organisations/{AGE_UK}",
    f"/api/v1/places/{TRAFFORD}/profile",
]
GRANTS_JSON = "grants/trafford_council_grants_360giving.json"


@pytest.fixture
def page_cache(settings):
    """The cache on, as in production, and empty."""
    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 600
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def rename_age_uk(name: str) -> None:
    # Straight to the table: a change nobody tells the cache about, to see which copy is served.
    Organisation.objects.filter(identifiers__value=AGE_UK).update(name=name)


def anonymous_get(url: str, **headers: str) -> HttpResponse:
    response = Client(**headers).get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.usefixtures("trafford", "page_cache")
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_an_anonymous_reader_gets_the_kept_copy_without_touching_the_database(
    url: str, django_assert_num_queries
) -> None:
    first = anonymous_get(url)
    with django_assert_num_queries(0):
        again = anonymous_get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    # Caches downstream must not hand the signed-out page to someone signed in.
    assert "Cookie" in again["Vary"]
    # The security headers are added to the kept copy too.
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Set-Cookie" not in again


@pytest.mark.usefixtures("trafford", "page_cache")
def test_each_address_and_query_is_a_page_of_its_own() -> None:
    age_uk = anonymous_get("/api/v1/organisations?q=age%20uk&place=E08000009")
    scouts = anonymous_get("/api/v1/organisations?q=scouts&place=E08000009")
    names = {r["name"] for r in json.loads(scouts.content)["results"]}
    assert age_uk.content != scouts.content
    assert names and all("scout" in n.lower() for n in names)


@pytest.mark.usefixtures("trafford", "page_cache")
def test_someone_signed_in_always_gets_a_fresh_page_and_never_leaves_one() -> None:
    person = Client()
    person.force_login(UserFactory(email="reader@example.org"))
    anonymous_get(ORG_PAGE)  # kept for anonymous readers
    rename_age_uk("Age UK Trafford (renamed)")

    signed_in = person.get(ORG_PAGE).content.decode()
    assert "Age UK Trafford (renamed)" in signed_in and "Sign out" in signed_in
    # The anonymous copy is untouched by the signed-in visit, and shows no account links.
    anonymous = anonymous_get(ORG_PAGE).content.decode()
    assert "(renamed)" not in anonymous and "Sign out" not in anonymous


@pytest.mark.usefixtures("trafford", "page_cache")
def test_a_page_first_asked_for_by_someone_signed_in_is_not_kept() -> None:
    person = Client()
    person.force_login(UserFactory(email="reader@example.org"))
    assert person.get(ORG_PAGE).status_code == 200
    rename_age_uk("Age UK Trafford (renamed)")
    assert "Age UK Trafford (renamed)" in anonymous_get(ORG_PAGE).content.decode()


@pytest.mark.usefixtures("trafford", "page_cache")
def test_api_callers_with_a_token_always_get_a_fresh_answer() -> None:
    url = f"/api/v1/organisations/{AGE_UK}"
    anonymous_get(url)
    rename_age_uk("Age UK Trafford (renamed)")
    with_token = anonymous_get(url, HTTP_AUTHORIZATION="Bearer cg_not_a_real_token")
    assert json.loads(with_token.content)["name"] == "Age UK Trafford (renamed)"
    assert json.loads(anonymous_get(url).content)["name"] != "Age UK Trafford (renamed)"


@pytest.mark.usefixtures("trafford", "page_cache")
def test_a_finished_import_makes_the_next_page_fresh(
    shared_data: Path, django_capture_on_commit_callbacks
) -> None:
    profile = f"/api/v1/places/{TRAFFORD}/profile"
    assert json.loads(anonymous_get(profile).content)["total"]["pence"] == 0
    anonymous_get(ORG_PAGE)
    rename_age_uk("Age UK Trafford (renamed)")

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(GrantsImporter("trafford_grants"), shared_data / GRANTS_JSON)
    assert run.status == "succeeded"

    assert json.loads(anonymous_get(profile).content)["total"]["pence"] > 0
    assert "Age UK Trafford (renamed)" in anonymous_get(ORG_PAGE).content.decode()


@pytest.mark.usefixtures("trafford", "page_cache")
def test_any_finished_import_makes_every_page_fresh(
    shared_data: Path, django_capture_on_commit_callbacks
) -> None:
    # Which data an import touched is not worked out: any import makes all pages fresh.
    anonymous_get(ORG_PAGE)
    rename_age_uk("Age UK Trafford (renamed)")
    with django_capture_on_commit_callbacks(execute=True):
        run_import(
            LocalAuthorityBoundaryImporter(),
            shared_data / "places/trafford_local_authority.geojson",
        )
    assert "Age UK Trafford (renamed)" in anonymous_get(ORG_PAGE).content.decode()


@pytest.mark.usefixtures("trafford", "page_cache")
def test_a_review_decision_makes_the_next_page_fresh(
    shared_data: Path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_import(GrantsImporter("trafford_grants"), shared_data / GRANTS_JSON)
    review = LinkReview.objects.filter(status=LinkReviewStatus.PENDING).first()
    assert review is not None, "the Trafford grants leave some matches for review"
    # Every year of the grants, so the reviewed party's grants are inside the figure whatever
    # year the profile would open on.
    profile = f"/api/v1/places/{TRAFFORD}/profile?from=2000-01-01&to=2099-12-31"
    before = json.loads(anonymous_get(profile).content)["not_linked_total"]["pence"]
    org_page = f"/organisations/{review.organisation.org_id}/"
    org_before = anonymous_get(org_page).content
    reviewer = UserFactory(email="reviewer@example.org")
    reviewer.groups.add(Group.objects.get_or_create(name="reviewers")[0])

    with django_capture_on_commit_callbacks(execute=True):
        link_review_decide(reviewer, review, accept=True)

    after = json.loads(anonymous_get(profile).content)["not_linked_total"]["pence"]
    assert after != before  # the party's grants now count for the organisation ...
    assert anonymous_get(org_page).content != org_before  # ... and show on its page


@pytest.mark.usefixtures("trafford", "page_cache")
def test_a_change_takes_effect_only_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
) -> None:
    anonymous_get(ORG_PAGE)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        rename_age_uk("Age UK Trafford (renamed)")
        public_data_changed()
        # Not committed yet: a reader now must not see (or keep) a page of the old data
        # under the new generation, so the old copy is still the one served.
        assert "(renamed)" not in anonymous_get(ORG_PAGE).content.decode()
    for callback in pending:
        callback()
    assert "Age UK Trafford (renamed)" in anonymous_get(ORG_PAGE).content.decode()


@pytest.mark.usefixtures("trafford", "page_cache")
def test_pages_are_served_when_the_cache_cannot_be_reached() -> None:
    # Nothing listens on port 1: every cache call fails.
    unreachable = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    with override_settings(CACHES=unreachable):
        for _ in range(2):
            assert "AGE UK TRAFFORD" in anonymous_get(ORG_PAGE).content.decode()


@pytest.mark.usefixtures("trafford")
def test_nothing_is_kept_when_the_cache_is_turned_off(settings) -> None:
    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 0
    anonymous_get(ORG_PAGE)
    rename_age_uk("Age UK Trafford (renamed)")
    assert "Age UK Trafford (renamed)" in anonymous_get(ORG_PAGE).content.decode()


# Responses that must never be kept, from views made for the purpose -------------------------

rendered: Counter[str] = Counter()


def _counted(name: str) -> None:
    rendered[name] += 1


@public_page
def plain_view(request: HttpRequest) -> HttpResponse:
    _counted("plain")
    return HttpResponse("<p>Open data</p>")


@public_page
def cookie_view(request: HttpRequest) -> HttpResponse:
    _counted("cookie")
    response = HttpResponse("<p>Remembered</p>")
    response.set_cookie("seen", "yes")
    return response


@public_page
def csrf_view(request: HttpRequest) -> HttpResponse:
    _counted("csrf")
    get_token(request)  # as {% csrf_token %} does; the token reaches the page in a cookie
    return HttpResponse("<form method='post'></form>")


@public_page
def token_in_page_view(request: HttpRequest) -> HttpResponse:
    _counted("token in page")
    return HttpResponse("<input type='hidden' name='csrfmiddlewaretoken' value='abc'>")


@public_page
def session_view(request: HttpRequest) -> HttpResponse:
    _counted("session")
    request.session["visited"] = True
    return HttpResponse("<p>Welcome</p>")


@public_page
def message_view(request: HttpRequest) -> HttpResponse:
    _counted("message")
    messages.info(request, "Saved")
    return HttpResponse("<p>Saved</p>")


@public_page
def not_found_view(request: HttpRequest) -> HttpResponse:
    _counted("not found")
    return HttpResponseNotFound("<p>Not found</p>")


@public_page
def private_view(request: HttpRequest) -> HttpResponse:
    _counted("private")
    response = HttpResponse("<p>Yours</p>")
    patch_cache_control(response, private=True)
    return response


@public_page
def streamed_view(request: HttpRequest) -> StreamingHttpResponse:
    _counted("streamed")
    return StreamingHttpResponse(iter(["a,b\n"]))


urlpatterns = [
    path("plain/", plain_view),
    path("cookie/", cookie_view),
    path("csrf/", csrf_view),
    path("token-in-page/", token_in_page_view),
    path("session/", session_view),
    path("message/", message_view),
    path("not-found/", not_found_view),
    path("private/", private_view),
    path("streamed/", streamed_view),
]


@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("page_cache")
def test_a_plain_public_response_is_rendered_once_for_all_anonymous_readers() -> None:
    rendered.clear()
    for _ in range(3):
        Client().get("/plain/")
    assert rendered["plain"] == 1


@pytest.mark.urls(__name__)
@pytest.mark.usefixtures("page_cache")
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/cookie/", "cookie"),
        ("/csrf/", "csrf"),
        ("/token-in-page/", "token in page"),
        ("/session/", "session"),
        ("/message/", "message"),
        ("/not-found/", "not found"),
        ("/private/", "private"),
        ("/streamed/", "streamed"),
    ],
)
def test_responses_with_cookies_tokens_or_anything_personal_are_never_kept(
    url: str, name: str
) -> None:
    rendered.clear()
    for _ in range(2):
        Client().get(url)  # a new browser each time, with no cookies
    assert rendered[name] == 2


# Derived figures asked for by many readers at once -----------------------------------------


def _ask_at_once(readers: int, compute) -> tuple[list, list[Exception]]:
    answers: list = []
    errors: list[Exception] = []

    def reader() -> None:
        try:
            answers.append(cached_derived("test", ("x",), compute))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)  # the first reader starts computing before the others ask
    for thread in threads:
        thread.join()
    return answers, errors


@pytest.mark.usefixtures("page_cache")
def test_a_figure_asked_for_by_many_readers_at_once_is_computed_once() -> None:
    computed: list[int] = []

    def compute() -> dict[str, int]:
        computed.append(1)
        time.sleep(0.3)  # long enough for every reader to ask while it is being computed
        return {"pence": 42}

    answers, errors = _ask_at_once(4, compute)
    assert answers == [{"pence": 42}] * 4 and not errors
    assert len(computed) == 1


@pytest.mark.usefixtures("page_cache")
def test_readers_waiting_for_a_computation_that_fails_compute_it_themselves() -> None:
    attempts: list[int] = []

    def compute() -> dict[str, int]:
        attempts.append(1)
        time.sleep(0.3)
        if len(attempts) == 1:
            raise RuntimeError("the database went away")
        return {"pence": 42}

    answers, errors = _ask_at_once(3, compute)
    assert [str(e) for e in errors] == ["the database went away"]  # the first reader's
    assert answers == [{"pence": 42}] * 2
    assert 2 <= len(attempts) <= 3
