"""The legal forms inferred from recipients' names are right often enough to show: measured on
300 real Trafford spend recipients drawn by value and labelled by hand before the rules were
written (tests/money/data/recipient_legal_forms.csv, ADR 0028)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from commonground.money.attribution import infer, legal_forms, rules

SAMPLE = Path(__file__).parent / "data" / "recipient_legal_forms.csv"
# The hand labels name the legal form; these are the labels each inferred form agrees with.
AGREES = {
    "individual": {"individual"},
    "community_interest_company": {"cic"},
    "society": {"society"},
    "charity": {"charity"},
    "public_body": {"public_body"},
    "company": {"company"},
}


def _sample() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_sample_is_300_distinct_recipients_each_labelled() -> None:
    rows = _sample()
    assert len(rows) == 300
    assert len({r["name"].upper() for r in rows}) == 300
    assert {r["label"] for r in rows} <= {*AGREES, "cic", "unknown"}


def test_each_rule_is_right_at_least_95_times_in_100_on_the_labelled_sample() -> None:
    fired: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for row in _sample():
        rule = infer(row["name"])
        if rule is None:
            continue
        fired[rule.code] += 1
        right[rule.code] += row["label"] in AGREES[rule.form]
    measured = {code: right[code] / fired[code] for code in fired}
    assert {"company", "cic", "nhs", "council", "school", "withheld"} <= set(measured)
    assert {code: p for code, p in measured.items() if p < 0.95} == {}


def test_inferred_forms_are_right_at_least_97_times_in_100_overall() -> None:
    fired = right = 0
    for row in _sample():
        rule = infer(row["name"])
        if rule is not None:
            fired += 1
            right += row["label"] in AGREES[rule.form]
    assert fired >= 200
    assert right / fired >= 0.97


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Trafford Leisure CIC Ltd", "community_interest_company"),
        ("Trafford United Credit Union Ltd", "society"),
        ("Unicorn Grocery Co-operative", "society"),
        ("NHS Property Services Ltd", "public_body"),
        ("Abbotsford Preparatory School Ltd", "company"),
        ("Balfour Beatty Civil Engineering Lt", "company"),
        ("Stockport MBC (Accts Receiveable)", "public_body"),
        ("Greater Manchester Mental Health NH", "public_body"),
        ("Redacted", "individual"),
        ("Sisters Of St Joseph CIO", "charity"),
        # Cut short at the publisher's column width, or padded with a non-breaking space.
        ("Edsential Community Interest Compan", "community_interest_company"),
        ("Sale Festival Community Benefit Soc", "society"),
        ("Paradigm Professional Consultancy L", "company"),
        ("Eclipse Table and Chair Hire Limite", "company"),
        ("Inspiring Learners Multi Academy Tr", "public_body"),
        ("Our Lady Of Lourdes Catholic Prim S", "public_body"),
        ("Lancasterian School\u00a0", "public_body"),
        ("Manchester Port Health Authority", "public_body"),
        ("Transport for Greater Manchester", "public_body"),
    ],
)
def test_a_name_that_says_its_legal_form_is_given_that_form(name: str, form: str) -> None:
    rule = infer(name)
    assert rule is not None and rule.form == form


@pytest.mark.parametrize(
    "name",
    [
        "The Together Trust",  # a charity
        "Trafford Council for Voluntary Service",  # a charity, not a council
        "London & Quadrant Housing Trust",  # a registered society
        "Manchester Boxing Academy Club",  # "academy" used by a club
        "Limitless Youth",  # "limit" inside a word
        "Trafford West Primary Care Network",  # GP practices, not a school
        "Little Sunshines Preschool",  # a pre-school says no legal form
    ],
)
def test_trust_academy_and_words_inside_words_infer_nothing(name: str) -> None:
    assert infer(name) is None


def test_every_rule_names_a_form_and_says_what_it_does() -> None:
    forms = legal_forms()
    for rule in rules():
        assert rule.form in forms
        assert len(rule.shown) > 20
