"""Request-scoped dependencies: the unit of work, the acting user, rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from hotline.accounts.service import AccountService
from hotline.api.audit import client_ip
from hotline.api.env import ApiEnv as Context
from hotline.core.actor import Actor
from hotline.core.db import session_scope
from hotline.core.errors import AuthenticationError, RateLimitedError

bearer = HTTPBearer(auto_error=False, description="an access token from POST /api/v1/auth/login")


async def get_ctx(request: Request) -> Context:
    return request.app.state.ctx


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response leaves (declared with
    scope="function"): a client that got 201 can read what it wrote, and a failed commit is an error
    response, never a success that did not happen."""
    with session_scope(request.app.state.session_factory) as session:
        yield session


# The request's session, as every endpoint declares it (ends before the response; see get_session).
DbSession = Annotated[Session, Depends(get_session, scope="function")]


def current_actor(credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                  session: DbSession = None, ctx: Context = Depends(get_ctx)) -> Actor:
    """The logged-in staff member; the token is verified (signature, type, expiry, account) every time."""
    if credentials is None:
        raise AuthenticationError("log in first: send 'Authorization: Bearer <access token>'")
    return AccountService(session, ctx).actor_for(credentials.credentials)


def rate_limit(request: Request, scope: str, limit: int, window_s: int, key: str = "") -> None:
    limiter = request.app.state.rate_limiter
    if not limiter.hit(f"{scope}:{client_ip(request)}:{key}", limit, window_s):
        raise RateLimitedError(f"too many attempts; wait {window_s} seconds and try again",
                               details={"retry_after_seconds": window_s})
