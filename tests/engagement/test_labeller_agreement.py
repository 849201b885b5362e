"""Agreement between the two labellers of the published-statement corpus (issue 13, item 1).

The dataset card reports Cohen's kappa, raw agreement and micro-F1 between the first labeller
and a second, blind labeller on a fixed 10% sample. These tests recompute the figures from the
two CSV files and fail when the card says something the files do not bear out."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from commonground.engagement.analysis import agreement

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "docs" / "dataset-cards" / "articulation-corpus.md"
FIRST = ROOT / "src/commonground/engagement/analysis/data/published_statements.csv"
SECOND = ROOT / "src/commonground/engagement/analysis/data/published_statements_second_labeller.csv"
SECOND_COLUMNS = ["id", "orientation", "concepts", "principles", "methodologies",
                  "reform_stance", "names_concept"]  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _agreement_section() -> str:
    text = CARD.read_text(encoding="utf-8")
    start = text.index("## Inter-labeller agreement")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _card_single_figures() -> dict[str, tuple[float, float]]:
    pattern = re.compile(
        r"^\| (orientation|reform_stance|names_concept) \| ([0-9.]+) \| ([-0-9.]+) \|$"
    )
    figures = {}
    for line in _agreement_section().splitlines():
        match = pattern.match(line)
        if match:
            figures[match[1]] = (float(match[2]), float(match[3]))
    return figures


def test_second_labeller_labelled_exactly_the_sample_the_card_fixed_with_seed_13() -> None:
    ids = [row["id"] for row in _rows(FIRST)]
    expected = random.Random(13).sample(ids, round(len(ids) * 0.10))
    listed = re.findall(r"P\d{4}", _agreement_section().split("**How.**")[0])
    second_ids = [row["id"] for row in _rows(SECOND)]
    assert sorted(second_ids) == sorted(expected) == sorted(listed)
    assert len(second_ids) == len(set(second_ids)) == 124


def test_second_labeller_file_has_only_label_columns_and_known_codes() -> None:
    with open(SECOND, newline="", encoding="utf-8") as handle:
        assert csv.DictReader(handle).fieldnames == SECOND_COLUMNS
    # paired_rows refuses unknown codes, so reading the real files is the check.
    assert len(agreement.paired_rows(FIRST, SECOND)) == 124


@pytest.mark.parametrize("field", ["orientation", "reform_stance", "names_concept"])
def test_card_reports_the_kappa_and_raw_agreement_the_two_files_give(field: str) -> None:
    first = {row["id"]: row[field] for row in _rows(FIRST)}
    second = {row["id"]: row[field] for row in _rows(SECOND)}
    ids = sorted(second)
    ours, theirs = [first[i] for i in ids], [second[i] for i in ids]
    kappa = cohen_kappa_score(ours, theirs)  # independent of the agreement module
    raw = sum(a == b for a, b in zip(ours, theirs, strict=True)) / len(ids)
    card_raw, card_kappa = _card_single_figures()[field]
    assert round(kappa, 3) == card_kappa
    assert round(raw, 3) == card_raw


def test_card_tables_are_what_the_agreement_module_prints() -> None:
    # Confusion tables and micro-F1 figures must move with the files, not stay as typed.
    assert agreement.markdown(FIRST, SECOND) in _agreement_section()


def test_agreement_module_kappa_matches_scikit_learn_on_the_sample() -> None:
    pairs = agreement.paired_rows(FIRST, SECOND)
    for field in ("orientation", "reform_stance", "names_concept"):
        ours = agreement.single_agreement(pairs, field).kappa
        reference = cohen_kappa_score([a[field] for a, _ in pairs], [b[field] for _, b in pairs])
        assert ours == pytest.approx(reference)


def test_kappa_of_a_textbook_table_is_point_four() -> None:
    # 50 items: both yes 20, both no 15, first yes / second no 5, first no / second yes 10.
    first = ["yes"] * 20 + ["no"] * 15 + ["yes"] * 5 + ["no"] * 10
    second = ["yes"] * 20 + ["no"] * 15 + ["no"] * 5 + ["yes"] * 10
    assert agreement.cohen_kappa(first, second) == pytest.approx(0.4)


def test_micro_f1_counts_each_statement_label_pair_once() -> None:
    pairs = [
        ({"concepts": "profit competition"}, {"concepts": "profit"}),
        ({"concepts": ""}, {"concepts": "purpose"}),
    ]
    result = agreement.list_agreement(pairs, "concepts")
    assert (result.true_positive, result.first_only, result.second_only) == (1, 1, 1)
    assert result.micro_f1 == pytest.approx(0.5)
    assert result.per_label["profit"] == (1, 0, 0, 1.0)


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=SECOND_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _label_row(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(SECOND_COLUMNS, "")
    row.update(id="P0005", orientation="purpose", methodologies="grant_subsidy",
               reform_stance="none", names_concept="no")  # fmt: skip
    row.update(changes)
    return row


def test_a_misspelt_code_is_refused_naming_file_row_and_field(tmp_path: Path) -> None:
    second = _write(tmp_path / "second.csv", [_label_row(methodologies="grants")])
    with pytest.raises(agreement.AgreementError, match=r"second\.csv, row 2, methodologies"):
        agreement.paired_rows(FIRST, second)


def test_an_id_missing_from_the_corpus_is_refused_by_name(tmp_path: Path) -> None:
    second = _write(tmp_path / "second.csv", [_label_row(id="P9999")])
    with pytest.raises(agreement.AgreementError, match="P9999"):
        agreement.paired_rows(FIRST, second)


def test_a_repeated_id_is_refused(tmp_path: Path) -> None:
    second = _write(tmp_path / "second.csv", [_label_row(), _label_row()])
    with pytest.raises(agreement.AgreementError, match="row 3: id P0005 repeated"):
        agreement.paired_rows(FIRST, second)
