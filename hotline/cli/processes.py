"""The long-running processes: api, worker, beat, agi, ami (and capture replays), demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import app, fail, group, in_session, usage

ami_app = group("ami", "Asterisk manager: the call-tracking listener and capture replays",
                invoke_without_command=True)
DEMO_PASSWORD = "hotline-demo"
# (username, role, name, department, extension): the operator and the callback desk are bound to the
# phones of config/asterisk/pjsip.conf; the simulated PBX rings whoever is signed in to the queue.
DEMO_ACCOUNTS = [("operator", "operator", "话务员小王", None, "PJSIP/1001"),
                 ("water", "department_staff", "水务集团", "371500-WATER", None),
                 ("callback", "callback_staff", "回访员小李", None, "PJSIP/1002"),
                 ("supervisor", "supervisor", "督查科", None, None)]


@app.command("api")
def api(host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    """Serve the REST API, consoles and OpenAPI docs with uvicorn."""
    from hotline.runtime.processes import run_api

    run_api(host, port, workers)


def _redis_settings():
    from hotline.core.settings import get_settings

    settings = get_settings()
    if not settings.redis_url:
        usage("HOTLINE_REDIS_URL is not set; on embedded defaults `hotline api` and `hotline demo` run jobs "
              "in-process")
    return settings


@app.command("worker")
def worker(concurrency: int = 2, pool: str = "prefork") -> None:
    """Run background jobs (SLA sweep, notifications, transcription) from Redis with Celery."""
    from hotline.runtime.processes import run_worker

    run_worker(_redis_settings(), concurrency, pool)


@app.command("beat")
def beat() -> None:
    """Send the periodic jobs (SLA sweep, outbox recovery) on schedule."""
    from hotline.runtime.processes import run_beat

    run_beat(_redis_settings())


@app.command("agi")
def agi(host: str | None = None, port: int | None = None) -> None:
    """Run the FastAGI IVR server (Asterisk's dialplan calls AGI(agi://HOST:4573/ivr))."""
    from hotline.runtime.processes import run_agi

    run_agi(host, port)


@app.command("listen")
def listen(host: str | None = None, port: int | None = None) -> None:
    """Run the live-transcription server: Asterisk streams each call side here over AudioSocket."""
    from hotline.core.errors import HotlineError
    from hotline.runtime.processes import run_listen

    try:
        run_listen(host, port)
    except HotlineError as exc:  # no usable speech model
        fail(exc)


@ami_app.callback()
def ami(ctx: typer.Context) -> None:
    """Run the AMI listener: track every call, store it, pop operators' screens (needs HOTLINE_AMI_HOST)."""
    if ctx.invoked_subcommand is not None:
        return
    from hotline.core.settings import get_settings
    from hotline.runtime.processes import run_ami

    if not get_settings().ami_host:
        usage("HOTLINE_AMI_HOST is not set (the Asterisk manager to listen to)")
    run_ami()


@ami_app.command("replay")
def ami_replay(files: Annotated[list[Path], typer.Argument(help="captured AMI streams (*.ami)")],
               times: Annotated[int, typer.Option(help="replay each file this many times, with fresh ids")] = 1,
               fresh: Annotated[bool, typer.Option(help="fresh ids and times (off: byte for byte)")] = True) -> None:
    """Replay captures through the simulated PBX into the real listener over TCP; one JSON line per call."""
    from hotline.simulator.capture import Capture
    from hotline.simulator.replay import replay

    captures = []
    for path in files:
        if not path.is_file():
            usage(f"{path}: no such file")
        captures.append(Capture.load(path))
    calls = replay(captures, times, fresh)
    if calls is None:
        typer.echo("error: the listener could not log in to the simulated PBX", err=True)
        raise typer.Exit(1)
    for record in calls:
        typer.echo(json.dumps(record, ensure_ascii=False))


@app.command("demo")
def demo(host: str | None = None, port: int | None = None,
         calls_every: Annotated[float, typer.Option(help="seconds between simulated calls; 0: no PBX")] = 20.0) -> None:
    """Everything in one process on embedded defaults: SQLite under ./var, in-process jobs, a simulated PBX."""
    import os

    from hotline.asr.engine import check_model
    from hotline.cli.database import db_upgrade
    from hotline.core.settings import get_settings
    from hotline.runtime.processes import run_demo

    settings = get_settings()
    if settings.asr_engine == "vosk" and check_model(settings.asr_model_dir):
        os.environ["HOTLINE_ASR_ENGINE"] = "fake"  # the scripted recogniser knows the simulated caller's words
        get_settings.cache_clear()
        settings = get_settings()
        typer.echo("speech: no Vosk model installed (hotline asr install-model); the demo's scripted "
                   "recogniser transcribes the simulated messages")
    if settings.asr_engine == "fake":
        from hotline.asr.loader import use_scripted
        from hotline.simulator.speech import demo_engine

        use_scripted(demo_engine())
    db_upgrade("head")
    if settings.is_sqlite:  # the demo's own embedded database: never seed known passwords elsewhere
        seed_demo_accounts()
    if calls_every > 0:
        typer.echo(f"simulated PBX: a call every {calls_every:g} s (see /api/v1/calls)")
    typer.echo(f"hotline demo on http://{host or settings.api_host}:{port or settings.api_port}/  "
               "(API docs: /docs, health: /healthz)")
    run_demo(host, port, calls_every)


def seed_demo_accounts() -> None:
    """One account per console on the demo's embedded database (never on a configured one)."""
    from hotline.accounts.service import AccountService
    from hotline.core.enums import Role

    def create(session, ctx):
        accounts = AccountService(session, ctx)
        return [username for username, role, name, department, extension in DEMO_ACCOUNTS
                if accounts.ensure_user(username, DEMO_PASSWORD, Role(role), name, department, extension)]

    if in_session(create):
        typer.echo(f"consoles: /console/ — demo accounts {', '.join(a[0] for a in DEMO_ACCOUNTS)} "
                   f"(password {DEMO_PASSWORD})")
