"""The FastAPI app factory: one app per process, wired from a Context."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

import hotline
from hotline.api.errors import install_error_handlers
from hotline.api.metrics import install_metrics
from hotline.api.routers import (
    admin, auth, callbacks, health, intake, open311, public, reference, stats, submissions, telephony, work_orders,
)
from hotline.context import Context, open_runtime
from hotline.core.jobs import InProcessQueue, Runtime, Ticker
from hotline.core.ratelimit import make_rate_limiter
from hotline.telephony.bus import bus_for
from hotline.telephony.pbx import Pbx

WEB = Path(__file__).resolve().parents[1] / "web"


def create_app(ctx: Context, runtime: Runtime | None = None, queue=None) -> FastAPI:
    queue = queue if queue is not None else (None if runtime else _default_queue(ctx))
    runtime = runtime or open_runtime(ctx, queue)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Embedded mode has no Celery beat: this process sends the periodic jobs itself.
        ticker = None
        if isinstance(queue, InProcessQueue):
            import hotline.jobs

            ticker = Ticker(queue, hotline.jobs.PERIODIC, ctx.settings.sweep_interval_seconds).start()
        yield
        if ticker:
            ticker.stop()

    app = FastAPI(
        title="hotline — 12345 政务服务便民热线",
        version=hotline.__version__,
        description="Calls, work orders (工单), dispatch, deadlines, callbacks and statistics.",
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.runtime = runtime
    app.state.session_factory = runtime.session_factory
    app.state.rate_limiter = make_rate_limiter(ctx.settings.redis_url)
    app.state.pbx = Pbx.from_settings(ctx.settings)
    app.state.bus = bus_for(ctx.settings.redis_url)
    install_error_handlers(app)
    install_metrics(app)
    for module in (health, auth, work_orders, callbacks, stats, telephony, intake, public, submissions, admin,
                   reference, open311):
        app.include_router(module.router)
    app.include_router(work_orders.extensions)
    app.include_router(work_orders.supervisions)

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(WEB / "index.html")

    # The four consoles: plain pages and one script, served as they are (no build step).
    app.mount("/console", StaticFiles(directory=WEB / "console", html=True), name="console")

    return app


def _default_queue(ctx: Context):
    from hotline.context import default_queue

    return default_queue(ctx.settings)
