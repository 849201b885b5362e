"""Linkage quality: charities linked to Companies House records without the number (P, R, F1).

Ground truth: registers/links_charity_to_company_numbers.csv, the published GB-CHC <-> GB-COH
pairs (4,399). Its `name` column is the company's name as Companies House writes it (e.g.
"BRINK PRODUCTIONS LIMITED" for the charity "BRINK PRODUCTIONS", "Crossco (1045)" for a shelf
name), so it gives the Companies House side: one record per company number. The 87 real rows
of the Companies House sample are added to that register (none of them is a linked company,
so they can only be wrongly matched).

The charity side must come from somewhere else, and the shared data holds few charity records
whose company is in the link table. So three evaluation sets, each said for what it is:

1. real charity records: every charity record in the shared data (Trafford's Charity Commission
   extract, the 360Giving recipients of Trafford Council, A B Charitable Trust and Power to
   Change) whose charity number has a published company. Real names and postcodes; few pairs.
2. all published pairs, the charity named in the charity register's style: for each of the
   4,399 pairs, the company's name as a charity register writes it (company-only words such as
   "Limited" dropped, then one of: "The" added or dropped, case changed, "&" and "and"
   swapped, punctuation dropped, a place after a comma left out, usual abbreviations; a fixed
   rule per pair). Derived names: this set measures what the model does with the ways the
   registers differ and with 4,486 real, often near-identical names at once, not a second
   real register.
3. real records from other publishers, truth by identifier: Trafford Council's grant recipients
   linked to Trafford's Charity Commission extract (charity number), Power to Change's
   recipients linked to Co-operatives UK (company number); real names and postcodes on both
   sides, as the money importers will meet them.

Places, as the product has them (ADR 0016): a grant recipient is placed in the local authorities
its grants name (money.party_places, the importer's rule); a register's record in the authority
of its postcode where the demo atlas knows the postcode (Trafford's, from
places/trafford_postcodes.csv; the shared data has no national postcode directory). One more
row shows the Trafford grants set as a national postcode directory would place it: every
register postcode outside Trafford placed elsewhere.

Each party is linked as link_parties does (organisations.linkage.matching.choose and the
thresholds in link.py): a link needs a match probability of LINK_THRESHOLD or more and no
other candidate within AMBIGUOUS_MARGIN; uncertain ones would go to review and count here as
not linked. The baseline, in the same run: exact equality of the normalised name (the search
normalisation), linked only when exactly one record has that name.

The model's m probabilities were set with the Trafford grants set in view (ADR 0014); the
other sets were not looked at to set them, and "F1 before" gives the previous model's figure
on each set.

`run(rows)` returns {"figures": [...], "report_md": "..."}; rows (optional) caps set 2.
`python -m bench.linkage words` counts the model's word frequencies again from the registers;
`python -m bench.linkage u` measures its u probabilities (minutes);
`python -m bench.linkage unlabelled [decisions.json]` links 3,664 real, unlabelled payers and
recipients to the three registers and counts the links and reviews (optionally writing each
party's decision, to compare two models' runs).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from . import PROJECT_DIR, SHARED_DATA

TARGET_F1 = 0.97
# The previous model's figures on the same sets (commit 9386f24, before the place comparison;
# ADR 0016), measured with this bench: set name -> (precision, recall, F1).
BEFORE = {
    "real charity records": (1.0, 1.0, 1.0),
    "all published pairs": (1.0, 0.9986, 0.9993),
    "Trafford grants to charity register": (1.0, 0.6765, 0.807),
    "Trafford grants, every postcode placed": (1.0, 0.6765, 0.807),
    "Power to Change to Co-operatives UK": (0.8571, 0.6667, 0.75),
}
REGISTERS = SHARED_DATA / "registers"
GRANTS = SHARED_DATA / "grants"
PLACES = SHARED_DATA / "places"
SPEND = SHARED_DATA / "spend" / "trafford-supplier-spend-2024-25.zip"
TRAFFORD = "E08000009"
# The three real 360Giving files whose recipients are linked.
GRANT_FILES = (
    "trafford_council_grants_360giving.json",
    "ab_charitable_trust_grants.json",
    "power_to_change_community_business_grants.json",
)


def _django() -> None:
    # Only the model and names are used (no database), but they live in a Django app.
    src = str(PROJECT_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings.local")
    import django

    django.setup()


def _company_number(value: Any) -> str:
    text = str(value or "").strip().upper().replace(" ", "")
    return text.zfill(8) if text.isdigit() else text


def _charity_number(value: Any) -> str:
    return str(value or "").strip().upper().replace(" ", "")


@dataclass(frozen=True)
class Record:
    unique_id: str
    name: str
    postcode: str = ""
    places: tuple[str, ...] = ()  # GSS codes of local authorities

    def row(self) -> dict[str, Any]:
        return {
            "unique_id": self.unique_id,
            "name": self.name,
            "postcode": self.postcode,
            "places": list(self.places),
        }


@cache
def _trafford_postcodes() -> dict[str, str]:
    """Postcode -> its ward's code, for Trafford's postcodes: all the demo atlas places."""
    with open(PLACES / "trafford_postcodes.csv", encoding="utf-8") as handle:
        return {row["postcode"]: row["ward_code"] for row in csv.DictReader(handle)}


@cache
def _authority_of() -> dict[str, str]:
    """Code -> current local authority, as the demo atlas's places give it: England's 296
    authorities and Trafford's wards."""
    with open(PLACES / "english_local_authorities_iod2025.csv", encoding="utf-8") as handle:
        found = {row["area_code"]: row["area_code"] for row in csv.DictReader(handle)}
    found.update({ward: TRAFFORD for ward in _trafford_postcodes().values()})
    return found


