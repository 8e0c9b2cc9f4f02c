"""Satisfaction by message: after 办结 the citizen rates by replying to the SMS (pushed to our inbound endpoint and
checked for authenticity) or through the signed rating link; the callback closes as an agent's verdict closes it,
counts in the rates under its own channel, and leaves the queue. Bad signatures and repeated ratings change
nothing; no answer in time, or a notice that cannot arrive, puts the order in the callback queue."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from hotline.core.settings import Settings
from hotline.models import Callback, CallbackAttempt, InboundMessage, OutboxMessage, WorkOrder, WorkOrderEvent
from tests.conftest import CONFIG_DIR, TEST_SECRET
from tests.integration.conftest import new_order, step

TOKEN = "cb-4b1d9a"
PHONE = "13800138000"


@pytest.fixture
def settings(tmp_path, db_url) -> Settings:
    """SMS through the fake provider, whose pushes are checked by our callback token like Alibaba's and Tencent's."""
    return Settings(database_url=db_url, config_dir=CONFIG_DIR, var_dir=tmp_path / "var", secret_key=TEST_SECRET,
                    notifications={"sms": {"provider": "fake", "callback_token": TOKEN}})


def completed(api, people, queue, **fields) -> str:
    ticket = new_order(api, people["operator"], **fields)
    step(api, people["operator"], ticket, "accept", {"tier": "livelihood"})
    step(api, people["operator"], ticket, "dispatch", {"lead": "371500-WATER"})
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已安排抢修"})
    r = api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "管道已修复，供水恢复。"},
                 headers=people["water"].headers)
    assert r.status_code == 200, r.text
    queue.drain()  # the callback is scheduled and the 办结 SMS goes out
    return ticket


def reply(api, text: str, token: str = TOKEN, sender: str = PHONE, reply_id: str = "r1"):
    items = [{"sender": sender, "text": text, "received_at": "2026-11-23 10:00:00", "reply_id": reply_id}]
    return api.post(f"/api/v1/notices/replies/sms?token={token}", content=json.dumps(items, ensure_ascii=False))


def state(session_factory, ticket: str) -> tuple[str, str, list[tuple[str, str, str | None]]]:
    with session_factory() as s:
        order = s.scalars(select(WorkOrder).where(WorkOrder.ticket_no == ticket)).one()
        callback = s.scalars(select(Callback).where(Callback.work_order_id == order.id)
                             .order_by(Callback.id.desc())).first()
        attempts = s.execute(select(CallbackAttempt.channel, CallbackAttempt.verdict, CallbackAttempt.comment)
                             .where(CallbackAttempt.callback_id == callback.id)).all()
        return order.state, callback.status, [tuple(a) for a in attempts]


def rate_link(session_factory, ticket: str) -> str:
    """The token of the link in the 办结 SMS."""
    with session_factory() as s:
        body = s.scalars(select(OutboxMessage.body).join(WorkOrder, WorkOrder.id == OutboxMessage.work_order_id)
                         .where(WorkOrder.ticket_no == ticket, OutboxMessage.notice == "completed")).one()
    return re.search(r"/m/r/([A-Za-z0-9_-]+)", body).group(1)


def test_a_reply_of_1_closes_the_callback_as_satisfied_by_sms(api, people, queue, session_factory, ctx):
    ticket = completed(api, people, queue)
    assert api.get("/api/v1/callbacks/due", headers=people["callback"].headers).json() == []
    r = reply(api, "1")
    assert r.status_code == 200 and r.json() == {"ok": True}
    assert state(session_factory, ticket) == ("closed", "done", [("sms", "satisfied", None)])
    rates = api.get("/api/v1/stats/rates?from=2026-11-23&to=2026-11-23", headers=people["supervisor"].headers).json()
    assert rates["counts"]["callbacks_reached"] == 1 and rates["counts"]["reached_sms"] == 1
    assert rates["rates"]["satisfaction_rate_sms"] == 1.0 and rates["rates"]["message_share"] == 1.0
    assert rates["counts"]["reached_staff"] == 0


def test_a_reply_of_3_with_words_sends_the_order_back_and_the_second_raises_a_supervision(api, people, queue,
                                                                                          session_factory):
    ticket = completed(api, people, queue)
    assert reply(api, "３ 水压还是很低").status_code == 200  # full-width digits as phones type them
    order_state, callback_status, attempts = state(session_factory, ticket)
    assert (order_state, callback_status, attempts) == ("dispatched", "done", [("sms", "unsatisfied", "水压还是很低")])
    step(api, people["water"], ticket, "sign")
    step(api, people["water"], ticket, "reply", {"text": "已更换加压泵"})
    api.post(f"/api/v1/work-orders/{ticket}/complete", data={"result": "水压恢复"}, headers=people["water"].headers)
    queue.drain()
    assert reply(api, "3", reply_id="r2").status_code == 200
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrderEvent).where(WorkOrderEvent.action == "redo")) == 2
    supervisions = api.get("/api/v1/supervisions", headers=people["supervisor"].headers).json()
    assert [(x["ticket_no"], x["kind"]) for x in supervisions] == [(ticket, "redo")]


def test_a_reply_with_a_bad_signature_changes_nothing(api, people, queue, session_factory):
    ticket = completed(api, people, queue)
    for token in ("forged", ""):
        r = reply(api, "1", token=token)
        assert r.status_code == 403 and r.json()["error_id"] == "callback_rejected"
    assert state(session_factory, ticket) == ("callback_pending", "pending", [])
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_a_reply_for_an_order_already_rated_changes_nothing(api, people, queue, session_factory):
    ticket = completed(api, people, queue)
    reply(api, "1")
    assert reply(api, "3 其实没修好", reply_id="r2").status_code == 200
    assert reply(api, "1").status_code == 200  # the same reply pushed again
    assert state(session_factory, ticket) == ("closed", "done", [("sms", "satisfied", None)])
    notices = api.get(f"/api/v1/notices/orders/{ticket}", headers=people["admin"].headers).json()
    assert [(x["text"], x["outcome"]) for x in notices["replies"]] == [("1", "rated"), ("3 其实没修好", "not_awaited")]


def test_td_stops_further_notices_and_other_words_change_nothing(api, people, queue, session_factory):
    ticket = completed(api, people, queue)
    assert reply(api, "谢谢", reply_id="a").status_code == 200
    assert state(session_factory, ticket)[1] == "pending"
    reply(api, "TD", reply_id="b")
    later = new_order(api, people["operator"])
    step(api, people["operator"], later, "accept")
    notices = api.get(f"/api/v1/notices/orders/{later}", headers=people["admin"].headers).json()
    assert notices["citizen_opted_out"] is True
    # No notice to the citizen (the staff hear of the repeated request: it opens a 重复诉求 督办).
    assert [n["audience"] for n in notices["notices"] if n["audience"] == "citizen"] == []


def test_no_rating_within_the_window_puts_the_order_in_the_callback_queue(api, people, queue, ctx):
    ticket = completed(api, people, queue)
    ctx.clock.advance(hours=24)
    from hotline.core import security

    token, _ = security.issue(ctx.secret, people["callback"].user_id, "access", ctx.clock.now())
    due = api.get("/api/v1/callbacks/due", headers={"Authorization": f"Bearer {token}"}).json()
    assert [c["ticket_no"] for c in due] == [ticket]


def test_the_rating_link_reads_the_case_and_rates_once_keeping_process_apart(api, people, queue, session_factory,
                                                                             ctx):
    ticket = completed(api, people, queue)
    link = rate_link(session_factory, ticket)
    case = api.get(f"/api/v1/ratings/{link}").json()
    assert (case["ticket_no"], case["can_rate"], case["department"]) == (ticket, True, "聊城市水务集团有限公司")
    r = api.post(f"/api/v1/ratings/{link}", json={"verdict": "satisfied", "process": "basically_satisfied",
                                                   "comment": "修得快"})
    assert r.status_code == 200 and r.json()["outcome"] == "satisfied"
    again = api.post(f"/api/v1/ratings/{link}", json={"verdict": "unsatisfied", "comment": "改主意了"})
    assert again.status_code == 409 and again.json()["error_id"] == "already_rated"
    assert reply(api, "3").status_code == 200  # nor can an SMS reply change it afterwards
    with session_factory() as s:
        [attempt] = s.scalars(select(CallbackAttempt)).all()
        assert (attempt.channel, attempt.mode, attempt.verdict, attempt.process_verdict, attempt.comment) == (
            "link", "message", "satisfied", "basically_satisfied", "修得快")
    assert api.get(f"/api/v1/ratings/{link}").json()["can_rate"] is False


def test_a_forged_or_expired_link_is_refused(api, people, queue, session_factory, ctx):
    ticket = completed(api, people, queue)
    link = rate_link(session_factory, ticket)
    forged = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    assert api.post(f"/api/v1/ratings/{forged}", json={"verdict": "satisfied"}).status_code == 404
    ctx.clock.advance(days=8)
    r = api.post(f"/api/v1/ratings/{link}", json={"verdict": "satisfied"})
    assert r.status_code == 410 and r.json()["error_id"] == "rating_link_expired"


def test_the_mobile_page_shows_the_case_and_takes_the_rating(api, people, queue, session_factory, ctx):
    ticket = completed(api, people, queue)
    link = rate_link(session_factory, ticket)
    page = api.get(f"/m/r/{link}")
    assert page.status_code == 200 and "管道已修复" in page.text and 'name="verdict"' in page.text
    missing = api.post(f"/m/r/{link}", data={"comment": "没选"})
    assert missing.status_code == 422 and "请先选择是否满意" in missing.text
    done = api.post(f"/m/r/{link}", data={"verdict": "unsatisfied", "comment": "晚上还是没水"})
    assert done.status_code == 200 and "重新办理" in done.text
    assert state(session_factory, ticket)[0] == "dispatched"
    assert "已经评价过了" in api.get(f"/m/r/{link}").text


def test_an_sms_that_cannot_be_delivered_sends_the_callback_to_staff_at_once(api, people, queue, session_factory, ctx):
    from hotline.notifications.providers.base import SendResult

    ctx.providers["sms"].script(*[SendResult.sent("ok")] * 2, SendResult.give_up("number on the do-not-disturb list"))
    ticket = completed(api, people, queue)  # 受理 and 转办 go, 办结 cannot
    queue.drain()
    due = api.get("/api/v1/callbacks/due", headers=people["callback"].headers).json()
    assert [c["ticket_no"] for c in due] == [ticket]
    events = api.get(f"/api/v1/work-orders/{ticket}/events", headers=people["admin"].headers).json()
    assert events[-1]["action"] == "notice_failed" and events[-1]["note"] == "办结通知短信未送达，转人工回访"


def test_receipts_are_recorded_per_message_and_an_undelivered_notice_goes_to_a_phone_call(
        api, people, queue, session_factory):
    ticket = completed(api, people, queue)
    with session_factory() as s:
        keys = dict(s.execute(select(OutboxMessage.notice, OutboxMessage.dedupe_key)
                              .where(OutboxMessage.audience == "citizen")).all())
    receipts = [{"dedup_key": keys["accepted"], "delivered": True, "status": "DELIVERED", "recipient": PHONE,
                 "reported_at": "2026-11-23 09:00:05"},
                {"dedup_key": keys["completed"], "delivered": False, "status": "MK:0001", "recipient": PHONE},
                {"dedup_key": "not-ours", "delivered": True, "status": "DELIVERED"}]
    assert api.post("/api/v1/notices/receipts/sms?token=wrong", content=json.dumps(receipts)).status_code == 403
    r = api.post(f"/api/v1/notices/receipts/sms?token={TOKEN}", content=json.dumps(receipts))
    assert r.status_code == 200
    queue.drain()
    history = api.get(f"/api/v1/notices/orders/{ticket}", headers=people["water"].headers).json()
    citizen = {n["notice"]: n for n in history["notices"] if n["audience"] == "citizen"}
    assert citizen["accepted"]["delivery"] == "delivered"
    assert citizen["accepted"]["receipts"][0]["status"] == "DELIVERED"
    assert citizen["completed"]["delivery"] == "undelivered"
    assert citizen["accepted"]["recipient"] == "138****8000"
    assert "提取码******" in citizen["accepted"]["body"]  # the code is never listed
    assert [c["ticket_no"] for c in api.get("/api/v1/callbacks/due", headers=people["callback"].headers).json()] \
        == [ticket]
