"""The FastAPI app, assembled from the collaborators the runtime built for this process."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

import hotline
from hotline.accounts.attempt_repository import DatabaseRateLimiter
from hotline.accounts.cache import ActorCache
from hotline.api.body_limit import BodyLimit, RouteLimit
from hotline.api.env import ApiEnv
from hotline.api.errors import install_error_handlers
from hotline.api.headers import SecurityHeaders
from hotline.api.metrics import install_metrics
from hotline.api.routers import (
    admin,
    auth,
    call_live,
    callbacks,
    calls,
    desk,
    handover,
    health,
    hold,
    inbox,
    inbox_export,
    intake,
    interviews,
    knowledge,
    live,
    notes,
    notices,
    open311,
    public,
    ratings,
    recordings,
    reference,
    stats,
    submissions,
    telephony,
    work_orders,
    workbench,
)
from hotline.core import security
from hotline.core.errors import HotlineError
from hotline.core.jobs import Runtime
from hotline.core.ratelimit import make_rate_limiter
from hotline.live.tickets import stream_tickets_for

WEB = Path(__file__).resolve().parents[1] / "web"


def body_limits(ctx: ApiEnv) -> dict:
    """The ordinary body limit, and the larger ones of the routes that take files (for signed-in staff)."""
    settings = ctx.settings

    def signed_in(token: str) -> bool:
        try:
            security.verify(ctx.secret, token, "access", ctx.clock.now())
        except HotlineError:
            return False
        return True

    return {"default": settings.max_body_bytes, "trusted": signed_in, "routes": [
        RouteLimit("POST", re.compile(r"/api/v1/work-orders/[^/]+/complete"), settings.max_evidence_body_bytes),
        RouteLimit("POST", re.compile(r"/api/v1/knowledge/import"), settings.max_import_body_bytes)]}


def build_app(ctx: ApiEnv, runtime: Runtime,
              background: Callable[[], AbstractContextManager] = nullcontext) -> FastAPI:
    """`background` runs for the app's lifetime (embedded mode sends the periodic jobs from here)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with background():
            yield

    app = FastAPI(
        title="hotline — 12345 政务服务便民热线",
        version=hotline.__version__,
        description="Calls, work orders (工单), dispatch, deadlines, callbacks and statistics.",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: /docs works without the internet
    )
    app.state.ctx = ctx
    app.state.runtime = runtime
    app.state.session_factory = runtime.session_factory
    app.state.rate_limiter = make_rate_limiter(ctx.settings.redis_url, ctx.settings.namespace,
                                               DatabaseRateLimiter(runtime.session_factory.kw["bind"]))
    app.state.actors = ActorCache()
    app.state.stream_tickets = stream_tickets_for(ctx.settings.redis_url, ctx.settings.namespace)
    install_error_handlers(app)
    app.add_middleware(BodyLimit, **body_limits(ctx))
    app.add_middleware(SecurityHeaders)
    install_metrics(app)
    for module in (health, auth, work_orders, callbacks, stats, telephony, intake, public, submissions, admin,
                   reference, open311, knowledge, notices, ratings, calls, call_live, inbox, interviews, inbox_export,
                   notes, workbench):
        app.include_router(module.router)
    app.include_router(work_orders.extensions)
    app.include_router(work_orders.supervisions)
    app.include_router(desk.router)
    app.include_router(desk.effects)
    app.include_router(callbacks.dialer)
    app.include_router(live.router)
    app.include_router(handover.router)
    app.include_router(handover.effects)
    app.include_router(hold.router)
    app.include_router(recordings.router)

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(WEB / "index.html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/status", include_in_schema=False)
    def citizen_status():
        """The citizen's own look-up (ticket + extraction code), a page for a phone."""
        return FileResponse(WEB / "status.html")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return FileResponse(WEB / "docs.html")

    # The consoles: plain pages and ES modules, served as they are (no build step); vendored
    # third-party files (Swagger UI) under /vendor, each with its licence.
    app.mount("/console", StaticFiles(directory=WEB / "console", html=True), name="console")
    app.mount("/vendor", StaticFiles(directory=WEB / "vendor"), name="vendor")
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    return app
