"""The one `hotline` command: db, config, sla, api, worker, beat, ami, agi, listen, asr, intake, stats, users,
clients, outbox, demo."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from hotline.core.errors import HotlineError

app = typer.Typer(help="hotline — backend of a 12345 citizen-service hotline", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema and reference data", no_args_is_help=True)
config_app = typer.Typer(help="Operator configuration under config/", no_args_is_help=True)
sla_app = typer.Typer(help="Deadlines (SLA tiers)", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")
app.add_typer(sla_app, name="sla")
users_app = typer.Typer(help="Staff accounts", no_args_is_help=True)
app.add_typer(users_app, name="users")
clients_app = typer.Typer(help="API clients: channel gateways and Open311 apps", no_args_is_help=True)
app.add_typer(clients_app, name="clients")
outbox_app = typer.Typer(help="Notifications waiting, sent or failed", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")
ami_app = typer.Typer(help="Asterisk manager: the call-tracking listener and capture replays",
                      invoke_without_command=True)
app.add_typer(ami_app, name="ami")
stats_app = typer.Typer(help="Rates, rankings and the daily roll-ups", no_args_is_help=True)
app.add_typer(stats_app, name="stats")
asr_app = typer.Typer(help="Speech recognition: the Vosk model and transcription", no_args_is_help=True)
app.add_typer(asr_app, name="asr")
intake_app = typer.Typer(help="Intake analysis: text → tier, category, department, place", no_args_is_help=True)
app.add_typer(intake_app, name="intake")


@app.callback()
def _setup() -> None:
    from hotline.core.logging import setup_logging
    from hotline.core.settings import get_settings

    setup_logging(get_settings().log_level)


def _fail(exc: HotlineError) -> None:
    typer.echo(f"error: {exc.message}", err=True)
    raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Create or upgrade the schema, then load the department tree from config/."""
    from hotline.core.migrate import upgrade_database
    from hotline.core.settings import get_settings

    settings = get_settings()
    try:
        upgrade_database(settings.database_url, revision)
        result = _load_departments()
    except HotlineError as exc:
        _fail(exc)
    typer.echo(f"schema at {revision}; departments: {result.created} created, {result.updated} updated, "
               f"{result.retired} retired, {result.active} active")


@config_app.command("check")
def config_check() -> None:
    """Validate every YAML file; print each problem as file: key: what is wrong."""
    from hotline.core.config import load_config, walk_departments
    from hotline.core.settings import get_settings

    settings = get_settings()
    try:
        config = load_config(settings.config_dir)
    except HotlineError as exc:
        _fail(exc)
    departments = sum(1 for _ in walk_departments(config.departments.departments))
    typer.echo(f"{settings.config_dir}: ok — {departments} departments, "
               f"{len(config.categories.categories)} categories, {len(config.sla.tiers)} SLA tiers, "
               f"calendar overrides for {sorted(config.calendar.years) or 'no years'}")


@config_app.command("load")
def config_load() -> None:
    """Load the department tree from config/ into the database (after editing departments.yaml)."""
    try:
        result = _load_departments()
    except HotlineError as exc:
        _fail(exc)
    typer.echo(f"departments: {result.created} created, {result.updated} updated, "
               f"{result.retired} retired, {result.active} active")


def _load_departments():
    from hotline.core.config import load_config
    from hotline.core.db import make_engine, make_session_factory, session_scope
    from hotline.core.settings import get_settings
    from hotline.dispatch.departments import sync_departments

    settings = get_settings()
    config = load_config(settings.config_dir)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return sync_departments(session, config.departments.departments)
    finally:
        engine.dispose()


