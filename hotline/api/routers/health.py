"""Liveness and readiness: database, configuration and calendar coverage."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from hotline.api.env import ApiEnv
from hotline.asr.repository import RecordingRepository
from hotline.dispatch.repository import DepartmentRepository
from hotline.intake.danger_judge import shipped_status as danger_status
from hotline.ivr.prompts import health as prompts_health

router = APIRouter(tags=["health"])

CALENDAR_HORIZON_DAYS = 60  # longer than any deadline plus extensions


@router.get("/healthz", summary="Health of the database and the working-day calendar")
def healthz(request: Request):
    ctx: ApiEnv = request.app.state.ctx
    checks: dict = {}
    status_code = 200
    try:
        with request.app.state.session_factory() as session:
            departments = DepartmentRepository(session).count_active()
        checks["database"] = {"status": "ok", "active_departments": departments}
    except SQLAlchemyError as exc:
        checks["database"] = {"status": "down", "error": type(exc).__name__}
        status_code = 503
    checks["redis"] = _redis(ctx.settings.redis_url)
    if checks["redis"]["status"] == "down":
        status_code = 503
    checks["ami"] = _ami(ctx.settings.ami_host, ctx.settings.ami_port)  # an unreachable PBX degrades, not downs
    checks["asr"] = _asr(ctx.settings, request.app.state.session_factory)
    checks["prompts"] = prompts_health(ctx.settings.asterisk_sounds_dir, ctx.config.ivr)
    today = ctx.sla.local_day(ctx.clock.now())
    unknown = ctx.calendar.unknown_years(today, CALENDAR_HORIZON_DAYS)
    checks["calendar"] = {
        "status": "warning" if unknown else "ok",
        "unconfigured_years": unknown,
        **({"message": f"no holiday schedule for {', '.join(map(str, unknown))}: deadlines there are "
                       "provisional (Monday–Friday); add the year to config/calendar.yaml"} if unknown else {}),
    }
    checks["intake_model"] = ctx.intake_model.status()  # a missing or damaged model: rules only, degraded
    checks["danger_model"] = danger_status()  # likewise: the danger patterns alone
    degraded = (unknown or checks["ami"]["status"] == "down" or checks["prompts"]["status"] == "missing"
                or checks["intake_model"]["status"] == "fallback" or checks["danger_model"]["status"] == "fallback")
    overall = "down" if status_code != 200 else ("degraded" if degraded else "ok")
    return JSONResponse({"status": overall, "checks": checks}, status_code=status_code)


def _redis(url: str | None) -> dict:
    if not url:
        return {"status": "not_configured", "message": "embedded mode: jobs run in-process"}
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
        return {"status": "ok"}
    except redis.RedisError as exc:
        return {"status": "down", "error": type(exc).__name__}


def _ami(host: str | None, port: int) -> dict:
    """Is an Asterisk manager answering? (The banner is enough; no login from a health probe.)"""
    if not host:
        return {"status": "not_configured", "message": "HOTLINE_AMI_HOST is unset: no telephony"}
    import socket

    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.settimeout(1)
            banner = sock.recv(64).decode("ascii", errors="replace").strip()
    except OSError as exc:
        return {"status": "down", "error": type(exc).__name__}
    if not banner.startswith("Asterisk Call Manager"):
        return {"status": "down", "error": f"unexpected banner {banner[:40]!r}"}
    return {"status": "ok", "banner": banner}


def _asr(settings, session_factory) -> dict:
    """Is a usable speech model in place (checked on disk, not loaded here), and what waits for one?"""
    from hotline.asr.engine import check_model, model_sample_rate

    try:
        with session_factory() as session:
            waiting = RecordingRepository(session).status_counts()
    except SQLAlchemyError:
        waiting = {}
    if settings.asr_engine == "fake":
        return {"status": "ok", "engine": "fake", "recordings": waiting}
    problems = check_model(settings.asr_model_dir)
    if problems:
        return {"status": "no_model", "problems": problems, "recordings": waiting,
                "message": "voice messages wait untranscribed; operators type the text"}
    return {"status": "ok", "engine": "vosk", "model": settings.asr_model_dir.name,
            "sample_rate": model_sample_rate(settings.asr_model_dir), "recordings": waiting}
