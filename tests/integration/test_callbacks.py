"""The callback queue: scheduling, verdicts, retries on other days, redo and its 督办, the keypad survey."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from hotline.callbacks.service import CallbackService
from hotline.callbacks.tasks import schedule
from hotline.core.actor import SYSTEM, Actor
from hotline.core.db import session_scope
from hotline.core.enums import Role, State, Verdict
from hotline.core.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from hotline.core.jobs import InProcessQueue, Runtime, install_after_commit
from hotline.dispatch.deadline_repository import DeadlineRepository
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.service import WorkOrderService
from hotline.models import Callback, CallbackAttempt, OutboxMessage, Supervision, WorkOrder, WorkOrderEvent
from tests.conftest import CST
from tests.factories import CALLBACK, HOUSING, OPERATOR, WATER, draft, order_in, staff_of

STAFF_A = Actor(Role.CALLBACK_STAFF, user_id=None, name="回访员甲")


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_completion_sends_the_order_into_the_callback_queue_due_next_working_day(session_factory, ctx, clock):
    queue = InProcessQueue()
    install_after_commit(session_factory, queue)
    queue.runtime = Runtime(ctx, session_factory, queue)
    with session_scope(session_factory) as s:
        order_id = order_in(State.REPLIED, s, ctx).id
    clock.set(dt.datetime(2026, 11, 27, 16, 0, tzinfo=CST))  # Friday afternoon
    with session_scope(session_factory) as s:
        DepartmentService(s, ctx).complete(order_id, staff_of(s, WATER), "管道已修复")
    queue.drain()
    with session_factory() as s:
        order = s.get(WorkOrder, order_id)
        callback = s.scalars(select(Callback)).one()
        assert order.state == State.CALLBACK_PENDING
        assert (callback.kind, callback.round, callback.max_attempts) == ("full", 0, 3)
        assert callback.department_id == staff_of(s, WATER).department_id
        # next working day after Friday is Monday; due at its end
        assert callback.due_at == dt.datetime(2026, 12, 1, 0, 0, tzinfo=CST)
    assert schedule(queue.runtime) == 0  # nothing left to schedule; running again changes nothing


def test_satisfied_closes_and_keeps_process_and_result_satisfaction_apart(session, ctx):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    done = CallbackService(session, ctx).record(order.id, CALLBACK, 1, Verdict.SATISFIED,
                                                process=Verdict.UNSATISFIED, comment="问题解决了，但答复晚了两天")
    assert order.state == State.CLOSED and order.close_reason == "satisfied"
    assert (done.attempt.verdict, done.attempt.process_verdict) == ("satisfied", "unsatisfied")
    assert done.callback.status == "done" and done.callback.outcome == "satisfied"


def test_unreachable_is_retried_on_later_working_days_then_closed(session, ctx, clock):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    service = CallbackService(session, ctx)
    first = service.record(order.id, CALLBACK, 1, Verdict.UNREACHABLE)
    assert order.state == State.CALLBACK_PENDING
    assert first.callback.next_attempt_at == dt.datetime(2026, 11, 24, 9, 0, tzinfo=CST)
    with pytest.raises(ConflictError, match="another day"):
        service.record(order.id, CALLBACK, 2, Verdict.UNREACHABLE)  # same day again: refused
    assert service.due() == []
    clock.set(dt.datetime(2026, 11, 24, 9, 30, tzinfo=CST))
    assert [c.work_order_id for c in service.due()] == [order.id]
    service.record(order.id, CALLBACK, 2, Verdict.UNREACHABLE)
    clock.set(dt.datetime(2026, 11, 25, 10, 0, tzinfo=CST))
    last = service.record(order.id, CALLBACK, 3, Verdict.UNREACHABLE, comment="三次无人接听")
    assert order.state == State.CLOSED and order.close_reason == "unreachable"
    assert last.callback.outcome == "unreachable" and last.callback.attempts == 3


def test_retry_skips_weekends_and_holidays(session, ctx, clock):
    clock.set(dt.datetime(2026, 9, 30, 15, 0, tzinfo=CST))  # the day before the National Day holiday
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    done = CallbackService(session, ctx).record(order.id, CALLBACK, 1, Verdict.UNREACHABLE)
    assert done.callback.next_attempt_at.astimezone(CST).date() == dt.date(2026, 10, 8)  # 1–7 October off


def test_unsatisfied_redoes_with_the_same_department_and_the_second_raises_a_supervision(session, ctx, clock):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    service, dept, water = CallbackService(session, ctx), DepartmentService(session, ctx), staff_of(session, WATER)
    first = service.record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="水压还是很低")
    assert order.state == State.DISPATCHED and order.redo_count == 1 and not first.supervised
    assert count(session, Supervision, Supervision.kind == "redo") == 0
    active = [a for a in order.assignments if a.active]
    assert [a.department_id for a in active] == [water.department_id]
    assert {d.kind for d in DeadlineRepository(session).open_for(order.id, ["reply", "complete"])} == {"reply", "complete"}
    redo_event = session.scalars(select(WorkOrderEvent).where(WorkOrderEvent.action == "redo")).one()
    assert redo_event.note == "水压还是很低"
    clock.advance(days=1)
    dept.sign(order.id, water)
    dept.reply(order.id, water, "已更换加压泵")
    dept.complete(order.id, water, "水压恢复正常")
    second_callback = service.start(order.id)
    assert second_callback.round == 1
    again = service.record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="晚上还是没水")
    assert again.supervised and order.redo_count == 2
    supervision = session.scalars(select(Supervision).where(Supervision.kind == "redo")).one()
    assert "晚上还是没水" in supervision.note
    assert count(session, OutboxMessage, OutboxMessage.recipient == "supervisors") == 1


def test_a_redo_goes_back_to_the_lead_and_every_co_handler(session, ctx, clock):
    """重办 of an order handled by a lead and a co-handling department (协办) goes back to both, each with
    its role, fresh and told again; a co-handler is not silently dropped."""
    orders, dept, callbacks = WorkOrderService(session, ctx), DepartmentService(session, ctx), CallbackService(session, ctx)
    water, housing = staff_of(session, WATER), staff_of(session, HOUSING)
    order = orders.create(draft(), OPERATOR).order
    orders.accept(order.id, OPERATOR)
    orders.dispatch(order.id, OPERATOR, WATER, (HOUSING,), reason="涉及小区二次供水设施")
    dept.sign(order.id, water)
    dept.sign(order.id, housing)
    dept.reply(order.id, water, "已安排抢修")
    dept.reply(order.id, housing, "已安排检修泵房")
    dept.complete(order.id, housing, "二次供水泵房已检修")
    dept.complete(order.id, water, "管道已修复")
    callbacks.start(order.id)
    callbacks.record(order.id, CALLBACK, 1, Verdict.UNSATISFIED, comment="还是没水")
    assert order.state == State.DISPATCHED and order.redo_count == 1
    active = {(a.department_id, a.role, a.status) for a in order.assignments if a.active}
    assert active == {(water.department_id, "lead", "dispatched"), (housing.department_id, "co", "dispatched")}
    assert [a.status for a in order.assignments if not a.active] == ["completed", "completed"]
    told = {m.dedupe_key.split(":")[1] for m in session.scalars(select(OutboxMessage))
            if m.dedupe_key.startswith("dispatch:")}
    assert told == {str(a.id) for a in order.assignments}  # the first dispatch and the redo, to each department
    clock.advance(days=1)
    dept.sign(order.id, water)
    dept.sign(order.id, housing)  # the co-handler works the redo as before
    dept.reply(order.id, housing, "再次检修泵房")
    dept.complete(order.id, housing, "泵房更换阀门")
    assert {a.status for a in order.assignments if a.active and a.role == "co"} == {"completed"}


def test_directly_answered_consultation_gets_a_light_callback(session, ctx):
    order = order_in(State.ACCEPTED, session, ctx, category_code="consult.policy")
    WorkOrderService(session, ctx).answer_directly(order.id, OPERATOR, "可到政务服务中心三楼窗口办理。")
    callback = CallbackService(session, ctx).start(order.id)
    assert (callback.kind, callback.max_attempts, callback.department_id) == ("light", 1, None)
    CallbackService(session, ctx).record(order.id, CALLBACK, 1, Verdict.UNREACHABLE)
    assert order.state == State.CLOSED and order.close_reason == "unreachable"  # one try is enough


@pytest.mark.parametrize("bad", [
    dict(attempt_no=1, verdict="happy"),
    dict(attempt_no=1, verdict=Verdict.UNSATISFIED),  # no citizen's words
    dict(attempt_no=1, verdict=Verdict.UNREACHABLE, process=Verdict.SATISFIED),
    dict(attempt_no=1, verdict=Verdict.SATISFIED, process="polite"),
    dict(attempt_no=3, verdict=Verdict.SATISFIED),  # skipping attempts
])
def test_bad_verdicts_are_refused_and_change_nothing(session, ctx, bad):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    service = CallbackService(session, ctx)
    args = dict(bad)
    with pytest.raises((InvalidInputError, ConflictError)):
        service.record(order.id, CALLBACK, args.pop("attempt_no"), args.pop("verdict"), **args)
    assert order.state == State.CALLBACK_PENDING
    assert count(session, CallbackAttempt) == 0


def test_verdict_on_an_order_not_awaiting_callback_and_second_verdict_for_an_attempt(session_factory, ctx):
    with session_scope(session_factory) as s:
        working = order_in(State.SIGNED, s, ctx).id
        pending = order_in(State.CALLBACK_PENDING, s, ctx).id
    with pytest.raises(ConflictError, match="not awaiting a callback"), session_scope(session_factory) as s:
        CallbackService(s, ctx).record(working, CALLBACK, 1, Verdict.SATISFIED)
    with pytest.raises(NotFoundError), session_scope(session_factory) as s:
        CallbackService(s, ctx).record(999_999, CALLBACK, 1, Verdict.SATISFIED)
    with session_scope(session_factory) as s:
        CallbackService(s, ctx).record(pending, CALLBACK, 1, Verdict.UNREACHABLE)
    with pytest.raises(ConflictError, match="already recorded"), session_scope(session_factory) as s:
        CallbackService(s, ctx).record(pending, CALLBACK, 1, Verdict.SATISFIED)
    with pytest.raises(PermissionDeniedError), session_scope(session_factory) as s:
        CallbackService(s, ctx).record(pending, OPERATOR, 2, Verdict.SATISFIED)
    with session_factory() as s:
        assert s.get(WorkOrder, working).state == State.SIGNED
        assert s.get(WorkOrder, pending).state == State.CALLBACK_PENDING
        assert [a.verdict for a in s.scalars(select(CallbackAttempt))] == ["unreachable"]


def test_taking_the_next_callback_hides_it_from_colleagues_until_the_claim_lapses(session, ctx, clock):
    a = order_in(State.CALLBACK_PENDING, session, ctx)
    b = order_in(State.CALLBACK_PENDING, session, ctx)
    clock.advance(hours=ctx.config.notices.satisfaction.reply_window_hours)  # no rating came by message
    service = CallbackService(session, ctx)
    me, colleague = Actor(Role.CALLBACK_STAFF, user_id=None), Actor(Role.CALLBACK_STAFF, user_id=None)
    # user ids matter for claims: give the two members of staff distinct ones
    from hotline.models import User
    for n, actor in enumerate((me, colleague)):
        user = User(username=f"cb{n}", display_name="回访员", role="callback_staff", password_hash="x", active=True,
                    created_at=clock.now())
        session.add(user)
        session.flush()
        object.__setattr__(actor, "user_id", user.id)
    first = service.take_next(me)
    second = service.take_next(colleague)
    assert {first.work_order_id, second.work_order_id} == {a.id, b.id}
    assert service.take_next(Actor(Role.CALLBACK_STAFF, user_id=me.user_id)).id == first.id  # mine stays mine
    assert [c.id for c in service.due(actor=colleague)] == [second.id]
    clock.advance(minutes=ctx.config.callbacks.claim_minutes + 1)
    assert len(service.due(actor=colleague)) == 2


def test_automated_survey_attempt_is_made_once_and_keys_map_to_verdicts(session, ctx, clock):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    clock.advance(hours=ctx.config.notices.satisfaction.reply_window_hours)  # no rating came by message
    service = CallbackService(session, ctx)
    callback = service.current_for(order.id)
    assert service.begin_auto(callback.id) == 1
    assert service.begin_auto(callback.id) is None  # the same attempt is never dialled twice
    with pytest.raises(ConflictError):
        service.record_survey(callback.id, 2, "1")
    done = service.record_survey(callback.id, 1, "2")
    assert done.attempt.verdict == "basically_satisfied" and done.attempt.mode == "auto"
    assert order.state == State.CLOSED
    with pytest.raises(ConflictError):
        service.record_survey(callback.id, 1, "1")  # a second answer for the same attempt


def test_silent_survey_hands_the_callback_to_staff_who_finish_the_same_attempt(session, ctx, clock):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    clock.advance(hours=ctx.config.notices.satisfaction.reply_window_hours)  # no rating came by message
    service = CallbackService(session, ctx)
    callback = service.current_for(order.id)
    attempt = service.begin_auto(callback.id)
    assert service.record_survey(callback.id, attempt, None) is None
    assert order.state == State.CALLBACK_PENDING and [c.id for c in service.due()] == [callback.id]
    service.record(order.id, CALLBACK, attempt, Verdict.SATISFIED)
    assert order.state == State.CLOSED
    assert count(session, CallbackAttempt) == 1


def test_failed_automated_call_counts_as_unreachable(session, ctx, clock):
    order = order_in(State.CALLBACK_PENDING, session, ctx)
    clock.advance(hours=ctx.config.notices.satisfaction.reply_window_hours)  # no rating came by message
    service = CallbackService(session, ctx)
    callback = service.current_for(order.id)
    done = service.auto_unreachable(callback.id, service.begin_auto(callback.id), "无人接听")
    assert done.attempt.verdict == "unreachable" and done.callback.status == "pending"
    assert service.begin_auto(callback.id) is None  # next attempt is on another day


def test_concurrent_schedulers_start_each_order_once(session_factory, ctx):
    with session_scope(session_factory) as s:
        ids = [order_in(State.COMPLETED, s, ctx).id for _ in range(6)]
    runtime = Runtime(ctx, session_factory)
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(3) as pool:
        moved = sum(pool.map(lambda _: schedule(runtime, 2), range(3)))
    assert moved == 6
    with session_factory() as s:
        assert count(s, Callback) == 6
        assert {s.get(WorkOrder, i).state for i in ids} == {State.CALLBACK_PENDING}


def test_system_actor_may_start_but_department_may_not(session, ctx):
    order = order_in(State.COMPLETED, session, ctx)
    with pytest.raises(PermissionDeniedError):
        CallbackService(session, ctx).start(order.id, staff_of(session, WATER))
    assert CallbackService(session, ctx).start(order.id, SYSTEM).status == "pending"