@sla_app.command("due")
def sla_due(
    tier: Annotated[str, typer.Option(help="emergency | livelihood | general | complex")],
    at: Annotated[str, typer.Option(help="ISO 8601 instant, e.g. 2026-09-30T16:00:00+08:00")],
) -> None:
    """Print the deadlines a case of TIER received AT would get, as JSON."""
    from hotline.context import build_context
    from hotline.core.enums import Tier
    from hotline.dispatch.sla import check_instant

    try:
        start = dt.datetime.fromisoformat(at)
        tier_value = Tier(tier)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        check_instant(start)
    except HotlineError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    try:
        ctx = build_context()
    except HotlineError as exc:
        _fail(exc)
    typer.echo(json.dumps(ctx.sla.deadlines(tier_value, start).as_dict(ctx.sla.tz), ensure_ascii=False))


@app.command("api")
def api(host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    """Serve the REST API, consoles and OpenAPI docs with uvicorn."""
    import uvicorn

    from hotline.core.settings import get_settings

    settings = get_settings()
    uvicorn.run("hotline.api.main:app_factory", factory=True, host=host or settings.api_host,
                port=port or settings.api_port, workers=workers, log_level=settings.log_level.lower())


def _in_session(work):
    """Run work(session, ctx) as one committed unit; a domain error ends the command with its message."""
    from hotline.context import build_context, open_runtime
    from hotline.core.db import session_scope

    try:
        ctx = build_context()
        with session_scope(open_runtime(ctx).session_factory) as session:
            return work(session, ctx)
    except HotlineError as exc:
        _fail(exc)


def _enum(kind, value: str, what: str):
    try:
        return kind(value)
    except ValueError:
        typer.echo(f"error: {value} is not a {what}", err=True)
        raise typer.Exit(2) from None


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="operator | department_staff | department_admin | callback_staff | "
                                           "supervisor | hotline_admin | liaison")],
    display_name: Annotated[str, typer.Option(help="the name colleagues know")] = "",
    department: Annotated[str | None, typer.Option(help="department code (department roles, supervisors)")] = None,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a staff account (password asked for unless given)."""
    from hotline.accounts.service import AccountService
    from hotline.core.enums import Role

    role_value = _enum(Role, role, "role")
    user = _in_session(lambda session, ctx: AccountService(session, ctx).create_user(
        username, password, role_value, display_name or username, department))
    typer.echo(f"created {user.username} ({user.role}) id={user.id}")


@clients_app.command("create")
def clients_create(name: str, channel: Annotated[str, typer.Option(help="wechat | app | web | province")]) -> None:
    """Register a channel gateway or Open311 app; prints its API key once."""
    from hotline.accounts.service import AccountService
    from hotline.core.enums import Channel

    channel_value = _enum(Channel, channel, "channel")
    client, key = _in_session(lambda session, ctx: AccountService(session, ctx).create_api_client(name, channel_value))
    typer.echo(f"created API client {client.name} ({client.channel}); key (shown once): {key}")


@outbox_app.command("resend")
def outbox_resend(ids: Annotated[list[int] | None, typer.Argument(help="outbox message ids")] = None,
                  failed: Annotated[bool, typer.Option(help="every message that failed")] = False) -> None:
    """Send notifications again (after a provider outage, or when someone says nothing arrived)."""
    from hotline.context import build_context, open_runtime
    from hotline.core.db import session_scope
    from hotline.core.jobs import InProcessQueue
    from hotline.notifications.outbox import failed_ids, resend

    if not ids and not failed:
        typer.echo("error: give message ids or --failed", err=True)
        raise typer.Exit(2)
    ctx = build_context()
    runtime = open_runtime(ctx)
    with session_scope(runtime.session_factory) as session:
        queued = resend(session, list(ids or []) + (failed_ids(session) if failed else []))
    if isinstance(runtime.queue, InProcessQueue):  # embedded: deliver now, before this command exits
        runtime.queue.drain()
    typer.echo(f"queued again: {queued or 'nothing'}")


def _celery():
    from hotline.core.celery_app import celery_app
    from hotline.core.settings import get_settings

    settings = get_settings()
    if not settings.redis_url:
        typer.echo("error: HOTLINE_REDIS_URL is not set; on embedded defaults `hotline api` and "
                   "`hotline demo` run jobs in-process", err=True)
        raise typer.Exit(2)
    return celery_app(settings), settings


@app.command("worker")
def worker(concurrency: int = 2, pool: str = "prefork") -> None:
    """Run background jobs (SLA sweep, notifications) from Redis with Celery."""
    celery, settings = _celery()
    celery.worker_main(["worker", f"--concurrency={concurrency}", f"--pool={pool}",
                        f"--loglevel={settings.log_level}"])


@app.command("beat")
def beat() -> None:
    """Send the periodic jobs (SLA sweep, outbox recovery) on schedule."""
    celery, settings = _celery()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    celery.start(["beat", f"--loglevel={settings.log_level}",
                  f"--schedule={settings.var_dir / 'celerybeat-schedule'}"])


@stats_app.command("report")
def stats_report(month: Annotated[str, typer.Option(help="YYYY-MM, e.g. 2026-11")],
                 department: Annotated[str | None, typer.Option(help="a department code: its subtree")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")] = False) -> None:
    """The month's rates and the department ranking."""
    from hotline.stats.formulas import Period
    from hotline.stats.report import report_text
    from hotline.stats.service import StatsService

    def work(session, ctx):
        service, period = StatsService(session, ctx), Period.month(month)
        return service.rates(period, department), service.ranking(period, department)

    rates, ranking = _in_session(work)
    typer.echo(json.dumps({"rates": rates, "ranking": ranking}, ensure_ascii=False, indent=1) if as_json
               else report_text(rates, ranking))


