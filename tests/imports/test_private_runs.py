"""A person's upload is private: its run is seen by its uploader and platform administrators
only. Every other run reads published open data and is seen by everyone (ADR 0062)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from commonground.imports.engine import run_import
from commonground.imports.models import ImportRun
from commonground.places.importers.postcodes import TraffordPostcodesImporter
from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportRunFactory

pytestmark = pytest.mark.django_db


def test_an_import_of_open_data_is_public(shared_data: Path) -> None:
    run = run_import(TraffordPostcodesImporter(), shared_data / "places" / "trafford_postcodes.csv")

    assert not run.private and run.uploaded_by is None
    assert ImportRun.objects.visible_to(AnonymousUser()).filter(pk=run.pk).exists()


def test_an_import_of_a_persons_upload_is_private_and_names_them(tmp_path: Path) -> None:
    person = UserFactory()
    upload = tmp_path / "theirs.csv"
    upload.write_text("not the postcode columns\n", encoding="utf-8")

    run = run_import(TraffordPostcodesImporter(), upload, uploaded_by=person)

    run.refresh_from_db()
    assert run.private and run.uploaded_by == person
    assert run.status == "failed"  # failed runs are kept, and stay private


def test_a_private_run_is_seen_by_its_uploader_and_platform_administrators_only() -> None:
    uploader, someone_else = UserFactory(), UserFactory()
    admin = UserFactory(is_staff=True)
    public = ImportRunFactory()
    private = ImportRunFactory(uploaded_by=uploader)

    def seen_by(user: object) -> set[int]:
        return set(ImportRun.objects.visible_to(user).values_list("pk", flat=True))

    assert seen_by(AnonymousUser()) == {public.pk}
    assert seen_by(None) == {public.pk}
    assert seen_by(someone_else) == {public.pk}
    assert seen_by(uploader) == {public.pk, private.pk}
    assert seen_by(admin) == {public.pk, private.pk}


def test_an_uploaders_run_stays_hidden_once_their_account_is_deactivated() -> None:
    uploader = UserFactory()
    run = ImportRunFactory(uploaded_by=uploader)
    uploader.is_active = False
    uploader.save()

    assert not ImportRun.objects.visible_to(uploader).filter(pk=run.pk).exists()


def test_a_run_whose_uploader_is_gone_stays_private() -> None:
    uploader = UserFactory()
    run = ImportRunFactory(uploaded_by=uploader)

    uploader.delete()

    run.refresh_from_db()
    assert run.private and run.uploaded_by is None
    assert not ImportRun.objects.visible_to(AnonymousUser()).filter(pk=run.pk).exists()


def test_a_run_cannot_name_an_uploader_and_be_public() -> None:
    with pytest.raises(IntegrityError):
        ImportRunFactory(uploaded_by=UserFactory(), private=False)
