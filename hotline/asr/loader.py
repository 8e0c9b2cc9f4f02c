"""One recogniser engine per process: loaded on first use (or before a worker forks) and shared."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from hotline.asr.engine import Engine, ModelError, VoskEngine
from hotline.asr.fake import FakeEngine
from hotline.core.config_listen import ListenFile
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


def engine_for(settings: Settings, tuning: ListenFile | None = None) -> tuple[Engine | None, str | None]:
    """The process's engine (loaded on first use, then shared) or (None, why there is none); `tuning` sets its
    decoder and feed rate (config/listen.yaml), else the model's own."""
    global _LOADED
    tuning = tuning or ListenFile()
    key = (settings.asr_engine, str(settings.asr_model_dir), tuning.decoder, tuning.feed_rate, tuning.keep_warm)
    with _LOCK:
        if _LOADED is None or _LOADED.key != key or _LOADED.engine is None:
            _LOADED = _Loaded(key, *_load(settings, tuning))
        return _LOADED.engine, _LOADED.problem


def use_scripted(engine: FakeEngine) -> None:
    """The engine `asr_engine = fake` gives (the demo teaches it what its simulated callers say)."""
    global _SCRIPTED, _LOADED
    with _LOCK:
        _SCRIPTED, _LOADED = engine, None


def _load(settings: Settings, tuning: ListenFile) -> tuple[Engine | None, str | None]:
    if settings.asr_engine == "fake":
        return _SCRIPTED or FakeEngine(model="scripted"), None
    try:
        engine = VoskEngine(settings.asr_model_dir, tuning.decoder, feed_rate=tuning.feed_rate,
                            derived_root=settings.var_dir / "models" / "derived", keep_warm=tuning.keep_warm)
    except ModelError as exc:
        return None, exc.message
    log.info("speech model %s loaded (fed %d Hz, decoder %s)", engine.model_dir, engine.sample_rate,
             engine.decoder.given() or "as the model sets it")
    return engine, None


def forget_engine() -> None:
    global _LOADED
    with _LOCK:
        _LOADED = None


@on_worker_start
def load_before_fork(settings: Settings) -> None:
    """A job worker loads the model in its parent process, so every forked child shares one copy."""
    engine_for(settings)
