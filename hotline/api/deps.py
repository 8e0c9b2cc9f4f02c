"""Request-scoped dependencies: the unit of work commits when the endpoint returns without error."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from hotline.context import Context


def get_ctx(request: Request) -> Context:
    return request.app.state.ctx


def get_session(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