@stats_app.command("rollup")
def stats_rollup(start: Annotated[str, typer.Option("--from", help="first local day, YYYY-MM-DD")],
                 end: Annotated[str, typer.Option("--to", help="last local day (finished days only)")]) -> None:
    """Rebuild the daily counters of past days (the nightly job does the recent ones by itself)."""
    import datetime as dt

    from hotline.stats.service import StatsService

    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    written = _in_session(lambda session, ctx: StatsService(session, ctx).rollup(first, last))
    typer.echo(f"rolled up {start}..{end}: {written} counters")


@app.command("agi")
def agi(host: str | None = None, port: int | None = None) -> None:
    """Run the FastAGI IVR server (Asterisk's dialplan calls AGI(agi://HOST:4573/ivr))."""
    import asyncio

    from hotline.context import build_context, open_runtime
    from hotline.ivr.fastagi import AgiServer
    from hotline.ivr.services import DatabaseServices

    context = build_context()
    settings = context.settings
    server = AgiServer(context.config.ivr, DatabaseServices(open_runtime(context)), settings.timezone)

    async def main() -> None:
        tcp = await server.serve(host or settings.agi_host, port or settings.agi_port)
        typer.echo(f"FastAGI IVR on {host or settings.agi_host}:{port or settings.agi_port}", err=True)
        async with tcp:
            await tcp.serve_forever()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


@app.command("listen")
def listen(host: str | None = None, port: int | None = None) -> None:
    """Run the live-transcription server: Asterisk streams each call side here over AudioSocket."""
    from hotline.core.settings import get_settings
    from hotline.listen.process import serve
    from hotline.telephony.bus import bus_for

    settings = get_settings()
    try:
        serve(settings, bus_for(settings.redis_url), host or settings.listen_host, port if port is not None
              else settings.listen_port)
    except HotlineError as exc:  # no usable speech model
        _fail(exc)


@ami_app.callback()
def ami(ctx: typer.Context) -> None:
    """Run the AMI listener: track every call, store it, pop operators' screens (needs HOTLINE_AMI_HOST)."""
    if ctx.invoked_subcommand is not None:
        return
    import signal
    import threading

    from hotline.context import build_context, open_runtime
    from hotline.telephony.bus import bus_for
    from hotline.telephony.service import make_listener

    context = build_context()
    if not context.settings.ami_host:
        typer.echo("error: HOTLINE_AMI_HOST is not set (the Asterisk manager to listen to)", err=True)
        raise typer.Exit(2)
    listener = make_listener(open_runtime(context), bus_for(context.settings.redis_url)).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    listener.stop()


