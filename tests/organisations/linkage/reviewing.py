"""People and a queued review for the review-queue tests."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from commonground.accounts.permissions import REVIEWERS_GROUP
from commonground.organisations.linkage import Party, link_parties
from commonground.organisations.models import LinkReview
from tests.accounts.conftest import make_user


def reviewers() -> dict[str, User]:
    """A platform administrator, a member of the reviewers group, and a signed-in outsider."""
    admin = make_user("admin@platform.example", staff=True)
    reviewer = make_user("reviewer@council.example")
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    outsider = make_user("someone@example.org")
    return {"admin": admin, "reviewer": reviewer, "outsider": outsider}


# The organisation's very name, but at a postcode in another area: a reviewer decides.
UNCERTAIN = Party("spend:altrincham scouts association", "Altrincham Scouts Association", "SK8 1AA")


def queued_review() -> LinkReview:
    assert link_parties([UNCERTAIN])[UNCERTAIN.key].method == "review_pending"
    return LinkReview.objects.get(party_key=UNCERTAIN.key)
