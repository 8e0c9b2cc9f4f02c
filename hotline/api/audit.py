"""Writes the audit log: every change made through the API and every staff read of personal data."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.models import AuditRecord


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def audit(session: Session, request: Request, actor: Actor, action: str, object_type: str,
          object_id: str | int | None = None, details: dict | None = None) -> None:
    ctx = request.app.state.ctx
    session.add(AuditRecord(
        at=ctx.clock.now(), user_id=actor.user_id, actor=actor.name or actor.role.value, role=actor.role.value,
        action=action, object_type=object_type, object_id=None if object_id is None else str(object_id),
        ip=client_ip(request), details=details,
    ))
