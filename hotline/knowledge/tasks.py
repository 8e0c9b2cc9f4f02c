"""Knowledge-base jobs: the review sweep, run periodically."""

from __future__ import annotations

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, job
from hotline.knowledge.review import ReviewSweep


@job("hotline.knowledge.review")
def review(runtime: Runtime, batch: int = 500) -> int:
    """Expire lapsed articles and send the ones due for review back to their departments; one batch per commit."""
    total = 0
    while True:
        with session_scope(runtime.session_factory) as session:
            swept = ReviewSweep(session, runtime.ctx).run(batch)
        total += swept.expired + swept.reminded
        if swept.expired < batch and swept.reminded < batch:
            return total
