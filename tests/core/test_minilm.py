"""The sentence encoder (all-MiniLM-L6-v2 in numpy): offline, BERT's tokens, meaning-aware."""

from __future__ import annotations

import math

import numpy as np
import pytest
from safetensors.numpy import save

from commonground.core import embeddings, minilm


def test_vectors_are_normalised_float32_rows_and_empty_text_is_a_zero_row():
    vectors = embeddings.embed_sentences(["community shares bought the village pub", "", "  "])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any() and not vectors[2].any()
    assert embeddings.embed_sentences([]).shape == (0, 384)


PAIRS = [
    (
        "The council gives the food bank a grant every year.",
        "Each year the food bank receives grant funding from the council.",
    ),
    (
        "The contract was awarded to the cheapest bidder.",
        "The lowest priced bid won the contract.",
    ),
    (
        "Volunteers visit lonely older people at home.",
        "Volunteers call on isolated elderly residents in their homes.",
    ),
    (
        "The library was handed over to a community trust.",
        "A community trust took over the library.",
    ),
]


def test_paraphrases_are_close_and_unrelated_statements_are_not():
    vectors = embeddings.embed_sentences([text for pair in PAIRS for text in pair])
    similarity = vectors @ vectors.T
    for i in range(len(PAIRS)):
        own = similarity[2 * i, 2 * i + 1]
        assert own > 0.7
        others = np.delete(similarity[2 * i], [2 * i, 2 * i + 1])
        assert others.max() < 0.4 and own > others.max() + 0.3


def test_word_order_changes_the_vector_unlike_a_mean_of_word_vectors():
    one, other = embeddings.embed_sentences(
        ["the council pays the charity", "the charity pays the council"]
    )
    assert float(one @ other) < 0.999


def test_tokens_follow_bert_uncased_conventions_and_long_texts_are_cut():
    encoder = embeddings._sentence_encoder()
    [ids] = encoder.token_ids(["Hello, world!"])
    assert ids == [101, 7592, 1010, 2088, 999, 102]  # [CLS] hello , world ! [SEP]
    assert encoder.token_ids(["HELLO"]) == encoder.token_ids(["hello"])
    [long] = encoder.token_ids(["community " * 300])
    assert len(long) == minilm.MAX_TOKENS and long[0] == 101 and long[-1] == 102


def test_a_texts_vector_does_not_depend_on_the_texts_it_is_batched_with():
    texts = ["Food bank", "a grant " * 30 + "for the day centre", "The trust owns the hall."]
    together = embeddings.embed_sentences(texts, batch_size=2)
    for text, vector in zip(texts, together, strict=True):
        assert np.allclose(embeddings.embed_sentences([text])[0], vector, atol=1e-5)


def test_safetensors_are_read_with_their_dtype_shape_and_offsets():
    tensors = {
        "b": np.arange(6, dtype="<f4").reshape(2, 3),
        "a": np.array([[-1.5], [2.0]], dtype="<f4"),
        "ids": np.array([7, 9], dtype="<i8"),
    }
    read = minilm.read_safetensors(save(tensors, metadata={"format": "pt"}))
    assert set(read) == set(tensors)
    for name, array in tensors.items():
        assert read[name].dtype == array.dtype and np.array_equal(read[name], array)


def test_gelu_is_the_exact_erf_form():
    x = np.array([-3.0, -1.0, -0.1, 0.0, 0.5, 2.0], dtype=np.float32)
    expected = [v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.tolist()]
    assert minilm._gelu(x.copy()) == pytest.approx(expected, abs=1e-6)


def test_a_missing_package_is_named_with_how_to_install_it():
    with pytest.raises(RuntimeError, match=r"no_such_package_here is not installed.*make install"):
        minilm.archive_path("no_such_package_here")
