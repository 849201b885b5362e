"""The alignment report: the context the page renders, and the same content as a PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonground.accounts import permissions
from commonground.core.pdf import PdfDocument

from . import selectors
from .alignment import (
    MIN_VOTERS,
    PERSPECTIVE_LABELS,
    PERSPECTIVES,
    STANCES,
    THEMES,
    PerspectiveVotes,
    theme_label,
    two_places,
)
from .analysis.analyser import ORIENTATIONS
from .models import Conversation

BAR_WIDTH = 300  # pixels of the longest bar in the orientation chart (an SVG, no inline style)
LABEL_WIDTH = 160


def _theme_rows(report: selectors.AlignmentReport) -> list[dict[str, Any]]:
    profiles = report.alignment.profiles
    rows = []
    for theme in THEMES:
        shares = [p.share(theme) for p in profiles]
        if not any(shares):
            continue
        rows.append(
            {
                "theme": theme_label(theme),
                "cells": [f"{s:.0%}" for s in shares],
                "spread": max(shares) - min(shares),
            }
        )
    return rows


def _stance_rows(report: selectors.AlignmentReport) -> list[dict[str, Any]]:
    """Each perspective's statements by reform stance (counts and shares of its statements)."""
    stances = [
        s for s in STANCES if any(p.reform_stances.get(s) for p in report.alignment.profiles)
    ]
    return [
        {
            "label": p.label,
            "cells": [f"{p.reform_stances.get(s, 0)} ({p.stance_share(s):.0%})" for s in stances],
            "stances": stances,
        }
        for p in report.alignment.profiles
    ]


def _orientation_chart(report: selectors.AlignmentReport) -> list[dict[str, Any]]:
    chart = []
    for row, profile in enumerate(report.alignment.profiles):
        x = float(LABEL_WIDTH)
        segments = []
        for label in ORIENTATIONS:
            share = profile.orientation_share(label)
            width = round(share * BAR_WIDTH, 1)
            segments.append(
                {"label": label, "x": round(x, 1), "width": width, "share": f"{share:.0%}"}
            )
            x += width
        chart.append(
            {"profile": profile, "segments": segments, "y": row * 30 + 5, "text_y": row * 30 + 20}
        )
    return chart


def alignment_context(
    request: HttpRequest, conversation: Conversation, *, report: bool = False
) -> dict[str, Any]:
    user = request.user
    result = selectors.alignment_report(conversation, user)
    own = selectors.own_participation(user, conversation)
    return {
        "participation": own,
        "is_open": conversation.status == "open",
        "conversation": conversation,
        "report": result,
        "alignment": result.alignment,
        "theme_rows": _theme_rows(result),
        "stance_rows": _stance_rows(result),
        "chart": _orientation_chart(result),
        "chart_width": BAR_WIDTH + LABEL_WIDTH + 10,
        "chart_height": len(result.alignment.profiles) * 30 + 10,
        "orientations": ORIENTATIONS,
        "perspectives": [(p, PERSPECTIVE_LABELS[p]) for p in PERSPECTIVES],
        "min_voters": MIN_VOTERS,
        "printable": report,
        "runs": not report and permissions.can_run_conversation(user, conversation),
        "votes": not report
        and permissions.can_vote_in_conversation(user, conversation)
        and own is not None,
        "texts": result.texts,
    }


def _pdf_profiles(doc: PdfDocument, result: selectors.AlignmentReport) -> None:
    """The perspective profiles table and which perspectives have no statements yet."""
    alignment = result.alignment
    doc.heading("Perspective profiles", 2)
    doc.table(
        ["Perspective", "Statements", "Mean score", *[o.capitalize() for o in ORIENTATIONS]],
        [
            [
                p.label,
                str(p.count),
                two_places(p.mean_score, signed=True),
                *[str(p.orientation[o]) for o in ORIENTATIONS],
            ]
            for p in alignment.profiles
        ],
    )
    if alignment.missing_perspectives:
        doc.paragraph(
            "No published statements yet from: "
            + ", ".join(PERSPECTIVE_LABELS[p] for p in alignment.missing_perspectives)
            + "."
        )


