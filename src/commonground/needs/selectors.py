"""Reads in the needs context (ADR 0028)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from commonground.accounts import permissions
from commonground.organisations.models import Organisation, PlaceLink
from commonground.organisations.why import income_words, money_words

from . import matching
from .models import Interest, InterestStatus, Need, NeedNotice, NeedStatus, Question, Visibility
from .validation import route_name


def needs_visible_to(user: Any) -> QuerySet[Need]:
    """Published needs the person may see, and the drafts of organisations they act for."""
    visible = Q(status=NeedStatus.PUBLISHED, visibility=Visibility.PUBLIC)
    if permissions.belongs_to_an_organisation(user):
        visible |= Q(status=NeedStatus.PUBLISHED)
    owned = permissions.organisations_acted_for(user)
    if owned:
        visible |= Q(organisation_id__in=owned)
    return Need.objects.filter(visible).select_related("organisation", "place")


def need_visible_to(user: Any, pk: int) -> Need | None:
    """The need if this person may see it; None whether missing or private (answer 404)."""
    need = Need.objects.select_related("organisation", "place", "appraisal").filter(pk=pk).first()
    if need is None or not permissions.can_view_need(user, need):
        return None
    return need


def is_open(need: Need) -> bool:
    return need.status == NeedStatus.PUBLISHED and need.closes_on >= timezone.localdate()


def matches_for(need: Need, limit: int = 20) -> list[matching.Match]:
    return matching.need_matches(need, limit=limit, route_names=route_name)


def interests_of(need: Need) -> QuerySet[Interest]:
    return need.interests.select_related("organisation", "organisation__local_authority")


def interest_count(need: Need) -> int:
    return need.interests.count()


def notices_of(need: Need) -> QuerySet[NeedNotice]:
    return need.notices.all()


def questions_for(need: Need, user: Any) -> list[Question]:
    """Answered questions (for everyone who sees the need), and the unanswered ones this person
    may see (the owner's, or their organisation's own)."""
    return [q for q in need.questions.all() if permissions.can_view(user, q)]


def responding_organisations(user: Any, need: Need) -> list[Organisation]:
    """The organisations this person may answer the need for."""
    ids = permissions.organisations_acted_for(user)
    orgs = Organisation.objects.filter(pk__in=ids).order_by("name")
    return [o for o in orgs if permissions.can_respond_to_need(user, need, o.pk)]


def interest_of(need: Need, organisation: Organisation) -> Interest | None:
    return need.interests.filter(organisation=organisation).first()


@dataclass
class Respondent:
    """One row of the side-by-side comparison."""

    interest: Interest
    sector: str
    income: str
    place: str
    match_rank: int | None
    reasons: list[str]


def compare(need: Need) -> list[Respondent]:
    """The respondents side by side, with where each stands among the matches."""
    ranked = {m.organisation.pk: (i, m) for i, m in enumerate(matches_for(need, 50), start=1)}
    rows = []
    for interest in interests_of(need):
        org = interest.organisation
        found = ranked.get(org.pk)
        rows.append(
            Respondent(
                interest,
                org.get_sector_display(),
                income_words(org),
                org.local_authority.name if org.local_authority else "not known",
                found[0] if found else None,
                found[1].reasons if found else [],
            )
        )
    return rows


def _place_codes(organisation: Organisation) -> set[str]:
    codes = set(
        PlaceLink.objects.filter(organisation=organisation).values_list("gss_code", flat=True)
    )
    if organisation.local_authority is not None:
        codes.add(organisation.local_authority.gss_code)
    return codes


def needs_fitting(user: Any, organisation: Organisation) -> list[tuple[Need, matching.Match]]:
    """Open needs in places the organisation works in that it fits, for its members."""
    codes = _place_codes(organisation)
    found = []
    today = timezone.localdate()
    needs = needs_visible_to(user).filter(
        status=NeedStatus.PUBLISHED, closes_on__gte=today, place__gss_code__in=codes
    )
    for need in needs.exclude(organisation=organisation):
        match = matching.fits(need, organisation)
        if match is not None:
            found.append((need, match))
    return found


def budget_words(need: Need) -> str:
    low, high = need.budget_min_pence, need.budget_max_pence
    if low is None and high is None:
        return "Not stated"
    if low is not None and high is not None:
        return f"{money_words(low)} to {money_words(high)}"
    return f"from {money_words(low)}" if low is not None else f"up to {money_words(high or 0)}"


def shortlisted_organisations(need: Need) -> list[tuple[Organisation, bool]]:
    """The attached saved shortlist's organisations, each with whether it has responded."""
    if need.shortlist_id is None:
        return []
    responded = set(need.interests.values_list("organisation_id", flat=True))
    entries = need.shortlist.entries.select_related("organisation").order_by("added_at", "pk")  # type: ignore[union-attr]
    return [(e.organisation, e.organisation_id in responded) for e in entries]


def likely_partners(need: Need) -> list[str]:
    """Organisation ids of the need's attached shortlist and shortlisted respondents, in order."""
    ids = [org.org_id for org, _ in shortlisted_organisations(need)]
    shortlisted = need.interests.filter(status=InterestStatus.SHORTLISTED).order_by("pk")
    ids += [i.organisation.org_id for i in shortlisted.select_related("organisation")]
    return list(dict.fromkeys(ids))[:20]


def needs_changeable_by(user: Any) -> list[tuple[Need, str]]:
    """The needs this person may change, each with how a list of them names it."""
    owned = Need.objects.filter(organisation_id__in=permissions.organisations_acted_for(user))
    needs = owned.select_related("organisation").order_by("title", "pk")
    return [
        (n, f"{n.title} ({n.organisation.name}, {n.get_status_display().lower()})")
        for n in needs
        if permissions.can_change_need(user, n)
    ]


def organisations_acted_for(user: Any) -> QuerySet[Organisation]:
    """The organisations this person may write needs and respond for, by name."""
    return Organisation.objects.filter(pk__in=permissions.organisations_acted_for(user)).order_by(
        "name"
    )


def question_of(need: Need, pk: int) -> Question | None:
    return Question.objects.filter(need=need, pk=pk).first()


def interest_by_id(need: Need, pk: int) -> Interest | None:
    return interests_of(need).filter(pk=pk).first()
