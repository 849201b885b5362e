"""Councils load their own framework through a page: commissioners and platform admins only,
the file checked by content, errors naming the row and column, nothing half-loaded, and one
council cannot replace another's framework."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commonground.accounts import services as account_services
from commonground.imports.models import ImportRun
from commonground.social_value.models import Framework
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/social-value/frameworks/import/"
CSV = (
    b"theme_code,theme_name,outcome_code,outcome_name,measure_code,measure_name,unit\n"
    b"TC,Thriving Communities,TC1,People are connected,TC1-A,Volunteer hours,hours\n"
)


def officer_of_a_council(email: str, org_id: str = "GB-LAE-TRF"):
    council = OrganisationFactory(
        org_id=org_id, name=f"Council {org_id} (synthetic)", sector="public_body"
    )
    staff = UserFactory(email=f"staff-{org_id.lower()}@platform.example", is_staff=True)
    person = UserFactory(email=email)
    claim = account_services.membership_request(person, council, "officer", "I commission")
    account_services.membership_approve(staff, claim)
    return person


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(content: bytes = CSV, name: str = "ours.csv", **changes):
    return {
        "file": SimpleUploadedFile(name, content),
        "name": "Our social value framework (synthetic)",
        "slug": "our-framework",
        "version": "2026",
        "licence": "Open Government Licence v3.0",
        **changes,
    }


def test_who_may_open_the_import_page(social_value_world) -> None:
    assert Client().get(URL).status_code == 302
    assert signed_in(social_value_world.people["outsider"]).get(URL).status_code == 403
    # A partnership member who does not act for a public body is not a commissioner here.
    assert signed_in(social_value_world.people["provider"]).get(URL).status_code == 403
    assert signed_in(social_value_world.people["staff"]).get(URL).status_code == 200
    assert signed_in(officer_of_a_council("officer@council.example")).get(URL).status_code == 200


def test_a_commissioner_loads_a_framework_and_sees_it(social_value_world) -> None:
    client = signed_in(officer_of_a_council("officer@council.example"))
    response = client.post(URL, form())
    assert response.status_code == 302
    framework = Framework.objects.get(slug="our-framework")
    assert framework.imported_by is not None
    page = client.get(response["Location"])
    assert "Volunteer hours" in page.text and "1 new" in page.text


def test_a_bad_file_is_refused_naming_the_row_and_column_and_nothing_is_loaded(
    social_value_world,
) -> None:
    client = signed_in(social_value_world.people["staff"])
    bad = CSV.replace(b",hours\n", b",smiles\n")
    response = client.post(URL, form(bad))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert (
        "ours.csv, row 2, field &#x27;unit&#x27;: &#x27;smiles&#x27; is not a unit" in response.text
    )
    assert not Framework.objects.filter(slug="our-framework").exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused(social_value_world) -> None:
    response = signed_in(social_value_world.people["staff"]).post(
        URL, form(b"%PDF-1.4\n", name="framework.pdf")
    )
    assert "must be a CSV, Excel spreadsheet" in response.text


def test_one_council_cannot_replace_anothers_or_the_shipped_framework(social_value_world) -> None:
    first = signed_in(officer_of_a_council("officer@council.example"))
    assert first.post(URL, form()).status_code == 302
    second = signed_in(officer_of_a_council("officer@other.example", "GB-LAE-MAN"))
    response = second.post(URL, form(version="2027"))
    assert "belongs to another framework" in response.text
    response = second.post(URL, form(slug="uk-social-value-model"))
    assert "belongs to another framework" in response.text
    assert Framework.objects.filter(slug="our-framework").count() == 1


WITH_PROXY = (
    b"theme_code,theme_name,outcome_code,outcome_name,measure_code,measure_name,unit,"
    b"proxy_value_gbp,proxy_source,proxy_version\n"
)


@pytest.mark.parametrize("proxy", [b"1e30", b"99999999999999999999999", b"1000000001"])
def test_a_proxy_value_beyond_a_billion_pounds_is_refused_naming_the_row(
    social_value_world, proxy
) -> None:
    """Not a server error: no column holds such a figure, and no measure is worth it."""
    client = signed_in(social_value_world.people["staff"])
    client.raise_request_exception = False
    row = b"TC,Thriving,TC1,Connected,TC1-A,Volunteer hours,hours," + proxy + b",HACT,2024\n"
    response = client.post(URL, form(WITH_PROXY + row))
    assert response.status_code == 200
    assert "row 2, field &#x27;proxy_value_gbp&#x27;" in response.text
    assert "is more than £1,000,000,000" in response.text
    assert not Framework.objects.filter(slug="our-framework").exists()


def test_a_name_longer_than_its_column_is_refused_and_nothing_is_loaded(social_value_world) -> None:
    """The same on both databases: PostgreSQL would fail the write, SQLite keep it too long."""
    client = signed_in(social_value_world.people["staff"])
    response = client.post(URL, form(CSV.replace(b"Volunteer hours", b"V" * 301)))
    assert response.status_code == 200
    assert "measure TC1-A: name is longer than 300 characters" in response.text
    assert not Framework.objects.filter(slug="our-framework").exists()


# ---- The import's own page is private to whoever uploaded the file (ADR 0062) ----------------


def test_a_commissioners_failed_framework_upload_is_not_shown_to_other_people(
    social_value_world,
) -> None:
    uploader = officer_of_a_council("officer@council.example")
    bad = CSV.replace(b",hours\n", b",Jane Example of 12 Private Road\n")
    signed_in(uploader).post(URL, form(bad, name="our-draft.csv"))
    run = ImportRun.objects.get(dataset="social_value_framework")
    page = f"/data-sources/imports/{run.pk}/"
    assert run.status == "failed" and "Jane Example" in run.error

    another_commissioner = officer_of_a_council("officer@other.example", "GB-LAE-MAN")
    for other in (Client(), signed_in(another_commissioner)):
        response = other.get(page)
        assert response.status_code == 404
        assert "Jane Example" not in response.text

    for allowed in (uploader, social_value_world.people["staff"]):
        response = signed_in(allowed).get(page)
        assert response.status_code == 200
        assert "Jane Example" in response.text


def test_a_framework_upload_that_loads_is_recorded_as_the_uploaders_private_import(
    social_value_world,
) -> None:
    uploader = officer_of_a_council("officer@council.example")
    assert signed_in(uploader).post(URL, form()).status_code == 302

    run = ImportRun.objects.get(dataset="social_value_framework")
    assert run.status == "succeeded"
    assert run.private and run.uploaded_by == uploader
    # The framework it loaded is open data all the same.
    framework = Framework.objects.get(slug="our-framework")
    assert Client().get(f"/social-value/frameworks/{framework.pk}/").status_code == 200
