"""One error shape for every failure: {"error_id", "message", "details"}.

`message` is in the language the client prefers: Chinese (from hotline/api/messages.py, by error_id)
for consoles and Chinese browsers, with the English original kept as `developer_message`; English
otherwise.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from hotline.api.messages import chinese, chinese_validation, prefers_chinese
from hotline.core.errors import HotlineError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


def render(request: Request, body: dict[str, Any], status: int, headers: dict | None = None,
           errors: list[dict] | None = None) -> JSONResponse:
    """The error body in the client's language."""
    if prefers_chinese(request.headers.get("accept-language")):
        english = body["message"]
        message = chinese_validation(errors) if errors is not None else chinese(body["error_id"], status)
        body = {**body, "message": message, "developer_message": english}
        headers = {**(headers or {}), "Content-Language": "zh-CN"}
    return JSONResponse(body, status_code=status, headers=headers)


def _problems(exc: RequestValidationError | ValidationError) -> tuple[list[dict], list[dict]]:
    errors = list(exc.errors())
    details = [{"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in errors]
    return errors, details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HotlineError)
    async def _domain(request: Request, exc: HotlineError) -> JSONResponse:
        return render(request, exc.as_dict(), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors, details = _problems(exc)
        body = {"error_id": "invalid_input", "message": "the request is not valid: " +
                "; ".join(f"{d['where']}: {d['problem']}" for d in details), "details": details}
        return render(request, body, 422, errors=errors)

    @app.exception_handler(ValidationError)
    async def _model(request: Request, exc: ValidationError) -> JSONResponse:
        # A model built inside an endpoint (not the request body) refused its input.
        errors, details = _problems(exc)
        body = {"error_id": "invalid_input", "message": "; ".join(f"{d['where']}: {d['problem']}" for d in details),
                "details": details}
        return render(request, body, 422, errors=errors)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the request carried (out of range, malformed): the caller's mistake.
        log.info("value refused by the database: %s", exc.orig)
        body = {"error_id": "invalid_input", "message": "a value in the request is out of range or malformed",
                "details": None}
        return render(request, body, 422)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> JSONResponse:
        body = {"error_id": "conflict", "message": "the work order was changed by someone else; reload and retry",
                "details": None}
        return render(request, body, 409)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        error_id = getattr(exc, "error_id", None) or f"http_{exc.status_code}"
        body = {"error_id": error_id, "message": str(exc.detail), "details": None}
        return render(request, body, exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        if str(getattr(getattr(exc, "orig", None), "sqlstate", "") or "").startswith("40"):
            # Deadlock or serialization failure (SQLSTATE class 40): the database rolled this request back
            # in favour of another one on the same rows; what it saw has changed.
            log.warning("transaction rolled back by the database for %s %s: %s", request.method, request.url.path,
                        getattr(exc, "orig", exc))
            body = {"error_id": "conflict", "message": "another change to the same records won; reload and retry",
                    "details": None}
            return render(request, body, 409, headers={"Retry-After": "1"})
        # The database is down, restarting or out of connections: nobody's mistake, worth a retry.
        log.warning("database unavailable for %s %s: %s", request.method, request.url.path,
                    getattr(exc, "orig", None) or exc)
        body = {"error_id": "database_unavailable", "message": "the database cannot be reached; try again shortly",
                "details": None}
        return render(request, body, 503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Still logged with its traceback by the server; the client gets the one error shape, not plain text.
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return await _database_unavailable(request, exc)
        body = {"error_id": "internal_error", "message": "an unexpected error occurred; it has been logged",
                "details": None}
        return render(request, body, 500)
