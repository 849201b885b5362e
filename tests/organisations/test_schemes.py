"""The org-id.guide scheme lists load as identifier schemes, with links to register pages where
we know them and Common Ground's own local schemes marked as not official."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonground.imports.errors import FileRejected
from commonground.organisations.models import IdentifierScheme
from commonground.organisations.schemes import identifier_schemes_load, record_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "orgid").glob("gb-*.json"))


def test_every_uk_list_becomes_a_scheme_plus_the_local_ones(lists: list[Path]) -> None:
    counts = identifier_schemes_load(lists)

    assert len(lists) == 26
    assert counts.loaded == 27
    assert IdentifierScheme.objects.filter(official=True).count() == 26
    chc = IdentifierScheme.objects.get(code="GB-CHC")
    assert chc.name == "Charity Commission/Comisiwn Elusennau"
    assert chc.public_database == "https://register-of-charities.charitycommission.gov.uk/"
    assert chc.licence == "Open Government Licence v2.0"
    mpr = IdentifierScheme.objects.get(code="GB-MPR")
    assert (mpr.name, mpr.record_url_template) == ("Mutuals Public Register", "")


def test_registers_we_link_to_have_record_addresses(lists: list[Path]) -> None:
    identifier_schemes_load(lists)

    templates = dict(
        IdentifierScheme.objects.exclude(record_url_template="").values_list(
            "code", "record_url_template"
        )
    )
    assert set(templates) == {"GB-CHC", "GB-COH", "GB-NIC", "GB-SC"}
    assert record_url("GB-CHC-214927") == (
        "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/214927"
    )
    assert record_url("GB-COH-00738693") == (
        "https://find-and-update.company-information.service.gov.uk/company/00738693"
    )
    assert record_url("GB-MPR-10002R") == ""


def test_co_operatives_without_a_company_number_have_a_local_scheme(lists: list[Path]) -> None:
    identifier_schemes_load(lists)

    local = IdentifierScheme.objects.get(code="XI-COOPSUK")
    assert local.official is False
    assert "Co-operatives UK" in local.name


def test_loading_the_lists_again_changes_nothing(lists: list[Path]) -> None:
    identifier_schemes_load(lists)

    again = identifier_schemes_load(lists)

    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 27)


def test_a_changed_list_updates_its_scheme(lists: list[Path], tmp_path: Path) -> None:
    identifier_schemes_load(lists)
    changed = tmp_path / "gb-chc.json"
    data = json.loads(next(p for p in lists if p.name == "gb-chc.json").read_text())
    data["name"]["en"] = "Charity Commission for England and Wales"
    changed.write_text(json.dumps(data))

    counts = identifier_schemes_load([changed])

    assert counts.updated == 1
    assert IdentifierScheme.objects.get(code="GB-CHC").name == (
        "Charity Commission for England and Wales"
    )


def test_a_broken_list_loads_nothing_and_names_the_file(lists: list[Path], tmp_path: Path) -> None:
    broken = tmp_path / "gb-zzz.json"
    broken.write_text('{"code": "GB-ZZZ", "name": ')

    with pytest.raises(FileRejected, match=r"gb-zzz\.json"):
        identifier_schemes_load([*lists, broken])

    assert IdentifierScheme.objects.count() == 0


def test_the_command_loads_the_catalogue_lists(
    shared_data: Path, settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings.COMMONGROUND_DATA_MIRROR = str(shared_data)
    out = StringIO()

    call_command("load_schemes", stdout=out)

    assert "from 26 lists: loaded 27" in out.getvalue()
    with pytest.raises(CommandError, match=r"no org-id\.guide lists"):
        call_command("load_schemes", "--folder", str(tmp_path), stdout=StringIO())
