"""Importing services from an HSDS 3 feed: validated against the specification's schemas, every
problem named by record and field, all or nothing, and the same file twice changes nothing."""

from __future__ import annotations

import json
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonground.imports.models import ImportRun
from commonground.profiles.models import Service

from .factories import EXAMPLES_DIR, ServiceFactory


def _run(path: Path) -> str:
    out = StringIO()
    call_command("import_services", "--file", str(path), stdout=out)
    return out.getvalue()


def _feed(tmp_path: Path, records: list[dict], name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"total_items": len(records), "contents": records}))
    return path


def _record(org_id: str, **extra: object) -> dict:
    scheme, _, identifier = org_id.rpartition("-")
    return {
        "id": str(uuid.uuid4()),
        "name": "Men's shed (synthetic)",
        "description": "Woodwork and company for older men.",
        "status": "active",
        "languages": [{"id": str(uuid.uuid4()), "name": "English"}],
        "service_areas": [
            {
                "id": str(uuid.uuid4()),
                "name": "Urmston",
                "uri": "http://statistics.data.gov.uk/id/statistical-geography/E05015259",
            },
            {"id": str(uuid.uuid4()), "name": "Trafford"},
            {"id": str(uuid.uuid4()), "name": "Greater Manchester"},
        ],
        "organization": {
            "id": str(uuid.uuid4()),
            "name": "A charity",
            "description": "A charity",
            "organization_identifiers": [
                {
                    "id": str(uuid.uuid4()),
                    "identifier_scheme": scheme,
                    "identifier_type": "org-id",
                    "identifier": identifier,
                }
            ],
        },
        **extra,
    }


def test_the_specifications_example_feed_imports_and_a_second_run_changes_nothing(
    db: None, shared_data: Path
) -> None:
    path = shared_data / EXAMPLES_DIR / "service_list.json"
    first = _run(path)
    assert "1 new" in first
    service = Service.objects.get()
    assert service.name == "Community Counselling" and service.source == "hsds"
    assert service.raw["id"] == str(service.pk)
    second = _run(path)
    assert "0 new, 0 updated, 1 unchanged" in second and "Nothing new was loaded" in second
    assert Service.objects.count() == 1
    assert ImportRun.objects.filter(dataset="hsds_services", status="succeeded").count() == 2


def test_a_service_is_linked_to_its_organisation_and_the_places_it_serves(
    profile_world, tmp_path: Path
) -> None:
    record = _record(profile_world.charity.org_id)
    _run(_feed(tmp_path, [record]))
    service = Service.objects.get()
    assert service.organisation == profile_world.charity
    assert sorted(service.places.values_list("gss_code", flat=True)) == ["E05015259", "E08000009"]
    assert service.other_areas == ["Greater Manchester"]


def test_a_record_missing_a_required_field_fails_the_whole_file_naming_the_record(
    profile_world, tmp_path: Path
) -> None:
    good = _record(profile_world.charity.org_id)
    bad = _record(profile_world.charity.org_id, name="Lunch club (synthetic)")
    del bad["status"]
    with pytest.raises(CommandError) as caught:
        _run(_feed(tmp_path, [good, bad]))
    message = str(caught.value)
    assert f"record 2 (id {bad['id']}, 'Lunch club (synthetic)'), field 'status'" in message
    assert "nothing was loaded" in message
    assert not Service.objects.exists()
    run = ImportRun.objects.get(dataset="hsds_services")
    assert run.status == "failed" and run.rows_loaded == 0


def test_a_changed_record_updates_the_service_it_was_imported_as(
    profile_world, tmp_path: Path
) -> None:
    record = _record(profile_world.charity.org_id)
    _run(_feed(tmp_path, [record]))
    record["description"] = "Woodwork, repairs and company."
    assert "1 updated" in _run(_feed(tmp_path, [record], "again.json"))
    assert Service.objects.get().description == "Woodwork, repairs and company."


def test_an_area_with_a_gss_code_we_do_not_know_is_refused_by_record_and_field(
    profile_world, tmp_path: Path
) -> None:
    record = _record(profile_world.charity.org_id)
    record["service_areas"][0]["uri"] = (
        "http://statistics.data.gov.uk/id/statistical-geography/E05999999"
    )
    with pytest.raises(CommandError) as caught:
        _run(_feed(tmp_path, [record]))
    assert "row 1, field 'service_areas'" in str(caught.value) and "E05999999" in str(caught.value)
    assert not Service.objects.exists()


def test_an_import_cannot_take_over_a_service_written_on_a_profile(
    profile_world, tmp_path: Path
) -> None:
    mine = ServiceFactory(organisation=profile_world.charity, name="Ours")
    record = _record(profile_world.charity.org_id, id=str(mine.pk))
    with pytest.raises(CommandError):
        _run(_feed(tmp_path, [record]))
    assert Service.objects.get().name == "Ours"


def test_a_file_that_is_not_json_is_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text("<html>not a feed</html>")
    with pytest.raises(CommandError) as caught:
        _run(path)
    assert "feed.json: not valid JSON" in str(caught.value)


@pytest.mark.django_db
def test_a_feed_of_no_services_fails_saying_nothing_was_loaded(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nothing was loaded"):
        _run(_feed(tmp_path, []))

    run = ImportRun.objects.get()
    assert run.status == "failed" and "feed.json" in run.error
    assert Service.objects.count() == 0
