"""Statistics jobs: the nightly daily roll-up (a no-op when today's has run)."""

from __future__ import annotations

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, job
from hotline.stats.service import StatsService


@job("hotline.stats.rollup")
def rollup(runtime: Runtime) -> int:
    with session_scope(runtime.session_factory) as session:
        return len(StatsService(session, runtime.ctx).nightly())
