"""Login and token refresh for staff."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from hotline.accounts.service import AccountService
from hotline.api.deps import get_ctx, get_session, rate_limit
from hotline.api.schemas import LoginIn, RefreshIn, TokensOut
from hotline.context import Context

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
LOGIN_LIMIT, LOGIN_WINDOW = 5, 60


@router.post("/login", response_model=TokensOut, summary="Log in with username and password",
             responses={401: {"description": "wrong username or password"}, 429: {"description": "too many attempts"}})
def login(body: LoginIn, request: Request, session: Session = Depends(get_session), ctx: Context = Depends(get_ctx)):
    # Limited per address and per account, so neither guessing many passwords nor many users pays off.
    rate_limit(request, "login-ip", LOGIN_LIMIT * 4, LOGIN_WINDOW)
    rate_limit(request, "login-user", LOGIN_LIMIT, LOGIN_WINDOW, key=body.username.lower())
    return AccountService(session, ctx).login(body.username, body.password).__dict__


@router.post("/refresh", response_model=TokensOut, summary="Exchange a refresh token for new tokens",
             responses={401: {"description": "invalid, expired or already used refresh token"}})
def refresh(body: RefreshIn, session: Session = Depends(get_session), ctx: Context = Depends(get_ctx)):
    return AccountService(session, ctx).refresh(body.refresh_token).__dict__
