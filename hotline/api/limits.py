"""Attempt limits on the endpoints people could guess through (login, status look-ups)."""

from __future__ import annotations

from fastapi import Request

from hotline.api.audit import client_ip
from hotline.core.errors import RateLimitedError


def rate_limit(request: Request, scope: str, limit: int, window_s: int, key: str = "") -> None:
    limiter = request.app.state.rate_limiter
    if not limiter.hit(f"{scope}:{client_ip(request)}:{key}", limit, window_s):
        raise RateLimitedError(f"too many attempts; wait {window_s} seconds and try again",
                               details={"retry_after_seconds": window_s})
