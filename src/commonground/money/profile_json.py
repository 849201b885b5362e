"""A place's money profile as JSON, the same for the API and the profile page's download, so the
two always agree. Every figure carries the address of the flows behind it, in the API and on
the pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .attribution import LEVELS
from .selectors import Figure, PlaceProfile

METHODOLOGY = (
    "Amounts are added up in pence as published. A flow counts for the place when the council's "
    "spend file says so, when a grant's beneficiary location is the place (or its funder is the "
    "council), or when a contract's buyer has a postcode there. Sector comes from the registers "
    "of the organisation each recipient is linked to (by identifier, else by name and postcode; "
    "uncertain matches wait for review), never from the name alone. Each recipient is attributed "
    "at one level: register (linked to an organisation in the registers), inferred (its legal "
    "form from its name by a reviewed rule, shown; only where there is no register link) or "
    "unknown. The social economy's share is a range: at least the register-level share, up to "
    "that plus the inferred community interest companies, societies and CIOs. Local means the "
    "linked organisation's registered address is in the place. HHI is the sum of squared "
    "percentage shares of recipients, leaving out payments to individuals."
)


def _figure(figure: Figure, api: str, page: str) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "pence": figure.pence,
        "flows": figure.count,
        "share": figure.share,
        "flows_url": f"{api}?{figure.flows_query}",
        "flows_page": f"{page}?{figure.flows_query}",
    }


def profile_json(profile: PlaceProfile) -> dict[str, Any]:
    """The profile as JSON: every figure with the addresses of the flows behind it."""
    api = reverse("api-v1:money-flows")
    page = reverse("money:flows")

    def fig(figure: Figure) -> dict[str, Any]:
        return _figure(figure, api, page)

    return {
        "gss_code": profile.place.gss_code,
        "name": profile.place.name,
        "financial_year": profile.year_label or None,
        "date_from": profile.filters.date_from,
        "date_to": profile.filters.date_to,
        **_period_and_attribution(profile, fig),
        "total": fig(profile.total),
        "by_channel": [fig(f) for f in profile.by_channel],
        "by_financial_year": [fig(f) for f in profile.by_year],
        "by_channel_and_year": [
            {"year": year, "channels": [fig(f) for f in figures]}
            for year, figures in profile.by_channel_year
        ],
        "by_sector": [fig(f) for f in profile.by_sector],
        "by_locality": [fig(f) for f in profile.by_locality],
        "distinct_recipients": profile.distinct_recipients,
        "distinct_organisations": profile.distinct_organisations,
        "hhi": profile.hhi,
        "top_recipients_by_sector": [
            {
                "sector": fig(sector),
                "recipients": [
                    {
                        "name": r.name,
                        "org_id": r.org_id,
                        "pence": r.pence,
                        "flows": r.count,
                        "flows_url": f"{api}?{r.flows_query}",
                    }
                    for r in recipients
                ],
            }
            for sector, recipients in profile.top_by_sector
        ],
        "grants_by_ward": [
            {
                "gss_code": w.ward.gss_code,
                "name": w.ward.name,
                "pence": w.pence,
                "grants": w.count,
                "flows_url": f"{api}?{w.flows_query}",
            }
            for w in profile.grants_by_ward
        ],
        "not_linked": [fig(f) for f in profile.not_linked],
        "not_linked_total": fig(profile.not_linked_total),
        "not_loaded": [
            {
                "import_run": item.run.pk,
                "source": item.run.source,
                "rows": item.rejected,
                "url": reverse("sources:run", kwargs={"pk": item.run.pk}),
            }
            for item in profile.not_loaded
        ],
        "methodology": METHODOLOGY,
    }


def _period_and_attribution(profile: PlaceProfile, fig: Any) -> dict[str, Any]:
    """Coverage of each channel, the attribution levels and the social economy's range."""
    attribution = profile.attribution
    levels = {f.key: f for f in attribution.levels} if attribution else {}
    return {
        "coverage": [
            {
                "channel": c.channel,
                "dataset": c.dataset,
                "financial_year": c.year_label,
                "date_from": c.date_from,
                "date_to": c.date_to,
                "months": c.months,
                "flows": c.flows,
                "payers": c.payers,
                "pence": c.pence,
            }
            for c in profile.coverage
        ],
        "attribution": {
            level: {
                "pence": levels[level].pence if level in levels else 0,
                "share": levels[level].share if level in levels else None,
                "flows": levels[level].count if level in levels else 0,
                "flows_url": fig(levels[level])["flows_url"] if level in levels else "",
            }
            for level in LEVELS
        },
        "inferred_by_rule": [
            {**fig(item.figure), "legal_form": item.form.code, "rule": item.rule.shown}
            for item in (attribution.inferred if attribution else [])
        ],
        "social_economy_share": {
            "at_least": attribution.at_least if attribution else None,
            "up_to": attribution.up_to if attribution else None,
            "unknown": levels["unknown"].share if attribution else None,
        },
        "grants_without_ward": fig(profile.grants_unmapped) if profile.grants_unmapped else None,
        "year_on_year": [
            {
                "label": row.label,
                "this_year": fig(row.this),
                "last_year": fig(row.last),
                "compares": "share" if row.as_share else "amount",
            }
            for row in profile.comparison
        ],
    }
