"""The work-order lifecycle through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError

from hotline.callbacks.service import CallbackService
from hotline.core.actor import SYSTEM
from hotline.core.db import session_scope
from hotline.core.enums import Channel, DeadlineKind, Role, State, Tier, Verdict
from hotline.core.errors import (
    ConflictError,
    HotlineError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from hotline.dispatch import tickets
from hotline.dispatch.deadline_repository import DeadlineRepository
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.lifecycle import RULES, Action
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.service import WorkOrderService
from hotline.models import Deadline, WorkOrder, WorkOrderEvent
from tests.factories import CALLBACK, HOUSING, OPERATOR, STREET, WATER, draft, order_in, staff_of

CST = dt.timezone(dt.timedelta(hours=8))


def events_of(session, order):
    return [(e.action, e.from_state, e.to_state) for e in WorkOrderRepository(session).events(order.id)]


def test_citizen_call_goes_from_received_to_closed_with_every_step_audited(session, ctx, clock):
    service, callbacks = WorkOrderService(session, ctx), CallbackService(session, ctx)
    dept = DepartmentService(session, ctx)
    created = service.create(draft(), OPERATOR)
    order = created.order
    assert order.ticket_no == "20261123-0001" and order.state == State.RECEIVED
    assert tickets.check_extraction_code(ctx.secret, order.ticket_no, created.extraction_code,
                                         order.extraction_code_hash)
    water = staff_of(session, WATER)
    service.accept(order.id, OPERATOR, tier=Tier.LIVELIHOOD)
    clock.advance(minutes=5)
    service.dispatch(order.id, OPERATOR, WATER)
    clock.advance(hours=1)
    dept.sign(order.id, water)
    dept.reply(order.id, water, "已安排抢修。")
    clock.advance(hours=3)
    dept.complete(order.id, water, "管道已修复。")
    callbacks.start(order.id, SYSTEM)
    callbacks.record(order.id, CALLBACK, 1, Verdict.SATISFIED)
    session.flush()
    assert order.state == State.CLOSED and order.close_reason == "satisfied"
    assert events_of(session, order) == [
        ("create", None, "received"), ("accept", "received", "accepted"),
        ("dispatch", "accepted", "dispatched"), ("sign", "dispatched", "signed"),
        ("reply", "signed", "replied"), ("complete", "replied", "completed"),
        ("start_callback", "completed", "callback_pending"), ("close_satisfied", "callback_pending", "closed"),
    ]
    events = WorkOrderRepository(session).events(order.id)
    assert events[3].actor_role == "department_staff" and events[3].actor_department_id == water.department_id
    assert events[3].occurred_at == dt.datetime(2026, 11, 23, 10, 5, tzinfo=CST)
    assert order.completed_at == dt.datetime(2026, 11, 23, 13, 5, tzinfo=CST)


def test_dispatch_sets_tier_deadlines_and_meeting_them_is_recorded(session, ctx, clock):
    order = order_in(State.DISPATCHED, session, ctx)  # livelihood: reply in 24 h, complete in 3 working days
    deadlines = {d.kind: d for d in DeadlineRepository(session).for_order(order.id)}
    assert deadlines["reply"].due_at == dt.datetime(2026, 11, 24, 9, 0, tzinfo=CST)
    assert deadlines["complete"].due_at == dt.datetime(2026, 11, 27, 0, 0, tzinfo=CST)
    assert deadlines["reply"].warn_at == dt.datetime(2026, 11, 24, 4, 12, tzinfo=CST)
    water = staff_of(session, WATER)
    dept = DepartmentService(session, ctx)
    dept.sign(order.id, water)
    clock.advance(hours=2)
    dept.reply(order.id, water, "已安排。")
    session.flush()
    session.refresh(deadlines["reply"])
    assert deadlines["reply"].status == "met" and deadlines["reply"].met_at == clock.now()
    assert deadlines["complete"].status == "open"


def test_online_submission_must_be_accepted_within_thirty_minutes(session, ctx):
    service = WorkOrderService(session, ctx)
    order = service.create(draft(channel=Channel.WECHAT, source_id="wx-1"), SYSTEM).order
    session.flush()
    [accept] = DeadlineRepository(session).for_order(order.id)
    assert accept.kind == DeadlineKind.ACCEPT and accept.due_at == dt.datetime(2026, 11, 23, 9, 30, tzinfo=CST)
    service.accept(order.id, OPERATOR)
    session.flush()
    session.refresh(accept)
    assert accept.status == "met"


# Every legal step from each state is exercised by order_in; here every illegal one is refused
# through the service and leaves the order, its events and its deadlines exactly as they were.
SERVICE_CALLS = {
    Action.ACCEPT: lambda s, c, o, w: s.accept(o, OPERATOR),
    Action.ANSWER_DIRECTLY: lambda s, c, o, w: s.answer_directly(o, OPERATOR, "已答复"),
    Action.DISPATCH: lambda s, c, o, w: s.dispatch(o, OPERATOR, WATER),
    Action.SIGN: lambda s, c, o, w: DepartmentService(s.session, s.ctx).sign(o, w),
    Action.REPLY: lambda s, c, o, w: DepartmentService(s.session, s.ctx).reply(o, w, "答复"),
    Action.COMPLETE: lambda s, c, o, w: DepartmentService(s.session, s.ctx).complete(o, w, "办结"),
    Action.RETURN: lambda s, c, o, w: DepartmentService(s.session, s.ctx).return_order(o, w, "非本单位职责"),
    Action.START_CALLBACK: lambda s, c, o, w: c.start(o, SYSTEM),
    Action.CLOSE_SATISFIED: lambda s, c, o, w: c.record(o, CALLBACK, 1, Verdict.SATISFIED),
    Action.CLOSE_UNREACHABLE: lambda s, c, o, w: c.record(o, CALLBACK, 1, Verdict.UNREACHABLE),
    Action.REDO: lambda s, c, o, w: c.record(o, CALLBACK, 1, Verdict.UNSATISFIED, comment="还是没水"),
    Action.MARK_INVALID: lambda s, c, o, w: s.mark_invalid(o, OPERATOR, "骚扰电话"),
    Action.MERGE_DUPLICATE: lambda s, c, o, w: s.merge_duplicate(o, OPERATOR, "20261123-0999"),
}


def snapshot(factory, order_id):
    with factory() as s:
        order = s.get(WorkOrder, order_id)
        events = s.scalar(select(func.count()).select_from(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id))
        deadlines = sorted((d.kind, d.status, d.due_at) for d in DeadlineRepository(s).for_order(order_id))
        return order.state, order.version, events, deadlines, len(order.assignments)


@pytest.mark.parametrize("state", list(State))
def test_every_illegal_step_is_refused_and_changes_nothing(state, session_factory, ctx):
    with session_scope(session_factory) as s:
        order_id = order_in(state, s, ctx).id
    before = snapshot(session_factory, order_id)
    refused = 0
    for action, call in SERVICE_CALLS.items():
        if state in RULES[action].sources:
            continue
        with pytest.raises(HotlineError), session_scope(session_factory) as s:
            call(WorkOrderService(s, ctx), CallbackService(s, ctx), order_id, staff_of(s, WATER))
        refused += 1
        assert snapshot(session_factory, order_id) == before, action
    assert refused >= 9


def test_department_that_does_not_hold_the_order_cannot_touch_it(session, ctx):
    order = order_in(State.DISPATCHED, session, ctx)
    with pytest.raises(NotFoundError, match="in your scope"):  # it cannot even learn the order exists
        DepartmentService(session, ctx).sign(order.id, staff_of(session, HOUSING))


def test_operator_cannot_do_department_work(session, ctx):
    order = order_in(State.DISPATCHED, session, ctx)
    with pytest.raises(PermissionDeniedError):
        DepartmentService(session, ctx).sign(order.id, OPERATOR)


def test_dispatch_to_unknown_or_retired_department_is_refused(session, ctx):
    order = order_in(State.ACCEPTED, session, ctx)
    service = WorkOrderService(session, ctx)
    with pytest.raises(InvalidInputError, match="no department with code 999"):
        service.dispatch(order.id, OPERATOR, "999", reason="试试")
    session.execute(text("UPDATE departments SET active = false WHERE code = :c"), {"c": HOUSING})
    with pytest.raises(InvalidInputError, match="is retired"):
        service.dispatch(order.id, OPERATOR, HOUSING, reason="物业问题")
    with pytest.raises(InvalidInputError, match="only once"):
        service.dispatch(order.id, OPERATOR, WATER, (WATER,))
    assert order.state == State.ACCEPTED


def test_lead_completes_only_after_every_co_handler(session, ctx):
    service, dept = WorkOrderService(session, ctx), DepartmentService(session, ctx)
    order = order_in(State.ACCEPTED, session, ctx)
    service.dispatch(order.id, OPERATOR, WATER, (STREET,))
    water, street = staff_of(session, WATER), staff_of(session, STREET)
    dept.sign(order.id, water)
    dept.sign(order.id, street)
    dept.reply(order.id, water, "已安排")
    with pytest.raises(ConflictError, match="古楼街道"):
        dept.complete(order.id, water, "修好了")
    dept.reply(order.id, street, "已协调物业")
    dept.complete(order.id, street, "街道已配合")
    assert order.state == State.REPLIED  # a co-handler's steps do not move the order
    dept.complete(order.id, water, "修好了")
    assert order.state == State.COMPLETED
    assert {a.status for a in order.assignments} == {"completed"}


def test_return_within_window_goes_back_for_redispatch(session, ctx, clock):
    order = order_in(State.SIGNED, session, ctx)
    service, dept = WorkOrderService(session, ctx), DepartmentService(session, ctx)
    clock.advance(days=1)
    dept.return_order(order.id, staff_of(session, WATER), "属于物业管理范畴")
    assert order.state == State.RETURNED and order.return_count == 1
    assert [a.active for a in order.assignments] == [False]
    assert not DeadlineRepository(session).open_for(order.id, ["reply", "complete"])
    service.dispatch(order.id, OPERATOR, HOUSING, reason="物业问题改派住建局")
    session.flush()
    assert order.state == State.DISPATCHED and order.assignments[-1].department_id == staff_of(session, HOUSING).department_id
    assert len(DeadlineRepository(session).open_for(order.id, ["reply", "complete"])) == 2


def test_return_after_two_working_days_is_refused(session, ctx, clock):
    order = order_in(State.SIGNED, session, ctx)  # dispatched Monday 09:00; window ends Wednesday 24:00
    clock.set(dt.datetime(2026, 11, 26, 0, 1, tzinfo=CST))
    with pytest.raises(ConflictError, match="return window closed"):
        DepartmentService(session, ctx).return_order(order.id, staff_of(session, WATER), "不归我们管")
    assert order.state == State.SIGNED


def test_unsatisfied_callback_reopens_order_to_same_department_with_new_deadlines(session, ctx, clock):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    clock.advance(days=2)
    CallbackService(session, ctx).record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="水还是时有时无")
    session.flush()
    assert order.state == State.DISPATCHED and order.redo_count == 1 and order.completed_at is None
    active = [a for a in order.assignments if a.active]
    assert [a.department_id for a in active] == [staff_of(session, WATER).department_id]
    reply = DeadlineRepository(session).open_for(order.id, ["reply"])[0]
    assert reply.starts_at == clock.now()
    DepartmentService(session, ctx).sign(order.id, staff_of(session, WATER))  # the same department works it again


def test_directly_answered_order_redone_goes_back_to_the_hotline(session, ctx):
    service, callbacks = WorkOrderService(session, ctx), CallbackService(session, ctx)
    order = order_in(State.ACCEPTED, session, ctx, category_code="consult.policy")
    service.answer_directly(order.id, OPERATOR, "可到政务服务中心三楼窗口办理。")
    callbacks.start(order.id, SYSTEM)
    callbacks.record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="窗口说不在那里办")
    assert order.state == State.ACCEPTED and order.redo_count == 1


def test_duplicate_is_merged_into_its_parent_and_invalid_is_closed(session, ctx):
    service = WorkOrderService(session, ctx)
    first = service.create(draft(), OPERATOR).order
    second = service.create(draft(), OPERATOR).order
    with pytest.raises(InvalidInputError):
        service.merge_duplicate(second.id, OPERATOR, second.ticket_no)
    service.merge_duplicate(second.id, OPERATOR, first.ticket_no)
    assert second.state == State.CLOSED and second.parent_id == first.id and second.close_reason == "duplicate"
    third = service.create(draft(title="无效来电", content="无声电话"), OPERATOR).order
    service.mark_invalid(third.id, OPERATOR, "无声电话")
    assert third.close_reason == "invalid"


def test_retried_channel_submission_creates_one_order(session, ctx):
    service = WorkOrderService(session, ctx)
    first = service.create(draft(channel=Channel.PROVINCE, source_id="SD-2026-0042"), SYSTEM)
    again = service.create(draft(channel=Channel.PROVINCE, source_id="SD-2026-0042"), SYSTEM)
    assert again.order.id == first.order.id and again.extraction_code is None
    assert session.scalar(select(func.count()).select_from(WorkOrder)) == 1


def test_unknown_category_and_forbidden_creator_are_refused(session, ctx):
    service = WorkOrderService(session, ctx)
    with pytest.raises(InvalidInputError, match="no category"):
        service.create(draft(category_code="nope"), OPERATOR)
    with pytest.raises(PermissionDeniedError):
        service.create(draft(), staff_of(session, WATER))
    assert session.scalar(select(func.count()).select_from(WorkOrder)) == 0


def test_text_is_required_for_reply_complete_return_and_redo(session, ctx):
    order = order_in(State.SIGNED, session, ctx)
    dept, water = DepartmentService(session, ctx), staff_of(session, WATER)
    for call in (lambda: dept.reply(order.id, water, " "), lambda: dept.complete(order.id, water, ""),
                 lambda: dept.return_order(order.id, water, "")):
        with pytest.raises(InvalidInputError):
            call()
    assert order.state == State.SIGNED


def test_audit_trail_cannot_be_rewritten_or_deleted(session_factory, ctx):
    with session_scope(session_factory) as s:
        order_in(State.ACCEPTED, s, ctx)
    for statement in ("UPDATE work_order_events SET note = 'edited'", "DELETE FROM work_order_events"):
        with pytest.raises(DBAPIError, match="append-only"), session_scope(session_factory) as s:
            s.execute(text(statement))
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrderEvent)) == 2


def test_department_admin_acts_like_department_staff(session, ctx):
    order = order_in(State.DISPATCHED, session, ctx)
    DepartmentService(session, ctx).sign(order.id, staff_of(session, WATER, Role.DEPARTMENT_ADMIN))
    assert order.state == State.SIGNED


def test_deadlines_survive_a_restart_because_they_are_rows(session_factory, ctx):
    with session_scope(session_factory) as s:
        order_id = order_in(State.DISPATCHED, s, ctx).id
    with session_factory() as fresh:
        rows = fresh.scalars(select(Deadline).where(Deadline.work_order_id == order_id)).all()
        assert {(d.kind, d.status) for d in rows} == {("sign", "open"), ("reply", "open"), ("complete", "open")}


@pytest.mark.parametrize(("start", "step"), [(State.RECEIVED, "accept"), (State.ACCEPTED, "dispatch"),
                                             (State.SIGNED, "reply")])
def test_a_step_writes_its_order_once_with_the_state_and_its_stamp_together(start, step, session_factory, ctx):
    with session_scope(session_factory) as s:
        ticket = order_in(start, s, ctx).ticket_no
    updates: list[str] = []
    engine = session_factory.kw["bind"]

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE WORK_ORDERS"):
            updates.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with session_scope(session_factory) as s:
            service, dept = WorkOrderService(s, ctx), DepartmentService(s, ctx)
            {"accept": lambda: service.accept(ticket, OPERATOR),
             "dispatch": lambda: service.dispatch(ticket, OPERATOR, "371500-WATER"),
             "reply": lambda: dept.reply(ticket, staff_of(s, "371500-WATER"), "已修复")}[step]()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    stamp = {"accept": "accepted_at", "dispatch": "dispatched_at", "reply": "replied_at"}[step]
    assert len(updates) == 1 and "state" in updates[0] and stamp in updates[0], updates
    with session_scope(session_factory) as s:
        order = WorkOrderRepository(s).by_ticket(ticket)
        assert getattr(order, stamp) is not None
        assert events_of(s, order)[-1][2] == order.state


def test_a_loaded_clock_reads_its_new_status_once_a_step_closes_it_in_the_same_session(session, ctx):
    order = order_in(State.DISPATCHED, session, ctx)
    [clock_] = [d for d in DeadlineRepository(session).for_order(order.id) if d.kind == DeadlineKind.SIGN]
    assert clock_.status == "open" and clock_.met_at is None
    DepartmentService(session, ctx).sign(order.ticket_no, staff_of(session, "371500-WATER"))
    assert clock_.status == "met" and clock_.met_at is not None  # the session's copy is not left open
