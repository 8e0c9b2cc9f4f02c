"""Training the danger model (scikit-learn, imported only here): the caller's words → emergency or not, and
which emergency leaf. Exported as numpy arrays that `hotline.intake.danger_model` reads without scikit-learn.

Features are tf-idf over character 1–3-grams and the recogniser's words (as the learned router had them
before it heard syllables). The
emergency-or-not head is a logistic regression, whose probability a threshold can be chosen on; the leaf head
a linear SVM over the emergency lines only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hotline.intake.danger_model import ANALYZERS, DangerModel, build
from hotline.intake.fitting import Features, one_row_per_class

C_DANGER = 4.0  # chosen by cross-validation over the development sets (bench/tools/train_danger_model.py)
C_LEAF = 0.5
CLASS_WEIGHT: str | None = None  # the prior kept: a short, vague call gets a low probability


@dataclass(frozen=True)
class Line:
    text: str
    emergency: bool
    leaf: str | None  # the emergency leaf, for emergencies (None: the line teaches emergency-or-not only)
    weight: float = 1.0


def fit(lines: Sequence[Line], c_danger: float = C_DANGER) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and the description of a danger model trained on these lines (threshold not yet set)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    texts = [line.text for line in lines]
    parts = {key: TfidfVectorizer(analyzer=analyser, sublinear_tf=True, min_df=2, dtype=np.float32,
                                  max_features=60_000 if key == "c" else 20_000)
             for key, analyser in ANALYZERS.items()}
    x = hstack([v.fit_transform(texts) for v in parts.values()]).tocsr()
    y = np.asarray([line.emergency for line in lines])
    weights = np.asarray([line.weight for line in lines], dtype=np.float64)
    danger = LogisticRegression(C=c_danger, class_weight=CLASS_WEIGHT, max_iter=2000)
    danger.fit(x, y, sample_weight=weights)
    rows = np.asarray([i for i, line in enumerate(lines) if line.emergency and line.leaf])
    leaf = LinearSVC(C=C_LEAF, random_state=0)
    leaf.fit(x[rows], [lines[int(i)].leaf for i in rows], sample_weight=weights[rows])
    arrays = Features(parts).arrays()
    arrays["danger"] = danger.coef_[0].astype(np.float32)
    arrays["danger_bias"] = np.asarray(danger.intercept_[0], dtype=np.float32)
    coef, intercept = one_row_per_class(leaf.coef_, leaf.intercept_)
    arrays["leaf_weights"] = np.ascontiguousarray(coef.T.astype(np.float16))
    arrays["leaf_bias"] = intercept.astype(np.float32)
    meta = {"leaves": [str(c) for c in leaf.classes_], "threshold": 0.5, "lines": len(lines),
            "emergencies": int(y.sum()), "features": int(x.shape[1]), "c_danger": c_danger}
    return arrays, meta


def fitted(lines: Sequence[Line], c_danger: float = C_DANGER) -> DangerModel:
    """A model to score with in memory (cross-validation), without writing files."""
    arrays, meta = fit(lines, c_danger)
    return build(meta, arrays)
