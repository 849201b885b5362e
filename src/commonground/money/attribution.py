"""How each recipient of a money flow is attributed, at one of three levels kept apart (ADR 0028):

- **register**: linked to an organisation in the registers (by identifier, by name and postcode,
  or by a reviewer), whose sector comes from them;
- **inferred**: not linked, but its legal form follows from its name by one of the reviewed rules
  in `data/legal_forms.json` (first match wins), or the publisher withheld the name;
- **unknown**: neither.

The rules are data, written after a value-weighted sample of 300 real recipients had been
labelled by hand, and tested against it. The same patterns filter the flows in SQL, so every
figure of the profile links to exactly the flows behind it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import BooleanField, Case, Q, Value, When

from commonground.organisations.models import Sector

from .linking import LINKED_METHODS
from .models import LinkMethod

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
    rules = tuple(Rule(r["code"], r["form"], r["pattern"], r["shown"]) for r in raw["rules"])
    for rule in rules:
        if rule.form not in forms:
            raise ValueError(f"{RULES_FILE.name}: rule {rule.code} names an unknown form")
    return rules, forms


def rules() -> tuple[Rule, ...]:
    return _data()[0]


def legal_forms() -> dict[str, LegalForm]:
    return _data()[1]


def infer(name: str) -> Rule | None:
    """The first rule the name matches, or None."""
    for rule in rules():
        if rule.matches(name):
            return rule
    return None


WITHHELD_RULE = "withheld"


def flow_rule(name: str, link_method: str) -> Rule | None:
    """The rule behind an unlinked flow's inference: a name the publisher withheld is always an
    individual, whatever it reads."""
    if link_method == LinkMethod.REDACTED:
        return next(r for r in rules() if r.code == WITHHELD_RULE)
    return infer(name)


# SQL: the same decisions as filters on MoneyFlow ------------------------------------------


def _linked() -> Q:
    return Q(recipient_link_method__in=sorted(LINKED_METHODS), recipient_organisation__isnull=False)


def _rule_q(index: int) -> Q:
    """Flows whose name the rule at this index is the first to match."""
    all_rules = rules()
    q = Q(recipient_name__iregex=all_rules[index].pattern)
    for earlier in all_rules[:index]:
        q &= ~Q(recipient_name__iregex=earlier.pattern)
    return q


def _any_rule_q() -> Q:
    q = Q()
    for rule in rules():
        q |= Q(recipient_name__iregex=rule.pattern)
    return q


def linked_expression() -> Case:
    """True where the flow's recipient is attributed at the register level (as level_q)."""
    return Case(
        When(_linked(), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def level_q(level: str) -> Q:
    redacted = Q(recipient_link_method=LinkMethod.REDACTED)
    if level == REGISTER:
        return _linked()
    if level == INFERRED:
        return ~_linked() & (redacted | _any_rule_q())
    return ~_linked() & ~redacted & ~_any_rule_q()


def rule_q(code: str) -> Q:
    """Unlinked flows inferred by this rule."""
    for index, rule in enumerate(rules()):
        if rule.code == code:
            q = _rule_q(index)
            if code == WITHHELD_RULE:
                return ~_linked() & (q | Q(recipient_link_method=LinkMethod.REDACTED))
            return ~_linked() & q & ~Q(recipient_link_method=LinkMethod.REDACTED)
    return Q(pk__in=[])
