"""Login and token refresh for staff."""

from __future__ import annotations

from fastapi import APIRouter, Request

from hotline.accounts.repository import UserRepository
from hotline.accounts.service import AccountService
from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, Staff
from hotline.api.errors import render
from hotline.api.limits import rate_limit
from hotline.api.schemas.accounts import LoginIn, MeOut, RefreshIn, TokensOut
from hotline.api.schemas.desk import ExtensionIn
from hotline.api.schemas.intake import Named
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.errors import AuthenticationError

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=UnitOfWorkRoute)
LOGIN_LIMIT, LOGIN_WINDOW = 5, 60


@router.post("/login", response_model=TokensOut, summary="Log in with username and password",
             responses={401: {"description": "wrong username or password"}, 429: {"description": "too many attempts"}})
def login(body: LoginIn, request: Request, session: DbSession, ctx: Ctx):
    # Limited per address and per account, so neither guessing many passwords nor many users pays off.
    rate_limit(request, "login-ip", LOGIN_LIMIT * 4, LOGIN_WINDOW)
    rate_limit(request, "login-user", LOGIN_LIMIT, LOGIN_WINDOW, key=body.username.lower())
    return AccountService(session, ctx).login(body.username, body.password).__dict__


@router.post("/refresh", response_model=TokensOut, summary="Exchange a refresh token for new tokens",
             responses={401: {"description": "invalid, expired or already used refresh token"}})
def refresh(body: RefreshIn, request: Request, session: DbSession, ctx: Ctx):
    try:
        return AccountService(session, ctx).refresh(body.refresh_token).__dict__
    except AuthenticationError as exc:
        # Answered, not raised: the unit of work then commits what the refusal did (a reused token's
        # whole family revoked) instead of rolling it back.
        return render(request, exc.as_dict(), exc.status_code, headers={"WWW-Authenticate": "Bearer"})


@router.get("/me", response_model=MeOut, summary="Who is logged in: role and department (consoles pick their screen)")
def me(actor: Staff, session: DbSession, ctx: Ctx):
    profile = UserRepository(session).profile(actor.user_id or 0)
    if profile is None:
        raise AuthenticationError("this account no longer exists or is disabled")
    user, code, name = profile
    return MeOut(username=user.username, display_name=user.display_name, role=actor.role.value,
                 department=Named(code=code, name=name) if code else None, extension=user.extension,
                 now=ctx.clock.now())


@router.put("/me/extension", response_model=MeOut, summary="Bind my phone (an Asterisk interface) to my account")
def bind_extension(body: ExtensionIn, request: Request, actor: Staff, session: DbSession, ctx: Ctx):
    AccountService(session, ctx).bind_extension(actor.user_id or 0, body.extension)
    audit(session, request, actor, "account.extension", "user", str(actor.user_id), {"extension": body.extension})
    return me(actor, session, ctx)
