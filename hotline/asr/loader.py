"""One recogniser engine per process: loaded on first use (or before a worker forks) and shared."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from hotline.asr.engine import Engine, ModelError, VoskEngine
from hotline.asr.fake import FakeEngine
from hotline.core.jobs import on_worker_start
from hotline.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class _Loaded:
    key: tuple
    engine: Engine | None
    problem: str | None


_LOCK = threading.Lock()
_LOADED: _Loaded | None = None
_SCRIPTED: FakeEngine | None = None


def engine_for(settings: Settings) -> tuple[Engine | None, str | None]:
    """The process's engine (loaded on first use, then shared) or (None, why there is none)."""
    global _LOADED
    key = (settings.asr_engine, str(settings.asr_model_dir))
    with _LOCK:
        if _LOADED is None or _LOADED.key != key or _LOADED.engine is None:
            _LOADED = _Loaded(key, *_load(settings))
        return _LOADED.engine, _LOADED.problem


def use_scripted(engine: FakeEngine) -> None:
    """The engine `asr_engine = fake` gives (the demo teaches it what its simulated callers say)."""
    global _SCRIPTED, _LOADED
    with _LOCK:
        _SCRIPTED, _LOADED = engine, None


def _load(settings: Settings) -> tuple[Engine | None, str | None]:
    if settings.asr_engine == "fake":
        return _SCRIPTED or FakeEngine(model="scripted"), None
    try:
        engine = VoskEngine(settings.asr_model_dir)
    except ModelError as exc:
        return None, exc.message
    log.info("speech model %s loaded (%d Hz)", engine.model_dir, engine.sample_rate)
    return engine, None


def forget_engine() -> None:
    global _LOADED
    with _LOCK:
        _LOADED = None


@on_worker_start
def load_before_fork(settings: Settings) -> None:
    """A job worker loads the model in its parent process, so every forked child shares one copy."""
    engine_for(settings)
