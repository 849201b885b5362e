"""The decision record's content, once, for the Word document and the PDF: the sections a
committee paper needs (the service, the options considered, the recommendation, the legal basis
and thresholds with their dates, the facts still to confirm, obligations and timeline, and the
answers given). Each renderer lays the same blocks out in its own format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import partners
from .presenters import date_label, to_confirm
from .questions import BY_FIELD, display

STATUS_WORDS = {
    "available": "Available",
    "available_if": "Available if conditions are met",
    "not_available": "Not available",
}


@dataclass
class Section:
    heading: str
    # Each block: ("p", text), ("bullets", [text]) or ("table", headers, rows).
    blocks: list[tuple[Any, ...]] = field(default_factory=list)

    def p(self, text: str) -> Section:
        self.blocks.append(("p", text))
        return self

    def bullets(self, items: list[str]) -> Section:
        if items:
            self.blocks.append(("bullets", items))
        return self

    def table(self, headers: tuple[str, ...], rows: Sequence[Sequence[Any]]) -> Section:
        self.blocks.append(("table", headers, rows))
        return self


def record_title(answers: dict[str, Any], name: str = "") -> tuple[str, str]:
    """Title and subtitle: the service and the council, as named in the answers."""
    service = answers.get("service_name") or name or "A service (not named)"
    council = answers.get("authority_name") or "Commissioning body not named"
    return f"Commissioning route decision record: {service}", council


def _service(
    answers: dict[str, Any], result: dict[str, Any], author: str, links: Sequence[tuple[str, str]]
) -> Section:
    s = Section("1. The service")
    rows = [
        ("Service", answers.get("service_name") or "Not named"),
        ("Commissioning body", answers.get("authority_name") or "Not named"),
        ("Decision date", date_label(result.get("decision_date", ""))),
        ("Law applied", result.get("regime_label", "")),
        (
            "Estimated value",
            display(BY_FIELD["estimated_value_pence"], answers.get("estimated_value_pence")),
        ),
        ("Duration", display(BY_FIELD["duration_months"], answers.get("duration_months"))),
        ("Rules version", result.get("rules_version", "")),
    ]
    if answers.get("partners"):
        rows.append(("Likely partners", "; ".join(partners.labels(answers["partners"]))))
    if answers.get("aims"):
        rows.append(("Aims put first", display(BY_FIELD["aims"], answers["aims"])))
    rows += links
    if author:
        rows.append(("Prepared by", author))
    return s.table(("", ""), rows)


def _options(result: dict[str, Any]) -> Section:
    s = Section("2. The options considered")
    counts = result.get("counts", {})
    s.p(
        f"{len(result.get('routes', []))} lawful routes were tested: "
        f"{counts.get('available', 0)} available, {counts.get('available_if', 0)} available if "
        f"conditions are met and {counts.get('not_available', 0)} not available on these answers."
    )
    rows = [
        (r["name"], STATUS_WORDS[r["status"]], str(r["fit"]), str(len(r["next"]["to_confirm"])))
        for r in result.get("recommendation", [])
    ]
    s.table(("Route", "Status", "Fit (0-100)", "To confirm"), rows)
    s.bullets(
        [
            f"{r['name']}: {STATUS_WORDS[r['status']].lower()}."
            for r in result.get("routes", [])
            if r["status"] != "not_available"
            and r["code"] not in {x["code"] for x in result.get("recommendation", [])}
        ]
    )
    return s


def _recommendation(result: dict[str, Any]) -> Section:
    s = Section("3. The recommendation")
    rec = result.get("recommendation", [])
    if not rec:
        return s.p("No route is open on these answers, so none is recommended.")
    s.p(f"Recommended route: {rec[0]['name']} ({STATUS_WORDS[rec[0]['status']].lower()}).")
    s.bullets(rec[0]["why"])
    for alt in rec[1:]:
        s.p(f"Alternative: {alt['name']} ({STATUS_WORDS[alt['status']].lower()}).")
        s.bullets(alt["why"])
    return s


def _legal(result: dict[str, Any]) -> Section:
    s = Section("4. Legal basis and thresholds")
    routes = {r["code"]: r for r in result.get("routes", [])}
    for rec in result.get("recommendation", []):
        basis = routes.get(rec["code"], {}).get("legal_basis", [])
        s.p(f"{rec['name']}: " + "; ".join(b["citation"] for b in basis))
    s.table(
        ("Figure", "Value", "Applies from", "Confirmed"),
        [
            (
                f["label"],
                f["display"],
                date_label(f["applies_from"]),
                "No" if f["unconfirmed"] else "Yes",
            )
            for f in result.get("figures", [])
        ],
    )
    return s.bullets(list(result.get("notes", [])))


def _to_confirm(result: dict[str, Any]) -> Section:
    s = Section("5. Facts still to confirm")
    flags = to_confirm(result)
    rec = result.get("recommendation", [])
    s.p(
        f"This record rests on {len(flags['unknown'])} answer(s) given as 'not sure' and "
        f"{len(flags['unconfirmed'])} point(s) of law not yet confirmed."
    )
    if flags["unknown"]:
        s.p("Answers given as 'not sure':").bullets(flags["unknown"])
    for r in rec:
        if r["next"]["to_confirm"]:
            s.p(f"Conditions to confirm for {r['name']}:").bullets(r["next"]["to_confirm"])
    if flags["unconfirmed"]:
        s.p("Points of law not yet confirmed in the law fact base:").bullets(flags["unconfirmed"])
    if not (flags["unknown"] or flags["unconfirmed"] or any(r["next"]["to_confirm"] for r in rec)):
        s.p("Nothing: every answer was given and every point of law relied on is confirmed.")
    return s


def _obligations(result: dict[str, Any]) -> Section:
    s = Section("6. Obligations and timeline")
    routes = {r["code"]: r for r in result.get("routes", [])}
    for rec in result.get("recommendation", [])[:1]:
        route = routes.get(rec["code"], {})
        s.p(f"For {rec['name']}:")
        s.bullets([o["text"] for o in route.get("obligations", [])])
        s.p(f"Typical timeline: {route.get('timeline', '')}")
    return s


def _answers(answers: dict[str, Any]) -> Section:
    s = Section("7. The answers given")
    return s.table(
        ("Question", "Answer"),
        [(q.label, display(q, answers[q.field])) for q in BY_FIELD.values() if q.field in answers],
    )


def record_sections(
    answers: dict[str, Any],
    result: dict[str, Any],
    author: str = "",
    links: Sequence[tuple[str, str]] = (),
) -> list[Section]:
    """`links`: (label, name) of the partnership and need a saved appraisal is linked to."""
    return [
        _service(answers, result, author, links),
        _options(result),
        _recommendation(result),
        _legal(result),
        _to_confirm(result),
        _obligations(result),
        _answers(answers),
    ]


DISCLAIMER = (
    "This record explains which routes the published rules found open on the answers given. It "
    "is not legal advice; take it to your legal and procurement colleagues."
)
