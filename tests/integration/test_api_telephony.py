"""Telephony over HTTP on a real socket: agents through AMI, call records and statistics, and the
screen pop arriving on the answering operator's event stream."""

from __future__ import annotations

import json
import socket

import httpx2 as httpx
import pytest
from sqlalchemy import select

from hotline.core.jobs import InProcessQueue
from hotline.models import AgentSession
from hotline.runtime.api import create_app
from hotline.runtime.context import build_context
from hotline.runtime.processes import ami_listener
from hotline.simulator.fake import CAPTURES, Capture
from tests.integration.served import on_a_port

ANSWERED = Capture.load(CAPTURES / "queue-answered.ami")
ABANDONED = Capture.load(CAPTURES / "queue-abandon.ami")
SURVEY_ANSWERED = Capture.load(CAPTURES / "survey-answered.ami")  # the automated survey, citizen pressed 1
SURVEY_NO_ANSWER = Capture.load(CAPTURES / "survey-no-answer.ami")  # OriginateResponse Failure, Reason 3


@pytest.fixture
def served(pbx, settings, clock, config, session_factory):
    """The API on a real port with AMI pointed at the simulated PBX, and the AMI listener beside it."""
    ctx = build_context(settings.model_copy(update={"ami_host": "127.0.0.1", "ami_port": pbx.port}),
                        clock=clock, config=config)
    app = create_app(ctx, queue=InProcessQueue())
    with on_a_port(app) as base:
        listener = ami_listener(app.state.runtime, "127.0.0.1", pbx.port).start()
        assert listener.connected.wait(10)
        yield ctx, base, listener
        listener.stop()


def test_operator_joins_pauses_and_leaves_the_queue_through_ami(served, people, pbx):
    ctx, base, listener = served
    op = people["operator"].headers
    with httpx.Client(base_url=base, headers=op, timeout=10) as http:
        r = http.post("/api/v1/agents/login", json={"interface": "Local/1001@agent-sim/n"})
        assert r.status_code == 200, r.text
        assert r.json()["logged_in"] and r.json()["mine"]
        assert ("hotline-queue", "Local/1001@agent-sim/n") in pbx.members
        assert http.post("/api/v1/agents/pause", json={"interface": "Local/1001@agent-sim/n"}).status_code == 422
        r = http.post("/api/v1/agents/pause", json={"interface": "Local/1001@agent-sim/n", "reason": "午餐"})
        assert r.json()["paused"] and pbx.members[("hotline-queue", "Local/1001@agent-sim/n")].reason == "午餐"
        again = http.post("/api/v1/agents/login", json={"interface": "Local/1001@agent-sim/n"})
        assert again.status_code == 409 and "Already there" in again.json()["message"]
        r = http.post("/api/v1/agents/logout", json={"interface": "Local/1001@agent-sim/n"})
        assert r.status_code == 200 and not r.json()["logged_in"] and pbx.members == {}
        dept = http.post("/api/v1/agents/login", json={"interface": "PJSIP/2001"}, headers=people["water"].headers)
        assert dept.status_code == 403


