"""The character n-grams the reform stance head reads (ADR 0041): computed with numpy alone,
they are the same numbers scikit-learn's TF-IDF gives, so training and reading agree."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from commonground.engagement.analysis import corpus, ngrams
from commonground.engagement.analysis.model import current_model


def test_the_vocabulary_and_vectors_are_scikit_learns_char_wb_tfidf() -> None:
    statements = corpus.load_corpus()
    fitted = [s.text for s in statements if s.trainable][:600]
    other = [s.text for s in statements if not s.trainable][:200]
    other += ["", "a", "Co-op   ownership!  ÉTÉ café", "in-house, in house"]
    ours = ngrams.fit(fitted)
    theirs = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True
    ).fit(fitted)
    assert ours.terms == tuple(sorted(theirs.vocabulary_))
    np.testing.assert_allclose(ours.idf, theirs.idf_, rtol=1e-12)
    mine = ngrams.matrix(ours.rows(other), len(ours.terms)).toarray()
    np.testing.assert_allclose(mine, theirs.transform(other).toarray(), atol=1e-12)


def test_a_word_shorter_than_a_piece_counts_once_and_unknown_pieces_are_ignored() -> None:
    assert ngrams.pieces("a") == {" a ": 1}
    assert ngrams.pieces("ab") == {" ab": 1, "ab ": 1, " ab ": 1}  # two 3-grams, then itself
    vocabulary = ngrams.fit(["grant aid", "grant funding"])
    [(index, values)] = vocabulary.rows(["zzz"])
    assert len(index) == 0 and len(values) == 0
    assert ngrams.logits([(index, values)], np.ones((len(vocabulary.terms), 5))).sum() == 0


def test_the_committed_models_reform_stance_reads_the_ngrams_and_its_other_heads_do_not() -> None:
    model = current_model()
    assert model is not None and model.vocabulary is not None
    assert model.heads["reform_stance"].ngram_weights is not None
    assert all(h.ngram_weights is None for n, h in model.heads.items() if n != "reform_stance")
    assert model.heads["reform_stance"].ngram_weights.shape == (len(model.vocabulary.terms), 5)
