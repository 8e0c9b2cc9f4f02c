"""Request bodies are bounded per route before anything parses them; evidence uploads have a larger limit."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import requests
import uvicorn

from hotline.core.db import session_scope
from hotline.core.enums import State
from hotline.runtime.api import create_app
from tests.factories import order_in
from tests.integration.api_workers import free_port

MB = 1024 * 1024


@pytest.fixture
def served(ctx, session_factory):
    """The app over a real socket (uvicorn in a thread), on the test clock."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", port
    server.should_exit = True
    thread.join(timeout=10)


def answer_of(sock: socket.socket, seconds: float = 10) -> tuple[int, dict]:
    """The status and JSON body the server sent back, read until it closes or the body is complete."""
    sock.settimeout(seconds)
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body[:_length(data)] or b"null")


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def test_a_declared_huge_body_is_refused_before_a_byte_of_it_is_read(served):
    _, port = served
    with socket.create_connection(("127.0.0.1", port)) as sock:  # 120 MB announced, none sent: nothing waits
        sock.sendall(b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 125829120\r\nAccept-Language: zh-CN\r\n\r\n")
        status, body = answer_of(sock)
    assert status == 413 and body["error_id"] == "body_too_large" and body["message"] == "提交的内容太大，请压缩或拆分后再试"


def test_a_streamed_body_is_cut_off_at_the_limit(served, people, settings):
    _, port = served
    token = people["operator"].headers["Authorization"].encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /api/v1/work-orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Authorization: " + token + b"\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 65536
        try:
            for _ in range(4 * settings.max_body_bytes // len(chunk)):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:  # the server stopped reading and answered: that is the point
            pass
        status, body = answer_of(sock)
    assert status == 413 and body["error_id"] == "body_too_large"


def png(size: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\0" * (size - 8)


def test_evidence_has_its_own_larger_limit_for_signed_in_staff_only(served, people, session_factory, ctx, settings):
    url, _ = served
    with session_scope(session_factory) as s:
        ticket = order_in(State.REPLIED, s, ctx).ticket_no
    photo = png(3 * MB)
    assert len(photo) > settings.max_body_bytes
    complete = f"{url}/api/v1/work-orders/{ticket}/complete"

    anonymous = requests.post(complete, data={"result": "已修复"}, files=[("files", ("a.png", photo, "image/png"))],
                              timeout=30)
    forged = requests.post(complete, data={"result": "已修复"}, files=[("files", ("a.png", photo, "image/png"))],
                           headers={"Authorization": "Bearer not.a.token"}, timeout=30)
    as_json = requests.post(f"{url}/api/v1/work-orders", data=b'{"title": "' + b"x" * (2 * MB) + b'"}',
                            headers={**people["operator"].headers, "Content-Type": "application/json"}, timeout=30)
    done = requests.post(complete, data={"result": "已修复"}, files=[("files", ("现场.png", photo, "image/png"))],
                         headers=people["water"].headers, timeout=30)

    assert anonymous.status_code == forged.status_code == as_json.status_code == 413
    assert {r.json()["error_id"] for r in (anonymous, forged, as_json)} == {"body_too_large"}
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "completed"