def sse_events(base: str, headers: dict, on_connected, count: int = 1, timeout: float = 10) -> list[tuple[str, dict]]:
    """Read server-sent events over a plain socket, as a browser's EventSource does."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    sock.sendall(f"GET /api/v1/live HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n{head}\r\n".encode())
    buffer, events, connected = b"", [], False
    while len(events) < count:
        buffer += sock.recv(65536)
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            text = block.decode()
            if ": connected" in text and not connected:
                connected = True
                on_connected()
            fields = dict(line.split(": ", 1) for line in text.splitlines() if line.startswith(("event:", "data:")))
            if "event" in fields:
                events.append((fields["event"], json.loads(fields["data"])))
    sock.close()
    return events


def test_screen_pop_reaches_the_answering_operator_over_server_sent_events(served, people, pbx):
    ctx, base, listener = served
    op = people["operator"].headers
    with httpx.Client(base_url=base, headers=op, timeout=10) as http:
        r = http.post("/api/v1/work-orders", json={"title": "上周停水", "content": "小区停水", "citizen_phone": "13800138000"})
        assert r.status_code == 201
        assert http.post("/api/v1/agents/login", json={"interface": "Local/1001@agent-sim/n"}).status_code == 200
    [(event, data)] = sse_events(base, op, lambda: pbx.play(ANSWERED))
    assert event == "screen_pop"
    assert data["agent"] == "Agent1001" and data["history"]["known"]
    assert [o["title"] for o in data["history"]["open"]] == ["上周停水"]


def test_calls_and_call_statistics(served, people, pbx):
    ctx, base, listener = served
    for capture in (ANSWERED, ABANDONED, ANSWERED):
        pbx.play(capture, at=ctx.clock.now())
    listener.idle()
    with httpx.Client(base_url=base, headers=people["supervisor"].headers, timeout=10) as http:
        calls = http.get("/api/v1/calls").json()
        assert sorted(c["disposition"] for c in calls) == ["abandoned", "answered", "answered"]
        stats = http.get("/api/v1/calls/stats").json()
        assert (stats["calls"], stats["answered"], stats["abandoned"]) == (3, 2, 1)
        assert stats["average_wait_seconds"] == pytest.approx((2 + 16 + 2) / 3, abs=0.1)
        assert stats["service_level"] == pytest.approx(2 / 3, abs=0.001)
        health = http.get("/healthz").json()["checks"]["ami"]
        assert health["status"] == "ok" and health["banner"].startswith("Asterisk Call Manager")
        assert http.get("/api/v1/calls", headers=people["water"].headers).status_code == 403


def test_a_logged_out_agent_is_not_left_paused(served, people, pbx, session_factory):
    ctx, base, listener = served
    with httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10) as http:
        http.post("/api/v1/agents/login", json={"interface": "PJSIP/1001"})
        http.post("/api/v1/agents/pause", json={"interface": "PJSIP/1001", "reason": "午餐"})
        listener.idle()
        assert http.post("/api/v1/agents/logout", json={"interface": "PJSIP/1001"}).status_code == 200
        listener.idle()  # Asterisk's QueueMemberRemoved reports the member as it was: paused
        [place] = http.get("/api/v1/agents").json()
    assert (place["logged_in"], place["paused"], place["pause_reason"]) == (False, False, None)
    with session_factory() as s:
        row = s.scalars(select(AgentSession)).one()
        assert (row.logged_in, row.paused) == (False, False)


def test_callback_staff_join_the_callback_queue_and_only_that(served, people, pbx):
    ctx, base, listener = served
    with httpx.Client(base_url=base, headers=people["callback"].headers, timeout=10) as http:
        r = http.post("/api/v1/agents/login", json={"interface": "PJSIP/1050"})
        assert r.status_code == 200 and r.json()["queue"] == "callback-queue"
        assert ("callback-queue", "PJSIP/1050") in pbx.members
        refused = http.post("/api/v1/agents/login", json={"interface": "PJSIP/1050", "queue": "hotline-queue"})
        assert refused.status_code == 403 and refused.json()["error_id"] == "queue_not_allowed"
        assert http.post("/api/v1/agents/pause", json={"interface": "PJSIP/1050", "reason": "小休"}).status_code == 200
        assert [a["queue"] for a in http.get("/api/v1/agents").json()] == ["callback-queue"]
    with httpx.Client(base_url=base, headers=people["operator"].headers, timeout=10) as http:
        refused = http.post("/api/v1/agents/login", json={"interface": "PJSIP/1001", "queue": "callback-queue"})
        assert refused.status_code == 403


def test_survey_calls_are_outbound_and_not_counted_as_citizens_calls(served, people, pbx):
    ctx, base, listener = served
    for capture in (ANSWERED, SURVEY_ANSWERED, SURVEY_NO_ANSWER):
        pbx.play(capture, at=ctx.clock.now())
    listener.idle()
    with httpx.Client(base_url=base, headers=people["supervisor"].headers, timeout=10) as http:
        calls = {c["dialled"]: c for c in http.get("/api/v1/calls").json()}
        stats = http.get("/api/v1/calls/stats").json()
        outbound = http.get("/api/v1/calls", params={"direction": "outbound"}).json()
    survey, missed = calls["13700137008"], calls["13700139999"]
    assert (survey["direction"], survey["purpose"], survey["disposition"], survey["caller"]) == \
        ("outbound", "survey_callback", "answered", None)
    assert (missed["direction"], missed["purpose"], missed["disposition"]) == \
        ("outbound", "survey_callback", "unanswered")
    assert calls["12346"]["direction"] == "inbound" and calls["12346"]["purpose"] == "citizen_call"
    assert (stats["calls"], stats["answered"], stats["ivr_only"], stats["outbound"]) == (1, 1, 0, 2)
    assert len(outbound) == 2
