"""The learned router at work: a model file read with numpy alone (no scikit-learn in the serving path, so
the CLI starts fast), its suggestions with their confidence, the words that weighed most and similar past
orders by ticket.

A model is two files under the model directory: `model-vNNNN.npz` (the numbers: vocabularies, idf, one
weight row per feature, similar orders' vectors) and `model-vNNNN.json` (what it is: version, classes,
measured accuracy, learned departments, the npz's sha256). `live.json` names the live version.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hotline.intake.grams import SOUNDS, Analyzer, analyzers_for

LIVE = "live.json"
BUILDING = "building.json"  # present while a process builds the centre's first model
FIRST_FAILED = "first_model_failed.json"  # why the first model could not be built (not retried unasked)
BUILDING_STALE_SECONDS = 3600.0  # a marker this old was left by a process that died while building


class ModelError(Exception):
    """The model file cannot be used (missing, corrupt, from another format)."""


@dataclass(frozen=True)
class Choice:
    code: str
    confidence: float


@dataclass
class Suggestion:
    choices: list[Choice]  # best first
    words: list[str]  # what weighed most for the best choice
    similar: list[str]  # tickets of similar past orders of the best choice
    version: str


@dataclass
class _Part:
    vocab: dict[str, int]
    idf: np.ndarray
    offset: int


@dataclass
class Features:
    """Tf-idf over each analyser's grams, each part l2-normalised on its own, parts side by side (as a
    FeatureUnion of sublinear TfidfVectorizers at training); `names[j]` is feature j's gram."""

    parts: dict[str, _Part]
    names: list[str]
    analyzers: Mapping[str, Analyzer]

    @classmethod
    def read(cls, a: dict[str, np.ndarray], analyzers: Mapping[str, Analyzer]) -> Features:
        parts: dict[str, _Part] = {}
        names: list[str] = []
        for key in analyzers:
            vocab = a[f"{key}_vocab"].tolist()
            parts[key] = _Part({g: i for i, g in enumerate(vocab)}, a[f"{key}_idf"], len(names))
            names.extend(vocab)
        return cls(parts, names, analyzers)

    def said(self, j: int) -> bool:
        """Whether feature j is words or characters as heard (a syllable gram is not shown to the operator)."""
        part = self.parts.get(SOUNDS)
        return part is None or not part.offset <= j < part.offset + len(part.vocab)

    def vector(self, text: str) -> dict[int, float]:
        """Sparse tf-idf vector: feature index → value."""
        out: dict[int, float] = {}
        for key, part in self.parts.items():
            counts: dict[int, int] = {}
            for gram in self.analyzers[key](text):
                j = part.vocab.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            values = {j: (1.0 + math.log(c)) * float(part.idf[j]) for j, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
            out.update({part.offset + j: v / norm for j, v in values.items()})
        return out


@dataclass
class RoutingModel:
    version: str
    meta: dict
    classes: list[str]
    features: Features
    weights: np.ndarray  # [features, classes]
    intercept: np.ndarray
    temperature: float
    ex_tickets: list[str] = field(default_factory=list)
    ex_leaf: np.ndarray | None = None
    ex_indptr: np.ndarray | None = None
    ex_indices: np.ndarray | None = None
    ex_data: np.ndarray | None = None
    # the last text read and what it gave: intake asks about the same words twice (the danger judge's second
    # opinion, then the suggestion); a tuple is replaced whole, so threads sharing the model read one or the other
    _last: tuple[str, dict[int, float], np.ndarray] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def accuracy(self) -> dict:
        return self.meta.get("accuracy", {})

    def vector(self, text: str) -> dict[int, float]:
        return self.features.vector(text)

    def scores(self, vec: dict[int, float]) -> np.ndarray:
        if not vec:
            return self.intercept.astype(np.float64)
        idx = np.fromiter(vec.keys(), dtype=np.int64)
        val = np.fromiter(vec.values(), dtype=np.float64)
        return val @ self.weights[idx].astype(np.float64) + self.intercept

    def confidence(self, text: str) -> tuple[dict[int, float], np.ndarray]:
        """The text's features and the model's confidence in each leaf (summing to 1)."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1], last[2]
        vec = self.vector(text)
        raw = self.scores(vec)
        z = np.exp((raw - raw.max()) * self.temperature)
        prob = z / z.sum()
        self._last = (text, vec, prob)
        return vec, prob

    def share(self, text: str, leaves: frozenset[str]) -> float:
        """The part of the model's confidence that falls on these leaves (the emergency leaves, say)."""
        _, prob = self.confidence(text)
        return float(prob[[c in leaves for c in self.classes]].sum())

    def suggest(self, text: str, choices: int = 3, exclude: frozenset[str] = frozenset()) -> Suggestion:
        """The best `choices` leaves other than `exclude`, each with its share of the whole confidence."""
        vec, prob = self.confidence(text)
        order = [i for i in np.argsort(-prob) if self.classes[int(i)] not in exclude][:choices]
        best = int(order[0])
        picked = [Choice(self.classes[int(i)], round(float(prob[int(i)]), 3)) for i in order]
        if not vec:
            return Suggestion(picked, [], [], self.version)
        return Suggestion(picked, self._words(vec, best), self._similar(vec, best), self.version)

    def _words(self, vec: dict[int, float], klass: int, limit: int = 3) -> list[str]:
        """The heard grams that pushed hardest toward `klass`, longest first where one holds another."""
        pushes = sorted(((v * float(self.weights[j, klass]), j) for j, v in vec.items()), reverse=True)
        chosen: list[str] = []
        for push, j in pushes[:12]:
            name = self.features.names[j]
            if push <= 0 or not name.strip():
                break
            if not self.features.said(j):
                continue
            if any(name in c for c in chosen):
                continue
            chosen = [c for c in chosen if c not in name] + [name]
            if len(chosen) == limit:
                break
        return chosen

    def _similar(self, vec: dict[int, float], klass: int, limit: int = 3) -> list[str]:
        if self.ex_leaf is None or self.ex_indptr is None or self.ex_indices is None or self.ex_data is None:
            return []
        found: list[tuple[float, str]] = []
        for row in np.flatnonzero(self.ex_leaf == klass):
            lo, hi = int(self.ex_indptr[row]), int(self.ex_indptr[row + 1])
            sim = sum(vec.get(int(j), 0.0) * float(v) for j, v in zip(self.ex_indices[lo:hi], self.ex_data[lo:hi],
                                                                          strict=True))
            if sim > 0:
                found.append((sim, self.ex_tickets[row]))
        return [ticket for _, ticket in sorted(found, reverse=True)[:limit]]


def model_paths(directory: Path, version: str) -> tuple[Path, Path]:
    return directory / f"model-{version}.npz", directory / f"model-{version}.json"


def live_version(directory: Path) -> str | None:
    pointer = directory / LIVE
    if not pointer.is_file():
        return None
    try:
        return str(json.loads(pointer.read_text(encoding="utf-8"))["version"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{pointer} is not a model pointer: {exc}") from exc


def read_checked(npz_path: Path, meta_path: Path, error: type[Exception]) -> tuple[dict, dict[str, np.ndarray]]:
    """A model's description and arrays, the arrays checked against the sha256 the description carries; a
    mismatch raises `error`, an unreadable file whatever reading it raised."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if hashlib.sha256(npz_path.read_bytes()).hexdigest() != meta.get("sha256"):
        raise error(f"{npz_path} does not match its checksum: the file is damaged")
    with np.load(npz_path, allow_pickle=False) as npz:
        return meta, {k: npz[k] for k in npz.files}


def load_model(directory: Path, version: str) -> RoutingModel:
    """Read and check one model; any problem is a ModelError naming the file."""
    npz_path, meta_path = model_paths(directory, version)
    try:
        meta, arrays = read_checked(npz_path, meta_path, ModelError)
        return _build(version, meta, arrays)
    except ModelError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ModelError(f"model {version} in {directory} cannot be read: {type(exc).__name__}: {exc}") from exc


def _build(version: str, meta: dict, a: dict[str, np.ndarray]) -> RoutingModel:
    features = Features.read(a, analyzers_for(meta, a))
    weights = a["weights"]
    classes = list(meta["classes"])
    if weights.shape != (len(features.names), len(classes)) or a["intercept"].shape != (len(classes),):
        raise ModelError(f"model {version}: weights {weights.shape} do not fit {len(features.names)} features, "
                         f"{len(classes)} classes")
    has_ex = "ex_leaf" in a
    return RoutingModel(version, meta, classes, features, weights, a["intercept"].astype(np.float64),
                        float(meta.get("temperature", 1.0)),
                        a["ex_tickets"].tolist() if has_ex else [],
                        a.get("ex_leaf"), a.get("ex_indptr"), a.get("ex_indices"), a.get("ex_data"))


def write_model(directory: Path, version: str, arrays: dict[str, np.ndarray], meta: dict) -> None:
    write_checked(*model_paths(directory, version), arrays, {**meta, "version": version})


def write_checked(npz_path: Path, meta_path: Path, arrays: dict[str, np.ndarray], meta: dict,
                  compressed: bool = False) -> None:
    """The npz, then its description with the npz's checksum (a half-written model never checks out)."""
    npz_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = npz_path.with_suffix(".tmp.npz")
    (np.savez_compressed if compressed else np.savez)(tmp, allow_pickle=False, **arrays)
    tmp.replace(npz_path)
    meta = {**meta, "sha256": hashlib.sha256(npz_path.read_bytes()).hexdigest()}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def set_live(directory: Path, version: str) -> None:
    tmp = directory / (LIVE + ".tmp")
    tmp.write_text(json.dumps({"version": version}), encoding="utf-8")
    tmp.replace(directory / LIVE)


def versions(directory: Path) -> list[str]:
    """Model versions on disk, oldest first."""
    return sorted(p.stem.removeprefix("model-") for p in directory.glob("model-v*.json"))


def next_version(directory: Path) -> str:
    found = versions(directory)
    last = int(found[-1].removeprefix("v")) if found else 0
    return f"v{last + 1:04d}"


def building(directory: Path, wall: float | None = None) -> dict | None:
    """The marker of a first model being built now. A stale one is none: older than an hour, or left on this
    machine by a process that is gone (a centre stopped while its first model was being built)."""
    marker = directory / BUILDING
    try:
        age = (time.time() if wall is None else wall) - marker.stat().st_mtime
        note = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(note, dict) or age >= BUILDING_STALE_SECONDS:
        return None
    return None if note.get("host") == socket.gethostname() and not _alive(note.get("pid")) else note


def _alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def first_build_failure(directory: Path) -> str | None:
    try:
        return str(json.loads((directory / FIRST_FAILED).read_text(encoding="utf-8"))["error"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
