"""A flow's identity comes from what the publisher wrote, never from a file's name or the dataset
code it was imported under (ADR 0030).

- A spend line: the paying council, the line's facts (date, amount, beneficiary, transaction,
  purpose, category, department, beneficiary id, VAT) and its occurrence number among identical
  lines. Councils repeat identical lines legitimately (Trafford splits a transaction across cost
  centres), so every copy counts; the same file read again, under any name, numbers them the
  same way and so names the same flows.
- A grant: its identifier, which carries the publisher's registered 360Giving prefix (an
  identifier without one is qualified by the funder).
- A contract award share: the OCID (which carries the publisher's registered prefix), the award
  and the supplier.

The keys are unique across the whole ledger, so the same grant imported under two dataset codes
is one flow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from .records import normalise_name

GIVING_PREFIX = "360G-"


def spend_publisher(identifiers: Iterable[str], name: str) -> str:
    """The paying council as it appears in keys: its first identifier, else its name."""
    for identifier in identifiers:
        if identifier:
            return identifier
    return normalise_name(name) or "unknown"


def spend_digest(
    paid: date,
    amount_pence: int,
    recipient: str,
    purpose: str,
    category: str,
    attributes: dict[str, object],
) -> str:
    """A digest of one spend line's facts as the ledger stores them (names and categories as
    stored, whitespace collapsed)."""
    facts = "\x1f".join(
        (
            paid.isoformat(),
            str(amount_pence),
            recipient[:500],
            purpose,
            category[:300],
            *(str(attributes.get(name, "")) for name in SPEND_ATTRIBUTES),
        )
    )
    return hashlib.blake2b(facts.encode(), digest_size=10).hexdigest()


# The attributes of a spend line that are part of its identity.
SPEND_ATTRIBUTES = (
    "transaction_number",
    "department",
    "beneficiary_id",
    "vat_number",
    "irrecoverable_vat_pence",
)


def spend_key(publisher: str, paid: date, digest: str, occurrence: int) -> str:
    return f"spend:{publisher}:{paid.isoformat()}:{digest}#{occurrence}"[:200]


def spend_key_prefix(publisher: str) -> str:
    return f"spend:{publisher}:"


def grant_key(grant_id: str, funder: str) -> str:
    """A grant's identifier as it is ('360G-ptc-gr-01653'): the registered prefix names the
    publisher. Without one, the identifier is qualified by the funder's identifier or name."""
    if grant_id.upper().startswith(GIVING_PREFIX) or not funder:
        return grant_id[:200]
    return f"{funder}:{grant_id}"[:200]


def giving_prefix(grant_id: str) -> str:
    """The publisher's 360Giving prefix of an identifier ('360G-ptc-gr-01653' -> '360G-ptc'),
    or '' if it has none."""
    if not grant_id.upper().startswith(GIVING_PREFIX):
        return ""
    parts = grant_id.split("-")
    return "-".join(parts[:2]) if len(parts) >= 2 and parts[1] else ""


def contract_key(ocid: str, award_id: str, supplier_id: str) -> str:
    return f"{ocid}/{award_id}/{supplier_id}"[:200]
