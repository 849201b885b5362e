"""organisations_upsert and organisation_refresh: what identity and derived facts users can rely
on, whichever order records arrive in, and that loading the same records again writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from commonground.organisations.models import Identifier, Organisation, OtherName, SourceRecord
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.services import organisation_refresh, organisations_upsert

pytestmark = pytest.mark.django_db


def record(
    dataset: str, key: str, ids: list[str], name: str, **facts: object
) -> OrganisationRecord:
    return OrganisationRecord(
        dataset=dataset,
        record_key=key,
        raw={"key": key, "name": name},
        identifiers=ids,
        name=name,
        **facts,  # type: ignore[arg-type]
    )


CHARITY = record(
    "charities",
    "1",
    ["GB-CHC-1"],
    "Sale Community Trust",
    priority=10,
    sector_claims=[SectorClaim("charity", "number", "1", "registered charity")],
    postcode="M33 7XX",
    date_registered=date(2001, 2, 3),
)
COMPANY = record(
    "companies",
    "01",
    ["GB-COH-00000001", "GB-CHC-1"],
    "SALE COMMUNITY TRUST LIMITED",
    priority=20,
    other_names=["SALE TRUST"],
    legal_form="PRI/LBG/NSC",
    address="1 High Street, Sale",
)


def facts_of(org: Organisation) -> tuple:
    return (
        org.org_id,
        org.name,
        org.sector,
        org.legal_form,
        org.postcode,
        org.address,
        org.date_registered,
        sorted(org.other_names.values_list("name", flat=True)),
        sorted(org.identifiers.values_list("value", flat=True)),
    )


@pytest.mark.parametrize("order", [(CHARITY, COMPANY), (COMPANY, CHARITY)])
def test_records_sharing_an_identifier_are_one_organisation_whatever_the_order(order) -> None:
    for rec in order:
        organisations_upsert([rec], None)

    org = Organisation.objects.get()
    assert facts_of(org) == (
        "GB-CHC-1",
        "Sale Community Trust",
        "charity",
        "PRI/LBG/NSC",
        "M33 7XX",
        "1 High Street, Sale",
        date(2001, 2, 3),
        ["SALE COMMUNITY TRUST LIMITED", "SALE TRUST"],
        ["GB-CHC-1", "GB-COH-00000001"],
    )


def test_records_in_one_batch_give_the_same_organisation_as_separate_batches() -> None:
    organisations_upsert([COMPANY, CHARITY], None)
    together = facts_of(Organisation.objects.get())
    Organisation.objects.all().delete()

    organisations_upsert([COMPANY], None)
    organisations_upsert([CHARITY], None)

    assert facts_of(Organisation.objects.get()) == together


def test_a_record_that_links_two_organisations_merges_them() -> None:
    organisations_upsert([record("a", "1", ["GB-CHC-5"], "Five")], None)
    organisations_upsert([record("b", "1", ["GB-COH-00000005"], "FIVE LTD")], None)
    assert Organisation.objects.count() == 2

    organisations_upsert([record("c", "1", ["GB-CHC-5", "GB-COH-00000005"], "Five")], None)

    org = Organisation.objects.get()
    assert org.source_records.count() == 3
    assert Identifier.objects.filter(organisation=org).count() == 2


def test_loading_the_same_records_again_writes_nothing() -> None:
    first = organisations_upsert([CHARITY, COMPANY], None)
    org = Organisation.objects.get()
    stamp = org.updated_at
    names = list(OtherName.objects.values_list("pk", flat=True))

    again = organisations_upsert([CHARITY, COMPANY], None)

    assert (first.loaded, again.loaded, again.updated, again.unchanged) == (2, 0, 0, 2)
    org.refresh_from_db()
    assert org.updated_at == stamp
    assert list(OtherName.objects.values_list("pk", flat=True)) == names


def test_a_changed_record_updates_the_organisation_it_belongs_to() -> None:
    organisations_upsert([CHARITY], None)
    changed = record(
        "charities",
        "1",
        ["GB-CHC-1"],
        "Sale Community Trust (renamed)",
        priority=10,
        postcode="M33 7YY",
    )

    counts = organisations_upsert([changed], None)

    org = Organisation.objects.get()
    assert counts.updated == 1
    assert (org.name, org.postcode, org.sector) == (
        "Sale Community Trust (renamed)",
        "M33 7YY",
        "unknown",
    )
    assert SourceRecord.objects.get().facts["name"] == "Sale Community Trust (renamed)"


def test_refresh_derives_the_same_facts_as_creation() -> None:
    organisations_upsert([CHARITY, COMPANY], None)
    org = Organisation.objects.get()
    created = facts_of(org), org.sector_evidence, org.search_name, org.search_other
    Organisation.objects.filter(pk=org.pk).update(name="wrong", sector="unknown", search_name="")

    organisation_refresh([org.pk])

    org.refresh_from_db()
    assert (facts_of(org), org.sector_evidence, org.search_name, org.search_other) == created


def test_the_registers_own_coordinates_are_used_when_the_postcode_is_unknown() -> None:
    organisations_upsert(
        [
            record(
                "coops",
                "1",
                ["XI-COOPSUK-R1"],
                "Co-op",
                postcode="ZZ9 9ZZ",
                latitude=53.1,
                longitude=0.0,
            )
        ],
        None,
    )

    org = Organisation.objects.get()
    assert (org.latitude, org.longitude) == (53.1, 0.0)
