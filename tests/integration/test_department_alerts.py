"""What rings on the department's workbench: an order dispatched to it (with its tier, so an emergency rings),
a 督办 raised on a redo, heard live on its own channel only; the sound file is served from the console."""

from __future__ import annotations

import datetime as dt

import httpx2 as httpx

from hotline.core.db import session_scope
from hotline.core.enums import State
from hotline.dispatch.sweep import SlaSweep
from hotline.live.after_commit import install_live_after_commit
from hotline.live.events import DepartmentNotice
from hotline.live.notifier import RecordingNotifier
from tests.factories import order_in
from tests.integration.test_live_scope import open_stream, read_events, served, ticket_for  # noqa: F401


def test_the_department_hears_an_emergency_dispatched_to_it_and_another_does_not(served, people):  # noqa: F811
    with httpx.Client(base_url=served) as c:
        r = c.post("/api/v1/work-orders", headers=people["operator"].headers, json={
            "title": "燃气泄漏 联系13800138000", "content": "闻到煤气味", "category_code": "water.outage",
            "tier": "emergency", "place": "东昌府区古楼街道东关社区", "citizen_phone": "13800138000"})
        ticket = r.json()["ticket_no"]
        assert c.post(f"/api/v1/work-orders/{ticket}/accept", headers=people["operator"].headers).status_code == 200
        water = open_stream(served, f"?ticket={ticket_for(served, people['water'])}")
        housing = open_stream(served, f"?ticket={ticket_for(served, people['housing'])}", timeout=3)

        def dispatch_when_connected(events):
            if events == [("connected", {})]:
                c.post(f"/api/v1/work-orders/{ticket}/dispatch", headers=people["operator"].headers)
            return len(events) >= 2

        _, events = read_events(water, dispatch_when_connected)
        kind, body = events[1]
        assert kind == "notice" and body["kind"] == "dispatched" and body["ticket"] == ticket
        assert body["tier"] == "emergency" and "138****8000" in body["text"] and "13800138000" not in body["text"]
        try:
            _, other = read_events(housing, lambda e: len(e) >= 2)
        except TimeoutError:
            other = []
        assert [e for e in other if e[0] == "notice"] == []


def test_an_overdue_sweep_tells_the_department_its_order_is_supervised(session_factory, ctx):
    heard = RecordingNotifier()
    install_live_after_commit(session_factory, heard)
    with session_scope(session_factory) as s:
        ticket = order_in(State.SIGNED, s, ctx).ticket_no
    assert not [e for e in heard.events if isinstance(e, DepartmentNotice) and e.kind == "supervised"]
    heard.events.clear()
    with session_scope(session_factory) as s:
        SlaSweep(s, ctx).run_batch(ctx.clock.now() + dt.timedelta(days=40))
    notices = [e for e in heard.events if isinstance(e, DepartmentNotice) and e.ticket == ticket]
    assert notices and {e.kind for e in notices} == {"supervised"} and "督办" in notices[0].text


def test_the_alert_sound_is_served_as_audio(api):
    r = api.get("/console/alert.wav")
    assert r.status_code == 200 and r.content.startswith(b"RIFF") and r.headers["content-type"].startswith("audio/")
    assert 1_000 < len(r.content) < 100_000  # short: a second at most
