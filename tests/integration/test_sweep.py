"""The SLA sweep: yellow and 催办 once, red and 督办 once, in batches, only for what is due."""

from __future__ import annotations

from sqlalchemy import func, select

from hotline.core.db import session_scope
from hotline.core.enums import State
from hotline.core.jobs import Runtime
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.sweep import SlaSweep
from hotline.dispatch.tasks import sweep
from hotline.models import Deadline, OutboxMessage, Reminder, Supervision
from tests.factories import WATER, order_in, staff_of


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def lights(session, order_id):
    return {d.kind: d.light for d in session.scalars(select(Deadline).where(Deadline.work_order_id == order_id))}


def test_nearing_deadline_turns_yellow_and_reminds_the_department_once(session, ctx, clock):
    order = order_in(State.SIGNED, session, ctx)  # livelihood: reply due in 24 h, warned at 80 %
    clock.advance(hours=19, minutes=13)
    result = SlaSweep(session, ctx).run_batch(clock.now())
    assert (result.warned, result.overdue) == (1, 0)
    assert lights(session, order.id) == {"sign": "green", "reply": "yellow", "complete": "green"}  # signed in time
    [message] = session.scalars(select(OutboxMessage)).all()[-1:]
    assert message.recipient == "water" and "催办" in message.body and order.ticket_no in message.body
    again = SlaSweep(session, ctx).run_batch(clock.now())
    assert (again.warned, again.overdue) == (0, 0)
    assert count(session, Reminder) == 1


def test_missed_deadline_turns_red_and_raises_one_supervision(session, ctx, clock):
    order = order_in(State.SIGNED, session, ctx)
    clock.advance(hours=25)
    result = SlaSweep(session, ctx).run_batch(clock.now())
    # Straight to red: the warning is skipped, not sent late.
    assert (result.warned, result.overdue) == (0, 1)
    assert lights(session, order.id) == {"sign": "green", "reply": "red", "complete": "green"}
    assert count(session, Supervision, Supervision.kind == "overdue") == 1
    keys = {m.dedupe_key: m.recipient for m in session.scalars(select(OutboxMessage))}
    deadline_id = session.scalar(select(Deadline.id).where(Deadline.kind == "reply"))
    assert keys[f"overdue:{deadline_id}:wecom"] == "water"  # each reads the channel notices.yaml gives it
    assert keys[f"supervise:{deadline_id}:dingtalk"] == "supervisors"
    assert SlaSweep(session, ctx).run_batch(clock.now()).overdue == 0
    assert count(session, Supervision) == 1


def test_met_deadlines_are_left_alone(session, ctx, clock):
    order = order_in(State.SIGNED, session, ctx)
    DepartmentService(session, ctx).reply(order.id, staff_of(session, WATER), "已安排")
    clock.advance(hours=30)
    result = SlaSweep(session, ctx).run_batch(clock.now())
    assert result.overdue == 0 and lights(session, order.id)["reply"] == "green"


def test_sweep_job_works_through_every_batch(session_factory, ctx, clock):
    with session_scope(session_factory) as s:
        ids = [order_in(State.SIGNED, s, ctx).id for _ in range(7)]
    clock.advance(days=10)  # every reply and completion deadline has passed
    assert sweep(Runtime(ctx, session_factory), 3) == {"warned": 0, "overdue": 14}
    assert sweep(Runtime(ctx, session_factory), 3) == {"warned": 0, "overdue": 0}
    with session_factory() as s:
        assert {d.light for d in s.scalars(select(Deadline).where(Deadline.work_order_id.in_(ids),
                                                                  Deadline.status == "open"))} == {"red"}
        assert count(s, Supervision) == 14


def test_an_unsigned_order_turns_red_on_its_sign_deadline_and_names_the_department_in_its_supervision(session, ctx,
                                                                                                     clock):
    order = order_in(State.DISPATCHED, session, ctx)  # livelihood: sign and reply within 24 hours of dispatch
    clock.advance(hours=19, minutes=13)
    assert SlaSweep(session, ctx).run_batch(clock.now()).warned == 2
    assert lights(session, order.id) == {"sign": "yellow", "reply": "yellow", "complete": "green"}
    assert any("签收时限" in m.body for m in session.scalars(select(OutboxMessage)))
    clock.advance(hours=5)
    assert SlaSweep(session, ctx).run_batch(clock.now()).overdue == 2
    assert lights(session, order.id) == {"sign": "red", "reply": "red", "complete": "green"}
    water = staff_of(session, WATER).department_id
    raised = session.execute(select(Deadline.kind, Supervision.department_id)
                             .join(Deadline, Deadline.id == Supervision.deadline_id)).all()
    assert sorted(raised) == [("reply", water), ("sign", water)]


def test_signing_meets_only_the_signing_departments_clock(session, ctx, clock):
    from hotline.dispatch.service import WorkOrderService
    from tests.factories import HOUSING, OPERATOR
    order = order_in(State.ACCEPTED, session, ctx)
    WorkOrderService(session, ctx).dispatch(order.id, OPERATOR, WATER, (HOUSING,), "需住建局协办")
    clock.advance(minutes=10)
    DepartmentService(session, ctx).sign(order.id, staff_of(session, WATER))
    signs = {d.department_id: (d.status, d.met_at) for d in session.scalars(
        select(Deadline).where(Deadline.work_order_id == order.id, Deadline.kind == "sign"))}
    assert signs == {staff_of(session, WATER).department_id: ("met", clock.now()),
                     staff_of(session, HOUSING).department_id: ("open", None)}