@ami_app.command("replay")
def ami_replay(files: Annotated[list[Path], typer.Argument(help="captured AMI streams (*.ami)")],
               times: Annotated[int, typer.Option(help="replay each file this many times, with fresh ids")] = 1,
               fresh: Annotated[bool, typer.Option(help="fresh ids and times (off: byte for byte)")] = True) -> None:
    """Replay captures through the simulated PBX into the real listener over TCP; one JSON line per call."""
    from hotline.telephony.fake import Capture, FakeAsterisk
    from hotline.telephony.listener import AmiListener, Sinks

    captures = []
    for path in files:
        if not path.is_file():
            typer.echo(f"error: {path}: no such file", err=True)
            raise typer.Exit(2)
        captures.append(Capture.load(path))
    calls: dict[str, dict] = {}

    class Collect(Sinks):
        def calls(self, records):
            for record in records:
                calls[record.linkedid] = record.as_dict()

    pbx = FakeAsterisk().start()
    listener = AmiListener("127.0.0.1", pbx.port, pbx.username, pbx.secret, Collect()).start()
    try:
        if not listener.connected.wait(10):
            typer.echo("error: the listener could not log in to the simulated PBX", err=True)
            raise typer.Exit(1)
        for _ in range(times):
            for capture in captures:
                pbx.play(capture, fresh=fresh)
        listener.idle(60)
    finally:
        listener.stop()
        pbx.stop()
    for record in calls.values():
        typer.echo(json.dumps(record, ensure_ascii=False))


ModelDir = Annotated[Path | None, typer.Option(help="Vosk model directory (default: HOTLINE_ASR_MODEL_DIR)")]


def _model_dir(model_dir: Path | None) -> Path:
    from hotline.core.settings import get_settings

    return model_dir or get_settings().asr_model_dir


