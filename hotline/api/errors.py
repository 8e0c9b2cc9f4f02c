"""One error shape for every failure: {"error_id", "message", "details"}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from hotline.core.errors import HotlineError

log = logging.getLogger(__name__)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HotlineError)
    async def _domain(_request: Request, exc: HotlineError) -> JSONResponse:
        return JSONResponse(exc.as_dict(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        body = {"error_id": "invalid_input", "message": "the request is not valid: " +
                "; ".join(f"{d['where']}: {d['problem']}" for d in details), "details": details}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(ValidationError)
    async def _model(_request: Request, exc: ValidationError) -> JSONResponse:
        # A model built inside an endpoint (not the request body) refused its input.
        details = [{"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        body = {"error_id": "invalid_input", "message": "; ".join(f"{d['where']}: {d['problem']}" for d in details),
                "details": details}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(DataError)
    async def _data(_request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the request carried (out of range, malformed): the caller's mistake.
        log.info("value refused by the database: %s", exc.orig)
        body = {"error_id": "invalid_input", "message": "a value in the request is out of range or malformed",
                "details": None}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StaleDataError)
    async def _stale(_request: Request, _exc: StaleDataError) -> JSONResponse:
        body = {"error_id": "conflict", "message": "the work order was changed by someone else; reload and retry",
                "details": None}
        return JSONResponse(body, status_code=409)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        body = {"error_id": f"http_{exc.status_code}", "message": str(exc.detail), "details": None}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))
