"""The sentence-transformer comparison of ADR 0050 reads the features it names."""

from __future__ import annotations

import numpy as np

from commonground.engagement.analysis import alternatives_text, corpus


def test_each_encoder_feature_set_is_its_sentence_vectors_beside_the_same_lexicon_features():
    statements = [s for s in corpus.load_corpus(practice=False) if s.split == "train"][:12]
    found = alternatives_text.encoder_features(statements)
    wordllama, minilm, both = found["WordLlama"], found["MiniLM"], found["WordLlama+MiniLM"]
    lexical = wordllama[:, 256:]
    assert minilm.shape == (12, 384 + lexical.shape[1])
    assert both.shape == (12, 256 + 384 + lexical.shape[1])
    assert np.array_equal(minilm[:, 384:], lexical) and np.array_equal(both[:, 640:], lexical)
    assert np.array_equal(both[:, :256], wordllama[:, :256])
    assert np.array_equal(both[:, 256:640], minilm[:, :384])
    assert np.allclose(np.linalg.norm(minilm[:, :384], axis=1), 1.0, atol=1e-5)
