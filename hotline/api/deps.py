"""Request-scoped dependencies: the unit of work commits when the endpoint returns without error."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from hotline.context import Context
from hotline.core.db import session_scope


def get_ctx(request: Request) -> Context:
    return request.app.state.ctx


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.session_factory) as session:
        yield session
