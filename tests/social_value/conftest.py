"""A partnership with members from each perspective, another partnership, and the default
framework, for the social value tests. People are made through the accounts service; the
partnerships are written as rows (their own services are tested in tests/partnerships)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from commonground.partnerships.models import Partnership, PartnershipMember
from commonground.places.models import Place
from commonground.social_value.models import Framework, Measure
from tests.accounts.conftest import make_user


@dataclass
class World:
    partnership: Partnership
    other: Partnership
    framework: Framework
    people: dict[str, User]

    def measure(self, code: str) -> Measure:
        return Measure.objects.get(framework=self.framework, code=code)


def add_member(
    partnership: Partnership, user: User, perspective: str, role: str = "member"
) -> PartnershipMember:
    return PartnershipMember.objects.create(
        partnership=partnership,
        user=user,
        perspective=perspective,
        role=role,
        joined_on=dt.date(2026, 1, 5),
    )


def make_partnership(name: str, creator: User, place: Place) -> Partnership:
    now = timezone.now()
    return Partnership.objects.create(
        name=name,
        purpose="Synthetic test partnership",
        place=place,
        created_by=creator,
        created_at=now,
        updated_at=now,
    )


@pytest.fixture
def world(db) -> World:
    call_command("load_social_value_frameworks", stdout=io.StringIO())
    place = Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")
    people = {
        "staff": make_user("admin@platform.example", staff=True),
        "commissioner": make_user("commissioner@council.example"),
        "commissioner2": make_user("colleague@council.example"),
        "provider": make_user("worker@provider.example"),
        "funder": make_user("grants@funder.example"),
        "observer": make_user("watcher@community.example"),
        "outsider": make_user("outsider@elsewhere.example"),
        "other_member": make_user("member@otherpartnership.example"),
    }
    partnership = make_partnership(
        "Sale social prescribing (synthetic)", people["commissioner"], place
    )
    add_member(partnership, people["commissioner"], "commissioner", "lead")
    add_member(partnership, people["commissioner2"], "commissioner")
    add_member(partnership, people["provider"], "provider")
    add_member(partnership, people["funder"], "funder", "accountable_body")
    add_member(partnership, people["observer"], "community", "observer")
    other = make_partnership("Stretford youth (synthetic)", people["other_member"], place)
    add_member(other, people["other_member"], "provider", "lead")
    framework = Framework.objects.get(is_default=True)
    return World(partnership, other, framework, people)


@pytest.fixture
def csv_file(tmp_path) -> Callable[..., object]:
    def write(text: str, name: str = "framework.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
