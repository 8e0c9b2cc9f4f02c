"""The live stream on a real socket: opened with a single-use ticket, never a token in the address;
every event checked against what the listener may read; a disabled account's stream ends."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx2 as httpx
import pytest
from sqlalchemy import update

from hotline.api.routers import live
from hotline.core.db import session_scope
from hotline.core.jobs import InProcessQueue
from hotline.dispatch.service import WorkOrderService
from hotline.live.events import OrderChanged, TranscriptReady
from hotline.live.tickets import MemoryStreamTickets, RedisStreamTickets
from hotline.models import User
from hotline.runtime.api import create_app
from tests.conftest import REDIS_URL
from tests.factories import OPERATOR, draft
from tests.integration.served import on_a_port


@pytest.fixture
def served(ctx):
    with on_a_port(create_app(ctx, queue=InProcessQueue())) as base:
        yield base


def open_stream(base: str, query: str, headers: dict | None = None, timeout: float = 10) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    head = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    sock.sendall(f"GET /api/v1/live{query} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\nConnection: close\r\n{head}\r\n"
                 .encode())
    return sock


def read_events(sock: socket.socket, until) -> tuple[str, list[tuple[str, dict]]]:
    """(status line, events) read until `until(events)` holds or the server ends the stream."""
    buffer, events, status = b"", [], ""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer += chunk
        if not status and b"\r\n" in buffer:
            status = buffer.split(b"\r\n", 1)[0].decode()
            if " 200 " not in status:
                break
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.decode(errors="replace").splitlines()
                          if line.startswith(("event:", "data:")))
            if "event" in fields:
                events.append((fields["event"], json.loads(fields["data"])))
            elif ": connected" in block.decode(errors="replace"):
                events.append(("connected", {}))
        if until(events):
            break
    sock.close()
    return status, events


def ticket_for(base: str, person) -> str:
    r = httpx.post(f"{base}/api/v1/live/tickets", headers=person.headers, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["ticket"]


def test_a_ticket_opens_the_stream_once_and_a_token_in_the_address_opens_nothing(served, people):
    ticket = ticket_for(served, people["operator"])
    status, events = read_events(open_stream(served, f"?ticket={ticket}"), lambda e: bool(e))
    assert " 200 " in status and events == [("connected", {})]
    again = httpx.get(f"{served}/api/v1/live?ticket={ticket}", timeout=5)
    assert again.status_code == 401 and again.json()["error_id"] == "stream_ticket_invalid"
    token = people["operator"].headers["Authorization"][7:]
    assert httpx.get(f"{served}/api/v1/live?access_token={token}", timeout=5).status_code == 401
    assert httpx.post(f"{served}/api/v1/live/tickets", headers=people["liaison"].headers).status_code == 403
    assert httpx.post(f"{served}/api/v1/live/tickets", headers=people["callback"].headers).status_code == 403
    # A department listens on its own channel only (催办, 督办, extensions about its orders).
    assert httpx.post(f"{served}/api/v1/live/tickets", headers=people["water"].headers).status_code == 201


def test_a_district_supervisor_hears_only_orders_of_its_district(served, people, session_factory, ctx):
    with session_scope(session_factory) as s:
        orders = WorkOrderService(s, ctx)
        water = orders.create(draft(), OPERATOR).order  # the city's water company: not the district's
        street = orders.create(draft(category_code="city.sanitation", place="东昌府区古楼街道米市街社区",
                                     title="垃圾未清运"), OPERATOR).order
        for order in (water, street):
            orders.accept(order.id, OPERATOR)
            orders.dispatch(order.id, OPERATOR)
        tickets = water.ticket_no, street.ticket_no
    sock = open_stream(served, f"?ticket={ticket_for(served, people['district_supervisor'])}")

    def publish_when_connected(events):
        if events == [("connected", {})]:
            for ticket in (*tickets, None):
                ctx.live.publish(TranscriptReady(1, ticket, f"录音 {ticket}", None))
            ctx.live.publish(TranscriptReady(2, tickets[1], "最后一条", None))
        return len(events) >= 3

    status, events = read_events(sock, publish_when_connected)
    assert [(kind, body["ticket"]) for kind, body in events[1:]] == [("transcript", tickets[1])] * 2


def test_an_operator_hears_every_work_list_change(served, people, ctx):
    sock = open_stream(served, f"?ticket={ticket_for(served, people['operator'])}")

    def publish_when_connected(events):
        if len(events) == 1:
            ctx.live.publish(OrderChanged("20261123-0042", "create", None, "received"))
        return len(events) >= 2

    _, events = read_events(sock, publish_when_connected)
    assert events[1] == ("worklist", {"type": "worklist", "ticket": "20261123-0042", "action": "create",
                                      "from_state": None, "to_state": "received"})


def test_a_disabled_accounts_stream_ends(served, people, session_factory, monkeypatch):
    monkeypatch.setattr(live, "KEEP_ALIVE_SECONDS", 0.3)
    sock = open_stream(served, "", people["supervisor"].headers)
    started = time.monotonic()

    def disable_when_connected(events):
        if len(events) == 1:
            with session_scope(session_factory) as s:
                s.execute(update(User).where(User.id == people["supervisor"].user_id).values(active=False))
        return False

    status, events = read_events(sock, disable_when_connected)
    assert " 200 " in status and events[-1] == ("closed", {"reason": "account"})
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("where", ["memory", "redis"])
def test_a_ticket_is_taken_once_whichever_worker_takes_it(where):
    if where == "redis":
        url = REDIS_URL
        first, second = RedisStreamTickets(url, "t15"), RedisStreamTickets(url, "t15")
    else:
        first = second = MemoryStreamTickets()
    ticket = first.issue(7)
    results = []
    threads = [threading.Thread(target=lambda: results.append(second.take(ticket))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [7] + [None] * 19
    assert first.take("made-up") is None
    expired = MemoryStreamTickets(ttl=0)
    assert expired.take(expired.issue(7)) is None
