"""The live model of a process: read from disk on first use, re-read when another process puts a new
version live, and — when it is missing, being built or damaged — nothing, with the reason, so intake falls
back to its rules and /healthz says so."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from hotline.intake.model import (
    LIVE,
    ModelError,
    RoutingModel,
    building,
    first_build_failure,
    live_version,
    load_model,
)

RECHECK_SECONDS = 30.0


class ModelSlot:
    def __init__(self, directory: Path, recheck_seconds: float = RECHECK_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.directory = directory
        self._recheck = recheck_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._stamp: tuple[float, int] | None = None
        self._model: RoutingModel | None = None
        self._problem: str | None = None

    def get(self) -> RoutingModel | None:
        """The live model, or None when there is none that can be used (see `status`)."""
        now = self._monotonic()
        if self._checked_at is not None and now - self._checked_at < self._recheck:
            return self._model
        with self._lock:
            self._checked_at = now
            stamp = self._pointer_stamp()
            if stamp != self._stamp or (self._model is None and self._problem is None):
                self._stamp = stamp
                self._load()
        return self._model

    def refresh(self) -> RoutingModel | None:
        """Read the pointer again now (after this process put a new model live)."""
        self._checked_at, self._stamp = None, None
        self._model, self._problem = None, None
        return self.get()

    def _pointer_stamp(self) -> tuple[float, int] | None:
        try:
            st = (self.directory / LIVE).stat()
        except OSError:
            return None
        return st.st_mtime, st.st_size

    def _load(self) -> None:
        try:
            version = live_version(self.directory)
            if version is None:
                self._model, self._problem = None, None
                return
            self._model, self._problem = load_model(self.directory, version), None
        except ModelError as exc:
            self._model, self._problem = None, str(exc)

    def status(self) -> dict:
        """What /healthz and the consoles show: the live version and its measured accuracy, or why none."""
        model = self.get()
        if model is None and self._problem is None and self._pointer_stamp() != self._stamp:
            model = self.refresh()  # a first model went live since the last look: say so now, not in 30 s
        if model is not None:
            return {"status": "ok", "version": model.version, "accuracy": model.accuracy,
                    "trained_at": model.meta.get("trained_at"), "orders": model.meta.get("orders"),
                    "message": f"智能分类模型 {model.version} 在用，留出检验小类准确率 "
                               f"{model.accuracy.get('category', 0):.1%}"}
        if self._problem:
            return {"status": "fallback", "error": self._problem,
                    "message": "分类模型文件缺失或损坏，已改用关键词规则识别；请运行 hotline intake train 重新训练"}
        note = building(self.directory)
        if note is not None:
            return {"status": "building", "since": note.get("since"),
                    "message": "正在用种子语料训练第一个分类模型（约需一两分钟），其间按关键词规则识别"}
        failed = first_build_failure(self.directory)
        if failed is not None:
            return {"status": "fallback", "error": failed,
                    "message": "用种子语料训练第一个分类模型失败，已改用关键词规则识别；"
                               "请运行 hotline intake train 重试"}
        return {"status": "no_model",
                "message": "尚未训练分类模型，按关键词规则识别；后台任务会随即用种子语料训练第一个模型"
                           "（也可运行 hotline intake train）"}
