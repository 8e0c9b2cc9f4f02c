"""Every counter of formulas.COUNTERS as SQL over the operational tables, by local day and department.

One definition serves both the nightly roll-up (grouped by day) and live queries for days not yet
rolled up (grouped by department only). Nothing here loads orders into Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from hotline.core.enums import REACHED, AssignmentRole, AttemptChannel, DeadlineStatus, Verdict
from hotline.models import Assignment, Callback, CallbackAttempt, Deadline, WorkOrder, WorkOrderEvent

Source = Callable[["Dialect"], Select]
SATISFIED_VERDICTS = (Verdict.SATISFIED.value, Verdict.BASICALLY_SATISFIED.value)
NO_DEPARTMENT = cast(null(), Integer)  # the hotline centre's own counters


class Dialect:
    """Local-day and duration expressions for PostgreSQL (time-zone aware) and SQLite (fixed offset)."""

    def __init__(self, name: str, timezone: str, lo: dt.datetime, hi: dt.datetime, by_day: bool):
        self.name, self.timezone, self.lo, self.hi, self.by_day = name, timezone, lo, hi, by_day
        offset = ZoneInfo(timezone).utcoffset(lo.replace(tzinfo=None)) or dt.timedelta()
        self.offset_minutes = int(offset.total_seconds() // 60)

    def day(self, column) -> ColumnElement:
        if not self.by_day:
            return null()
        if self.name == "postgresql":
            return func.date(func.timezone(self.timezone, column))
        return func.date(column, f"{self.offset_minutes:+d} minutes")

    def seconds(self, later, earlier) -> ColumnElement:
        if self.name == "postgresql":
            return func.extract("epoch", later - earlier)
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0

    def within(self, column) -> ColumnElement:
        return and_(column >= self.lo, column < self.hi)


def _count(d: Dialect, metric: str, at, department, *where, value=None, froms=None) -> Select:
    day = d.day(at)  # one expression object: PostgreSQL must see the same bound time zone in GROUP BY
    stmt = select(day.label("day"), department.label("department_id"), literal(metric).label("metric"),
                  (value if value is not None else func.count()).label("value"))
    if froms is not None:
        stmt = stmt.select_from(froms)
    keys = ([day] if d.by_day else []) + ([department] if department is not NO_DEPARTMENT else [])
    return stmt.where(d.within(at), *where).group_by(*keys)


def _orders(d: Dialect) -> list[Select]:
    return [
        _count(d, "received", WorkOrder.received_at, NO_DEPARTMENT),
        _count(d, "accepted", WorkOrder.accepted_at, NO_DEPARTMENT),
    ]


def _events(d: Dialect) -> list[Select]:
    return [
        _count(d, "answered_directly", WorkOrderEvent.occurred_at, NO_DEPARTMENT,
               WorkOrderEvent.action == "answer_directly"),
        _count(d, "returned", WorkOrderEvent.occurred_at, WorkOrderEvent.actor_department_id,
               WorkOrderEvent.action == "return"),
    ]


def _assignments(d: Dialect) -> list[Select]:
    lead = Assignment.role == AssignmentRole.LEAD.value
    return [
        _count(d, "dispatched", Assignment.dispatched_at, Assignment.department_id, lead),
        _count(d, "completed", Assignment.completed_at, Assignment.department_id, lead),
        _count(d, "handling_seconds", Assignment.completed_at, Assignment.department_id, lead,
               value=func.coalesce(func.sum(d.seconds(Assignment.completed_at, Assignment.dispatched_at)), 0)),
    ]


def _deadlines(d: Dialect) -> list[Select]:
    out = []
    for kind in ("sign", "reply", "complete"):
        counted = (Deadline.kind == kind, Deadline.status != DeadlineStatus.CANCELLED.value)
        on_time = and_(Deadline.met_at.is_not(None), Deadline.met_at <= Deadline.due_at)
        out += [
            _count(d, f"{kind}_due", Deadline.due_at, Deadline.department_id, *counted),
            _count(d, f"{kind}_on_time", Deadline.due_at, Deadline.department_id, *counted,
                   value=func.coalesce(func.sum(case((on_time, 1), else_=0)), 0)),
        ]
    return out


def _callbacks(d: Dialect) -> list[Select]:
    joined = CallbackAttempt.__table__.join(Callback.__table__, Callback.id == CallbackAttempt.callback_id)
    at, department = CallbackAttempt.finished_at, Callback.department_id

    def verdicts(metric: str, column, values, *where) -> Select:
        return _count(d, metric, at, department, column.in_([str(v) for v in values]), *where, froms=joined)

    # Each channel apart: an agent's call, the keypad survey, a reply to the SMS, the rating link.
    by_channel = [stmt for channel in AttemptChannel for stmt in (
        verdicts(f"reached_{channel}", CallbackAttempt.verdict, REACHED, CallbackAttempt.channel == channel),
        verdicts(f"content_{channel}", CallbackAttempt.verdict, SATISFIED_VERDICTS, CallbackAttempt.channel == channel),
    )]
    return [
        *by_channel,
        verdicts("callbacks_reached", CallbackAttempt.verdict, REACHED),
        verdicts("satisfied", CallbackAttempt.verdict, [Verdict.SATISFIED]),
        verdicts("basically_satisfied", CallbackAttempt.verdict, [Verdict.BASICALLY_SATISFIED]),
        verdicts("unsatisfied", CallbackAttempt.verdict, [Verdict.UNSATISFIED]),
        verdicts("unreachable", CallbackAttempt.verdict, [Verdict.UNREACHABLE]),
        verdicts("process_asked", CallbackAttempt.process_verdict, REACHED),
        verdicts("process_satisfied", CallbackAttempt.process_verdict, SATISFIED_VERDICTS),
    ]


SOURCES: tuple[Callable[[Dialect], list[Select]], ...] = (_orders, _events, _assignments, _deadlines, _callbacks)


def counter_query(dialect: str, timezone: str, lo: dt.datetime, hi: dt.datetime, *, by_day: bool):
    """(day, department_id, metric, value) rows for every counter with its instant in [lo, hi).
    Deadlines count only once due, so `hi` must not be later than now for live queries."""
    d = Dialect(dialect, timezone, lo, hi, by_day)
    return union_all(*[stmt for source in SOURCES for stmt in source(d)])
