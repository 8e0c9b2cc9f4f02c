"""The orders behind a number: for each counter of formulas.COUNTERS, the condition on work_orders that admits
the orders it counted in a period (and, for department counters, in a set of departments). A rate's numerator,
denominator and the rest (denominator but not numerator) are these conditions joined with OR / AND NOT.

Orders, not events: an order counted twice (two deadlines, two attempts) is listed once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select, true

from hotline.core.enums import REACHED, AssignmentRole, AttemptChannel, CloseReason, DeadlineStatus, Verdict
from hotline.models import Assignment, Callback, CallbackAttempt, Deadline, WorkOrder, WorkOrderEvent

SATISFIED = (Verdict.SATISFIED.value, Verdict.BASICALLY_SATISFIED.value)
Condition = Callable[["Window"], ColumnElement[bool]]


class Window:
    """A period [lo, hi) and the departments counted (None: every department and the centre)."""

    def __init__(self, lo: dt.datetime, hi: dt.datetime, departments: Sequence[int] | None):
        self.lo, self.hi, self.departments = lo, hi, departments

    def within(self, column) -> ColumnElement[bool]:
        # IS NOT NULL first: an instant not yet set is false, never NULL, so "the rest" (NOT …) admits it.
        return and_(column.is_not(None), column >= self.lo, column < self.hi)

    def ours(self, column) -> ColumnElement[bool]:
        return true() if self.departments is None else column.in_(list(self.departments))

    def centre(self, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        """The hotline centre's own counters: only when the whole centre is asked about."""
        return condition if self.departments is None else false()


def _lead(w: Window, column) -> ColumnElement[bool]:
    return exists(select(Assignment.id).where(Assignment.work_order_id == WorkOrder.id,
                                              Assignment.role == AssignmentRole.LEAD.value, w.within(column),
                                              w.ours(Assignment.department_id)))


def _event(w: Window, action: str, department: bool) -> ColumnElement[bool]:
    found = exists(select(WorkOrderEvent.id).where(
        WorkOrderEvent.work_order_id == WorkOrder.id, WorkOrderEvent.action == action,
        w.within(WorkOrderEvent.occurred_at), w.ours(WorkOrderEvent.actor_department_id) if department else true()))
    return found if department else w.centre(found)


def _deadline(w: Window, kind: str, on_time: bool) -> ColumnElement[bool]:
    met = and_(Deadline.met_at.is_not(None), Deadline.met_at <= Deadline.due_at) if on_time else true()
    return exists(select(Deadline.id).where(
        Deadline.work_order_id == WorkOrder.id, Deadline.kind == kind, Deadline.status != DeadlineStatus.CANCELLED,
        w.within(Deadline.due_at), w.ours(Deadline.department_id), met))


def _attempt(w: Window, column, values, channel: str | None = None) -> ColumnElement[bool]:
    return exists(select(CallbackAttempt.id).join(Callback, Callback.id == CallbackAttempt.callback_id).where(
        Callback.work_order_id == WorkOrder.id, w.within(CallbackAttempt.finished_at),
        column.in_([str(v) for v in values]), w.ours(Callback.department_id),
        CallbackAttempt.channel == channel if channel else true()))


def _counters() -> dict[str, Condition]:
    verdict, process = CallbackAttempt.verdict, CallbackAttempt.process_verdict
    out: dict[str, Condition] = {
        "received": lambda w: w.centre(w.within(WorkOrder.received_at)),
        "accepted": lambda w: w.centre(w.within(WorkOrder.accepted_at)),
        "answered_directly": lambda w: _event(w, "answer_directly", department=False),
        "returned": lambda w: _event(w, "return", department=True),
        "dispatched": lambda w: _lead(w, Assignment.dispatched_at),
        "completed": lambda w: _lead(w, Assignment.completed_at),
        "callbacks_reached": lambda w: _attempt(w, verdict, REACHED),
        "satisfied": lambda w: _attempt(w, verdict, [Verdict.SATISFIED]),
        "basically_satisfied": lambda w: _attempt(w, verdict, [Verdict.BASICALLY_SATISFIED]),
        "unsatisfied": lambda w: _attempt(w, verdict, [Verdict.UNSATISFIED]),
        "unreachable": lambda w: _attempt(w, verdict, [Verdict.UNREACHABLE]),
        "process_asked": lambda w: _attempt(w, process, REACHED),
        "process_satisfied": lambda w: _attempt(w, process, SATISFIED),
    }
    for kind in ("sign", "reply", "complete"):
        out[f"{kind}_due"] = partial(_deadline, kind=kind, on_time=False)
        out[f"{kind}_on_time"] = partial(_deadline, kind=kind, on_time=True)
    for channel in AttemptChannel:
        out[f"reached_{channel}"] = partial(_attempt, column=verdict, values=REACHED, channel=channel.value)
        out[f"content_{channel}"] = partial(_attempt, column=verdict, values=SATISFIED, channel=channel.value)
    return out


COUNTER_ORDERS = _counters()


def counted(names: Sequence[str], w: Window) -> ColumnElement[bool]:
    """Orders counted by any of these counters in the window."""
    return or_(*[COUNTER_ORDERS[name](w) for name in names])


def part_of(numerator: Sequence[str], denominator: Sequence[str], part: str, w: Window) -> ColumnElement[bool]:
    """numerator | denominator | rest (under the line but not above it: the late, the unsatisfied …)."""
    if part == "numerator":
        return counted(numerator, w)
    if part == "denominator":
        return counted(denominator, w)
    return and_(counted(denominator, w), not_(counted(numerator, w)))


def hotspot(column, key: str, start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    """The orders a hotspot counted: its category or place, received in its window, not invalid."""
    return and_(column == key, WorkOrder.received_at >= start, WorkOrder.received_at < end,
                func.coalesce(WorkOrder.close_reason, "") != CloseReason.INVALID.value)
