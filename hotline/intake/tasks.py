"""The nightly training job: once a local day, a new model from the day's history (kept only if not worse)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, job
from hotline.intake.learning import Trainer, TrainResult, last_run
from hotline.intake.model import ModelError, live_version


def train_now(session: Session, ctx) -> TrainResult:
    result = Trainer(session, ctx.config, ctx.router, ctx.settings.intake_models, ctx.clock.now()).run()
    ctx.intake_model.refresh()
    return result


@job("hotline.intake.train")
def nightly(runtime: Runtime) -> str | None:
    """Runs with the periodic jobs; in the configured night hour, once a local day, it retrains a model that
    is in use. A centre starts one with `hotline intake train` (the first one takes minutes; the job never
    starts one unasked)."""
    ctx = runtime.ctx
    now = ctx.clock.now()
    if now.astimezone(ctx.sla.tz).hour != ctx.config.intake_model.nightly_hour:
        return None
    try:
        if live_version(ctx.settings.intake_models) is None:
            return None
    except ModelError:
        pass  # a damaged pointer: retraining is the cure
    last = last_run(ctx.settings.intake_models)
    if last is not None and ctx.sla.local_day(last) == ctx.sla.local_day(now):
        return None
    with session_scope(runtime.session_factory) as session:
        return train_now(session, ctx).version
