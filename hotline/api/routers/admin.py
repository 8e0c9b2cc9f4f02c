"""Administration: staff accounts, API clients for channel gateways, and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from hotline.accounts.service import AccountService
from hotline.api import schemas
from hotline.api.audit import audit
from hotline.api.deps import DbSession, current_actor, get_ctx
from hotline.api.scope import department_filter, require
from hotline.api.env import ApiEnv as Context
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.models import AuditRecord, Department, User

router = APIRouter(prefix="/api/v1", tags=["administration"])


def _user_out(user: User, code: str | None) -> schemas.UserOut:
    return schemas.UserOut(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                           department_code=code, active=user.active)


@router.post("/users", response_model=schemas.UserOut, status_code=201, summary="Create a staff account (hotline admin)")
def create_user(body: schemas.UserIn, request: Request, actor: Actor = Depends(current_actor),
                session: DbSession = None, ctx: Context = Depends(get_ctx)):
    require(actor, Role.HOTLINE_ADMIN)
    user = AccountService(session, ctx).create_user(body.username, body.password, body.role, body.display_name,
                                                    body.department_code)
    audit(session, request, actor, "user.create", "user", user.id, {"username": user.username, "role": user.role})
    return _user_out(user, body.department_code)


@router.get("/users", response_model=list[schemas.UserOut], summary="Staff accounts in your scope")
def list_users(actor: Actor = Depends(current_actor), session: DbSession = None):
    require(actor, Role.HOTLINE_ADMIN, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN)
    rows = session.execute(select(User, Department.code).outerjoin(Department, User.department_id == Department.id)
                           .where(department_filter(actor) if actor.role != Role.HOTLINE_ADMIN else True)
                           .order_by(User.id)).all()
    return [_user_out(user, code) for user, code in rows]


@router.post("/api-clients", response_model=schemas.ApiClientOut, status_code=201,
             summary="Register a channel gateway or Open311 app and get its API key (hotline admin)")
def create_api_client(body: schemas.ApiClientIn, request: Request, actor: Actor = Depends(current_actor),
                      session: DbSession = None, ctx: Context = Depends(get_ctx)):
    require(actor, Role.HOTLINE_ADMIN)
    client, key = AccountService(session, ctx).create_api_client(body.name, body.channel)
    audit(session, request, actor, "api_client.create", "api_client", client.id, {"name": client.name})
    return schemas.ApiClientOut(id=client.id, name=client.name, channel=client.channel, api_key=key)


@router.get("/audit", response_model=list[schemas.AuditOut], summary="The audit log (supervisor, hotline admin)")
def audit_log(request: Request, user: str | None = None, object_id: str | None = None, action: str | None = None,
              since: dt.datetime | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100,
              actor: Actor = Depends(current_actor), session: DbSession = None):
    require(actor, Role.SUPERVISOR, Role.HOTLINE_ADMIN)
    stmt = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    for column, value in ((AuditRecord.actor, user), (AuditRecord.object_id, object_id), (AuditRecord.action, action)):
        if value is not None:
            stmt = stmt.where(column == value)
    if since is not None:
        stmt = stmt.where(AuditRecord.at >= since)
    rows = session.scalars(stmt).all()
    audit(session, request, actor, "audit.read", "audit_log", None, {"rows": len(rows)})
    return [schemas.AuditOut(at=r.at, actor=r.actor, role=r.role, action=r.action, object_type=r.object_type,
                             object_id=r.object_id, ip=r.ip, details=r.details) for r in rows]
