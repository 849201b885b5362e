"""How each recipient of a money flow is attributed, at one of three levels kept apart (ADR 0028):

- **register**: linked to an organisation in the registers (by identifier, by name and postcode,
  or by a reviewer), whose sector comes from them;
- **inferred**: not linked, but its legal form follows from its name by one of the reviewed rules
  in `data/legal_forms.json` (first match wins), or the publisher withheld the name;
- **unknown**: neither.

The rules are data, written after a value-weighted sample of 300 real recipients had been
labelled by hand, and tested against it. Each flow stores its level and the rule its recipient's
name matches (ADR 0034): set when the flow is written and when its link changes, and brought in
step with changed rules by `manage.py attribute_money`; every figure filters on those fields, so
it links to exactly the flows behind it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.db.models import Q

from commonground.organisations.models import Sector

from .linking import LINKED_METHODS

RULES_FILE = Path(__file__).parent / "data" / "legal_forms.json"

REGISTER = "register"
INFERRED = "inferred"
UNKNOWN = "unknown"
LEVELS = (REGISTER, INFERRED, UNKNOWN)
LEVEL_LABELS = {
    REGISTER: "Register (identifier or register link)",
    INFERRED: "Inferred from the name (legal form)",
    UNKNOWN: "Unknown",
}
SOCIAL_ECONOMY = frozenset(
    {
        Sector.CHARITY.value,
        Sector.SOCIAL_ENTERPRISE.value,
        Sector.COOPERATIVE_MUTUAL.value,
        Sector.COMMUNITY_BUSINESS.value,
        Sector.SOCIAL_FINANCE.value,
    }
)


@dataclass(frozen=True)
class Rule:
    code: str
    form: str
    pattern: str
    shown: str  # the rule in words, shown wherever an inference is
    name: str  # a few words telling it from the other rules of its form, in filters

    def matches(self, name: str) -> bool:
        return _compiled(self.pattern).search(name) is not None


@dataclass(frozen=True)
class LegalForm:
    code: str
    label: str
    sector: str  # the sector the form implies, "" when it implies none

    @property
    def sector_label(self) -> str:
        return Sector(self.sector).label if self.sector else ""


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def _data() -> tuple[tuple[Rule, ...], dict[str, LegalForm]]:
    raw = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    forms = {code: LegalForm(code, f["label"], f["sector"]) for code, f in raw["forms"].items()}
    rules = tuple(
        Rule(r["code"], r["form"], r["pattern"], r["shown"], r["name"]) for r in raw["rules"]
    )
    for rule in rules:
        if rule.form not in forms:
            raise ValueError(f"{RULES_FILE.name}: rule {rule.code} names an unknown form")
    return rules, forms


def rules() -> tuple[Rule, ...]:
    return _data()[0]


def legal_forms() -> dict[str, LegalForm]:
    return _data()[1]


def rule_label(rule: Rule) -> str:
    """The rule's form, with the rule's name where its form has other rules ("Public body: NHS
    or integrated care board"), so that no two choices of a filter read the same."""
    form = legal_forms()[rule.form].label
    alike = sum(other.form == rule.form for other in rules())
    return f"{form}: {rule.name}" if alike > 1 else form


def infer(name: str) -> Rule | None:
    """The first rule the name matches, or None. Runs of spaces (a non-breaking one too) and
    spaces at either end are read as one space and none: publishers pad names."""
    name = " ".join(name.split())
    for rule in rules():
        if rule.matches(name):
            return rule
    return None


WITHHELD_RULE = "withheld"


@lru_cache(maxsize=65536)  # a ledger names the same few thousand recipients again and again
def form_rule_code(name: str, redacted: bool) -> str:
    """What a flow stores as its recipient's form rule: the code of the first rule the name
    matches, "withheld" whenever the publisher withheld the name, "" for none."""
    if redacted:
        return WITHHELD_RULE
    rule = infer(name)
    return rule.code if rule is not None else ""


def level(linked: bool, form_rule: str) -> str:
    """A recipient's attribution level: a register link first, then an inferred legal form."""
    if linked:
        return REGISTER
    return INFERRED if form_rule else UNKNOWN


def is_linked(organisation_id: int | None, link_method: str) -> bool:
    """Attributed at the register level: linked to an organisation by identifier, by name and
    postcode, or by a reviewer."""
    return organisation_id is not None and link_method in LINKED_METHODS


def rule_by_code(code: str) -> Rule | None:
    return next((r for r in rules() if r.code == code), None)


# SQL: the same decisions as filters on MoneyFlow ------------------------------------------


def linked_q() -> Q:
    """Flows whose recipient is attributed at the register level (as is_linked)."""
    return Q(recipient_link_method__in=sorted(LINKED_METHODS), recipient_organisation__isnull=False)


def level_q(code: str) -> Q:
    """Flows attributed at this level, as stored on them."""
    return Q(recipient_attribution=code)


def rule_q(code: str) -> Q:
    """Flows inferred by this rule, as stored on them."""
    return Q(recipient_attribution=INFERRED, recipient_form_rule=code)
