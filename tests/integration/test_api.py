"""The HTTP API: health, reference data, deadline preview and the one error shape."""

from __future__ import annotations

import socket
import threading
import time

import httpx2
import pytest
import uvicorn
from fastapi.testclient import TestClient

from hotline.runtime.api import create_app
from hotline.runtime.context import build_context


@pytest.fixture
def client(ctx, session_factory):
    with TestClient(create_app(ctx)) as c:
        yield c


def test_health_reports_database_departments_and_the_unconfigured_year(client):
    body = client.get("/healthz").json()
    assert body["checks"]["database"] == {"status": "ok", "active_departments": 101}
    # 23 Nov 2026: deadlines within 60 days reach 2027, which nobody has configured yet.
    assert body["status"] == "degraded"
    assert body["checks"]["calendar"]["unconfigured_years"] == [2027]
    assert "config/calendar.yaml" in body["checks"]["calendar"]["message"]


def test_health_is_ok_once_the_year_is_configured(ctx, session_factory, config):
    from dataclasses import replace

    from hotline.core.config_sla import CalendarFile, CalendarYear
    from hotline.dispatch.calendar import WorkingCalendar

    calendar = WorkingCalendar(CalendarFile(years={2027: CalendarYear()}))
    with TestClient(create_app(replace(ctx, calendar=calendar))) as c:
        body = c.get("/healthz").json()
    assert body["status"] == "ok" and body["checks"]["calendar"]["unconfigured_years"] == []


def test_departments_come_from_config_as_a_tree(client):
    rows = {d["code"]: d for d in client.get("/api/v1/departments").json()}
    assert rows["371502001"] == {"code": "371502001", "name": "古楼街道", "kind": "street",
                                 "parent_code": "371502", "active": True, "initials": "gljd", "short_initials": "gljd",
                                 "path": ["聊城市12345政务服务便民热线", "东昌府区"]}
    assert rows["371500-WATER"]["short_initials"].startswith("sw")  # 水务: a picker finds it by "sw"
    assert rows["371500-JJZD"]["parent_code"] == "371500-GAJ"


def test_categories_carry_their_tier_and_department(client):
    rows = {c["code"]: c for c in client.get("/api/v1/categories").json()}
    assert len(rows) >= 150  # the catalogue's leaves (小类)
    assert rows["utility.gas.leak"]["tier"] == "emergency" and rows["utility.heat.cold"]["department"] == "371500-HEAT"


def test_deadline_preview_in_local_time(client):
    r = client.get("/api/v1/sla/due", params={"tier": "general", "at": "2026-09-30T16:00:00+08:00"})
    assert r.status_code == 200
    assert r.json() == {"tier": "general", "received_at": "2026-09-30T16:00:00+08:00",
                        "reply_due_at": "2026-10-11T00:00:00+08:00",
                        "complete_due_at": "2026-10-14T00:00:00+08:00", "provisional": False}


@pytest.mark.parametrize("params,where", [
    ({"tier": "urgent"}, "query.tier"),
    ({"tier": "general", "at": "yesterday"}, "query.at"),
])
def test_bad_query_gets_the_one_error_shape(client, params, where):
    r = client.get("/api/v1/sla/due", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["error_id"] == "invalid_input" and body["details"][0]["where"] == where
    assert where in body["message"]


def test_naive_time_is_refused_with_an_actionable_message(client):
    r = client.get("/api/v1/sla/due", params={"tier": "general", "at": "2026-09-30T16:00:00"})
    assert r.status_code == 422 and "time zone offset" in r.json()["message"]


def test_unknown_path_uses_the_error_shape(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error_id"] == "http_404"


def test_docs_and_openapi_are_served(client):
    assert client.get("/docs").status_code == 200
    assert "/api/v1/sla/due" in client.get("/openapi.json").json()["paths"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_api_answers_over_a_real_socket(ctx, session_factory):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        r = httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert r.status_code == 200 and r.json()["checks"]["database"]["status"] == "ok"
        page = httpx2.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert "12345 政务服务便民热线" in page.text
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_embedded_api_runs_the_periodic_sweep_itself(ctx, session_factory, clock):
    import time as _time

    from sqlalchemy import select

    from hotline.core.db import session_scope
    from hotline.core.enums import State
    from hotline.core.jobs import InProcessQueue
    from hotline.models import Deadline
    from tests.factories import order_in

    with session_scope(session_factory) as s:
        order_id = order_in(State.SIGNED, s, ctx).id
    clock.advance(days=3)
    fast = replace_settings(ctx, sweep_interval_seconds=1)
    queue = InProcessQueue()
    with TestClient(create_app(fast, queue=queue)):
        deadline = _time.monotonic() + 15
        while _time.monotonic() < deadline:
            queue.drain()
            with session_factory() as s:
                lights = dict(s.execute(select(Deadline.kind, Deadline.light)
                                        .where(Deadline.work_order_id == order_id)).all())
            if lights.get("reply") == "red":
                break
            _time.sleep(0.2)
    # Thursday 09:00: the reply (due Tuesday) is missed, completion (due Friday 00:00) is near.
    assert lights == {"sign": "green", "reply": "red", "complete": "yellow"}  # signed at once: its clock was met


def replace_settings(ctx, **changes):
    return build_context(ctx.settings.model_copy(update=changes), clock=ctx.clock, config=ctx.config)
