"""Bounded request bodies: refused with 413 before they are parsed, per route.

A plain ASGI middleware in front of everything that reads a body. A declared Content-Length over the
route's limit is answered at once, nothing read; a body without one (chunked) is counted as it streams
and refused as soon as it passes the limit. Only the routes that take files have larger limits, and
those only for a caller whose bearer token verifies — anyone else gets the ordinary limit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hotline.api.errors import render

BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RouteLimit:
    method: str
    path: re.Pattern[str]
    max_bytes: int


class BodyTooLargeError(HTTPException):
    """Raised from `receive` while the app reads a streamed body; FastAPI passes HTTPExceptions through."""

    error_id = "body_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodyLimit:
    def __init__(self, app: ASGIApp, default: int, routes: Sequence[RouteLimit],
                 trusted: Callable[[str], bool]) -> None:
        self.app, self.default, self.routes, self.trusted = app, default, routes, trusted

    def limit_for(self, scope: Scope) -> int:
        for route in self.routes:
            if scope["method"] == route.method and route.path.fullmatch(scope["path"]):
                if self.trusted(_bearer(scope)):
                    return route.max_bytes
                break
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODILESS:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLargeError(limit)
            return message

        await self.app(scope, counted, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    return int(value) if value is not None and value.strip().isdigit() else None


def _bearer(scope: Scope) -> str:
    value = _header(scope, b"authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    request = Request(scope, receive)
    body = {"error_id": BodyTooLargeError.error_id, "message": f"the request body is larger than {limit} bytes",
            "details": {"max_bytes": limit}}
    response = render(request, body, 413, headers={"Connection": "close"})
    await response(scope, receive, send)
