"""Whether the lexicon was written from test statements (ADR 0022).

A lexicon phrase or rule word that fires on a test statement but on no statement the lexicon
could have been tuned on (the development set and the train split) was most likely copied from
the test statement, and then the test figures are not held out. `unseen` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .analyser import Lexicon, load_lexicon
from .corpus import Statement


@dataclass(frozen=True)
class Unseen:
    what: str  # "concepts.profit phrase 3" or "negators"
    phrase: str
    statement_ids: tuple[str, ...]


def _phrase_hits(lexicon: Lexicon, text: str) -> dict[str, str]:
    """{"concepts.profit phrase 3": its pattern} for each phrase that matches the text."""
    hits = {}
    for entry in lexicon.entries:
        for match in entry.pattern.finditer(text):
            index = int((match.lastgroup or "g0")[1:])
            hits[f"{entry.kind}.{entry.label} phrase {index}"] = entry.phrases[index]
    return hits


def _rule_words(lexicon: Lexicon) -> list[tuple[str, str, re.Pattern[str]]]:
    rules = [
        ("negators", lexicon.negators),
        ("negation_cancellers", lexicon.cancellers),
        ("irony_after", lexicon.irony_after),
        ("hedges", lexicon.hedges),
    ]
    found = []
    for name, words in rules:
        for word in words:
            pattern = r"n't" if word == "n't" else r"(?<![\w-])" + re.escape(word) + r"(?![\w-])"
            found.append((name, word, re.compile(pattern, re.IGNORECASE)))
    return found


def fired(lexicon: Lexicon, text: str) -> set[str]:
    """Names of the phrases and rule words that fire on the text (a rule word counts when it is
    present: a superset of the times it changes a reading)."""
    names = set(_phrase_hits(lexicon, text))
    normalised = text.replace("’", "'")
    names.update(
        f"{rule}: {word}" for rule, word, p in _rule_words(lexicon) if p.search(normalised)
    )
    return names


def unseen(
    test: Iterable[Statement], train: Iterable[Statement], lexicon: Lexicon | None = None
) -> list[Unseen]:
    lexicon = lexicon or load_lexicon()
    seen: set[str] = set()
    for statement in train:
        seen |= fired(lexicon, statement.text)
    only_test: dict[str, list[str]] = {}
    patterns: dict[str, str] = {}
    for statement in test:
        patterns.update(_phrase_hits(lexicon, statement.text))
        for name in fired(lexicon, statement.text) - seen:
            only_test.setdefault(name, []).append(statement.id)
    return [
        Unseen(name, patterns.get(name, name.split(": ", 1)[-1]), tuple(ids))
        for name, ids in sorted(only_test.items())
    ]
