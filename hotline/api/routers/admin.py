"""Administration: staff accounts, API clients for channel gateways, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from hotline.accounts.repository import UserRepository
from hotline.accounts.service import AccountService
from hotline.api.audit import audit
from hotline.api.deps import Admin, Ctx, DbSession, Supervisors, UserReader
from hotline.api.schemas.accounts import ApiClientIn, ApiClientOut, AuditOut, UserIn, UserOut
from hotline.api.schemas.instants import Instant
from hotline.api.uow import UnitOfWorkRoute
from hotline.audit.repository import AuditRepository
from hotline.models import User

router = APIRouter(prefix="/api/v1", tags=["administration"], route_class=UnitOfWorkRoute)


def _user_out(user: User, code: str | None) -> UserOut:
    return UserOut(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                   department_code=code, active=user.active)


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a staff account (hotline admin)")
def create_user(body: UserIn, request: Request, actor: Admin, session: DbSession, ctx: Ctx):
    user = AccountService(session, ctx).create_user(body.username, body.password, body.role, body.display_name,
                                                    body.department_code)
    audit(session, request, actor, "user.create", "user", user.id, {"username": user.username, "role": user.role})
    return _user_out(user, body.department_code)


@router.get("/users", response_model=list[UserOut], summary="Staff accounts in your scope")
def list_users(actor: UserReader, session: DbSession):
    return [_user_out(user, code) for user, code in UserRepository(session).readable_by(actor)]


@router.post("/api-clients", response_model=ApiClientOut, status_code=201,
             summary="Register a channel gateway or Open311 app and get its API key (hotline admin)")
def create_api_client(body: ApiClientIn, request: Request, actor: Admin, session: DbSession, ctx: Ctx):
    client, key = AccountService(session, ctx).create_api_client(body.name, body.channel)
    audit(session, request, actor, "api_client.create", "api_client", client.id, {"name": client.name})
    return ApiClientOut(id=client.id, name=client.name, channel=client.channel, api_key=key)


@router.get("/audit", response_model=list[AuditOut], summary="The audit log (supervisor, hotline admin)")
def audit_log(request: Request, actor: Supervisors, session: DbSession, user: str | None = None,
              object_id: str | None = None, action: str | None = None, since: Instant | None = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100):
    rows = AuditRepository(session).recent(actor, user=user, object_id=object_id, action=action, since=since,
                                           limit=limit)
    audit(session, request, actor, "audit.read", "audit_log", None, {"rows": len(rows)})
    return [AuditOut(at=r.at, actor=r.actor, role=r.role, action=r.action, object_type=r.object_type,
                     object_id=r.object_id, ip=r.ip, details=r.details) for r in rows]
