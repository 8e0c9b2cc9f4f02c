"""Citizen notices: 受理 with ticket and extraction code (sealed in the outbox, sent on acceptance), 转办, 延期,
办结, 重办 — one per order and event, none to a citizen who opted out, SMS held through the quiet hours except
for emergencies, and only the citizen's own case in them."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.enums import State, Tier, Verdict
from hotline.core.jobs import Runtime
from hotline.dispatch import tickets
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.extensions import ExtensionService
from hotline.dispatch.service import WorkOrderService
from hotline.models import OutboxMessage, WorkOrder
from hotline.notifications.citizen import CitizenNotices
from hotline.notifications.repository import CitizenContactRepository
from hotline.notifications.tasks import deliver, recover
from tests.conftest import CST
from tests.factories import ADMIN, CALLBACK, HOUSING, OPERATOR, WATER, draft, order_in, staff_of

PHONE = "13800138000"


def citizen_rows(session, order_id: int | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.audience == "citizen").order_by(OutboxMessage.id)
    if order_id is not None:
        stmt = stmt.where(OutboxMessage.work_order_id == order_id)
    return list(session.scalars(stmt))


def sms_sent(ctx) -> list[dict]:
    path = ctx.settings.var_dir / "notifications.log"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [line for line in map(json.loads, lines) if line["channel"] == "sms"]


def deliver_all(session_factory, ctx) -> list[str]:
    runtime = Runtime(ctx, session_factory)
    with session_factory() as s:
        ids = s.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).all()
    return [deliver(runtime, message_id) for message_id in ids]


def test_the_acceptance_notice_carries_the_code_sealed_and_goes_only_once_accepted(session_factory, ctx):
    with session_scope(session_factory) as s:
        created = WorkOrderService(s, ctx).create(draft(), OPERATOR)
        order_id, ticket, code = created.order_id, created.ticket_no, created.extraction_code
    with session_factory() as s:
        [held] = citizen_rows(s)
        stored = held.body + json.dumps(held.payload, ensure_ascii=False)
        assert held.status == "held" and held.recipient == PHONE and code not in stored and "⟦code⟧" in held.body
    assert deliver_all(session_factory, ctx) == ["skipped"]  # held: nothing leaves before 受理
    with session_scope(session_factory) as s:
        WorkOrderService(s, ctx).accept(order_id, OPERATOR)
    assert deliver_all(session_factory, ctx) == ["sent"]
    [sms] = sms_sent(ctx)
    assert sms["recipient"] == PHONE and ticket in sms["body"] and f"提取码{code}" in sms["body"]
    assert "https://12345.liaocheng.gov.cn/status" in sms["body"] and "按2键" in sms["body"]
    with session_factory() as s:  # the code in the SMS is the one the status look-up accepts
        stored_hash = s.get(WorkOrder, order_id).extraction_code_hash
        assert tickets.check_extraction_code(ctx.secret, ticket, code, stored_hash)


def test_an_order_closed_without_acceptance_never_sends_its_notice(session_factory, ctx, clock):
    with session_scope(session_factory) as s:
        order = order_in(State.RECEIVED, s, ctx)
        WorkOrderService(s, ctx).mark_invalid(order.id, OPERATOR, "骚扰电话")
    clock.advance(minutes=5)
    assert recover(Runtime(ctx, session_factory)) == 0
    with session_factory() as s:
        assert [r.status for r in citizen_rows(s)] == ["cancelled"]


def test_a_code_issued_again_before_acceptance_is_the_one_sent(session_factory, ctx):
    with session_scope(session_factory) as s:
        order = order_in(State.RECEIVED, s, ctx)
        CitizenNotices(s, ctx).code_reissued(order.id, "654321")
        WorkOrderService(s, ctx).accept(order.id, OPERATOR)
    deliver_all(session_factory, ctx)
    assert "提取码654321" in sms_sent(ctx)[0]["body"]


def test_sms_waits_out_the_quiet_hours_but_an_emergency_goes_at_once(session_factory, ctx, clock):
    clock.set(dt.datetime(2026, 11, 23, 22, 30, tzinfo=CST))
    with session_scope(session_factory) as s:
        general = order_in(State.ACCEPTED, s, ctx).id
        service = WorkOrderService(s, ctx)
        emergency = service.create(draft(category_code=None, tier=Tier.EMERGENCY, citizen_phone="13900139000"),
                                   OPERATOR).order_id
        service.accept(emergency, OPERATOR)
    with session_factory() as s:
        waiting = {r.work_order_id: r.not_before for r in citizen_rows(s)}
    assert waiting == {general: dt.datetime(2026, 11, 24, 8, 0, tzinfo=CST), emergency: None}
    deliver_all(session_factory, ctx)
    assert [line["recipient"] for line in sms_sent(ctx)] == ["13900139000"]
    clock.set(dt.datetime(2026, 11, 24, 8, 0, tzinfo=CST))
    assert recover(Runtime(ctx, session_factory)) == 1  # delayed, not dropped
    deliver_all(session_factory, ctx)
    assert [line["recipient"] for line in sms_sent(ctx)] == ["13900139000", PHONE]


def test_a_citizen_who_opted_out_gets_nothing_and_waiting_notices_are_cancelled(session_factory, ctx):
    with session_scope(session_factory) as s:
        order = order_in(State.RECEIVED, s, ctx)
        citizen = CitizenContactRepository(s).get(order.citizen_id)
        assert CitizenNotices(s, ctx).opt_out(citizen) == 1
        WorkOrderService(s, ctx).accept(order.id, OPERATOR)
        WorkOrderService(s, ctx).dispatch(order.id, OPERATOR, WATER)
        later = WorkOrderService(s, ctx).create(draft(), OPERATOR)
    with session_factory() as s:
        assert [r.status for r in citizen_rows(s)] == ["cancelled"]
        assert citizen_rows(s, later.order_id) == []
    deliver_all(session_factory, ctx)
    assert sms_sent(ctx) == []


def test_each_event_is_told_once_and_a_new_occurrence_is_told_again(session, ctx):
    order = order_in(State.DISPATCHED, session, ctx)
    service, notices = WorkOrderService(session, ctx), CitizenNotices(session, ctx)
    due = dt.datetime(2026, 11, 30, 9, 0, tzinfo=CST)
    notices.dispatched(order, "聊城市水务集团有限公司", [], due)  # the same event posted again: nothing new
    DepartmentService(session, ctx).return_order(order.id, staff_of(session, WATER), "不属于本单位职责")
    service.dispatch(order.id, OPERATOR, HOUSING, reason="二次供水设施归住建局督促")
    session.flush()
    rows = citizen_rows(session, order.id)
    assert [r.notice for r in rows] == ["accepted", "dispatched", "dispatched"]
    assert "已转聊城市水务集团有限公司办理" in rows[1].body and "已转聊城市住房和城乡建设局办理" in rows[2].body
    assert "办结时限" in rows[1].body


def test_an_approved_extension_tells_the_new_date_and_a_refused_one_nothing(session, ctx):
    order = order_in(State.SIGNED, session, ctx)
    extensions = ExtensionService(session, ctx)
    refused = extensions.request(order.id, staff_of(session, WATER), 3, "需要更换主管道")
    extensions.decide(refused.id, ADMIN, approve=False)
    approved = extensions.request(order.id, staff_of(session, WATER), 2, "需要更换主管道")
    extensions.decide(approved.id, ADMIN, approve=True)
    session.flush()
    [extended] = [r for r in citizen_rows(session, order.id) if r.notice == "extended"]
    assert "延期2天" in extended.body and "办结时限延至" in extended.body


def test_completion_tells_the_result_without_anyone_elses_numbers_and_how_to_rate(session, ctx):
    order = order_in(State.REPLIED, session, ctx)
    DepartmentService(session, ctx).complete(order.id, staff_of(session, WATER),
                                             "已联系物业王经理13912345678，座机6358123，管道已修复。")
    callback = CallbackService(session, ctx).start(order.id)
    [done] = [r for r in citizen_rows(session, order.id) if r.notice == "completed"]
    assert "13912345678" not in done.body and "139****5678" in done.body and "6358123" not in done.body
    assert "聊城市水务集团有限公司" in done.body and "回复1满意" in done.body
    assert "https://12345.liaocheng.gov.cn/m/r/" in done.body
    assert callback.by_message_until == ctx.clock.now() + dt.timedelta(hours=24)
    assert CallbackService(session, ctx).due() == []  # staff call only if no rating comes


def test_notices_only_ever_go_to_the_citizen_of_the_order(session, ctx):
    mine = order_in(State.CALLBACK_PENDING, session, ctx, citizen_phone="13800000001")
    theirs = order_in(State.CALLBACK_PENDING, session, ctx, citizen_phone="13800000002")
    for order, phone in ((mine, "13800000001"), (theirs, "13800000002")):
        rows = citizen_rows(session, order.id)
        assert len(rows) == 3 and {r.recipient for r in rows} == {phone}
        assert all(order.ticket_no in r.body for r in rows)
        other = theirs if order is mine else mine
        assert not any(other.ticket_no in r.body for r in rows)


def test_a_redo_tells_the_citizen_the_order_went_back(session, ctx):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    CallbackService(session, ctx).record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="还是没水")
    [redone] = [r for r in citizen_rows(session, order.id) if r.notice == "redone"]
    assert "已退回聊城市水务集团有限公司重新办理" in redone.body


def test_a_loaded_notice_reads_pending_once_acceptance_releases_it_in_the_same_session(session_factory, ctx):
    with session_scope(session_factory) as s:
        created = WorkOrderService(s, ctx).create(draft(), OPERATOR)
        [held] = citizen_rows(s, created.order_id)
        assert held.status == "held"
        WorkOrderService(s, ctx).accept(created.order_id, OPERATOR)
        assert held.status == "pending"  # the session's copy is not left saying held