def _pdf_agreement(doc: PdfDocument, result: selectors.AlignmentReport) -> None:
    """Where perspectives agree and diverge: the matrix, theme shares and reform stances."""
    alignment = result.alignment
    doc.heading("Where perspectives agree and diverge", 2)
    doc.table(
        ["Between", "Orientation gap", "Theme overlap", "Agreement"],
        [
            [
                f"{PERSPECTIVE_LABELS[m.first]} and {PERSPECTIVE_LABELS[m.second]}",
                two_places(m.orientation_gap),
                two_places(m.theme_overlap),
                f"{two_places(m.agreement)} ({m.verdict})",
            ]
            for m in alignment.matrix
        ],
    )
    rows = _theme_rows(result)
    if rows:
        doc.table(
            ["Theme", *[p.label for p in alignment.profiles]],
            [[r["theme"], *r["cells"]] for r in rows],
        )
    stance_rows = _stance_rows(result)
    if stance_rows and stance_rows[0]["stances"]:
        doc.heading("Reform stances by perspective", 2)
        doc.table(
            ["Perspective", *[s.capitalize() for s in stance_rows[0]["stances"]]],
            [[r["label"], *r["cells"]] for r in stance_rows],
        )


def _pdf_findings(doc: PdfDocument, result: selectors.AlignmentReport) -> None:
    """Common ground, the themes that emerge and the tensions, each with its quotes."""
    alignment = result.alignment
    doc.heading("Common ground", 2)
    if not alignment.common_ground:
        doc.paragraph("No theme is shared by every perspective yet.")
    for finding in alignment.common_ground:
        doc.heading(theme_label(finding.theme).capitalize(), 3)
        doc.bullets([f'{PERSPECTIVE_LABELS[q.perspective]}: "{q.text}"' for q in finding.quotes])
    doc.heading("Themes that emerge", 2)
    if not result.themes:
        doc.paragraph("Themes appear once there are at least six published statements.")
    for theme in result.themes:
        doc.heading(f"Theme {theme.number}: {theme.name}", 3)
        speakers = ", ".join(
            f"{PERSPECTIVE_LABELS[p].lower()} ({n})" for p, n in theme.by_perspective.items()
        )
        doc.paragraph(
            f"{theme.size} statements; spoken to by {speakers}."
            + (" Every perspective speaks to it." if theme.shared_by_all else "")
        )
        doc.bullets([f'{PERSPECTIVE_LABELS[q.perspective]}: "{q.text}"' for q in theme.quotes])
    doc.heading("Tensions", 2)
    if not alignment.tensions:
        doc.paragraph("No tension stands out.")
    for finding in alignment.tensions:
        doc.paragraph(finding.summary)
        doc.bullets([f'{PERSPECTIVE_LABELS[q.perspective]}: "{q.text}"' for q in finding.quotes])


def _votes_cell(votes: PerspectiveVotes) -> str:
    """One perspective's votes as the report shows them (the page reads the same)."""
    if votes.counts is None:
        return "Too few votes to show"
    if votes.none_yet:
        return "No votes yet"
    return "{agree}/{disagree}/{pass}".format(**votes.counts)


def _pdf_shared_votes(doc: PdfDocument, result: selectors.AlignmentReport) -> None:
    """The shared statements with each perspective's votes and whether there is consensus."""
    doc.heading("Shared statements and votes", 2)
    if not result.shared:
        doc.paragraph("No shared statements have been put to a vote yet.")
    else:
        doc.table(
            ["Shared statement", *[PERSPECTIVE_LABELS[p] for p in PERSPECTIVES], "Consensus"],
            [
                [
                    s.shared.text,
                    *[_votes_cell(v) for v in s.tally.perspectives],
                    s.tally.consensus_reading,
                ]
                for s in result.shared
            ],
        )
        doc.paragraph(
            "Votes are shown as agree/disagree/pass. Consensus: at least "
            f"{MIN_VOTERS} people from each of the four perspectives have voted and at least "
            "60% of each perspective's decided votes agree; until then it reads \"Not enough "
            "votes to say\". So that nobody's vote can be worked out, a perspective's votes read "
            f'"Too few votes to show" when fewer than {MIN_VOTERS} people from it voted, or '
            "when showing them would let someone work out such a person's vote from the other "
            "figures."
        )


def alignment_pdf(conversation: Conversation) -> bytes:
    result = selectors.alignment_report(conversation)
    subtitle = f"{conversation.get_kind_display()}: {conversation.prompt}"
    if conversation.is_example:
        subtitle = "EXAMPLE — illustrative statements written for the demo. " + subtitle
    doc = PdfDocument(f"Alignment report: {conversation.title}", subtitle=subtitle)
    doc.paragraph(
        f"{result.alignment.statement_count} published statements. Articulation analysis by the "
        "Common Ground lexicon (explainable, offline); reviewed labels are used where given."
    )
    _pdf_profiles(doc, result)
    _pdf_agreement(doc, result)
    _pdf_findings(doc, result)
    _pdf_shared_votes(doc, result)
    return doc.output()
