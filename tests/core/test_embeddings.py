"""The shared embedding model: offline, deterministic, and meaning-aware."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from commonground.core import embeddings


@pytest.mark.parametrize(
    ("loader", "embed", "dimensions"),
    [
        (embeddings._model, embeddings.embed, embeddings.DIMENSIONS),
        (embeddings._sentence_encoder, embeddings.embed_sentences, embeddings.SENTENCE_DIMENSIONS),
    ],
    ids=["wordllama", "minilm"],
)
def test_loading_and_embedding_never_open_a_socket(monkeypatch, loader, embed, dimensions):
    loader.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the embedding model tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vectors = embed(["a lunch club for older people"])
    assert vectors.shape == (1, dimensions)


def test_vectors_are_normalised_float32_and_empty_text_is_a_zero_row():
    vectors = embeddings.embed(["community shares bought the village pub", "", "   "])
    assert vectors.dtype == np.float32
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any() and not vectors[2].any()


def test_texts_that_mean_the_same_are_nearer_than_texts_that_do_not():
    query, near, far = embeddings.embed(
        [
            "befriending for housebound older people",
            "volunteers visit lonely elderly residents at home",
            "the contract is awarded to the lowest priced bid",
        ]
    )
    assert embeddings.similarity(query, np.stack([near, far])).argmax() == 0


def test_a_vector_survives_storage_as_bytes():
    vector = embeddings.embed_one("asset transfer of a library to a community trust")
    assert np.array_equal(embeddings.from_bytes(embeddings.to_bytes(vector)), vector)


def test_fingerprint_changes_with_the_text_but_not_with_its_spacing():
    assert embeddings.text_fingerprint("a  b") == embeddings.text_fingerprint("a b")
    assert embeddings.text_fingerprint("a b") != embeddings.text_fingerprint("a c")


def test_no_texts_give_an_empty_matrix():
    assert embeddings.embed([]).shape == (0, embeddings.DIMENSIONS)


def test_a_texts_vector_is_the_same_whatever_texts_are_embedded_with_it():
    texts = [
        "Age UK Trafford. Other social work activities without accommodation n.e.c.",
        "Food bank",
        "community " * 40 + "centre for older people in Sale and Altrincham",
        "",
        "Stretford Public Hall. Operation of arts facilities; Other education n.e.c.",
    ]
    together = embeddings.embed(texts, batch_size=2)
    with_passages = embeddings.embed_with_passages(texts, batch_size=2)
    for text, vector, (whole, parts) in zip(texts, together, with_passages, strict=True):
        assert np.array_equal(embeddings.embed([text])[0], vector)
        alone, alone_parts = embeddings.embed_with_passages([text])[0]
        assert np.array_equal(whole, alone) and np.array_equal(parts, alone_parts)


def test_a_text_listing_several_services_is_cut_into_one_passage_each():
    text = (
        "The centre offers advice, befriending; lunch clubs for older people in the town.It "
        "raises funds with events - a choir and a summer fair"
    )

    assert embeddings.passages(text) == [
        "The centre offers advice",
        "befriending",
        "lunch clubs for older people in the town",
        "It raises funds with events",
        "a choir and a summer fair",
    ]


def test_a_short_text_has_no_passages_and_only_the_first_twelve_are_kept():
    assert embeddings.passages("Wholesale and retail trade; Retail; Vehicle Repair") == []
    assert len(embeddings.passages(", ".join(f"service {n}" for n in range(20)))) == 12


def test_a_passage_has_the_vector_it_has_alone_and_the_text_the_vector_embed_gives():
    text = (
        "We run a lunch club, a food bank, debt advice, befriending and a choir for the people "
        "of the town and the villages around"
    )
    whole, parts = embeddings.embed_with_passages([text])[0]

    assert whole @ embeddings.embed_one(text) == pytest.approx(1.0, abs=1e-5)
    alone = embeddings.embed(embeddings.passages(text))
    assert np.allclose(parts, alone, atol=1e-5)
