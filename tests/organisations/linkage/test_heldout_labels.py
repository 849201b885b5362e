"""The held-out linkage labels (docs/dataset-cards/linkage-heldout.md) name only records that
exist in the three registers, and only recipients that Trafford published."""

import csv
import io
import zipfile
from pathlib import Path

LABELS = Path(__file__).resolve().parents[1] / "data" / "linkage_heldout.csv"


def _rows() -> list[dict[str, str]]:
    with open(LABELS, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _register_ids(shared_data: Path) -> set[str]:
    registers = shared_data / "registers"
    ids: set[str] = set()
    with open(registers / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ids.add(f"CHC-{row['registered_charity_number']}")
            if row["charity_company_registration_number"] not in ("", "NA"):
                ids.add(f"COH-{row['charity_company_registration_number'].zfill(8)}")
    with open(registers / "coops_uk_open_data_2023q2.csv", encoding="utf-8") as handle:
        ids |= {row["Identifier"] for row in csv.DictReader(handle)}
    with open(registers / "links_charity_to_company_numbers.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ids |= {row["org_id_a"].removeprefix("GB-"), row["org_id_b"].removeprefix("GB-")}
    return ids


def test_the_held_out_labels_cover_300_distinct_recipients_with_a_decision_each():
    rows = _rows()
    assert [row["id"] for row in rows] == [f"H{n:03d}" for n in range(1, 301)]
    assert len({" ".join(row["name"].casefold().split()) for row in rows}) == 300
    assert all(row["register_ids"] and row["confidence"] in {"high", "low"} for row in rows)


def test_every_labelled_body_is_a_record_of_the_registers(shared_data):
    known = _register_ids(shared_data)
    named = {
        body
        for row in _rows()
        if row["register_ids"] != "NONE"
        for body in row["register_ids"].split(";")
    }
    assert named and named <= known, sorted(named - known)


def test_every_held_out_name_was_published_by_trafford_as_a_recipient(shared_data):
    published: set[str] = set()
    for path in sorted((shared_data / "spend").glob("trafford-supplier-spend-*.zip")):
        with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as raw:
            reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig"))
            published |= {" ".join(row["BeneficiaryName"].split()) for row in reader}
    assert {row["name"] for row in _rows()} <= published
