"""Names and postcodes in the form the linkage compares them.

Built on the search normalisation (case, accents, "&"/"and", "Ltd"/"Limited"), then without
the words that only say what legal form a name is written in ("the", "limited", "CIO", ...),
which Companies House and the charity registers write differently for the same body."""

from __future__ import annotations

import re

from commonground.organisations.search.normalise import normalise
from commonground.places.postcodes import normalise_postcode

# Words that carry no identity in an organisation's name (in their normalised form).
LEGAL_FORM_WORDS = frozenset(
    {
        "the",
        "limited",
        "plc",
        "llp",
        "cio",
        "scio",
        "cic",
        "incorporated",
        "inc",
        "by",
        "guarantee",
    }
)


# Phrases that name a legal form, in their normalised form.
LEGAL_FORM_PHRASES = (
    "community interest company",
    "charitable incorporated organisation",
    "company limited by guarantee",
)
# "(The Fed)", "(Hope Centre - The Hideaway)": a nickname or a project, not the body's name.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def name_key(name: str, *, brackets: bool = False) -> str:
    """'The Plunkett Foundation Ltd' -> 'plunkett foundation'. Bracketed parts are left out
    unless `brackets` (they may be what tells "X (Fife)" from "X (Aberdeen)")."""
    unbracketed = name if brackets else _BRACKETED.sub(" ", name or "")
    text = normalise(unbracketed if normalise(unbracketed) else name)
    for phrase in LEGAL_FORM_PHRASES:
        text = f" {text} ".replace(f" {phrase} ", " ").strip()
    words = [w for w in text.split() if w not in LEGAL_FORM_WORDS]
    if not words:  # a name made only of such words keeps them
        words = normalise(name).split()
    return " ".join(words)


def postcode_parts(postcode: str) -> tuple[str, str, str]:
    """('M32 0TH', 'M32 0', 'M32') for a postcode, ('', '', '') for anything else."""
    full = normalise_postcode(postcode)
    if not full:
        return "", "", ""
    outward, inward = full.split(" ")
    return full, f"{outward} {inward[0]}", outward


def signature(name: str, postcode: str) -> str:
    """What a reviewer's decision is kept by, besides the party's key: the same name at the
    same postcode in any source is the same question."""
    return f"{name_key(name)}|{postcode_parts(postcode)[0]}"
