"""Names and postcodes in the form the linkage compares them.

Built on the search normalisation (case, accents, "&"/"and", "Ltd"/"Limited"), then without
the words that only say what legal form a name is written in ("the", "limited", "CIO", ...),
which Companies House and the charity registers write differently for the same body."""

from __future__ import annotations

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


def name_key(name: str) -> str:
    """'The Plunkett Foundation Ltd' -> 'plunkett foundation'."""
    words = [w for w in normalise(name).split() if w not in LEGAL_FORM_WORDS]
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
