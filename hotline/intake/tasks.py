"""The intake model's jobs: a centre without a model gets its first one at once (from the seed corpus and the
development calls, plus any history already there); after that, once a local day in the night hour, a new
model from the day's history (kept only if not worse)."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from hotline.core.db import session_scope
from hotline.core.jobs import InProcessQueue, Runtime, job
from hotline.core.settings import Settings
from hotline.intake.learning import (
    Trainer,
    TrainResult,
    claim_first_build,
    last_run,
    needs_first_model,
    release_first_build,
)
from hotline.intake.model import BUILDING, ModelError, live_version

log = logging.getLogger(__name__)

ChildBuild = Callable[[Settings], None]
_child_build: ChildBuild | None = None


def use_child_build(target: ChildBuild) -> None:
    """Where a child process starts to build the first model on its own (the runtime registers it: building a
    context is the runtime's work, which no domain imports)."""
    global _child_build
    _child_build = target


def train_now(session: Session, ctx) -> TrainResult:
    result = Trainer(session, ctx.config, ctx.router, ctx.settings.intake_models, ctx.clock.now(),
                     end_reading=True).run()
    ctx.intake_model.refresh()
    return result


@job("hotline.intake.train")
def nightly(runtime: Runtime) -> str | None:
    """Runs with the periodic jobs. With no model ever trained here it builds the first one now (a minute or
    so, in a Celery worker or, in embedded mode, a child process: start-up, the API and the other jobs never wait
    for it, and /healthz says it is being built);
    otherwise, in the configured night hour, once a local day, it retrains the model in use."""
    ctx = runtime.ctx
    directory = ctx.settings.intake_models
    if needs_first_model(directory, ctx.settings.intake_first_model):
        # embedded mode: the one job thread must not wait a minute, the build gets a process of its own
        return first_model(runtime, in_background=isinstance(runtime.queue, InProcessQueue))
    now = ctx.clock.now()
    if now.astimezone(ctx.sla.tz).hour != ctx.config.intake_model.nightly_hour:
        return None
    try:
        if live_version(directory) is None:
            return None
    except ModelError:
        pass  # a damaged pointer: retraining is the cure
    last = last_run(directory)
    if last is not None and ctx.sla.local_day(last) == ctx.sla.local_day(now):
        return None
    with session_scope(runtime.session_factory) as session:
        return train_now(session, ctx).version


def first_model(runtime: Runtime, in_background: bool = False) -> str | None:
    """The centre's first model, built by one process at a time (the one that takes the building marker); a
    failure is recorded for /healthz and not retried unasked (`hotline intake train` retries). In the background
    it is built by a child process: training in a thread would hold the interpreter from the API it shares."""
    ctx = runtime.ctx
    if not claim_first_build(ctx.settings.intake_models, ctx.clock.now()):
        return None  # another process is building it
    if in_background and _child_build is not None:
        child = multiprocessing.get_context("spawn").Process(
            target=_child_build, args=(ctx.settings,), name="hotline-first-intake-model", daemon=True)
        child.start()
        threading.Thread(target=_await_child, args=(child, ctx), name="hotline-first-intake-model-wait",
                         daemon=True).start()
        return None
    return build_first(runtime)


def _await_child(child, ctx) -> None:
    """When the child is gone: its marker released (also if it died without saying why) and the model read."""
    child.join()
    directory = ctx.settings.intake_models
    if child.exitcode != 0 and (directory / BUILDING).exists():
        release_first_build(directory, ctx.clock.now(), f"the training process ended with code {child.exitcode}")
    ctx.intake_model.refresh()


def build_first(runtime: Runtime) -> str | None:
    ctx = runtime.ctx
    directory = ctx.settings.intake_models
    try:
        with session_scope(runtime.session_factory) as session:
            version = train_now(session, ctx).version
    except Exception as exc:
        log.exception("first intake model could not be built")
        release_first_build(directory, ctx.clock.now(), f"{type(exc).__name__}: {exc}")
        ctx.intake_model.refresh()
        return None
    release_first_build(directory, ctx.clock.now())
    log.info("first intake model %s built from the seed corpus", version)
    return version
