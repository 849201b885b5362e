"""Names and postcodes in the form the linkage compares them.

Built on the search normalisation (case, accents, "&"/"and", "Ltd"/"Limited"), then without
the words that only say what legal form a name is written in ("the", "limited", "CIO", ...),
which Companies House and the charity registers write differently for the same body.

Besides the whole name, the model compares a name's words as a set (`name_words`): without
joining words ("of", "and"), singular ("Sea Cadets" and "Sea Cadet"), "co-operative" as one
word. Each word has a frequency in organisation names (`words.py`): a word shared by two names
says more when few organisations use it ("Gorse", "Cyril") than when many do ("Community").
"""

from __future__ import annotations

import re

from commonground.organisations.search.normalise import normalise
from commonground.places.postcodes import normalise_postcode

from . import words as frequencies

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
# Words that join the others, left out when names are compared as sets of words.
JOINING_WORDS = frozenset({"of", "and", "for", "in", "on", "at", "to", "a", "an", "with"})


# Phrases that name a legal form, in their normalised form.
LEGAL_FORM_PHRASES = (
    "community interest company",
    "charitable incorporated organisation",
    "company limited by guarantee",
)
# "(The Fed)", "(Hope Centre - The Hideaway)": a nickname or a project, not the body's name.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# "Co-operative", "Co-op", "Co op": the search normalisation reads "co" as "company".
_AREA = re.compile(r"[A-Z]+")
_CO_OP = re.compile(r"\bco[\s\-\u2010\u2011\u2013]+(?=op)", re.IGNORECASE)


def name_key(name: str, *, brackets: bool = False) -> str:
    """'The Plunkett Foundation Ltd' -> 'plunkett foundation'. Bracketed parts are left out
    unless `brackets` (they may be what tells "X (Fife)" from "X (Aberdeen)").

    Kept as it is: a reviewer's decisions are found by it (`signature`)."""
    unbracketed = name if brackets else _BRACKETED.sub(" ", name or "")
    text = normalise(unbracketed) or normalise(name)
    for phrase in LEGAL_FORM_PHRASES:
        if phrase in text:
            text = f" {text} ".replace(f" {phrase} ", " ").strip()
    words = [w for w in text.split() if w not in LEGAL_FORM_WORDS]
    if not words:  # a name made only of such words keeps them
        words = normalise(name).split()
    return " ".join(words)


def singular(word: str) -> str:
    """'cadets' -> 'cadet', 'charities' -> 'charity'; 'trust', 'business', 'campus' stay.
    Applied alike to both sides, so a wrong singular ('bu' for 'bus') still matches itself."""
    if len(word) > 4 and word.endswith("ies"):
        return f"{word[:-3]}y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def compare_key(name: str, *, brackets: bool = False) -> str:
    """`name_key` as the model compares it: "Co-operative" one word (the search normalisation
    reads the "Co" of "Co-op" as "Company"), and a lone "s" joined to the word before it
    ("Kitty?s", an apostrophe the file's encoding lost)."""
    words: list[str] = []
    for word in name_key(_CO_OP.sub("co", name or ""), brackets=brackets).split():
        if word == "s" and words:
            words[-1] += "s"
        else:
            words.append(word)
    return " ".join(words)


def name_words(name: str, *, brackets: bool = False) -> list[str]:
    """The words a name is compared by as a set, in order, without repeats:
    'Friends of Victoria Park, Stretford' -> ['friend', 'victoria', 'park', 'stretford']."""
    return key_words(compare_key(name, brackets=brackets))


def key_words(key: str) -> list[str]:
    """`name_words` of a name already in its `compare_key` form."""
    found: list[str] = []
    for word in key.split():
        if word in JOINING_WORDS:
            continue
        word = singular(word)
        if word not in found:
            found.append(word)
    return found


def distinctive_words(words: list[str]) -> list[str]:
    """The words few organisations' names use, the rarest first (ties: longer first)."""
    rare = [w for w in words if not frequencies.is_common(w)]
    return sorted(rare, key=lambda w: (frequencies.names_with(w), -len(w), w))


def postcode_parts(postcode: str) -> tuple[str, str, str]:
    """('M32 0TH', 'M32 0', 'M32') for a postcode, ('', '', '') for anything else."""
    full = normalise_postcode(postcode)
    if not full:
        return "", "", ""
    outward, inward = full.split(" ")
    return full, f"{outward} {inward[0]}", outward


def postcode_area(postcode: str) -> str:
    """'WA14 2BB' -> 'WA': the letters that name the postcode area (a city or large town)."""
    found = _AREA.match(postcode_parts(postcode)[2])
    return found.group(0) if found else ""


def signature(name: str, postcode: str) -> str:
    """What a reviewer's decision is kept by, besides the party's key: the same name at the
    same postcode in any source is the same question."""
    return f"{name_key(name)}|{postcode_parts(postcode)[0]}"
