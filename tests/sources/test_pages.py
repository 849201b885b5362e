"""The public Data sources page lists every catalogue dataset with its licence and download
address, the latest import of each file loaded here, and each import's rejected rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.test import Client

from commonground.imports.engine import run_import
from commonground.places.importers.postcodes import TraffordPostcodesImporter
from commonground.sources.catalogue import DATASETS

pytestmark = pytest.mark.django_db


def test_every_dataset_is_listed_with_publisher_licence_attribution_and_address(
    client: Client,
) -> None:
    page = client.get("/data-sources/").content.decode()

    for dataset in DATASETS:
        assert f'id="{dataset.code}"' in page
        assert f'href="{dataset.licence_url}"' in page
        for source_file in dataset.files:
            assert source_file.url.replace("&", "&amp;") in page
    assert "Contains National Statistics data © Crown copyright" in page
    assert "Not loaded here." in page


@pytest.fixture
def postcodes_with_bad_rows(places_dir: Path, tmp_path: Path) -> Path:
    """The Trafford postcodes with 60 postcodes spoiled: enough for two pages of rejections."""
    with open(places_dir / "trafford_postcodes.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:200]
    for row in rows[:60]:
        row["postcode"] = "NOT A POSTCODE"
    broken = tmp_path / "trafford_postcodes.csv"
    with open(broken, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return broken


def test_a_loaded_dataset_shows_its_latest_import_with_checksum_and_counts(
    client: Client, postcodes_with_bad_rows: Path
) -> None:
    run = run_import(TraffordPostcodesImporter(), postcodes_with_bad_rows)

    page = client.get("/data-sources/").content.decode()

    assert f'href="/data-sources/imports/{run.pk}/"' in page
    assert run.sha256[:16] in page
    assert ">200<" in page and ">140<" in page and ">60<" in page
    assert str(postcodes_with_bad_rows.parent) not in page  # the server's folders stay private


def test_an_import_page_lists_its_rejected_rows_page_by_page(
    client: Client, postcodes_with_bad_rows: Path
) -> None:
    run = run_import(TraffordPostcodesImporter(), postcodes_with_bad_rows)

    first = client.get(f"/data-sources/imports/{run.pk}/").content.decode()
    second = client.get(f"/data-sources/imports/{run.pk}/", {"page": 2}).content.decode()

    assert run.sha256 in first
    assert first.count("&#x27;NOT A POSTCODE&#x27; is not a UK postcode") == 50
    assert second.count("&#x27;NOT A POSTCODE&#x27; is not a UK postcode") == 10
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">61</td>' in second
    assert "<code>postcode</code>" in first and "trafford_postcodes.csv" in first


def test_a_dataset_page_lists_every_import_of_it(
    client: Client, postcodes_with_bad_rows: Path
) -> None:
    runs = [run_import(TraffordPostcodesImporter(), postcodes_with_bad_rows) for _ in range(2)]

    page = client.get("/data-sources/trafford_postcodes/").content.decode()

    assert all(f'href="/data-sources/imports/{run.pk}/"' in page for run in runs)


def test_unknown_imports_and_datasets_are_not_found(client: Client) -> None:
    assert client.get("/data-sources/imports/999999/").status_code == 404
    assert client.get("/data-sources/no_such_dataset/").status_code == 404
