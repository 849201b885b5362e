"""The case-study library: valid data with sources, found by slug and by route."""

from __future__ import annotations

import copy

import pytest
import yaml

from commonground.commissioning.case_studies import (
    DATA_FILE,
    ROUTE_CODES,
    CaseStudyDataError,
    all_case_studies,
    case_study,
    parse_case_studies,
    precedents_for,
)

REQUIRED = [
    "oldham-social-prescribing",
    "plymouth-alliance-complex-needs",
    "leicestershire-childrens-innovation-partnership",
    "kibble-st-mirren",
]


def test_the_four_named_case_studies_are_in_the_library_each_with_sources() -> None:
    slugs = [c.slug for c in all_case_studies()]
    assert set(REQUIRED) <= set(slugs)
    for case in all_case_studies():
        assert case.sources, case.slug
        assert all(s.url.startswith(("https://", "http://")) for s in case.sources)
        assert set(case.routes) <= ROUTE_CODES


def test_each_case_study_is_linked_to_the_routes_it_used() -> None:
    assert "innovation_partnership" in case_study("oldham-social-prescribing").routes
    assert "alliance_contract" in case_study("plymouth-alliance-complex-needs").routes
    assert "social_investment" in case_study("kibble-st-mirren").routes
    assert case_study("no-such-case") is None


def test_precedents_for_a_route_are_the_cases_that_used_it() -> None:
    assert [c.slug for c in precedents_for("alliance_contract")] == [
        "plymouth-alliance-complex-needs"
    ]
    assert "oldham-social-prescribing" in [c.slug for c in precedents_for("innovation_partnership")]
    assert precedents_for("open_procedure") == []


def _raw() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(routes=["made_up_route"]), "not a known route code"),
        (lambda c: c.update(sources=[]), "at least one source"),
        (lambda c: c.update(sources=[{"title": "x", "url": "not a url"}]), "not a web address"),
        (lambda c: c.update(slug="Bad Slug"), "slug"),
        (lambda c: c.update(summary=""), "'summary'"),
        (lambda c: c.update(route_notes={"open_procedure": "x"}), "not a route"),
    ],
)
def test_a_wrong_case_study_file_is_refused_naming_the_case_and_field(change, message) -> None:
    raw = copy.deepcopy(_raw())
    change(raw[0])
    with pytest.raises(CaseStudyDataError, match=message):
        parse_case_studies(raw)


def test_a_slug_used_twice_is_refused() -> None:
    raw = _raw()
    raw.append(copy.deepcopy(raw[0]))
    with pytest.raises(CaseStudyDataError, match="used twice"):
        parse_case_studies(raw)


@pytest.mark.django_db
def test_the_case_study_pages_are_public(client) -> None:
    listing = client.get("/case-studies/")
    assert listing.status_code == 200
    assert "Plymouth Alliance for complex needs" in listing.content.decode()
    page = client.get("/case-studies/kibble-st-mirren/")
    assert page.status_code == 200
    assert "https://e3m.org.uk/kibbles-partnership-with-st-mirren" in page.content.decode()
    assert client.get("/case-studies/no-such-case/").status_code == 404
