"""The Companies House load through staged records (ADR 0046): it stores byte for byte what the
general upsert stored, so a file loaded before reads as unchanged; records that are not new and
alone still go through the general upsert; a large load's embeddings are made after it commits."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from commonground.imports.engine import ImportContext, LoadCounts, run_import
from commonground.imports.models import ImportStatus
from commonground.imports.readers import Row
from commonground.organisations.models import (
    Identifier,
    Organisation,
    OrganisationEmbedding,
    OtherName,
    SourceRecord,
)
from commonground.organisations.records import OrganisationRecord
from commonground.organisations.registers.companies_house import CompaniesHouseImporter
from commonground.organisations.services import organisations_upsert, prepare_for_load

pytestmark = pytest.mark.django_db

SOCIAL_ROWS = 77  # the sample's 87 rows less its 10 private limited companies


class GeneralPath(CompaniesHouseImporter):
    """The importer as it was before staging: each record read by parse_record and loaded
    through organisations_upsert."""

    stage_with_duckdb = False

    def parse(self, row: Row) -> Any:
        return self.parse_record(row)

    def prepare(self, record: Any) -> None:
        prepare_for_load(record)

    def load(self, records: list[Any], context: ImportContext) -> LoadCounts:
        return organisations_upsert(records, context.run)

    def finish(self, context: ImportContext) -> None:
        pass


def fast(importer: CompaniesHouseImporter) -> CompaniesHouseImporter:
    importer.fast_path_min_bytes = 0  # type: ignore[misc]
    return importer


@pytest.fixture
def sample(shared_data: Path) -> Path:
    return shared_data / "registers" / "companies_house_basic_company_data_sample.csv"


def stored() -> dict[str, tuple[Any, ...]]:
    """Everything a load writes about each organisation, by org-id, without database ids."""
    skip = {"id", "created_at", "updated_at", "search_vector"}
    columns = [f.attname for f in Organisation._meta.concrete_fields if f.attname not in skip]
    rows: dict[str, tuple[Any, ...]] = {}
    for org in Organisation.objects.order_by("org_id"):
        sources = list(
            SourceRecord.objects.filter(organisation=org)
            .order_by("record_key")
            .values_list("dataset", "record_key", "raw", "facts", "checksum", "row_number")
        )
        rows[org.org_id] = (
            tuple(getattr(org, c) for c in columns),
            sources,
            _source_text(org.pk),  # the stored JSON text itself, not only what it parses to
            sorted(Identifier.objects.filter(organisation=org).values_list("value", "scheme")),
            sorted(OtherName.objects.filter(organisation=org).values_list("name", "source")),
            _index_entry(org.pk),
            OrganisationEmbedding.objects.filter(organisation=org)
            .values_list("fingerprint", "vector")
            .first(),
        )
    return rows


def _source_text(org_pk: int) -> list[tuple[str, str]]:
    cast = "::text" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT raw{cast}, facts{cast} FROM organisations_sourcerecord "
            "WHERE organisation_id = %s ORDER BY record_key",
            [org_pk],
        )
        return [tuple(row) for row in cursor.fetchall()]


def _index_entry(org_pk: int) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, other_names, activities, facets FROM organisations_search "
                "WHERE rowid = %s",
                [org_pk],
            )
        else:
            cursor.execute(
                "SELECT search_vector::text FROM organisations_organisation WHERE id = %s",
                [org_pk],
            )
        return cursor.fetchone()


def _checksums() -> list[str]:
    return sorted(SourceRecord.objects.values_list("checksum", flat=True))


@pytest.mark.parametrize("reader", [lambda i: i, fast], ids=["plain", "duckdb"])
def test_both_paths_store_the_same_bytes(sample: Path, reader) -> None:
    run_import(reader(GeneralPath()), sample)
    general = stored()
    Organisation.objects.all().delete()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM organisations_search")

    run = run_import(reader(CompaniesHouseImporter()), sample)

    assert (run.status, run.rows_loaded) == (ImportStatus.SUCCEEDED, SOCIAL_ROWS)
    staged = stored()
    assert len(staged) == SOCIAL_ROWS
    assert staged == general


def test_a_file_loaded_by_the_general_path_reads_as_unchanged(sample: Path) -> None:
    run_import(GeneralPath(), sample)
    before = (stored(), _checksums())

    run = run_import(CompaniesHouseImporter(), sample)

    assert (run.rows_loaded, run.rows_updated, run.rows_unchanged) == (0, 0, SOCIAL_ROWS)
    assert (stored(), _checksums()) == before


def _edited(sample: Path, tmp_path: Path, change: dict[str, str]) -> Path:
    """The sample with the first social-economy row's fields changed."""
    with open(sample, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    names = [h.strip() for h in rows[0]]
    first = next(
        r for r in rows[1:] if r[names.index("CompanyCategory")] != "Private Limited Company"
    )
    for column, value in change.items():
        first[names.index(column)] = value
    path = tmp_path / "basic.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    return path


def test_a_changed_company_is_updated_by_the_general_upsert(sample: Path, tmp_path: Path) -> None:
    run_import(CompaniesHouseImporter(), sample)
    path = _edited(sample, tmp_path, {"CompanyName": "RENAMED COMMUNITY TRUST"})

    run = run_import(CompaniesHouseImporter(), path)

    assert (run.rows_loaded, run.rows_updated, run.rows_unchanged) == (0, 1, SOCIAL_ROWS - 1)
    renamed = Organisation.objects.get(name="RENAMED COMMUNITY TRUST")
    assert renamed.search_name == "renamed community trust"
    assert Organisation.objects.count() == SOCIAL_ROWS


def test_a_company_another_register_holds_joins_that_organisation(
    sample: Path, tmp_path: Path
) -> None:
    path = _edited(sample, tmp_path, {})
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    names = [h.strip() for h in rows[0]]
    social = next(
        r for r in rows[1:] if r[names.index("CompanyCategory")] != "Private Limited Company"
    )
    number = social[names.index("CompanyNumber")].strip().zfill(8)
    organisations_upsert(
        [
            OrganisationRecord(
                dataset="fca_mutuals",
                record_key="RS1",
                raw={},
                identifiers=["GB-MPR-RS1", f"GB-COH-{number}"],
                name="Held Already",
            )
        ],
        None,
    )

    run = run_import(CompaniesHouseImporter(), path)

    assert run.rows_loaded == SOCIAL_ROWS
    held = Organisation.objects.get(identifiers__value=f"GB-COH-{number}")
    assert held.identifiers.filter(value="GB-MPR-RS1").exists()
    assert set(held.source_records.values_list("dataset", flat=True)) == {
        "fca_mutuals",
        "companies_house",
    }
    assert Organisation.objects.count() == SOCIAL_ROWS


def test_a_large_load_embeds_after_it_commits(sample: Path) -> None:
    importer = CompaniesHouseImporter()
    importer.embed_in_load_max = 10  # type: ignore[misc]

    run = run_import(importer, sample)

    assert run.status == ImportStatus.SUCCEEDED
    assert OrganisationEmbedding.objects.count() == 0
    seen: list[tuple[int, int]] = []
    assert importer.embed_after(lambda done, total: seen.append((done, total))) == SOCIAL_ROWS
    assert seen[-1] == (SOCIAL_ROWS, SOCIAL_ROWS)
    assert OrganisationEmbedding.objects.count() == SOCIAL_ROWS
    assert importer.embed_after() == 0  # nothing left to embed


def test_a_failed_load_embeds_nothing_afterwards(sample: Path, tmp_path: Path) -> None:
    importer = CompaniesHouseImporter()
    importer.embed_in_load_max = 10  # type: ignore[misc]
    missing = tmp_path / "gone.csv"

    run = run_import(importer, missing)

    assert run.status == ImportStatus.FAILED
    assert importer.embed_after() == 0


def test_the_command_embeds_a_large_load_after_it_and_says_so(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CompaniesHouseImporter, "embed_in_load_max", 10)
    out = StringIO()

    call_command("import_register", "companies_house", "--file", str(sample), stdout=out)

    assert f"embedding the new organisations: {SOCIAL_ROWS} of {SOCIAL_ROWS}" in out.getvalue()
    assert f"embedded {SOCIAL_ROWS} new organisations" in out.getvalue()
    assert OrganisationEmbedding.objects.count() == SOCIAL_ROWS
