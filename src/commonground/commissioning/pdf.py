"""The printable decision record as a PDF, for legal and procurement colleagues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commonground.core.pdf import PdfDocument

from .catalogue import PRINCIPLES
from .presenters import grouped
from .record import DISCLAIMER, record_sections, record_title


def decision_record_pdf(
    *,
    title: str,
    answers: dict[str, Any],
    result: dict[str, Any],
    author: str = "",
    links: Sequence[tuple[str, str]] = (),
) -> bytes:
    heading, council = record_title(answers, title)
    doc = PdfDocument(
        heading,
        subtitle=council,
        footer=f"Common Ground - rules version {result.get('rules_version', '')}",
    )
    for section in record_sections(answers, result, author, links):
        doc.heading(section.heading, 1)
        for block in section.blocks:
            if block[0] == "p":
                doc.paragraph(block[1])
            elif block[0] == "bullets":
                doc.bullets(block[1])
            elif block[2]:
                _table(doc, block[1], block[2])
    doc.heading("Appendix: every route", 1)
    for group in grouped(result):
        doc.heading(f"{group['heading']} ({len(group['routes'])})", 1)
        for r in group["routes"]:
            doc.heading(r["name"], 2)
            doc.paragraph(f"{r['family_label']}. {r['summary']}", size=10)
            doc.paragraph("Why", bold=True)
            doc.bullets(x["text"] for x in r["reasons"])
            if r.get("would_change"):
                doc.paragraph(" ".join(r["would_change"]), size=10)
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
    doc.paragraph(DISCLAIMER, size=9)
    return doc.output()


def _table(doc: PdfDocument, headers: tuple[str, ...], rows: Any) -> None:
    if not any(headers):
        doc.key_values((str(a), str(b)) for a, b in rows)
        return
    width = 1 / len(headers)
    doc.table(headers, ([str(c) for c in row] for row in rows), widths=(width,) * len(headers))
