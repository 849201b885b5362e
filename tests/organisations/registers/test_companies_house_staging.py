"""Companies House rows staged by DuckDB (ADR 0055): for every line DuckDB stages, the stored
JSON and checksum are byte for byte those of parse_record and stage; awkward lines (bad dates,
stray quotes, accents, short numbers, null words) are left to parse_record, which reports them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from commonground.imports.errors import RowRejected
from commonground.imports.readers import make_row
from commonground.organisations.registers.companies_house import (
    LAYOUT,
    CompaniesHouseImporter,
)
from commonground.organisations.registers.companies_house_staging import (
    PLAIN_LINE,
    CompaniesHouseStaging,
    plain_line,
)
from commonground.organisations.staged import StagedRecord, stage


@pytest.fixture
def sample(shared_data: Path) -> Path:
    return shared_data / "registers" / "companies_house_basic_company_data_sample.csv"


def sample_lines(sample: Path) -> tuple[list[str], list[tuple[int, str]]]:
    text = sample.read_text(encoding="utf-8-sig").splitlines()
    header = [h.strip() for h in next(csv.reader([text[0]]))]
    return header, [(number, line) for number, line in enumerate(text[1:], start=2)]


def by_python(header: list[str], number: int, line: str) -> StagedRecord | str | None:
    """What the importer's plain path makes of the line: a staged record, None (skipped) or
    the reason it is refused."""
    values = next(csv.reader([line]))
    row = make_row("sample.csv", number, header, values, len(header))
    try:
        record = CompaniesHouseImporter().parse_record(row)
    except RowRejected as error:
        return error.reason
    return None if record is None else stage(record)


def by_duckdb(header: list[str], lines: list[tuple[int, str]]) -> dict[int, StagedRecord]:
    importer = CompaniesHouseImporter()
    staging = CompaniesHouseStaging(
        header,
        dataset=importer.dataset,
        register=importer.register,
        priority=importer.priority,
        file_name="sample.csv",
        layout=LAYOUT,
    )
    try:
        return staging.stage([(number, line) for number, line in lines if plain_line(line)])
    finally:
        staging.close()


def as_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(values)
    return out.getvalue()


def test_every_staged_sample_row_is_stored_byte_for_byte_as_parse_record_would(
    sample: Path,
) -> None:
    header, lines = sample_lines(sample)
    staged = by_duckdb(header, lines)
    expected = {n: by_python(header, n, line) for n, line in lines}
    # Every social-economy row of the sample in plain ASCII is staged by DuckDB (one name has
    # an accent: parse_record reads it).
    plain = {n for n, line in lines if plain_line(line)}
    assert set(staged) == {n for n, r in expected.items() if isinstance(r, tuple) and n in plain}
    assert len(staged) == 76
    for number, record in staged.items():
        assert record == expected[number], number


def awkward_rows() -> list[tuple[str, dict[str, str]]]:
    """(what is awkward, the changed fields) for rows made from one real row."""
    return [
        ("quotes and a backslash in the name", {"CompanyName": 'THE "BIG" \\ SOCIETY CIC'}),
        (
            "spaces around and inside values",
            {"CompanyName": "  OLD   MILL  TRUST ", "RegAddress.AddressLine1": " 1  HIGH ST "},
        ),
        (
            "a null word for a value",
            {"RegAddress.AddressLine2": "N/A", "PreviousName_1.CompanyName": "NA"},
        ),
        ("a short number to pad", {"CompanyNumber": "12345"}),
        ("a lower-case prefixed number", {"CompanyNumber": "sc123456"}),
        ("a short prefixed number", {"CompanyNumber": "SC1234"}),
        ("no number", {"CompanyNumber": ""}),
        ("a date that does not exist", {"IncorporationDate": "31/02/2020"}),
        ("a date without leading zeros", {"IncorporationDate": "1/2/2020"}),
        ("a date with spaces", {"IncorporationDate": " 01/02/2020"}),
        ("year nought", {"IncorporationDate": "01/02/0000"}),
        ("dissolved", {"DissolutionDate": "05/06/2021", "CompanyStatus": "Active"}),
        ("an accent", {"CompanyName": "CAFÉ CULTURE CIC"}),
        ("no name", {"CompanyName": "  "}),
        (
            "a SIC that says nothing",
            {"SICCode.SicText_1": "None Supplied", "SICCode.SicText_2": " "},
        ),
        ("a postcode without its space", {"RegAddress.PostCode": "m320th"}),
        ("not a postcode", {"RegAddress.PostCode": "NOT KNOWN"}),
        (
            "a category with its explanation",
            {"CompanyCategory": "PRI/LBG/NSC (Private, limited by guarantee, no share capital)"},
        ),
        ("a category in other case", {"CompanyCategory": "community INTEREST company"}),
        ("a category not selected", {"CompanyCategory": "Private Limited Company"}),
        ("statuses", {"CompanyStatus": "Active - Proposal to Strike off"}),
        ("in administration", {"CompanyStatus": "In Administration/Receiver Manager"}),
        ("removed", {"CompanyStatus": "Converted/Closed"}),
        (
            "previous names",
            {
                "PreviousName_1.CompanyName": "FIRST NAME LTD",
                "PreviousName_3.CompanyName": " THIRD  NAME ",
            },
        ),
        ("a tab", {"RegAddress.AddressLine1": "1\tHIGH ST"}),
        (
            "previous names repeating the name and each other",
            {
                "CompanyName": "RIVER & CO LTD",
                "PreviousName_1.CompanyName": "river & co ltd",
                "PreviousName_2.CompanyName": "St Mary's_Trust",
                "PreviousName_3.CompanyName": "ST MARY'S_TRUST",
                "PreviousName_4.CompanyName": "N/A",
                "PreviousName_5.CompanyName": "GRP SOC CTTEE",
            },
        ),
        ("punctuation for search", {"CompanyName": "A.B.C. (NORTH-WEST) `GRP` ASSOC. 2020 CIC"}),
        ("a long name", {"CompanyName": "LONG " * 120}),
    ]


def test_awkward_rows_are_staged_exactly_or_left_to_parse_record(sample: Path) -> None:
    header, lines = sample_lines(sample)
    base = next(csv.reader([lines[0][1]]))
    cases = awkward_rows()
    made: list[tuple[int, str]] = []
    for offset, (_, changes) in enumerate(cases):
        values = list(base)
        for name, value in changes.items():
            values[header.index(name)] = value
        values[header.index("CompanyNumber")] = changes.get("CompanyNumber", f"CE{offset:06d}")
        if "CompanyCategory" not in changes:
            values[header.index("CompanyCategory")] = "Community Interest Company"
        made.append((100 + offset, as_line(values)))
    # A stray quote and a short row: not well-formed lines, never staged.
    made.append((200, made[0][1].replace('","', '"x,"', 1)))
    made.append((201, made[0][1].rsplit(",", 3)[0]))
    staged = by_duckdb(header, made)
    for number, line in made:
        if number in staged:
            assert staged[number] == by_python(header, number, line), (number, line)
    # What is left goes through parse_record (which reads or refuses it).
    left = {n for n, _ in made} - set(staged)
    described = {cases[n - 100][0] for n in left if n < 200}
    assert described == {
        "a short prefixed number",
        "no number",
        "a date that does not exist",
        "a date without leading zeros",
        "a date with spaces",
        "year nought",
        "an accent",
        "no name",
        "a category not selected",
        "a tab",
        "a long name",
    }
    assert {200, 201} <= left


def test_duckdb_and_python_agree_on_which_lines_are_plain(sample: Path) -> None:
    _, lines = sample_lines(sample)
    texts = [line for _, line in lines] + [
        '"A","B"',
        '"A""B",C',
        '"A"B,C',  # text after a closing quote
        'A"B,C',  # a quote inside a bare field
        '"A,B',  # an open quote
        '"CAF\u00c9","B"',
        '"A\tB","C"',
        "",
    ]
    with duckdb.connect() as connection:
        found = [
            connection.execute("SELECT regexp_full_match(?, ?)", [text, PLAIN_LINE]).fetchall()[0][
                0
            ]
            for text in texts
        ]
    assert found == [plain_line(text) for text in texts]
    assert found[-8:] == [True, True, False, False, False, False, False, True]
