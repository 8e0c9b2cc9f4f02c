"""The audit log's job: seal the rows written since the last run into the hash chain, run periodically."""

from __future__ import annotations

from hotline.audit.repository import AuditRepository
from hotline.core.jobs import Runtime, job


@job("hotline.audit.seal")
def seal(runtime: Runtime, batch: int = 5000) -> int:
    """Link every row that has become final into the chain, one committed batch at a time."""
    with runtime.session_factory() as session:
        return AuditRepository(session).seal_all(batch)
