"""Operators' intake over HTTP: a draft from typed words, and a message order's transcript and draft."""

from __future__ import annotations

import shutil

from hotline.asr import loader as engines
from hotline.ivr.services import DatabaseServices
from hotline.simulator.fake import CAPTURES
from hotline.simulator.speech import demo_engine
from tests.integration.conftest import new_order


def test_operator_gets_a_draft_with_reasons_and_repeat_calls(api, people):
    ticket = new_order(api, people["operator"])  # 13800138000, water.outage, 东关社区
    r = api.post("/api/v1/intake/analyze", json={"text": "东关社区 又 停 水 了 暖器 也 不 热", "phone": "13800138000"},
                 headers=people["operator"].headers)
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["text"] == "东关社区又停水了暖器也不热"
    assert draft["category"] == {"code": "utility.water.outage", "name": "停水"}
    assert draft["department"]["code"] == "371500-WATER" and draft["tier"] == "livelihood"
    assert draft["place"] == "东关社区"
    assert draft["repeat"]["tickets"] == [ticket]
    assert any(reason.startswith("重复来电") and ticket in reason for reason in draft["reasons"])


def test_too_long_text_is_a_clear_422(api, people, config):
    r = api.post("/api/v1/intake/analyze", json={"text": "停" * (config.intake.max_chars + 1)},
                 headers=people["operator"].headers)
    assert r.status_code == 422 and "at most" in r.json()["message"]


def test_message_orders_show_their_transcript_and_draft(api, people, ctx, queue, tmp_path, monkeypatch):
    app_ctx = api.app.state.ctx
    monkeypatch.setattr(app_ctx.settings, "asr_engine", "fake")
    monkeypatch.setattr(app_ctx.settings, "recordings_dir", tmp_path)
    engines.forget_engine()
    engines.use_scripted(demo_engine())
    shutil.copyfile(CAPTURES / "agi-1795257454.2.wav", tmp_path / "msg-1795257454.2.wav")
    ticket, _ = DatabaseServices(api.app.state.ctx, api.app.state.runtime.session_factory).message_order_now(
        "13800138000", "1795257454.2", "/var/spool/asterisk/monitor/msg-1795257454.2.wav")
    queue.drain()
    engines.forget_engine()
    r = api.get(f"/api/v1/work-orders/{ticket}/transcripts", headers=people["operator"].headers)
    assert r.status_code == 200, r.text
    [recording] = r.json()
    assert recording["status"] == "transcribed" and recording["kind"] == "message"
    assert recording["transcript"]["text"].startswith("我家小区停水了") and recording["transcript"]["words"]
    assert recording["draft"]["category"]["code"] == "utility.water.outage"
    order = api.get(f"/api/v1/work-orders/{ticket}", headers=people["operator"].headers).json()
    assert order["content"] == recording["transcript"]["text"]
    assert api.get(f"/api/v1/work-orders/{ticket}/transcripts", headers=people["water"].headers).status_code == 403


def test_me_says_role_and_department(api, people):
    me = api.get("/api/v1/auth/me", headers=people["water"].headers).json()
    assert me["role"] == "department_staff" and me["department"] == {"code": "371500-WATER", "name": "聊城市水务集团有限公司"}
    assert api.get("/api/v1/auth/me").status_code == 401


def test_event_stream_takes_a_stream_ticket_never_a_token_in_its_address(api, people):
    r = api.get("/api/v1/live?ticket=forged-ticket-value")
    assert r.status_code == 401 and r.json()["error_id"] == "stream_ticket_invalid"
    token = people["operator"].headers["Authorization"][7:]
    assert api.get("/api/v1/live?access_token=" + token).status_code == 401
    assert api.get("/api/v1/live", headers=people["liaison"].headers).status_code == 403


def test_open_supervisions_list_redo_after_a_second_unsatisfied(api, people, session_factory, ctx):
    from hotline.core.db import session_scope
    from hotline.models import Supervision, WorkOrder

    ticket = new_order(api, people["operator"])
    with session_scope(session_factory) as s:
        order = s.query(WorkOrder).filter_by(ticket_no=ticket).one()
        s.add(Supervision(work_order_id=order.id, kind="redo", status="open", note="二次不满意", raised_at=ctx.clock.now()))
    rows = api.get("/api/v1/supervisions", headers=people["supervisor"].headers).json()
    assert [(r["kind"], r["ticket_no"], r["note"]) for r in rows] == [("redo", ticket, "二次不满意")]
    assert api.get("/api/v1/supervisions", headers=people["district_supervisor"].headers).json() == []  # not dispatched into 东昌府区


def test_a_write_is_committed_before_its_response_leaves(ctx):
    """A client that got 201 must be able to read what it wrote at once: the request's transaction ends
    before the response is sent, even when the commit is slow."""
    import threading
    import time

    import httpx2 as httpx
    import uvicorn
    from sqlalchemy import event

    from hotline.core.jobs import InProcessQueue
    from hotline.runtime.api import create_app

    app = create_app(ctx, queue=InProcessQueue())
    committed: list[float] = []
    factory = app.state.runtime.session_factory
    event.listen(factory, "before_commit", lambda s: time.sleep(0.3) if s.new else None)
    event.listen(factory, "after_commit", lambda s: committed.append(time.monotonic()))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            from hotline.core import security
            from hotline.core.db import session_scope
            from hotline.core.enums import Role
            from hotline.models import User

            with session_scope(factory) as s:
                user = User(username="op", display_name="op", role=Role.OPERATOR, password_hash="x", active=True,
                            created_at=ctx.clock.now())
                s.add(user)
                s.flush()
                token, _ = security.issue(ctx.secret, user.id, "access", ctx.clock.now())
            headers = {"Authorization": f"Bearer {token}"}
            r = http.post("/api/v1/work-orders", json={"title": "路灯", "content": "路灯不亮"}, headers=headers)
            received = time.monotonic()
            assert r.status_code == 201
            assert committed and committed[-1] < received
            assert http.get(f"/api/v1/work-orders/{r.json()['ticket_no']}", headers=headers).status_code == 200
    finally:
        server.should_exit = True
        thread.join(5)
