"""The FastAPI app factory: one app per process, wired from a Context."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

import hotline
from hotline.api.errors import install_error_handlers
from hotline.api.routers import health, reference
from hotline.context import Context
from hotline.core.db import make_engine, make_session_factory

WEB = Path(__file__).resolve().parents[1] / "web"


def create_app(ctx: Context) -> FastAPI:
    app = FastAPI(
        title="hotline — 12345 政务服务便民热线",
        version=hotline.__version__,
        description="Calls, work orders (工单), dispatch, deadlines, callbacks and statistics.",
    )
    engine = make_engine(ctx.settings.database_url)
    app.state.ctx = ctx
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(reference.router)

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(WEB / "index.html")

    return app
