"""One normalisation for indexing and for queries, so "&"/"and", "Ltd"/"Limited",
punctuation, accents and case all match each other."""

from __future__ import annotations

import re
import unicodedata

# Whole-word equivalents, written in their indexed form.
EQUIVALENTS = {
    "&": "and",
    "ltd": "limited",
    "co": "company",
    "cio": "cio",
    "st": "saint",
    "assoc": "association",
    "soc": "society",
    "cttee": "committee",
    "grp": "group",
}
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_WORD = re.compile(r"[^\w&]+")
_AMPERSAND = re.compile(r"&")


def normalise(text: str, *, equivalents: bool = True) -> str:
    """Text in its indexed form; without `equivalents`, words are kept as written (for prefixes)."""
    if not text:
        return ""
    if text.isascii():
        # Decomposing leaves ASCII as it is and no letter of it is a combining mark; casefold
        # of ASCII is lower: the same result, several times faster (a national load's names).
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("", text)  # "St Mary's" -> "st marys"
    text = _AMPERSAND.sub(" & ", text)
    words = _NON_WORD.sub(" ", text).replace("_", " ").split()
    if not equivalents:
        return " ".join(words)
    return " ".join(EQUIVALENTS.get(word, word) for word in words)


def query_terms(query: str) -> list[str]:
    """The normalised words of a search query, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in normalise(query).split():
        seen.setdefault(word, None)
    return list(seen)


def last_word_as_typed(query: str) -> str:
    """The query's last word, normalised but not expanded: "age uk st" -> "st", not "saint".

    Someone typing "st" may be half-way through "stretford", so the prefix search needs the
    word as typed as well as its expansion."""
    words = normalise(query, equivalents=False).split()
    return words[-1] if words else ""
