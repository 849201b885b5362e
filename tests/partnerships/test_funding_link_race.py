"""Two people linking the same money flow to a partnership at once: one link is kept and the
other person is told the flow is already linked, never a server error from the database's
unique constraint."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from commonground.partnerships import services
from commonground.partnerships.models import PartnershipFunding
from commonground.partnerships.services import partnerships as funding_writes
from commonground.places.models import Place
from tests.money.factories import MoneyFlowFactory
from tests.partnerships.factories import partnership_world


@pytest.mark.django_db
def test_a_link_made_by_someone_else_between_the_check_and_the_write_is_already_linked(
    partnership_world, monkeypatch
) -> None:
    w = partnership_world
    flow = MoneyFlowFactory(place=w.place)
    # The other person's link is kept just after this one's check found none: the check
    # answers as it did before that link was written, and only the write meets it.
    services.partnership_add_funding(w.people["lead"], w.partnership, flow)
    check = funding_writes._funded_by

    def stale_check(partnership, money_flow) -> bool:
        monkeypatch.setattr(funding_writes, "_funded_by", check)
        return False

    monkeypatch.setattr(funding_writes, "_funded_by", stale_check)
    with pytest.raises(services.PartnershipError, match="already linked") as refused:
        services.partnership_add_funding(w.people["member"], w.partnership, flow)
    assert refused.value.conflict and refused.value.field == "money_flow"
    assert PartnershipFunding.objects.filter(money_flow=flow).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_links_of_one_flow_sent_at_the_same_moment_keep_one_and_tell_the_other() -> None:
    place = Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")
    w = partnership_world(place)
    flow = MoneyFlowFactory(place=place)
    outcomes: list[str] = []
    if connection.vendor != "postgresql":
        # SQLite takes one writer at a time (the test database's shared cache refuses a second
        # at once rather than waiting, as a database file does): the two arrive in turn.
        for who in ("lead", "member"):
            try:
                services.partnership_add_funding(w.people[who], w.partnership, flow)
                outcomes.append("linked")
            except services.PartnershipError as error:
                outcomes.append(error.message)
        assert sorted(outcomes) == ["That money flow is already linked.", "linked"]
        assert PartnershipFunding.objects.filter(money_flow=flow).count() == 1
        return
    start = threading.Barrier(2)

    def link(who: str) -> None:
        try:
            start.wait()
            services.partnership_add_funding(w.people[who], w.partnership, flow)
            outcomes.append("linked")
        except services.PartnershipError as error:
            outcomes.append(error.message)
        except Exception as error:  # the failure this test guards against
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=link, args=(who,)) for who in ("lead", "member")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["That money flow is already linked.", "linked"]
    assert PartnershipFunding.objects.filter(money_flow=flow).count() == 1
