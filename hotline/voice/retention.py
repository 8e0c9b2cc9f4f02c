"""Recordings are personal data: each kind is kept as config/recordings.yaml says, then its file is deleted,
the row marked deleted (kept, so the call and the order still show a recording existed) and the deletion
written to the audit log."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from hotline.audit.repository import AuditRepository
from hotline.core.actor import SYSTEM
from hotline.core.config_recordings import RecordingsFile
from hotline.voice.retention_repository import RetentionRepository

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    deleted: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # the file could not be removed: tried again next sweep


class RecordingRetention:
    def __init__(self, session: Session, rules: RecordingsFile) -> None:
        self.session, self.rules = session, rules
        self.rows = RetentionRepository(session)

    def sweep_batch(self, now: dt.datetime, batch: int | None = None) -> SweepResult:
        """One batch per kind; the caller commits (each file's row and audit line together)."""
        result = SweepResult()
        size = batch or self.rules.sweep_batch
        for kind, rule in self.rules.retention.items():
            made, closed = rule.made_before(now), rule.closed_before(now)
            for row in self.rows.due(kind, made, closed, size):
                try:
                    Path(row.path).unlink(missing_ok=True)
                except OSError as exc:
                    log.warning("recording %s: %s could not be deleted: %s", row.id, row.path, exc)
                    result.failed.append(row.id)
                    continue
                if self.rows.mark_deleted(row.id, now):
                    why = (f"order closed more than {rule.after_close_days} days ago" if row.work_order_id and
                           closed is not None else f"made at or before {made.isoformat() if made else '?'}")
                    AuditRepository(self.session).add(now, SYSTEM, "recording.delete", "recording", row.id, None, {
                        "kind": kind, "path": row.path, "linkedid": row.linkedid, "work_order_id": row.work_order_id,
                        "created_at": row.created_at.isoformat(), "why": why})
                    result.deleted.append(row.id)
        return result
