"""Building a new model from the centre's history and putting it live only if it is not worse.

The most recent orders (a configured share) are held out: the candidate never sees them, and both the
candidate and the live model are measured on them. While a centre has too few orders of its own, the
held-out orders are every tenth line of the seed corpus instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from sqlalchemy.orm import Session

from hotline.core.config import HotlineConfig
from hotline.core.config_intake_model import IntakeModelFile
from hotline.dispatch.routing import Router
from hotline.intake.combine import department_for
from hotline.intake.history import HistoryRepository
from hotline.intake.model import (
    BUILDING,
    FIRST_FAILED,
    ModelError,
    RoutingModel,
    building,
    live_version,
    load_model,
    model_paths,
    next_version,
    set_live,
    versions,
    write_model,
)
from hotline.intake.training import Example, calibrate, evaluate, fit

LAST_RUN = "last_run.json"


def seed_examples(config: HotlineConfig, leave_out: frozenset[str] = frozenset()) -> list[Example]:
    """What a new centre starts from, shipped with hotline: the seed corpus (situations written for every leaf,
    said as callers say them) and then the labelled calls of the development sets (`calls.jsonl`, each line
    naming its set; `leave_out` drops whole sets, to measure on one the model did not learn from)."""
    seed = files("hotline.intake").joinpath("seed")
    out = []
    for name in ("corpus.jsonl", "calls.jsonl"):
        path = seed.joinpath(name)
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                leaf = config.category(row["category"])
                if leaf is not None and row.get("set") not in leave_out:
                    out.append(Example(row["text"], leaf.code, row.get("department"), row.get("place"),
                                       source="seed"))
    return out


def row_weights(rows: Sequence[Example], settings: IntakeModelFile) -> list[float]:
    """Each training row's weight: an order 1, a seed line `seed_weight`, a catalogue phrase `phrase_weight`; as
    history grows, the seed and catalogue lines together are weighted up to keep `seed_min_share` of the total."""
    base = {"seed": settings.seed_weight, "catalogue": settings.phrase_weight}
    weights = [base.get(e.source, 1.0) for e in rows]
    starter = sum(w for w, e in zip(weights, rows, strict=True) if e.source in base)
    orders = sum(weights) - starter
    share = settings.seed_min_share
    if share > 0 and starter > 0 and starter / (starter + orders) < share:
        k = share * orders / ((1 - share) * starter)
        weights = [w * k if e.source in base else w for w, e in zip(weights, rows, strict=True)]
    return weights


def catalogue_examples(config: HotlineConfig) -> list[Example]:
    """Each leaf's name and the phrases catalogue.yaml lists: the words a leaf is known by, even unseen."""
    return [Example(phrase, leaf.code, source="catalogue")
            for leaf in config.catalogue.leaves() for phrase in (leaf.name, *leaf.keywords)]


@dataclass
class TrainResult:
    version: str
    live: bool
    candidate: dict
    previous: dict | None
    previous_version: str | None
    orders: int
    seed_lines: int
    seconds: float

    def summary(self) -> str:
        c = self.candidate
        department = "" if c.get("department") is None else f"，主办单位 {c['department']:.1%}"
        verdict = "已上线" if self.live else f"未上线（不如在用的 {self.previous_version}）"
        before = (f"；在用 {self.previous_version}：小类 {self.previous['category']:.1%}"
                  if self.previous and self.previous_version else "")
        return (f"模型 {self.version}：{self.orders} 张工单 + {self.seed_lines} 条种子语料，"
                f"用时 {self.seconds:.1f} 秒；"
                f"留出 {c['orders']} 张检验，小类准确率 {c['category']:.1%}"
                f"{department}{before}。{verdict}")


