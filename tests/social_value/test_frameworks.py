"""The shipped frameworks are valid data, load idempotently, and carry no unsourced proxy."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from commonground.audit.models import AuditEvent
from commonground.social_value.models import Framework, Measure, Outcome, Theme, Unit
from commonground.social_value.services import FrameworkInUse, framework_save
from commonground.social_value.spec import (
    FrameworkInvalid,
    from_toml,
    shipped_framework_files,
    validate,
)

pytestmark = pytest.mark.django_db


def test_every_shipped_framework_file_is_valid_and_licensed() -> None:
    files = shipped_framework_files()
    assert files
    for path in files:
        spec = from_toml(path)
        validate(spec, path.name)
        assert spec.licence and spec.source_url.startswith("https://")
        for measure in spec.measures():
            assert measure.unit in Unit.values
            # No proxy without its source and version; the default ships none at all.
            assert measure.proxy_value_pence is None


def test_the_default_framework_has_the_models_five_themes_and_eight_outcomes() -> None:
    call_command("load_social_value_frameworks", stdout=io.StringIO())
    framework = Framework.objects.get(is_default=True)
    assert [t.name for t in Theme.objects.filter(framework=framework)] == [
        "COVID-19 recovery",
        "Tackling economic inequality",
        "Fighting climate change",
        "Equal opportunity",
        "Wellbeing",
    ]
    assert Outcome.objects.filter(theme__framework=framework).count() == 8
    assert "Open Government Licence" in framework.licence
    assert not Measure.objects.filter(proxy_value_pence__isnull=False).exists()


def test_loading_the_frameworks_twice_changes_nothing() -> None:
    out = io.StringIO()
    call_command("load_social_value_frameworks", stdout=out)
    assert "created" in out.getvalue()

    def counts() -> tuple[int, int, int]:
        return Framework.objects.count(), Measure.objects.count(), AuditEvent.objects.count()

    before = counts()
    out = io.StringIO()
    call_command("load_social_value_frameworks", stdout=out)
    assert "unchanged" in out.getvalue()
    assert counts() == before


def test_a_framework_file_with_errors_names_them_all(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        """
[framework]
slug = "Bad Slug"
version = "1"
name = "Bad"
licence = ""
[[themes]]
code = "T1"
name = "Theme"
  [[themes.outcomes]]
  code = "O1"
  name = "Outcome"
    [[themes.outcomes.measures]]
    code = "M1"
    name = "Measure"
    unit = "smiles"
    [[themes.outcomes.measures]]
    code = "M1"
    name = "Again"
    unit = "hours"
    proxy_value_gbp = "12.50"
""",
        encoding="utf-8",
    )
    with pytest.raises(FrameworkInvalid) as caught:
        from_toml(path)
    text = str(caught.value)
    assert "bad.toml" in text
    assert "framework slug" in text
    assert "licence is missing" in text
    assert "unit 'smiles'" in text
    assert "measure code 'M1' is used more than once" in text
    assert "proxy value has no source" in text


def test_a_version_in_use_cannot_change_a_measures_unit(social_value_world) -> None:
    from commonground.social_value.services import commitment_create

    spec = from_toml(shipped_framework_files()[0])
    measure = social_value_world.measure("CG-T5.2-A")
    commitment_create(
        social_value_world.people["provider"],
        social_value_world.partnership,
        measure=measure,
        quantity="10",
        unit="hours",
        period_start=__import__("datetime").date(2026, 1, 1),
        period_end=__import__("datetime").date(2026, 12, 31),
    )
    for m in spec.measures():
        if m.code == "CG-T5.2-A":
            m.unit = "people"
    with pytest.raises(FrameworkInUse, match="publish a new version"):
        framework_save(spec, origin="test")
    measure.refresh_from_db()
    assert measure.unit == "hours"


def test_the_command_refuses_a_broken_file_and_loads_nothing(monkeypatch, tmp_path) -> None:
    from commonground.social_value import spec as spec_module

    (tmp_path / "a.toml").write_text("[framework]\nslug='x'\n", encoding="utf-8")
    monkeypatch.setattr(spec_module, "FRAMEWORKS_DIR", tmp_path)
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_social_value_frameworks", stdout=io.StringIO())
    assert not Framework.objects.exists()