@asr_app.command("check")
def asr_check(model_dir: ModelDir = None) -> None:
    """Say whether the speech model directory holds everything Vosk needs, and what is missing."""
    from hotline.asr.engine import check_model, model_sample_rate

    path = _model_dir(model_dir)
    problems = check_model(path)
    if problems:
        for line in problems:
            typer.echo(line, err=True)
        typer.echo("transcription jobs wait in status no_model until a model is installed", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: ok ({model_sample_rate(path)} Hz)")


@asr_app.command("install-model")
def asr_install_model(
    name: Annotated[str, typer.Argument(help="vosk-model-small-cn-0.22 or vosk-model-cn-0.22")] = "vosk-model-small-cn-0.22",
    sha256: Annotated[str, typer.Option(help="the archive's SHA-256, from a copy you trust")] = ...,
    url: Annotated[str | None, typer.Option(help="a mirror of the official zip")] = None,
    model_dir: ModelDir = None,
) -> None:
    """Download the model zip, verify its SHA-256, unpack and check it, then put it in place."""
    from hotline.asr.install import install_model

    target = model_dir or _model_dir(None).parent / name
    try:
        path = install_model(target, sha256, name=name, url=url)
    except HotlineError as exc:
        _fail(exc)
    typer.echo(f"installed {name} in {path}")


@asr_app.command("transcribe")
def asr_transcribe(file: Annotated[Path, typer.Argument(help="WAV (16-bit PCM) or Asterisk .sln recording")],
                   model_dir: ModelDir = None) -> None:
    """Transcribe one file and print JSON: text, words, duration_s, elapsed_s."""
    from hotline.asr.engine import VoskEngine
    from hotline.asr.transcribe import transcribe
    from hotline.core.settings import get_settings

    try:
        engine = VoskEngine(_model_dir(model_dir))
        result = transcribe(engine, file, max_seconds=get_settings().asr_max_seconds)
    except HotlineError as exc:  # a model that is not usable, a file that is not a recording
        _fail(exc)
    typer.echo(json.dumps({"text": result.text, "words": result.words, "duration_s": result.duration_s,
                           "elapsed_s": result.elapsed_s, "truncated": result.truncated}, ensure_ascii=False))


@intake_app.command("analyze")
def intake_analyze(text: Annotated[str, typer.Argument(help="what the citizen said")],
                   phone: Annotated[str | None, typer.Option(help="the caller's number: checks repeat calls")] = None) -> None:
    """Print the draft as JSON: text, tier, category, department, place, numbers, reasons."""
    from hotline.context import build_context

    ctx = build_context()
    try:
        if phone:
            from hotline.context import open_runtime
            from hotline.intake.service import IntakeService

            with open_runtime(ctx).session_factory() as session:
                analysis = IntakeService(session, ctx).analyze(text, phone)
        else:
            analysis = ctx.analyzer.analyze(text)
    except HotlineError as exc:
        _fail(exc)
    typer.echo(json.dumps(analysis.as_dict(), ensure_ascii=False))


DEMO_PASSWORD = "hotline-demo"
DEMO_ACCOUNTS = [("operator", "operator", "话务员小王", None), ("water", "department_staff", "水务集团", "371500-WATER"),
                 ("callback", "callback_staff", "回访员小李", None), ("supervisor", "supervisor", "督查科", None)]


def _demo_accounts() -> None:
    """One account per console on the demo's embedded database (never on a configured one)."""
    from sqlalchemy import select

    from hotline.accounts.service import AccountService
    from hotline.core.enums import Role
    from hotline.models import User

    def create(session, ctx):
        made = []
        for username, role, name, department in DEMO_ACCOUNTS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                AccountService(session, ctx).create_user(username, DEMO_PASSWORD, Role(role), name, department)
                made.append(username)
        return made

    if _in_session(create):
        typer.echo(f"consoles: /console/ — demo accounts {', '.join(a[0] for a in DEMO_ACCOUNTS)} "
                   f"(password {DEMO_PASSWORD})")


@app.command("demo")
def demo(host: str | None = None, port: int | None = None,
         calls_every: Annotated[float, typer.Option(help="seconds between simulated calls; 0: no PBX")] = 20.0) -> None:
    """Everything in one process on embedded defaults: SQLite under ./var, in-process jobs, a simulated PBX."""
    import os

    from hotline.asr.engine import check_model
    from hotline.core.settings import get_settings

    settings = get_settings()
    if settings.asr_engine == "vosk" and check_model(settings.asr_model_dir):
        os.environ["HOTLINE_ASR_ENGINE"] = "fake"  # the scripted recogniser knows the simulated caller's words
        get_settings.cache_clear()
        settings = get_settings()
        typer.echo("speech: no Vosk model installed (hotline asr install-model); the demo's scripted "
                   "recogniser transcribes the simulated messages")
    db_upgrade("head")
    if settings.is_sqlite:  # the demo's own embedded database: never seed known passwords elsewhere
        _demo_accounts()
    host, port = host or settings.api_host, port or settings.api_port
    pbx = None
    if calls_every > 0:
        from hotline.telephony.demo import SimulatedPbx

        pbx = SimulatedPbx(calls_every)
        typer.echo(f"simulated PBX: a call every {calls_every:g} s (see /api/v1/calls)")
    typer.echo(f"hotline demo on http://{host}:{port}/  (API docs: /docs, health: /healthz)")
    try:
        api(host=host, port=port, workers=1)
    finally:
        if pbx is not None:
            pbx.stop()


def main() -> None:
    try:
        app()
    except HotlineError as exc:  # a domain error that escaped a command: say it, exit non-zero
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
