"""Training the learned router (scikit-learn, imported only here and in `fitting`): the citizen's words → the leaf.

Features are tf-idf over characters and character pairs (a recognition slip changes one character and
leaves most pairs around it), the recogniser's words, and toneless syllables and syllable pairs (a same-sound
slip keeps them); the classifier is a linear SVM trained by stochastic
gradient descent a chunk at a time (`hotline.intake.fitting`), so a million orders train in minutes;
on the seed corpus it is as accurate as the exact LinearSVC it replaced (bench/README.md). Its weights
are exported to a numpy file that `hotline.intake.model` reads without scikit-learn.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from hotline.core.config_intake_model import IntakeModelFile
from hotline.intake.fitting import (
    CHUNK_ROWS,
    Features,
    learn_features,
    one_row_per_class,
    train_linear,
    vocabulary_sample,
)
from hotline.intake.grams import CHAR_GRAMS
from hotline.intake.model import RoutingModel, _build

TEMPERATURES = (1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0)


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    leaf: str
    department: str | None = None
    place: str | None = None
    ticket: str | None = None
    received_at: dt.datetime | None = None
    source: str = "history"  # history | imported | seed


@dataclass
class Fitted:
    arrays: dict[str, np.ndarray]
    meta: dict
    model: RoutingModel = field(init=False)

    def __post_init__(self) -> None:
        self.model = _build("candidate", self.meta, self.arrays)


def fit(train: Sequence[Example], weights: Sequence[float], settings: IntakeModelFile,
        returned: dict[str, dict[str, int]] | None = None, lead_by_place: frozenset[str] = frozenset(),
        names: dict[str, str] | None = None, chunk_rows: int = CHUNK_ROWS) -> Fitted:
    """A model from these examples, with the departments its history teaches."""
    texts = [e.text for e in train]
    features = learn_features([texts[i] for i in vocabulary_sample([e.source for e in train])], len(train))
    classes, coef, intercept = train_linear(texts, [e.leaf for e in train], weights, features, chunk_rows)
    coef, intercept = one_row_per_class(coef, intercept)
    arrays = features.arrays()
    arrays["weights"] = np.ascontiguousarray(coef.T.astype(np.float16))
    arrays["intercept"] = intercept.astype(np.float32)
    arrays.update(_examples(train, features, classes, settings.similar_per_leaf))
    meta = {"classes": classes, "names": names or {}, "temperature": 1.0, "char_grams": list(CHAR_GRAMS),
            "orders": sum(e.source in ("history", "imported") for e in train),
            "seed_lines": sum(e.source == "seed" for e in train), "features": features.size,
            "departments": learned_departments(train, returned or {}, settings, lead_by_place),
            "returned": returned or {}}
    return Fitted(arrays, meta)


def _examples(train: Sequence[Example], features: Features, classes: list[str], per_leaf: int) -> dict[str, np.ndarray]:
    """The most recent orders of each leaf with a ticket, kept to show as similar past orders."""
    index = {c: i for i, c in enumerate(classes)}
    newest = sorted((i for i, e in enumerate(train) if e.ticket),
                    key=lambda i: train[i].received_at or dt.datetime.min, reverse=True)
    taken: Counter[str] = Counter()
    rows: list[int] = []
    for i in newest:
        if taken[train[i].leaf] < per_leaf:
            taken[train[i].leaf] += 1
            rows.append(i)
    sub = features.matrix([train[i].text for i in rows])
    return {"ex_tickets": np.asarray([train[i].ticket for i in rows], dtype=str),
            "ex_leaf": np.asarray([index[train[i].leaf] for i in rows], dtype=np.int32),
            "ex_indptr": sub.indptr.astype(np.int64), "ex_indices": sub.indices.astype(np.int32),
            "ex_data": sub.data.astype(np.float32)}


def learned_departments(train: Sequence[Example], returned: dict[str, dict[str, int]], settings: IntakeModelFile,
                        lead_by_place: frozenset[str]) -> dict[str, dict]:
    """Per leaf, the department the centre's orders end with, when enough agree. An order returned as
    mis-routed counts against the department that returned it."""
    kept: dict[str, Counter[str]] = defaultdict(Counter)
    for e in train:
        if e.department and e.source != "seed" and e.leaf not in lead_by_place:
            kept[e.leaf][e.department] += 1
    out: dict[str, dict] = {}
    for leaf, counts in kept.items():
        against = returned.get(leaf, {})
        net = {d: n - against.get(d, 0) for d, n in counts.items()}
        best = max(net, key=lambda d: (net[d], d))
        total = sum(counts.values())
        if counts[best] >= settings.department_min_orders and net[best] / total >= settings.department_min_share:
            out[leaf] = {"department": best, "orders": counts[best], "share": round(counts[best] / total, 3)}
    return out


def calibrate(model: RoutingModel, held: Sequence[Example]) -> float:
    """The softmax temperature that makes the confidences honest on the held-out orders (least log-loss)."""
    if not held:
        return 5.0
    index = {c: i for i, c in enumerate(model.classes)}
    raw = [(model.scores(model.vector(e.text)), index.get(e.leaf)) for e in held]
    best, best_loss = TEMPERATURES[0], math.inf
    for t in TEMPERATURES:
        loss = 0.0
        for scores, truth in raw:
            z = (scores - scores.max()) * t
            log_p = z - math.log(float(np.exp(z).sum()))
            loss -= float(log_p[truth]) if truth is not None else math.log(1e-6)
        if loss < best_loss:
            best, best_loss = t, loss
    return best


def evaluate(model: RoutingModel, held: Sequence[Example],
             department_of: Callable[[RoutingModel, str, str | None], str | None]) -> dict:
    """Leaf and lead-department accuracy on held-out orders."""
    if not held:
        return {"category": 0.0, "department": 0.0, "orders": 0}
    leaf_ok = dept_ok = dept_n = 0
    for e in held:
        best = model.suggest(e.text, 1).choices[0].code
        leaf_ok += best == e.leaf
        if e.department:
            dept_n += 1
            dept_ok += department_of(model, best, e.place) == e.department
    return {"category": round(leaf_ok / len(held), 4),
            "department": round(dept_ok / dept_n, 4) if dept_n else None, "orders": len(held)}
