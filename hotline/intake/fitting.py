"""Fitting the learned router at a centre's scale (scikit-learn, imported only in training).

A million orders must train within minutes on two cores and a few GB:

- the vocabularies and idf are learned from a sample (every seed and catalogue line plus up to
  `VOCAB_ROWS` orders drawn at random), capped by document frequency as before;
- the orders are turned into tf-idf rows a chunk at a time (the next chunk is prepared while the
  classifier learns from this one; chunks are kept between passes only while they are few)
  and fed to a linear SVM trained by stochastic gradient descent (`SGDClassifier`, hinge loss,
  one-vs-rest with the leaves shared over two threads);
- the regularisation follows the amount of data (alpha = 1 / total weight, the `C = 1` of an SVM, down
  to `ALPHA_MIN`) and the number of passes falls as data grows (about `VISITS` rows seen in all, 1 to
  `MAX_EPOCHS` passes): many similar orders need fewer passes.

bench/README.md compares this with the exact LinearSVC it replaced (same accuracy on the seed corpus's
held tenth, a fraction of its time) and records the times and peak memory up to a million orders.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from hotline.intake.grams import ANALYZERS, SOUNDS, sound_grams

VOCAB_ROWS = 200_000  # orders the vocabularies and idf are learned from, at most
CHUNK_ROWS = 50_000  # rows turned into numbers at a time
VISITS = 500_000  # rows the classifier sees over all passes together (fewer passes for more data) …
MAX_EPOCHS = 10  # … but never more passes than this
ALPHA_SCALE = 1.0  # alpha = ALPHA_SCALE / total weight of the rows …
ALPHA_MIN = 1e-5  # … but no less: a single pass over a million rows with a smaller alpha ends on steps too long
THREADS = 2  # leaves learned in parallel
SHUFFLE_SEED = 16
MAX_FEATURES = {"c": 40_000, "w": 20_000, SOUNDS: 30_000}


@dataclass
class Features:
    """The fitted vectorizers, one per analyser; `matrix` gives l2-normalised tf-idf rows, parts side by side."""
    parts: dict
    sounds: dict[str, str] | None = None  # char → toneless syllable, for the syllable part

    def matrix(self, texts: Sequence[str]):
        from scipy.sparse import csr_matrix, hstack

        if not texts:
            return csr_matrix((0, self.size), dtype=np.float32)
        return hstack([v.transform(texts) for v in self.parts.values()], format="csr", dtype=np.float32)

    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for key, vectorizer in self.parts.items():
            out[f"{key}_vocab"] = np.asarray(vectorizer.get_feature_names_out(), dtype=str)
            out[f"{key}_idf"] = vectorizer.idf_.astype(np.float32)
        if self.sounds is not None:
            out["sound_chars"] = np.asarray(list(self.sounds), dtype=str)
            out["sound_readings"] = np.asarray(list(self.sounds.values()), dtype=str)
        return out

    @property
    def size(self) -> int:
        return sum(len(v.vocabulary_) for v in self.parts.values())


def learn_features(texts: Sequence[str], n_rows: int) -> Features:
    """Vectorizers fitted on `texts` (the vocabulary sample); `n_rows` is the size of the whole training set."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    min_df = 2 if n_rows > 500 else 1
    sounds = readings(texts)
    analyzers = {**ANALYZERS, SOUNDS: sound_grams(sounds)}
    parts = {key: TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df,
                                  max_features=MAX_FEATURES[key], dtype=np.float32)
             for key, analyzer in analyzers.items()}
    for vectorizer in parts.values():
        vectorizer.fit(texts)
    return Features(parts, sounds)


def readings(texts: Sequence[str]) -> dict[str, str]:
    """Each Chinese character of the texts with its commonest toneless reading (the model keeps this table, so
    the serving side needs no pypinyin)."""
    from hotline.text.pinyin_cache import heteronyms

    chars = sorted({c for text in texts for c in text if "\u4e00" <= c <= "\u9fff"})
    return {c: heteronyms(c)[0] for c in chars}


def one_row_per_class(coef: np.ndarray, intercept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A linear classifier over two classes keeps one row (the second class's side); give each class its own."""
    if coef.shape[0] == 1:
        return np.vstack([-coef[0], coef[0]]), np.array([-intercept[0], intercept[0]])
    return coef, intercept


def vocabulary_sample(sources: Sequence[str], limit: int = VOCAB_ROWS, seed: int = SHUFFLE_SEED) -> list[int]:
    """Rows the vocabulary is learned from: every line that is not an order (seed, catalogue: the words a
    leaf is known by) and up to `limit` orders at random."""
    orders = [i for i, s in enumerate(sources) if s in ("history", "imported")]
    others = [i for i, s in enumerate(sources) if s not in ("history", "imported")]
    if len(orders) > limit:
        orders = sorted(random.Random(seed).sample(orders, limit))
    return sorted(others + orders)


def epochs_for(n_rows: int) -> int:
    return max(1, min(MAX_EPOCHS, round(VISITS / max(n_rows, 1))))


def alpha_for(total_weight: float) -> float:
    return max(ALPHA_SCALE / max(total_weight, 1.0), ALPHA_MIN)


def train_linear(texts: Sequence[str], labels: Sequence[str], weights: Sequence[float], features: Features,
                 chunk_rows: int = CHUNK_ROWS):
    """One weight row per leaf, learned a chunk at a time. Returns (classes, coef [classes, features],
    intercept). With several passes (at most `VISITS / 1.5` rows: a few hundred MB of float32) the chunks are kept
    as numbers between passes; a single pass over more rows holds at most two chunks at a time."""
    from sklearn.linear_model import SGDClassifier

    n = len(texts)
    classes = np.asarray(sorted(set(labels)))
    w = np.asarray(weights, dtype=np.float64)
    y = np.asarray(labels)
    clf = SGDClassifier(loss="hinge", alpha=alpha_for(float(w.sum())), max_iter=1, tol=None,
                        n_jobs=THREADS, random_state=SHUFFLE_SEED)
    rng = np.random.default_rng(SHUFFLE_SEED)
    order = rng.permutation(n)
    chunks = [order[s:s + chunk_rows] for s in range(0, n, chunk_rows)]
    epochs = epochs_for(n)
    cache: dict[int, object] = {}

    def rows(k: int):
        if k in cache:
            return cache[k]
        x = features.matrix([texts[i] for i in chunks[k]])
        if epochs > 1:
            cache[k] = x
        return x

    with ThreadPoolExecutor(1) as pool:
        for _ in range(epochs):
            visit = rng.permutation(len(chunks))
            pending = pool.submit(rows, int(visit[0]))
            for step, k in enumerate(visit):
                x = pending.result()
                if step + 1 < len(visit):
                    pending = pool.submit(rows, int(visit[step + 1]))
                idx = chunks[int(k)]
                clf.partial_fit(x, y[idx], classes=classes, sample_weight=w[idx])
                del x
    return [str(c) for c in clf.classes_], clf.coef_, clf.intercept_