class Trainer:
    def __init__(self, session: Session, config: HotlineConfig, router: Router, directory: Path,
                 now: dt.datetime, seed: Sequence[Example] | None = None, end_reading: bool = False) -> None:
        """`end_reading`: the session is the trainer's own, and its transaction ends once history is read (the
        minutes of fitting must not hold a database lock: on SQLite every transaction holds the write lock)."""
        self.session, self.config, self.router = session, config, router
        self.end_reading = end_reading
        self.directory, self.now = directory, now
        self.settings = config.intake_model
        self._seed = seed

    def run(self) -> TrainResult:
        started = time.perf_counter()
        repo = HistoryRepository(self.session)
        limit = self.settings.max_training_orders
        history = sorted(repo.final_orders(limit) + repo.imported(limit),
                         key=lambda e: e.received_at or dt.datetime.min, reverse=True)[:limit]
        history = [c for e in history if (c := self._canonical(e)) is not None]
        returned = repo.returned()
        if self.end_reading:  # all is read: no transaction (on SQLite, the write lock) held while fitting
            self.session.commit()
        seed = list(self._seed) if self._seed is not None else seed_examples(self.config)
        train, held = self._split(history, seed)
        train += catalogue_examples(self.config)
        weights = row_weights(train, self.settings)
        lead_by_place = frozenset(leaf.code for leaf in self.config.catalogue.leaves() if leaf.lead_by_place)
        names = {leaf.code: leaf.name for leaf in self.config.catalogue.leaves()}
        fitted = fit(train, weights, self.settings, returned, lead_by_place, names)
        fitted.meta["temperature"] = fitted.model.temperature = calibrate(fitted.model, held)
        candidate = evaluate(fitted.model, held, self._department)
        previous_version, previous = self._live_on(held)
        live = previous is None or candidate["category"] >= previous["category"]
        version = next_version(self.directory)
        fitted.meta.update(accuracy=candidate, trained_at=self.now.isoformat(), live=live,
                           compared_with={"version": previous_version, "accuracy": previous} if previous else None)
        write_model(self.directory, version, fitted.arrays, fitted.meta)
        if live:
            set_live(self.directory, version)
        self._prune()
        self._note_run(version, live)
        return TrainResult(version, live, candidate, previous, previous_version, fitted.meta["orders"],
                           fitted.meta["seed_lines"], time.perf_counter() - started)

    def _canonical(self, e: Example) -> Example | None:
        leaf = self.config.category(e.leaf)
        if leaf is None or not e.text.strip():
            return None
        return e if leaf.code == e.leaf else Example(e.text, leaf.code, e.department, e.place, e.ticket,
                                                     e.received_at, e.source)

    def _split(self, history: list[Example], seed: list[Example]) -> tuple[list[Example], list[Example]]:
        """History newest first: the newest share is held out once there are enough orders."""
        n_held = min(int(len(history) * self.settings.holdout_fraction), self.settings.holdout_max)
        if n_held >= self.settings.holdout_min:
            return history[n_held:] + seed, history[:n_held]
        held = seed[::10]
        kept = [e for i, e in enumerate(seed) if i % 10]
        return history + kept, held

    def _department(self, model: RoutingModel, leaf: str, place: str | None) -> str | None:
        return department_for(model, self.router, leaf, place)[0]

    def _live_on(self, held: list[Example]) -> tuple[str | None, dict | None]:
        """The live model measured on the same held-out orders; a live model that cannot be read counts as none."""
        try:
            version = live_version(self.directory)
            if version is None:
                return None, None
            return version, evaluate(load_model(self.directory, version), held, self._department)
        except ModelError:
            return None, None

    def _prune(self) -> None:
        """Keep the newest versions and the live one."""
        keep = set(versions(self.directory)[-self.settings.keep_versions:])
        try:
            keep.add(live_version(self.directory) or "")
        except ModelError:
            pass
        for version in versions(self.directory):
            if version not in keep:
                for path in model_paths(self.directory, version):
                    path.unlink(missing_ok=True)

    def _note_run(self, version: str, live: bool) -> None:
        (self.directory / FIRST_FAILED).unlink(missing_ok=True)  # a model was built: an earlier failure is over
        (self.directory / LAST_RUN).write_text(json.dumps({"at": self.now.isoformat(), "version": version,
                                                           "live": live}), encoding="utf-8")


def last_run(directory: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(json.loads((directory / LAST_RUN).read_text(encoding="utf-8"))["at"])
    except (OSError, ValueError, KeyError):
        return None


def needs_first_model(directory: Path, enabled: bool = True) -> bool:
    """A centre that has never trained a model here (none live, no run recorded, no failed first build): the
    first one is built at once from the seed corpus and the development calls, whatever the hour (unless the
    settings turn this off: `HOTLINE_INTAKE_FIRST_MODEL`)."""
    if not enabled:
        return False
    try:
        if live_version(directory) is not None:
            return False
    except ModelError:
        return False  # a damaged pointer is the nightly retraining's to cure
    return last_run(directory) is None and not (directory / FIRST_FAILED).exists()


def claim_first_build(directory: Path, now: dt.datetime) -> bool:
    """Take the building marker, for one process only (the jobs of several workers may run at once)."""
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / BUILDING
    if marker.exists() and building(directory) is None:
        marker.unlink(missing_ok=True)  # stale
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"since": now.isoformat(), "host": socket.gethostname(), "pid": os.getpid()}, out)
    return True


def release_first_build(directory: Path, now: dt.datetime, error: str | None = None) -> None:
    """The build is over (`error`: why it failed, kept for /healthz)."""
    if error is not None:
        (directory / FIRST_FAILED).write_text(json.dumps({"at": now.isoformat(), "error": error}),
                                              encoding="utf-8")
    (directory / BUILDING).unlink(missing_ok=True)
