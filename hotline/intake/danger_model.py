"""The learned danger model at work (险情模型): is this call an emergency, and which emergency leaf — read with
numpy alone, like the learned router (`hotline.intake.model`), so the analyser never imports scikit-learn.

The danger detector's patterns know the shapes they were written from; callers keep finding new ones. The
model, trained on many tellings of emergencies and of calls that only sound alarming, hears what the patterns
miss. It ships with hotline (`hotline/intake/seed/danger-model.npz` and `.json`, built by
`bench/tools/train_danger_model.py`); a missing or damaged file leaves the detector alone, and /healthz says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np

from hotline.intake.model import Features, read_checked, write_checked

NAME = "danger-model"


def char_grams(text: str) -> list[str]:
    """Characters, pairs and triples without the recogniser's spaces: a slip leaves most grams around it. The
    router's grams (`grams.char_grams`) fold Latin letters to lower case; the shipped danger model was trained
    without, so its grams keep them."""
    s = "".join(text.split())
    return [s[i:i + n] for n in (1, 2, 3) for i in range(len(s) - n + 1)]


def word_tokens(text: str) -> list[str]:
    return text.split()


ANALYZERS = {"c": char_grams, "w": word_tokens}


class DangerModelError(Exception):
    """The danger model's files cannot be used (missing, damaged, another format)."""


@dataclass(frozen=True)
class Heard:
    probability: float  # that the call is an emergency
    leaf: str  # the emergency leaf the model hears most
    leaf_scores: dict[str, float] = field(default_factory=dict)
    vector: dict[int, float] = field(default_factory=dict, repr=False, compare=False)  # what was heard, as features

    def margin(self, other: str) -> float:
        """How much more the model hears its own leaf than `other` (0 when it is the same leaf)."""
        return self.leaf_scores.get(self.leaf, 0.0) - self.leaf_scores.get(other, -np.inf)


@dataclass
class DangerModel:
    meta: dict
    features: Features
    danger: np.ndarray  # [features]
    danger_bias: float
    leaf_weights: np.ndarray  # [features, leaves]
    leaf_bias: np.ndarray
    leaves: list[str]

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "?"))

    @property
    def threshold(self) -> float:
        return float(self.meta["threshold"])

    def hear(self, text: str) -> Heard:
        """The probability of an emergency and its leaf."""
        vec = self.features.vector(text)
        if not vec:
            return Heard(1.0 / (1.0 + math.exp(-self.danger_bias)), self.leaves[0])
        idx = np.fromiter(vec.keys(), dtype=np.int64)
        val = np.fromiter(vec.values(), dtype=np.float64)
        z = float(val @ self.danger[idx].astype(np.float64)) + self.danger_bias
        leaf_scores = val @ self.leaf_weights[idx].astype(np.float64) + self.leaf_bias
        return Heard(1.0 / (1.0 + math.exp(-z)), self.leaves[int(np.argmax(leaf_scores))],
                     dict(zip(self.leaves, leaf_scores.tolist(), strict=True)), vec)

    def words(self, text: str, heard: Heard) -> tuple[str, ...]:
        """The stretches of what was heard that weighed most toward an emergency (for the operator's reason)."""
        return self._spans(text, heard.vector) if heard.vector else ()

    def _spans(self, text: str, vec: dict[int, float], limit: int = 2) -> tuple[str, ...]:
        """The stretches of what was heard that pushed hardest toward an emergency: each character gets its
        share of the push of every gram it is in, and a stretch grows around the strongest character while
        its neighbours still push (「咽下去了一直吐」 rather than single grams)."""
        s = "".join(text.split())
        chars = self.features.parts["c"]
        vocab, base = chars.vocab, chars.offset
        score = np.zeros(len(s))
        for n in (1, 2, 3):
            for i in range(len(s) - n + 1):
                j = vocab.get(s[i:i + n])
                if j is not None:
                    score[i:i + n] += vec.get(base + j, 0.0) * float(self.danger[base + j]) / n
        spans: list[str] = []
        taken = np.zeros(len(s), dtype=bool)
        top = float(score.max()) if len(s) else 0.0
        while len(spans) < limit and top > 0:
            free = np.where(taken, -np.inf, score)
            peak = int(np.argmax(free))
            if free[peak] < top / 3:
                break
            lo, hi = peak, peak + 1
            while hi - lo < _SPAN:
                left = score[lo - 1] if lo > 0 and not taken[lo - 1] else -np.inf
                right = score[hi] if hi < len(s) and not taken[hi] else -np.inf
                if max(left, right) <= top / 10:
                    break
                lo, hi = (lo - 1, hi) if left >= right else (lo, hi + 1)
            taken[max(lo - 1, 0):hi + 1] = True
            if hi - lo >= 2:
                spans.append(s[lo:hi])
            else:
                taken[peak] = True
        return tuple(spans)


_SPAN = 8  # characters at most in one stretch quoted to the operator


def shipped_directory() -> Path:
    return Path(str(files("hotline.intake").joinpath("seed")))


def paths(directory: Path) -> tuple[Path, Path]:
    return directory / f"{NAME}.npz", directory / f"{NAME}.json"


def load_danger_model(directory: Path | None = None) -> DangerModel:
    """Read and check the danger model; any problem is a DangerModelError naming the file."""
    npz_path, meta_path = paths(directory or shipped_directory())
    try:
        meta, arrays = read_checked(npz_path, meta_path, DangerModelError)
        return build(meta, arrays)
    except DangerModelError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise DangerModelError(f"danger model in {npz_path.parent} cannot be read: {type(exc).__name__}: {exc}") \
            from exc


def build(meta: dict, a: dict[str, np.ndarray]) -> DangerModel:
    features = Features.read(a, ANALYZERS)
    leaves = list(meta["leaves"])
    danger, leaf_weights = a["danger"], a["leaf_weights"]
    width = len(features.names)
    if danger.shape != (width,) or leaf_weights.shape != (width, len(leaves)):
        raise DangerModelError(f"danger model: weights {danger.shape}/{leaf_weights.shape} do not fit "
                               f"{width} features, {len(leaves)} leaves")
    float(meta["threshold"])  # a description without a numeric threshold is not a danger model's
    return DangerModel(meta, features, danger, float(a["danger_bias"]), leaf_weights,
                       a["leaf_bias"].astype(np.float64), leaves)


def write_danger_model(directory: Path, arrays: dict[str, np.ndarray], meta: dict) -> None:
    write_checked(*paths(directory), arrays, meta, compressed=True)
