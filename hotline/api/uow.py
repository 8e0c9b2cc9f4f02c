"""One thread-pool crossing per request: a sync endpoint runs, commits its unit of work and renders
its response inside the same worker-thread call.

FastAPI would otherwise run the endpoint in the pool, come back to the event loop, and cross again
to validate the response. The commit happens before the response exists, so a client that got 201
can read what it wrote, and a failed commit is an error response, never a success that did not
happen. A connection found dead at its first use (the pool does not ping on checkout) is retried
once: nothing was committed, so nothing can be doubled — unless the endpoint acts outside the
database (telephony), whose routes use `OutsideEffectsRoute`.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
JSON = "application/json"


class UnitOfWorkRoute(APIRoute):
    retry_stale_connection = True

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_one_thread(endpoint, kwargs.get("response_model"), kwargs.get("status_code") or 200,
                                      self.retry_stale_connection)
        super().__init__(path, endpoint, **kwargs)


class OutsideEffectsRoute(UnitOfWorkRoute):
    """For endpoints that talk to other systems (Asterisk) before their transaction ends: never re-run."""

    retry_stale_connection = False


def _in_one_thread(endpoint: Callable[..., Any], response_model: Any, status_code: int,
                   retry: bool) -> Callable[..., Any]:
    declared = response_model is not None and not isinstance(response_model, DefaultPlaceholder)
    adapter = TypeAdapter(response_model) if declared else None

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        sessions = [v for v in kwargs.values() if isinstance(v, Session)]
        try:
            result = _attempt(endpoint, args, kwargs, sessions, retry)
            for session in sessions:
                session.commit()
        except BaseException:
            for session in sessions:
                session.rollback()
            raise
        finally:
            for session in sessions:
                session.close()
        return _render(result, adapter, status_code)

    return run


def _attempt(endpoint: Callable[..., Any], args: tuple, kwargs: dict, sessions: list[Session], retry: bool) -> Any:
    try:
        return endpoint(*args, **kwargs)
    except DBAPIError as exc:
        if not (retry and exc.connection_invalidated):
            raise
        log.warning("database connection was dead at first use; running %s once more", endpoint.__name__)
        for session in sessions:
            session.rollback()
        return endpoint(*args, **kwargs)


def _render(result: Any, adapter: TypeAdapter | None, status_code: int) -> Any:
    if isinstance(result, Response) or adapter is None:
        return result
    try:
        value = adapter.validate_python(result, from_attributes=True)
    except ValidationError as exc:  # our bug, not the caller's: FastAPI's own 500 for a response off its schema
        raise ResponseValidationError(exc.errors()) from exc
    body = adapter.dump_json(value) if not isinstance(value, BaseModel) else value.model_dump_json()
    return Response(body, status_code=status_code, media_type=JSON)