def register_places(postcode: str) -> tuple[str, ...]:
    """A register's record is placed where its postcode is, when the atlas knows it."""
    from commonground.places.postcodes import normalise_postcode

    return (TRAFFORD,) if normalise_postcode(postcode) in _trafford_postcodes() else ()


def placed_everywhere(record: Record) -> Record:
    """The record as a national postcode directory would place it: a postcode outside Trafford
    is somewhere else (a place of its own, so it equals no other)."""
    from commonground.places.postcodes import normalise_postcode

    postcode = normalise_postcode(record.postcode)
    if record.places or not postcode:
        return record
    return replace(record, places=(f"elsewhere:{postcode}",))


@dataclass
class EvaluationSet:
    name: str
    description: str
    parties: list[Record]
    register: list[Record]
    truth: dict[str, str]  # party id -> register id


def companies_register() -> tuple[list[Record], dict[str, str]]:
    """Companies House records by company number, and the published charity -> company pairs."""
    register: dict[str, Record] = {}
    truth: dict[str, str] = {}
    with open(REGISTERS / "links_charity_to_company_numbers.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = row["org_id_b"].removeprefix("GB-COH-")
            register.setdefault(number, Record(f"COH-{number}", row["name"]))
            charity = row["org_id_a"]
            truth[charity] = f"COH-{number}"
    with open(
        REGISTERS / "companies_house_basic_company_data_sample.csv", encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            row = {k.strip(): v for k, v in row.items()}
            number = _company_number(row["CompanyNumber"])
            register.setdefault(
                number, Record(f"COH-{number}", row["CompanyName"], row["RegAddress.PostCode"])
            )
    return list(register.values()), truth


def _grant_recipients(path: Path) -> Iterable[dict[str, Any]]:
    seen: set[str] = set()
    for grant in json.loads(path.read_text(encoding="utf-8"))["grants"]:
        for org in grant.get("recipientOrganization", []):
            if org.get("id") not in seen:
                seen.add(org.get("id"))
                yield org


@cache
def recipient_places(path: Path) -> dict[str, tuple[str, ...]]:
    """Recipient id -> the local authorities its grants in the file place it in, by the
    importer's rule (money.party_places)."""
    from commonground.money.party_places import grant_recipient_places

    grants: dict[str, list[tuple[Any, Any]]] = {}
    for grant in json.loads(path.read_text(encoding="utf-8"))["grants"]:
        recipients = grant.get("recipientOrganization") or [{}]
        own = recipients[0].get("location") if isinstance(recipients[0], dict) else None
        grants.setdefault(recipients[0].get("id"), []).append(
            (own, grant.get("beneficiaryLocation"))
        )
    return {key: grant_recipient_places(found, _authority_of()) for key, found in grants.items()}


def real_charity_records() -> list[tuple[str, Record]]:
    """(GB-CHC id, record) for every charity record in the shared data."""
    records: list[tuple[str, Record]] = []
    with open(REGISTERS / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = _charity_number(row["registered_charity_number"])
            records.append(
                (
                    f"GB-CHC-{number}",
                    Record(
                        f"ccew-trafford:{number}",
                        row["charity_name"],
                        row["charity_contact_postcode"],
                        register_places(row["charity_contact_postcode"]),
                    ),
                )
            )
    for file in GRANT_FILES:
        places = recipient_places(GRANTS / file)
        for org in _grant_recipients(GRANTS / file):
            number = _charity_number(org.get("charityNumber"))
            if number:
                records.append(
                    (
                        f"GB-CHC-{number}",
                        Record(
                            f"{file}:{org['id']}",
                            org["name"],
                            org.get("postalCode") or "",
                            places.get(org["id"], ()),
                        ),
                    )
                )
    return records


def set_real_charities(register: list[Record], truth: dict[str, str]) -> EvaluationSet:
    parties, pairs = [], {}
    for charity, record in real_charity_records():
        if charity in truth:
            parties.append(record)
            pairs[record.unique_id] = truth[charity]
    return EvaluationSet(
        "real charity records",
        "charity records in the shared data (Trafford's Charity Commission extract; 360Giving "
        "recipients) whose charity number has a published company",
        parties,
        register,
        pairs,
    )


_ABBREVIATIONS = (
    ("association", "Assoc"),
    ("saint", "St"),
    ("society", "Soc"),
    ("company", "Co"),
    ("committee", "Cttee"),
)
_COMPANY_WORDS = (" LIMITED", " LTD", " LTD.", " CIC", " C.I.C.", " PLC")


def charity_style(name: str, index: int) -> str:
    """The company's name as a charity register might write it; a fixed rule per pair."""
    text = name.strip()
    upper = text.upper()
    for word in _COMPANY_WORDS:
        if upper.endswith(word):
            text = text[: -len(word)].rstrip(" ,")
            break
    upper = text.upper()
    rule = index % 7
    if rule == 1:  # "The" added or dropped
        text = text[4:] if upper.startswith("THE ") else f"The {text}"
    elif rule == 2:  # title case
        text = text.title()
    elif rule == 3:  # "&" and "and" swapped
        text = text.replace(" & ", " and ") if " & " in text else text.replace(" AND ", " & ")
    elif rule == 4:  # punctuation written differently
        text = text.replace("-", " ").replace("'", "").replace(",", "").replace(".", "")
    elif rule == 5:  # a place after a comma left out ("Friends of X Park, Stretford")
        text = text.rsplit(",", 1)[0] if "," in text else text
    elif rule == 6:  # the usual abbreviations
        for long, short in _ABBREVIATIONS:
            text = re.sub(rf"\b{long}\b", short, text, flags=re.IGNORECASE)
    return text


def set_all_pairs(register: list[Record], truth: dict[str, str], cap: int | None) -> EvaluationSet:
    names = {r.unique_id: r.name for r in register}
    parties, pairs = [], {}
    for index, (charity, company) in enumerate(sorted(truth.items())):
        if cap is not None and index >= cap:
            break
        record = Record(charity, charity_style(names[company], index))
        parties.append(record)
        pairs[charity] = company
    return EvaluationSet(
        "all published pairs",
        f"the {len(parties):,} published pairs, the charity named in the charity register's "
        "style (derived names)",
        parties,
        register,
        pairs,
    )


def set_other_publishers() -> list[EvaluationSet]:
    charities: list[Record] = []
    with open(REGISTERS / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = _charity_number(row["registered_charity_number"])
            postcode = row["charity_contact_postcode"]
            charities.append(
                Record(f"CHC-{number}", row["charity_name"], postcode, register_places(postcode))
            )
    known = {r.unique_id for r in charities}
    grants, grant_truth = [], {}
    trafford_grants = GRANTS / "trafford_council_grants_360giving.json"
    places = recipient_places(trafford_grants)
    for org in _grant_recipients(trafford_grants):
        number = _charity_number(org.get("charityNumber"))
        if number and f"CHC-{number}" in known:
            grants.append(
                Record(
                    org["id"], org["name"], org.get("postalCode") or "", places.get(org["id"], ())
                )
            )
            grant_truth[org["id"]] = f"CHC-{number}"
    coops: dict[str, Record] = {}
    with open(REGISTERS / "coops_uk_open_data_2023q2.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = _company_number(row["Companies House Number"])
            coops.setdefault(
                row["Identifier"],
                Record(
                    row["Identifier"],
                    row["Name"],
                    row["Postcode"],
                    register_places(row["Postcode"]),
                ),
            )
            if number:
                coops[f"COH-{number}"] = coops[row["Identifier"]]
    by_company = {k: v for k, v in coops.items() if k.startswith("COH-")}
    coop_register = list({r.unique_id: r for r in coops.values()}.values())
    recipients, recipient_truth = [], {}
    power_to_change = GRANTS / "power_to_change_community_business_grants.json"
    places = recipient_places(power_to_change)
    for org in _grant_recipients(power_to_change):
        number = _company_number(org.get("companyNumber"))
        if number and f"COH-{number}" in by_company:
            recipients.append(
                Record(
                    org["id"], org["name"], org.get("postalCode") or "", places.get(org["id"], ())
                )
            )
            recipient_truth[org["id"]] = by_company[f"COH-{number}"].unique_id
    return [
        EvaluationSet(
            "Trafford grants to charity register",
            "Trafford Council's 360Giving recipients with a charity number, against Trafford's "
            "Charity Commission extract (736 charities)",
            grants,
            charities,
            grant_truth,
        ),
        EvaluationSet(
            "Trafford grants, every postcode placed",
            "the same set, with every charity's postcode outside Trafford placed elsewhere, as a "
            "national postcode directory would (the demo atlas places Trafford's postcodes only)",
            grants,
            [placed_everywhere(r) for r in charities],
            grant_truth,
        ),
        EvaluationSet(
            "Power to Change to Co-operatives UK",
            "Power to Change's recipients with a company number, against Co-operatives UK's "
            "7,272 co-operatives",
            recipients,
            coop_register,
            recipient_truth,
        ),
    ]


@dataclass
class Quality:
    pairs: int
    linked: int
    correct: int
    review: int = 0
    review_right: int = 0  # reviews whose proposed record is the true one
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.pairs if self.pairs else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def model_links(
    evaluation: EvaluationSet, db_api: Any = None
) -> tuple[dict[str, str], dict[str, str]]:
    """party id -> register id for the links the product would make, and for the candidates it
    would put to a reviewer instead."""
    from commonground.organisations.linkage import link, matching, model

    pairs = model.score(
        [p.row() for p in evaluation.parties],
        [r.row() for r in evaluation.register],
        db_api=db_api,
        threshold=link.REVIEW_THRESHOLD,
    )
    links, review = {}, {}
    for party_id, (pair, ambiguous) in matching.choose(pairs).items():
        if pair.probability >= link.LINK_THRESHOLD and not ambiguous:
            links[party_id] = pair.right_id
        else:
            review[party_id] = pair.right_id
    return links, review


def baseline_links(evaluation: EvaluationSet) -> dict[str, str]:
    from commonground.organisations.search.normalise import normalise

    by_name: dict[str, list[str]] = {}
    for record in evaluation.register:
        by_name.setdefault(normalise(record.name), []).append(record.unique_id)
    links = {}
    for party in evaluation.parties:
        found = by_name.get(normalise(party.name), [])
        if len(found) == 1:
            links[party.unique_id] = found[0]
    return links


def quality(
    evaluation: EvaluationSet, links: dict[str, str], review: dict[str, str] | None = None
) -> Quality:
    linked = {k: v for k, v in links.items() if k in evaluation.truth}
    correct = sum(1 for k, v in linked.items() if evaluation.truth[k] == v)
    review = review or {}
    review_right = sum(1 for k, v in review.items() if evaluation.truth.get(k) == v)
    return Quality(len(evaluation.truth), len(linked), correct, len(review), review_right)


def evaluate(evaluation: EvaluationSet) -> tuple[Quality, Quality]:
    started = time.perf_counter()
    links, review = model_links(evaluation)
    measured = quality(evaluation, links, review)
    measured.seconds = time.perf_counter() - started
    started = time.perf_counter()
    base = quality(evaluation, baseline_links(evaluation))
    base.seconds = time.perf_counter() - started
    return measured, base


def run(rows: int | None = None) -> dict[str, Any]:
    _django()
    register, truth = companies_register()
    sets = [
        set_real_charities(register, truth),
        set_all_pairs(register, truth, rows),
        *set_other_publishers(),
    ]
    figures: list[dict[str, Any]] = []
    lines = [
        "### Linkage quality (charities to Companies House without the number)",
        "",
        f"Companies House side: {len(register):,} records ({len(set(truth.values())):,} "
        "companies of the published links, by their Companies House names, and the 87 real "
        "rows of the Companies House sample). No Companies House record in the shared sample "
        "is a linked company, so the charity side comes from three sets, each described below.",
        "",
        "| set | pairs | model P | model R | model F1 | F1 before | to review (right) "
        "| baseline P | baseline R | baseline F1 | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for number, evaluation in enumerate(sets):
        # The F1 target is the issue's, for charities to Companies House (sets 1 and 2); the
        # other publishers' sets are reported for what they show, without a target.
        has_target = number < 2
        measured, base = evaluate(evaluation)
        # Before: only for the whole sets it was measured on.
        before = BEFORE.get(evaluation.name) if rows is None or number != 1 else None
        lines.append(
            f"| {evaluation.name} | {measured.pairs:,} | {measured.precision:.3f} | "
            f"{measured.recall:.3f} | {measured.f1:.3f} | "
            f"{'' if before is None else f'{before[2]:.3f}'} | {measured.review:,} "
            f"({measured.review_right:,}) | "
            f"{base.precision:.3f} | {base.recall:.3f} | {base.f1:.3f} | {measured.seconds:.1f} |"
        )
        figures.append(
            {
                "name": f"linkage F1: {evaluation.name} ({measured.pairs:,} pairs)",
                "backend": "duckdb",
                "figure": round(measured.f1, 4),
                "baseline": round(base.f1, 4),
                "ratio": round(measured.f1 / base.f1, 3) if base.f1 else None,
                "target": f"F1 >= {TARGET_F1}" if has_target else "reported, no target",
                "met": measured.f1 >= TARGET_F1 if has_target else None,
                "precision": round(measured.precision, 4),
                "recall": round(measured.recall, 4),
                "to_review": measured.review,
                "to_review_right_candidate": measured.review_right,
                "baseline_precision": round(base.precision, 4),
                "baseline_recall": round(base.recall, 4),
                "before": None
                if before is None
                else dict(zip(("precision", "recall", "f1"), before, strict=True)),
            }
        )
    lines += ["", "Sets:"]
    lines += [f"- {s.name}: {s.description}." for s in sets]
    lines += [
        "",
        "Model: organisations/linkage/model.py (Splink, DuckDB in-process): names compared "
        "whole and as sets of words, words weighed by how many organisations' names use them, "
        "u probabilities measured on 36 million pairs of different bodies in three real "
        "registers (ADR 0014); a party's place compared with the organisation's local "
        "authority where no postcode pair says more (ADR 0016); a link needs a match "
        "probability of 0.9 or more and no close second candidate. F1 before: the previous "
        "model (commit 9386f24) on the same set. Baseline: exact equality of "
        "the normalised name, linked only when exactly one record has it. To review: parties "
        "that would wait for a reviewer (not counted as links), and in brackets how many of "
        "them would be shown the right record.",
    ]
    return {"figures": figures, "report_md": "\n".join(lines)}


def register_names() -> list[str]:
    """The organisations' names of the real registers in the shared data: what the model's
    word frequencies are counted from (organisations/linkage/words.py)."""
    names: list[str] = []
    with open(REGISTERS / "links_charity_to_company_numbers.csv", encoding="utf-8") as handle:
        # One name per company (a company linked to several charities is one organisation).
        names += {row["org_id_b"]: row["name"] for row in csv.DictReader(handle)}.values()
    with open(
        REGISTERS / "companies_house_basic_company_data_sample.csv", encoding="utf-8"
    ) as handle:
        names += [row["CompanyName"] for row in csv.DictReader(handle)]
    with open(REGISTERS / "coops_uk_open_data_2023q2.csv", encoding="utf-8") as handle:
        names += [row["Name"] for row in csv.DictReader(handle)]
    with open(REGISTERS / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        names += [row["charity_name"] for row in csv.DictReader(handle)]
    with open(REGISTERS / "ccni_register_sample_cp1252.csv", encoding="cp1252") as handle:
        names += [row["Charity name"] for row in csv.DictReader(handle)]
    return names


def write_word_frequencies() -> str:
    _django()
    from commonground.organisations.linkage import word_counts

    listed = word_counts.write(register_names())
    return f"{listed:,} words written to {word_counts.words.FILE}"


def _register_rows() -> dict[str, list[dict[str, Any]]]:
    """Three real registers, one record per body: every pair within one is two different
    bodies."""
    with open(REGISTERS / "links_charity_to_company_numbers.csv", encoding="utf-8") as handle:
        companies = {row["org_id_b"]: row["name"] for row in csv.DictReader(handle)}
    with open(REGISTERS / "coops_uk_open_data_2023q2.csv", encoding="utf-8") as handle:
        coops = [
            {"unique_id": row["Identifier"], "name": row["Name"], "postcode": row["Postcode"]}
            for row in csv.DictReader(handle)
        ]
    with open(REGISTERS / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        trafford = [
            {
                "unique_id": row["registered_charity_number"],
                "name": row["charity_name"],
                "postcode": row["charity_contact_postcode"],
            }
            for row in csv.DictReader(handle)
        ]
    return {
        "charitable companies (Companies House names)": [
            {"unique_id": k, "name": v, "postcode": ""} for k, v in companies.items()
        ],
        "Co-operatives UK": coops,
        "Trafford's charities": trafford,
    }


def estimate_u(max_pairs: float = 3e7) -> str:
    """How often two different bodies' names and postcodes agree at each level of the model:
    Splink's random-sampling estimate of u within each register (all pairs up to max_pairs),
    and their mean, which model.py's NAME_U and POSTCODE_U take (ADR 0014). Slow: minutes."""
    _django()
    from splink import DuckDBAPI, Linker
    from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

    from commonground.organisations.linkage import model

    estimates: dict[str, dict[str, list[float | None]]] = {}
    sizes: list[str] = []
    for register, rows in _register_rows().items():
        settings = model.settings()
        settings.link_type = "dedupe_only"
        linker = Linker(DuckDBAPI().register(model.prepare(rows)), settings, log_level=None)
        pairs = len(rows) * (len(rows) - 1) // 2
        sizes.append(f"{register}: {len(rows):,} bodies, {min(pairs, int(max_pairs)):,} pairs")
        comparisons = linker._settings_obj.comparisons
        for level in (lv for c in comparisons for lv in c.comparison_levels):
            if not level.is_null_level:
                level._u_probability = None  # so a level no pair reaches is told apart
        linker.training.estimate_u_using_random_sampling(max_pairs=min(pairs, max_pairs), seed=1)
        estimates[register] = {
            # A level no pair reached has no estimate: none in `pairs`, counted as 0.
            c.output_column_name: [
                None
                if level.is_null_level
                else 0.0
                if level._u_probability in (None, LEVEL_NOT_OBSERVED_TEXT)
                else float(level._u_probability)
                for level in c.comparison_levels
            ]
            for c in comparisons
        }
        if not any(row["postcode"] for row in rows):  # nothing measured: the model's own u
            estimates[register]["postcode"] = [None] * len(model.POSTCODE_LEVELS)
    lines = ["| comparison | level | " + " | ".join(estimates) + " | mean |"]
    lines.append("|---|---|" + "---:|" * (len(estimates) + 1))
    for column, labels in (("name", model.NAME_LEVELS), ("postcode", model.POSTCODE_LEVELS)):
        for index, label in enumerate(labels[1:], start=1):
            values = [e[column][index] for e in estimates.values()]
            known = [v for v in values if v is not None]
            mean = sum(known) / len(known) if known else None
            cells = " | ".join("" if v is None else f"{v:.2g}" for v in [*values, mean])
            lines.append(f"| {column} | {label} | {cells} |")
    return "\n".join([*lines, "", "; ".join(sizes)])


def _share_one(places: dict[str, str | None]) -> tuple[int, int]:
    """(pairs of different bodies placed in one authority, pairs told apart at all): bodies by
    id -> their authority, or None where only "not that one" is known."""
    by_place: dict[str | None, int] = {}
    for place in places.values():
        by_place[place] = by_place.get(place, 0) + 1
    unknown = by_place.pop(None, 0)
    placed = sum(by_place.values())
    same = sum(n * (n - 1) // 2 for n in by_place.values())
    # A placed body and an unplaced one are in different authorities when every body of the
    # placed one's authority is placed (Trafford's postcodes are all known); two unplaced
    # bodies cannot be told apart.
    return same, placed * (placed - 1) // 2 + placed * unknown


def estimate_place_u() -> str:
    """How often two different bodies share a local authority: counted over every pair in two
    real registers that place their bodies (model.py's PLACE_U takes the mean; ADR 0016).

    Power to Change's recipients are placed nationally by the publisher (the district of the
    recipient's postcode, a field of its own, not the standard's); Trafford's charities (those
    operating in Trafford) in Trafford or not by their postcode: a pair of two charities
    outside Trafford is left out, as the shared data cannot say whether they share an
    authority. Co-operatives UK and the charitable companies cannot be placed from the shared
    data (no national postcode directory) and are left out."""
    _django()
    from commonground.places.postcodes import normalise_postcode

    registers: dict[str, dict[str, str | None]] = {}
    recipients: dict[str, str | None] = {}
    path = GRANTS / "power_to_change_community_business_grants.json"
    for grant in json.loads(path.read_text(encoding="utf-8"))["grants"]:
        code = grant.get("recipientDistrictGeoCode")
        if code:
            recipients[grant["recipientOrganization"][0]["id"]] = code
    registers["Power to Change's recipients (England, by district)"] = recipients
    trafford: dict[str, str | None] = {}
    with open(REGISTERS / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            postcode = normalise_postcode(row["charity_contact_postcode"])
            if postcode:
                in_trafford = postcode in _trafford_postcodes()
                trafford[row["registered_charity_number"]] = TRAFFORD if in_trafford else None
    registers["Trafford's charities (in Trafford or not)"] = trafford
    names: dict[str, dict[str, str]] = {
        "Power to Change's recipients (England, by district)": {
            grant["recipientOrganization"][0]["id"]: grant["recipientOrganization"][0]["name"]
            for grant in json.loads(path.read_text(encoding="utf-8"))["grants"]
        },
    }
    with open(REGISTERS / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        names["Trafford's charities (in Trafford or not)"] = {
            row["registered_charity_number"]: row["charity_name"] for row in csv.DictReader(handle)
        }
    lines = [
        "| register | bodies | pairs told apart | in one authority | u | of the pairs the "
        "model compares (by name) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    found = []
    for name, places in registers.items():
        same, pairs = _share_one(places)
        found.append(same / pairs)
        compared_same, compared = _compared_share_one(places, names[name])
        lines.append(
            f"| {name} | {len(places):,} | {pairs:,} | {same:,} | {same / pairs:.3g} | "
            f"{compared_same:,} of {compared:,} ({compared_same / compared:.2g}) |"
        )
    lines.append(f"| mean | | | | {sum(found) / len(found):.3g} | |")
    return "\n".join(lines)


def _compared_share_one(places: dict[str, str | None], names: dict[str, str]) -> tuple[int, int]:
    """(pairs in one authority, pairs told apart) among the pairs of different bodies the model
    compares at all (they share a rare word of their names): how far two names' place agreement
    is not independent of their name agreement."""
    from commonground.organisations.linkage import model

    rows = [{"unique_id": key, "name": names[key], "postcode": ""} for key in places]
    left = [{**row, "unique_id": f"left:{row['unique_id']}"} for row in rows]
    same = pairs = 0
    for pair in model.score(left, rows, threshold=0.0):
        one_id = pair.left_id.removeprefix("left:")
        one, other = places[one_id], places[pair.right_id]
        if one_id < pair.right_id and (one or other):  # each pair once, told apart
            pairs += 1
            same += one is not None and one == other
    return same, pairs


def _spend_beneficiaries() -> list[Record]:
    """Trafford's 2024-25 spend beneficiaries, once each by name, without the withheld ones. A
    council's spend file places its suppliers nowhere (the council's own area is not theirs)."""
    from commonground.money.records import normalise_name

    withheld = {"redacted", "redacted personal data", "personal data"}
    found: dict[str, Record] = {}
    with zipfile.ZipFile(SPEND) as archive:
        name = archive.namelist()[0]
        with archive.open(name) as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
                beneficiary = " ".join((row.get("BeneficiaryName") or "").split())
                key = normalise_name(beneficiary)
                if key and beneficiary.casefold() not in withheld and key not in found:
                    found[key] = Record(f"spend:{key}", beneficiary)
    return list(found.values())


def unlabelled_sets() -> tuple[list[Record], list[Record]]:
    """(parties, register): real payers and recipients with no truth to score against, and the
    three registers' 12,382 records, placed as the demo atlas places them."""
    parties = _spend_beneficiaries()
    for file in GRANT_FILES:
        places = recipient_places(GRANTS / file)
        for org in _grant_recipients(GRANTS / file):
            parties.append(
                Record(
                    f"{file}:{org['id']}",
                    org["name"],
                    org.get("postalCode") or "",
                    places.get(org["id"], ()),
                )
            )
    register: list[Record] = []
    with open(REGISTERS / "links_charity_to_company_numbers.csv", encoding="utf-8") as handle:
        companies = {row["org_id_b"]: row["name"] for row in csv.DictReader(handle)}
    register += [Record(key, name) for key, name in companies.items()]
    with open(REGISTERS / "coops_uk_open_data_2023q2.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            postcode = row["Postcode"]
            register.append(
                Record(row["Identifier"], row["Name"], postcode, register_places(postcode))
            )
    with open(REGISTERS / "trafford_charities_ccew_2023.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            postcode = row["charity_contact_postcode"]
            register.append(
                Record(
                    f"CHC-{row['registered_charity_number']}",
                    row["charity_name"],
                    postcode,
                    register_places(postcode),
                )
            )
    return parties, register


def unlabelled(decisions_path: str | None = None) -> str:
    """Links and reviews the model makes for real, unlabelled payers and recipients (ADR 0014's
    check); with a path, every party's decision is written there as JSON, so two models' runs
    can be compared party by party and read."""
    _django()
    from commonground.organisations.linkage import link, matching, model

    parties, register = unlabelled_sets()
    started = time.perf_counter()
    pairs = model.score([p.row() for p in parties], [r.row() for r in register], threshold=0.0)
    seconds = time.perf_counter() - started
    names = {r.unique_id: r.name for r in register}
    decisions: dict[str, dict[str, Any]] = {}
    counts = {"link": 0, "review": 0}
    for party_id, (pair, ambiguous) in matching.choose(pairs).items():
        if pair.probability < link.REVIEW_THRESHOLD:
            continue
        decided = "link" if pair.probability >= link.LINK_THRESHOLD and not ambiguous else "review"
        counts[decided] += 1
        decisions[party_id] = {
            "decision": decided,
            "organisation": names[pair.right_id],
            "probability": round(pair.probability, 4),
            "place": model.PLACE_LEVELS[pair.place_level],
        }
    placed = sum(1 for p in parties if p.places)
    if decisions_path:
        by_id = {p.unique_id: p for p in parties}
        Path(decisions_path).write_text(
            json.dumps(
                {k: {"name": by_id[k].name, **v} for k, v in sorted(decisions.items())}, indent=1
            ),
            encoding="utf-8",
        )
    return (
        f"{len(parties):,} parties ({placed:,} placed by their source) against "
        f"{len(register):,} register records: {counts['link']:,} links, {counts['review']:,} "
        f"reviews; {len(pairs):,} pairs compared in {seconds:.1f} s"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["words"]:
        print(write_word_frequencies())
    elif sys.argv[1:] == ["u"]:
        print(estimate_u())
        print()
        print(estimate_place_u())
    elif sys.argv[1:] == ["place-u"]:
        print(estimate_place_u())
    elif sys.argv[1:2] == ["unlabelled"]:
        print(unlabelled(sys.argv[2] if len(sys.argv) > 2 else None))
    else:
        result = run(int(sys.argv[1]) if len(sys.argv) > 1 else None)
        print(result["report_md"])
