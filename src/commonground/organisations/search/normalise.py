"""One normalisation for indexing and for queries, so "&"/"and", "Ltd"/"Limited",
punctuation, accents and case all match each other."""

from __future__ import annotations

import re
import unicodedata

# Whole-word equivalents, written in their indexed form.
_EQUIVALENTS = {
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


def normalise(text: str) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("", text)  # "St Mary's" -> "st marys"
    text = _AMPERSAND.sub(" & ", text)
    words = _NON_WORD.sub(" ", text).replace("_", " ").split()
    return " ".join(_EQUIVALENTS.get(word, word) for word in words)


def query_terms(query: str) -> list[str]:
    """The normalised words of a search query, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in normalise(query).split():
        seen.setdefault(word, None)
    return list(seen)
