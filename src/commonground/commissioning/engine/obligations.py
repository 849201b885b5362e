"""Duties that attach to a procured contract rather than to one route: social value, the
National Procurement Policy Statement, KPIs and the Welsh and Scottish duties. Which routes they
attach to is data (`contract_duties: true` in the route's YAML)."""

from __future__ import annotations

from typing import Any

from ..answers import Nation, Subject
from ..catalogue import Route
from .context import NOT_AVAILABLE, WALES_SPPP_START, Ctx, Outcome, pounds


def regime_obligations(ctx: Ctx, route: Route, outcome: Outcome) -> list[dict[str, Any]]:
    """Duties that attach to the contract rather than the route: social value, KPIs, the
    national policy statements."""
    a = ctx.a
    out: list[dict[str, Any]] = []
    if outcome.status == NOT_AVAILABLE or not route.data.get("contract_duties") or ctx.psr:
        return out
    if not ctx.above:
        return out
    if (
        a.subject is Subject.services
        and a.nation is Nation.england
        and route.code != "light_touch_flexible"
        and route.code != "reserved_mutual_s33"
    ):
        out.append(
            {
                "kind": "duty",
                "text": "Social Value Act 2012 s.1: before starting, consider how the procurement "
                "might improve the area's economic, social and environmental wellbeing, and "
                "whether to consult.",
                "source": "https://legislation.gov.uk/ukpga/2012/3/2016-04-18/data.html",
                "unconfirmed": False,
            }
        )
    if ctx.regime == "pa2023" and a.nation is Nation.england:
        out.append(
            {
                "kind": "duty",
                "text": "Have regard to the National Procurement Policy Statement (s.13) - "
                "follow it or record reasons for departing.",
                "source": "https://bevanbrittan.com/insights/articles/2025/the-national-procurement-policy-statement",
                "unconfirmed": False,
            }
        )
    kpi = ctx.figure("kpi_publication")
    if (
        ctx.regime == "pa2023"
        and kpi is not None
        and a.estimated_value_pence > kpi.value
        and a.light_touch_service is not True
    ):
        out.append(
            {
                "kind": "publication",
                "text": f"Over {pounds(kpi.value)}: set at least 3 KPIs and publish them; the "
                "contract details notice gives access to the contract (s.52).",
                "source": kpi.source,
                "unconfirmed": False,
            }
        )
    if a.nation is Nation.wales and ctx.day >= WALES_SPPP_START:
        out.append(
            {
                "kind": "duty",
                "text": "Social Partnership and Public Procurement (Wales) Act 2023 s.24: "
                "socially responsible procurement duty for prescribed contracts; publish "
                "objectives and report annually.",
                "source": "https://legislation.gov.uk/asc/2023/1/section/24/data.htm?view=plain",
                "unconfirmed": False,
            }
        )
    if a.nation is Nation.scotland:
        cb = ctx.figure("scotland_community_benefits")
        if cb is not None and a.estimated_value_pence >= cb.value:
            out.append(
                {
                    "kind": "duty",
                    "text": f"Regulated procurement of {pounds(cb.value)} or more: consider "
                    "community benefit requirements, summarise them in the contract notice and "
                    "report them in the award notice.",
                    "source": "http://www.legislation.gov.uk/asp/2014/12/part/3/crossheading/community-benefit-requirements/enacted?view=plain",
                    "unconfirmed": cb.unconfirmed,
                }
            )
    return out
