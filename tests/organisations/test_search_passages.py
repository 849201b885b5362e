"""A charity whose register lists many services is found for each of them (issue 14, ADR 0042):
its text is embedded whole and in passages, and it is as close in meaning to a search as its
closest passage allows."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.core import embeddings
from commonground.organisations.models import Organisation, OrganisationEmbedding
from commonground.organisations.search import hybrid
from commonground.organisations.search.semantic import INDEX
from tests.organisations.test_partner_search import _add, _search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]

TEN_SERVICES = (
    "We run a lunch club, a food bank, debt advice, befriending, a toddler group, English "
    "classes, a youth club, a community choir, gardening sessions and a repair cafe."
)


def _closeness_rank(text: str, name: str) -> tuple[int, float]:
    """The organisation's rank and closeness in meaning among all of Trafford's."""
    ids = list(Organisation.objects.values_list("pk", flat=True))
    semantic = hybrid.semantic_ranks(text, ids, set(ids))
    return semantic[Organisation.objects.get(name=name).pk]


def test_a_charity_listing_befriending_among_ten_services_is_close_in_meaning_to_befriending():
    _add(9100011, "Lime Tree Hub", TEN_SERVICES, "M41 9EH", [])

    rank, similarity = _closeness_rank("befriending", "Lime Tree Hub")

    # Among the closest in meaning of Trafford's 737 organisations, and close enough to be a
    # match by meaning alone (averaged whole, the ten services put it near none of them).
    assert rank <= 5
    assert similarity >= hybrid.MIN_SIMILARITY
    assert "Lime Tree Hub" in [o.name for o in _search("befriending").organisations[:10]]


def test_a_charity_is_closer_to_one_of_its_services_than_its_whole_text_alone():
    _add(9100012, "Lime Tree Hub", TEN_SERVICES, "M41 9EH", [])
    org = Organisation.objects.get(name="Lime Tree Hub")
    vectors = INDEX.vectors([org.pk])
    whole = float(vectors.matrix[0] @ embeddings.embed_one("a repair cafe"))

    _rank, similarity = _closeness_rank("a repair cafe", "Lime Tree Hub")

    assert len(vectors.passages) == len(embeddings.passages(TEN_SERVICES)) + 1  # and its name
    assert similarity > whole + 0.1


def test_the_passages_are_stored_with_the_vector_and_made_again_when_the_text_changes():
    _add(9100013, "Lime Tree Hub", TEN_SERVICES, "M41 9EH", [])
    org = Organisation.objects.get(name="Lime Tree Hub")
    first = OrganisationEmbedding.objects.get(organisation=org)

    changed = (
        "Dementia cafe, carers' group on Tuesdays and Thursdays at the library and a memory "
        "clinic run with the local hospital trust"
    )
    _add(9100013, "Lime Tree Hub", changed, "M41 9EH", [])

    second = OrganisationEmbedding.objects.get(organisation=org)
    rows = np.frombuffer(bytes(second.passages), dtype="<f4").reshape(-1, embeddings.DIMENSIONS)
    assert len(bytes(first.passages)) == 4 * embeddings.DIMENSIONS * 10  # its name and 9
    assert len(rows) == 3  # its name, "Dementia cafe" and "carers' group on Tuesdays ..."
    assert rows[1] @ embeddings.embed_one("Dementia cafe") == pytest.approx(1.0, abs=1e-5)


def test_the_index_gives_each_organisation_its_own_vectors_in_the_order_asked():
    _add(9100014, "Lime Tree Hub", TEN_SERVICES, "M41 9EH", [])
    _add(9100015, "Oak Lane Lunch Club", "A lunch club for older people.", "M41 9EH", [])
    hub = Organisation.objects.get(name="Lime Tree Hub").pk
    club = Organisation.objects.get(name="Oak Lane Lunch Club").pk
    INDEX.vectors([club])  # one held already, the other read from the database below

    vectors = INDEX.vectors([hub, 999_999_999, club, hub])  # no organisation has 999,999,999

    assert vectors.ids.tolist() == [hub, club, hub]
    for row, pk in enumerate([hub, club, hub]):
        stored = OrganisationEmbedding.objects.get(organisation_id=pk)
        parts = embeddings.from_bytes(bytes(stored.passages)).reshape(-1, embeddings.DIMENSIONS)
        assert np.array_equal(vectors.matrix[row], embeddings.from_bytes(bytes(stored.vector)))
        assert np.array_equal(vectors.passages[vectors.owners == row], parts)
