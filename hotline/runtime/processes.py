"""Each process of DESIGN.md, wired in one place: api, worker, beat, ami, agi and the demo."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from typing import Any

from hotline.accounts.attempt_repository import DatabaseRateLimiter
from hotline.callbacks import tasks as callback_tasks
from hotline.core.jobs import Runtime
from hotline.core.ratelimit import make_rate_limiter
from hotline.core.settings import Settings, get_settings
from hotline.desk.sinks import DeskSinks
from hotline.ivr.fastagi import AgiServer
from hotline.ivr.services import DatabaseServices
from hotline.runtime.boot import open_runtime
from hotline.runtime.context import build_context
from hotline.telephony.listener import AmiListener
from hotline.telephony.service import make_listener

log = logging.getLogger(__name__)


def ami_sinks(runtime: Runtime) -> DeskSinks:
    """Calls and agents into the database, screen pops to the live notifier, operators' desk states,
    failed dials to callbacks."""
    return DeskSinks(runtime.ctx, runtime.session_factory, originate_failed=lambda callback_id, attempt, why:
                     callback_tasks.originate_failed(runtime, callback_id, attempt, why))


def ami_listener(runtime: Runtime, host: str | None = None, port: int | None = None) -> AmiListener:
    """The AMI listener storing calls and agents, popping screens, and telling callbacks of failed dials."""
    return make_listener(runtime.ctx, ami_sinks(runtime), host, port)


def agi_server(runtime: Runtime) -> AgiServer:
    ctx = runtime.ctx
    attempts = make_rate_limiter(ctx.settings.redis_url, ctx.settings.namespace,
                                 DatabaseRateLimiter(runtime.session_factory.kw["bind"]))
    return AgiServer(ctx.config.ivr, DatabaseServices(ctx, runtime.session_factory, attempts), ctx.settings.timezone)


def run_api(host: str | None, port: int | None, workers: int = 1) -> None:
    import uvicorn

    settings = get_settings()
    settings.secret()  # a deployment without a real secret stops here, before any worker serves a request
    uvicorn.run("hotline.runtime.api:app_factory", factory=True, host=host or settings.api_host,
                port=port or settings.api_port, workers=workers, log_level=settings.log_level.lower(),
                timeout_graceful_shutdown=settings.api_shutdown_grace_s, **forwarding(settings))


def forwarding(settings: Settings) -> dict[str, Any]:
    """uvicorn's X-Forwarded-For handling: off unless HOTLINE_TRUSTED_PROXIES names the proxies in front
    (uvicorn would otherwise believe 127.0.0.1, and any local caller could pick its address in the audit log
    and its rate-limit bucket)."""
    trusted = settings.trusted_proxy_list
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": ",".join(trusted) if trusted else ""}


def run_agi(host: str | None, port: int | None) -> None:
    settings = get_settings()
    server = agi_server(open_runtime(build_context(settings)))

    async def main() -> None:
        tcp = await server.serve(host or settings.agi_host, port or settings.agi_port)
        print(f"FastAGI IVR on {host or settings.agi_host}:{port or settings.agi_port}", file=sys.stderr)
        async with tcp:
            await tcp.serve_forever()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


def run_listen(host: str | None, port: int | None) -> None:
    """Live transcription: Asterisk streams each side of a call here; text goes out on the live bus."""
    from hotline.listen.process import serve
    from hotline.live.bus import bus_for

    settings = get_settings()
    serve(settings, bus_for(settings.redis_url, settings.namespace), host or settings.listen_host,
          port if port is not None else settings.listen_port)


def run_ami() -> None:
    listener = ami_listener(open_runtime(build_context())).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    listener.stop()


def run_worker(settings: Settings, concurrency: int, pool: str) -> None:
    from hotline.runtime.celery import celery_app

    celery_app(settings).worker_main(["worker", f"--concurrency={concurrency}", f"--pool={pool}",
                                      f"--loglevel={settings.log_level}"])


def run_beat(settings: Settings) -> None:
    from hotline.runtime.celery import celery_app

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    celery_app(settings).start(["beat", f"--loglevel={settings.log_level}",
                                f"--schedule={settings.var_dir / 'celerybeat-schedule'}"])


def run_demo(host: str | None, port: int | None, calls_every: float) -> None:
    """Everything in one process on embedded defaults, with a simulated PBX placing calls."""
    from hotline.simulator.demo import SimulatedPbx

    pbx = None
    if calls_every > 0:
        pbx = SimulatedPbx(calls_every)
        os.environ["HOTLINE_AMI_HOST"], os.environ["HOTLINE_AMI_PORT"] = "127.0.0.1", str(pbx.port)
        get_settings.cache_clear()  # this process's API talks to the simulated PBX too
        runtime = open_runtime(build_context())
        listener = ami_listener(runtime).start()
        pbx.start(agi_server(runtime), runtime.ctx.settings.recordings_dir, runtime.ctx.clock.now)
    try:
        run_api(host, port, workers=1)
    finally:
        if pbx is not None:
            listener.stop()
            pbx.stop()
