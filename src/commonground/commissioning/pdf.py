"""The printable decision record as a PDF, for legal and procurement colleagues."""

from __future__ import annotations

from typing import Any

from commonground.web.pdf import PdfDocument

from .catalogue import PRINCIPLES
from .presenters import grouped
from .questions import BY_FIELD, display


def decision_record_pdf(
    *, title: str, answers: dict[str, Any], result: dict[str, Any], author: str = ""
) -> bytes:
    doc = PdfDocument(
        "Commissioning route appraisal",
        subtitle=title,
        footer=f"Common Ground - rules version {result.get('rules_version', '')}",
    )
    rows = [
        ("Decision date", display(BY_FIELD["decision_date"], result.get("decision_date"))),
        ("Law applied", result.get("regime_label", "")),
        ("Rules version", result.get("rules_version", "")),
    ]
    if author:
        rows.append(("Prepared by", author))
    doc.key_values(rows)
    doc.heading("Answers", 2)
    doc.key_values(
        (q.label, display(q, answers[q.field]))
        for q in BY_FIELD.values()
        if q.field in answers and q.field != "decision_date"
    )
    doc.heading("Figures used", 2)
    doc.table(
        ("Figure", "Value", "From", "Confirmed"),
        (
            (f["label"], f["display"], f["applies_from"], "No" if f["unconfirmed"] else "Yes")
            for f in result.get("figures", [])
        ),
        widths=(0.55, 0.15, 0.15, 0.15),
    )
    for note in result.get("notes", []):
        doc.paragraph(note, size=9)
    for group in grouped(result):
        doc.heading(f"{group['heading']} ({len(group['routes'])})", 1)
        for r in group["routes"]:
            doc.heading(r["name"], 2)
            doc.paragraph(f"{r['family_label']}. {r['summary']}", size=10)
            doc.paragraph("Why", bold=True)
            doc.bullets(f"{x['text']} [{x['rule']}]" for x in r["reasons"])
            if group["status"] == "not_available":
                continue
            doc.paragraph(
                "Legal basis: " + "; ".join(b["citation"] for b in r["legal_basis"]), size=10
            )
            if r["conditions_to_confirm"]:
                doc.paragraph("Conditions to confirm", bold=True)
                doc.checklist(x["text"] for x in r["conditions_to_confirm"])
            if r["obligations"]:
                doc.paragraph("Obligations", bold=True)
                doc.checklist(o["text"] for o in r["obligations"])
            doc.paragraph(f"Typical timeline: {r['timeline']}", size=10)
            doc.paragraph("Risks: " + " ".join(r["risks"]), size=10)
            fit = ", ".join(f"{PRINCIPLES[p['principle']]} {p['fit']}" for p in r["principle_fit"])
            doc.paragraph(f"Principle fit: {fit}. {r['principle_note']}", size=10)
            if r["precedents"]:
                doc.paragraph(
                    "Precedents: "
                    + "; ".join(f"{p['title']} ({p['place_name']})" for p in r["precedents"]),
                    size=10,
                )
            if r["unconfirmed"]:
                doc.paragraph("Rests on points not confirmed in the law fact base:", bold=True)
                doc.bullets(r["unconfirmed"])
    doc.paragraph(
        "This record explains which routes the rules found open on the answers given. It is "
        "not legal advice; take it to your legal and procurement colleagues.",
        size=9,
    )
    return doc.output()
