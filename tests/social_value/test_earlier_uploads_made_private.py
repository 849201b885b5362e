"""Framework files uploaded through the page before uploads were private are made private by a
migration (ADR 0062): their uploader was not recorded, so platform administrators alone see
them. Files the command loaded stay public."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from commonground.imports.models import ImportRun
from tests.imports.factories import ImportRunFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "commonground.social_value.migrations.0003_earlier_framework_uploads_are_private"
)


def test_earlier_framework_uploads_become_private_and_command_loads_stay_public() -> None:
    uploaded = ImportRunFactory(
        dataset="social_value_framework", source="/tmp/cg-framework-abc123/our-draft.csv"
    )
    from_the_command = ImportRunFactory(
        dataset="social_value_framework", source="/srv/frameworks/council.csv"
    )
    catalogue = ImportRunFactory(source="/data/cg-framework-lookalike.csv")

    migration.make_uploads_private(apps, None)

    assert ImportRun.objects.get(pk=uploaded.pk).private
    assert not ImportRun.objects.get(pk=from_the_command.pk).private
    assert not ImportRun.objects.get(pk=catalogue.pk).private
