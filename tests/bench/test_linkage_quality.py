"""Linkage quality on small labelled samples of the real files, so a change to the model or
the names that loses links (or makes wrong ones) fails here, not only in `make bench`.

The samples and their truth are the bench's (bench/linkage.py says what each one is)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import linkage as bench
from commonground.organisations.linkage import Party, link_parties
from commonground.organisations.models import Organisation
from tests.organisations.factories import load_trafford


def test_published_charity_company_pairs_link_with_f1_of_097_or_more() -> None:
    register, truth = bench.companies_register()
    sample = bench.set_all_pairs(register, truth, cap=700)
    measured, baseline = bench.evaluate(sample)
    assert measured.pairs == 700
    assert measured.precision >= 0.99
    assert measured.f1 >= 0.97
    assert measured.f1 > baseline.f1


def test_real_charity_records_link_to_their_companies() -> None:
    register, truth = bench.companies_register()
    measured, _ = bench.evaluate(bench.set_real_charities(register, truth))
    assert measured.pairs >= 6
    assert (measured.precision, measured.recall) == (1.0, 1.0)


def test_real_grant_recipients_link_without_a_wrong_link() -> None:
    grants = bench.set_other_publishers()[0]
    measured, baseline = bench.evaluate(grants)
    assert measured.pairs == 34
    assert measured.precision == 1.0
    # 0.68 on names and postcodes; the grants' beneficiary area (Trafford) lifts short names.
    assert measured.recall >= 0.75 and measured.recall >= baseline.recall


@pytest.mark.django_db
def test_link_parties_finds_grant_recipients_in_the_loaded_register(shared_data: Path) -> None:
    """The whole path: candidates from the database's indexes, then the model, with the
    charities placed by their postcodes and the recipients by their grants."""
    load_trafford(shared_data)
    grants = bench.set_other_publishers()[0]
    parties = [
        Party(f"grants:{p.unique_id}", p.name, p.postcode, places=p.places) for p in grants.parties
    ]
    results = link_parties(parties)
    org_ids = dict(Organisation.objects.values_list("pk", "org_id"))
    linked = {
        key.removeprefix("grants:"): org_ids[r.organisation_id]
        for key, r in results.items()
        if r.method == "probabilistic" and r.organisation_id is not None
    }
    truth = {k: f"GB-CHC-{v.removeprefix('CHC-')}" for k, v in grants.truth.items()}
    correct = sum(1 for k, v in linked.items() if truth[k] == v)
    assert correct == len(linked)  # no wrong link
    assert correct >= 0.75 * len(truth)
