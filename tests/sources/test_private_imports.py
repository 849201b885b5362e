"""An import of a file a person uploaded is private (ADR 0062): its page, with the file's error
and rejected rows, is shown to its uploader and platform administrators; to anyone else, signed
in or not, the import does not exist (404, as for a number never used), and no list of imports
shows it. Imports of published open data stay open to everyone."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportRunFactory, RejectedRowFactory

pytestmark = pytest.mark.django_db

SECRET = "Staff list, row 4: Jane Example, 12 Private Road"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def upload():
    """A person's failed upload, its error and a rejected row quoting their file."""
    uploader = UserFactory()
    run = ImportRunFactory(
        uploaded_by=uploader,
        status="failed",
        source="/tmp/cg-upload-x/our-staff.csv",
        error=f"our-staff.csv, row 4: {SECRET}",
    )
    RejectedRowFactory(run=run, file_name="our-staff.csv", reason=SECRET, raw=SECRET)
    return run


def test_a_persons_upload_is_not_found_by_a_signed_out_visitor(upload) -> None:
    response = Client().get(f"/data-sources/imports/{upload.pk}/")

    assert response.status_code == 404
    assert SECRET not in response.text


def test_a_persons_upload_is_not_found_by_someone_else_signed_in(upload) -> None:
    response = signed_in(UserFactory()).get(f"/data-sources/imports/{upload.pk}/")

    assert response.status_code == 404
    assert SECRET not in response.text


def test_a_private_import_looks_the_same_as_one_that_does_not_exist(upload) -> None:
    client = signed_in(UserFactory())
    hidden = client.get(f"/data-sources/imports/{upload.pk}/")
    missing = client.get(f"/data-sources/imports/{upload.pk + 1000}/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_the_uploader_sees_their_import_with_its_error_and_rejected_rows(upload) -> None:
    response = signed_in(upload.uploaded_by).get(f"/data-sources/imports/{upload.pk}/")

    assert response.status_code == 200
    assert response.text.count(SECRET) == 2  # the error, and the rejected row
    assert "Only they and platform administrators can see this page" in response.text
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_platform_administrator_sees_a_persons_upload(upload) -> None:
    response = signed_in(UserFactory(is_staff=True)).get(f"/data-sources/imports/{upload.pk}/")

    assert response.status_code == 200
    assert SECRET in response.text


def test_an_import_of_open_data_is_shown_to_everyone_signed_out_too() -> None:
    run = ImportRunFactory(dataset="trafford_grants", status="partial", rows_rejected=1)
    RejectedRowFactory(run=run, reason="the amount is not a number")

    response = Client().get(f"/data-sources/imports/{run.pk}/")

    assert response.status_code == 200
    assert "the amount is not a number" in response.text
    assert "Only they and platform administrators" not in response.text
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_lists_of_imports_leave_out_other_peoples_uploads(upload) -> None:
    public = ImportRunFactory(source="/data/trafford_postcodes.csv")
    link = f'href="/data-sources/imports/{upload.pk}/"'

    for client in (Client(), signed_in(UserFactory())):
        catalogue = client.get("/data-sources/").text
        history = client.get("/data-sources/trafford_postcodes/").text
        assert link not in catalogue and link not in history
        assert f'href="/data-sources/imports/{public.pk}/"' in history

    uploader = signed_in(upload.uploaded_by)
    assert link in uploader.get("/data-sources/").text
    assert link in uploader.get("/data-sources/trafford_postcodes/").text
