"""Writes the audit log: every change made through the API and every staff read of personal data."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from hotline.audit.repository import AuditRepository
from hotline.core.actor import Actor


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def audit(session: Session, request: Request, actor: Actor, action: str, object_type: str,
          object_id: str | int | None = None, details: dict | None = None) -> None:
    AuditRepository(session).add(request.app.state.ctx.clock.now(), actor, action, object_type, object_id,
                                 client_ip(request), details)
