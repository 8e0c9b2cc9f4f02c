"""Request-scoped dependencies: the context, the unit of work, the acting user and their role.

None of them crosses into the thread pool: the session is created (no I/O yet) on the event loop and
used, committed and closed inside the endpoint's one thread (see api/uow.py); the actor comes from a
verified token and a short-lived account cache, and only a cache miss reads the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from hotline.accounts.cache import ActorCache
from hotline.accounts.service import AccountService
from hotline.api.env import ApiEnv
from hotline.core import security
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.core.errors import AuthenticationError, PermissionDeniedError

bearer = HTTPBearer(auto_error=False, description="an access token from POST /api/v1/auth/login")


async def get_ctx(request: Request) -> ApiEnv:
    return request.app.state.ctx


async def get_session(request: Request) -> Session:
    """The request's unit of work: committed before the response leaves, by the endpoint's own thread."""
    return request.app.state.session_factory()


Ctx = Annotated[ApiEnv, Depends(get_ctx)]
DbSession = Annotated[Session, Depends(get_session)]


async def current_actor(request: Request,
                        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Actor:
    """The logged-in staff member: the token is verified every time; the account briefly cached."""
    if credentials is None:
        raise AuthenticationError("log in first: send 'Authorization: Bearer <access token>'")
    return await actor_for_token(request, credentials.credentials)


async def actor_for_token(request: Request, token: str) -> Actor:
    ctx: ApiEnv = request.app.state.ctx
    claims = security.verify(ctx.secret, token, "access", ctx.clock.now())
    cache: ActorCache = request.app.state.actors
    actor = cache.get(claims.user_id)
    if actor is None:
        actor = await run_in_threadpool(_load_actor, request, claims.user_id)
        cache.put(actor)
    return actor


def _load_actor(request: Request, user_id: int) -> Actor:
    with request.app.state.session_factory() as session:
        return AccountService(session, request.app.state.ctx).actor_of(user_id)


Staff = Annotated[Actor, Depends(current_actor)]


def roles(*allowed: Role) -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency admitting only these roles (403 for anyone else, before any work is done)."""
    names = ", ".join(sorted(r.value for r in allowed))

    async def check(actor: Staff) -> Actor:
        if actor.role not in allowed:
            raise PermissionDeniedError(f"a {actor.role.value} may not do this (allowed: {names})",
                                        error_id="role_not_allowed")
        return actor

    return check


HotlineDesk = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN))]
Creator = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN, Role.LIAISON))]
Centre = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR))]
Routing = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR))]
CallbackDesk = Annotated[Actor, Depends(roles(Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN))]
CallbackReader = Annotated[Actor, Depends(roles(Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN, Role.SUPERVISOR))]
Workbench = Annotated[Actor, Depends(roles(Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN, Role.SUPERVISOR,
                                           Role.HOTLINE_ADMIN))]
Supervisors = Annotated[Actor, Depends(roles(Role.SUPERVISOR, Role.HOTLINE_ADMIN))]
StatsReader = Annotated[Actor, Depends(roles(Role.SUPERVISOR, Role.HOTLINE_ADMIN, Role.DEPARTMENT_ADMIN))]
UserReader = Annotated[Actor, Depends(roles(Role.HOTLINE_ADMIN, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN))]
Admin = Annotated[Actor, Depends(roles(Role.HOTLINE_ADMIN))]
KnowledgeReader = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN, Role.CALLBACK_STAFF,
                                                 Role.SUPERVISOR, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN))]
KnowledgeKeeper = Annotated[Actor, Depends(roles(Role.HOTLINE_ADMIN, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN))]
