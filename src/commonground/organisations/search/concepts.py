"""Plain-language concepts: a commissioner's words and the words registers use for the same
people and needs (ADR 0024, amendment "plain-language concepts").

A commissioner writes "later life", "teenagers" or "sleeping rough"; a charity's register entry
says "elderly", "young people" or "homeless". The sentence embeddings connect some of these and
miss others (WordLlama averages word vectors, so "later life" lands near "life", not near
"elderly"). Each concept below names the phrases that call it up in a query and the words the
search then also looks up, as if the query had them. Every concept was added for a miss on the
development queries (tests/organisations/data/search_judgements.json), named beside it; none was
written while looking at the held-out queries' results. vocabulary.py adds the sector's wider
vocabulary (ADR 0053); both are read alike.

Phrases and words are in the index's normalised form (normalise.normalise) and, like the
query's own words, the last word of each is looked up as the start of a word ("isolat" finds
"isolated" and "isolation").
"""

from __future__ import annotations

from .normalise import normalise
from .vocabulary import VOCABULARY

# (phrases that call the concept up, words then also looked up)
CONCEPTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # "tackling loneliness in later life"; "culturally sensitive care for older people ..."
    (
        ("later life", "older", "elderly", "senior", "pensioner", "retired", "old age"),
        ("older", "elderly", "senior", "retired", "pensioner", "over 50", "over 60"),
    ),
    # "tackling loneliness in later life"; "befriending for housebound people"
    (
        ("lonel", "isolat", "befriend", "housebound"),
        ("lonel", "isolat", "befriend", "friendship", "social contact"),
    ),
    # "youth club and activities for teenagers"; "counselling for young people with anxiety"
    (
        ("teenage", "teens", "adolescen", "young people", "youth"),
        ("youth", "young people", "teenage", "adolescen"),
    ),
    # "help for people sleeping rough"
    (("sleeping rough", "rough sleep", "homeless"), ("homeless", "rough sleep", "destitut")),
    # "helping unemployed people into work"
    (
        ("unemploy", "into work", "out of work", "jobless", "employment", "job"),
        ("unemploy", "employment", "employability", "job"),
    ),
    # "services for blind and partially sighted people"
    (
        ("blind", "partially sighted", "sight loss", "visually impaired", "visual impair"),
        ("blind", "partially sighted", "visually impaired", "visual impair", "sight loss"),
    ),
    # "deaf and hard of hearing support"
    (
        ("deaf", "hard of hearing", "hearing loss", "hearing impair"),
        ("deaf", "hard of hearing", "hearing loss", "hearing impair"),
    ),
    # "pre-school childcare and playgroups"
    (
        ("childcare", "child care", "pre school", "preschool", "playgroup", "nursery", "childmind"),
        ("childcare", "childmind", "playgroup", "nursery", "pre school", "early years"),
    ),
    # "refuge and support for people experiencing domestic abuse"
    (
        ("domestic abuse", "domestic violence", "gender based violence", "coercive control"),
        ("domestic abuse", "domestic violence", "gender based violence"),
    ),
    # "drug and alcohol rehabilitation"
    (
        ("drug", "alcohol", "substance", "addiction"),
        ("substance misuse", "substance abuse", "addiction", "drug", "alcohol"),
    ),
    # "autism support for children and families"
    (("autism", "autistic", "asperger"), ("autism", "autistic", "asperger")),
    # "day activities for adults with learning disabilities"
    (("learning disab", "learning difficult"), ("learning disab", "learning difficult")),
    # "english classes for adults who speak other languages"
    (
        ("english class", "esol", "english language", "other languages"),
        ("esol", "english language", "english class"),
    ),
    # "arts activities to improve mental wellbeing"; "counselling ... with anxiety"
    (
        ("mental wellbeing", "mental health", "anxiety", "depression", "emotional wellbeing"),
        ("mental health", "mental ill", "depression", "anxiety", "emotional"),
    ),
    # "door to door transport for people who cannot use buses"
    (
        ("door to door", "community transport", "accessible transport", "cannot use buses"),
        ("accessible transport", "community transport", "mobility", "wheelchair"),
    ),
    # "end of life and palliative care"
    (
        ("end of life", "palliative", "hospice", "terminal", "life limiting"),
        ("palliative", "hospice", "life limiting", "life threaten", "terminal"),
    ),
)
MAX_WORDS = 12  # at most this many words added to one query (each is one indexed lookup)
# Both lists, read alike, joined once rather than on every query.
_ENTRIES = CONCEPTS + VOCABULARY


def expansions(text: str, already: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The words the query's concepts add (normalised; a phrase as its words), without those
    in `already` (the query's own words)."""
    return [word for group in expansion_groups(text, already) for word in group]


def expansion_groups(
    text: str, already: set[str] | frozenset[str] = frozenset()
) -> list[list[str]]:
    """The words the query's concepts add, a list for each concept called up (each word in the
    first that has it): alternatives for the one thing the query asks for."""
    padded = f" {normalise(text)} "
    added: set[str] = set()
    groups: list[list[str]] = []
    for phrases, words in _ENTRIES:
        if any(f" {phrase}" in padded for phrase in phrases):
            group = []
            for word in words:
                if word not in already and word not in added and len(added) < MAX_WORDS:
                    added.add(word)
                    group.append(word)
            if group:
                groups.append(group)
    return groups
