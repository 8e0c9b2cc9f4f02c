"""Login and token refresh for staff."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from hotline.accounts.service import AccountService
from hotline.api.deps import DbSession, current_actor, get_ctx, rate_limit
from hotline.api.schemas import LoginIn, MeOut, RefreshIn, TokensOut
from hotline.api.env import ApiEnv as Context
from hotline.core.actor import Actor
from hotline.models import Department, User

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
LOGIN_LIMIT, LOGIN_WINDOW = 5, 60


@router.post("/login", response_model=TokensOut, summary="Log in with username and password",
             responses={401: {"description": "wrong username or password"}, 429: {"description": "too many attempts"}})
def login(body: LoginIn, request: Request, session: DbSession = None, ctx: Context = Depends(get_ctx)):
    # Limited per address and per account, so neither guessing many passwords nor many users pays off.
    rate_limit(request, "login-ip", LOGIN_LIMIT * 4, LOGIN_WINDOW)
    rate_limit(request, "login-user", LOGIN_LIMIT, LOGIN_WINDOW, key=body.username.lower())
    return AccountService(session, ctx).login(body.username, body.password).__dict__


@router.post("/refresh", response_model=TokensOut, summary="Exchange a refresh token for new tokens",
             responses={401: {"description": "invalid, expired or already used refresh token"}})
def refresh(body: RefreshIn, session: DbSession = None, ctx: Context = Depends(get_ctx)):
    return AccountService(session, ctx).refresh(body.refresh_token).__dict__


@router.get("/me", response_model=MeOut, summary="Who is logged in: role and department (consoles pick their screen)")
def me(actor: Actor = Depends(current_actor), session: DbSession = None):
    user = session.get(User, actor.user_id)
    department = session.get(Department, actor.department_id) if actor.department_id else None
    return MeOut(username=user.username, display_name=user.display_name, role=actor.role.value,
                 department={"code": department.code, "name": department.name} if department else None)
