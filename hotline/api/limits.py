"""Attempt limits on the endpoints people could guess through (login, status look-ups, ratings).

A limit on a subject (an account, a ticket) is keyed on that subject alone: guesses at one account's password
or one ticket's extraction code count together from whatever address they come. A limit without a subject
is per client address — the peer's, or a configured proxy's X-Forwarded-For (HOTLINE_TRUSTED_PROXIES)."""

from __future__ import annotations

from fastapi import Request

from hotline.api.audit import client_ip
from hotline.core.errors import RateLimitedError
from hotline.core.ratelimit import subject_key


def rate_limit(request: Request, scope: str, limit: int, window_s: int, key: str | None = None) -> None:
    name = f"{scope}:ip:{client_ip(request)}" if key is None else subject_key(scope, key)
    if not request.app.state.rate_limiter.hit(name, limit, window_s):
        raise RateLimitedError(f"too many attempts; wait {window_s} seconds and try again",
                               details={"retry_after_seconds": window_s})
