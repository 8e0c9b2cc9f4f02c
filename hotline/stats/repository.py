"""All SQL for statistics: counters live and rolled up, departments in scope, hotspot counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, case, delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from hotline.core.actor import Actor
from hotline.core.db import dialect_insert
from hotline.core.enums import CloseReason
from hotline.dispatch.inbox import WORKING
from hotline.dispatch.scope import departments_readable, readable
from hotline.models import Assignment, DailyCounter, Department, RolledUpDay, WorkOrder
from hotline.stats.counters import counter_query


class StatsRepository:
    def __init__(self, session: Session, timezone: str) -> None:
        self.session = session
        self.timezone = timezone
        self.dialect = session.get_bind().dialect.name

    def built_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        return list(self.session.scalars(select(RolledUpDay.day).where(RolledUpDay.day >= first,
                                                                       RolledUpDay.day <= last)))

    def built_at(self, day: dt.date) -> dt.datetime | None:
        return self.session.scalar(select(RolledUpDay.built_at).where(RolledUpDay.day == day))

    def rolled_up(self, days: Sequence[dt.date]) -> list[Row]:
        """(department, metric, sum) over rolled-up days."""
        return list(self.session.execute(
            select(DailyCounter.department_id, DailyCounter.metric, func.sum(DailyCounter.value))
            .where(DailyCounter.day.in_(sorted(days))).group_by(DailyCounter.department_id, DailyCounter.metric)))

    def live(self, lo: dt.datetime, hi: dt.datetime) -> list[Row]:
        """(department, metric, sum) counted from the operational tables between two instants."""
        rows = counter_query(self.dialect, self.timezone, lo, hi, by_day=False).subquery()
        return list(self.session.execute(select(rows.c.department_id, rows.c.metric, func.sum(rows.c.value))
                                         .group_by(rows.c.department_id, rows.c.metric)))

    def rolled_up_by_day(self, days: Sequence[dt.date]) -> list[Row]:
        """(day, department, metric, sum) over rolled-up days: the trends' points."""
        return list(self.session.execute(
            select(DailyCounter.day, DailyCounter.department_id, DailyCounter.metric, func.sum(DailyCounter.value))
            .where(DailyCounter.day.in_(sorted(days)))
            .group_by(DailyCounter.day, DailyCounter.department_id, DailyCounter.metric)))

    def live_by_day(self, lo: dt.datetime, hi: dt.datetime) -> list[Row]:
        """(local day, department, metric, sum) counted from the operational tables between two instants."""
        rows = counter_query(self.dialect, self.timezone, lo, hi, by_day=True).subquery()
        return list(self.session.execute(
            select(rows.c.day, rows.c.department_id, rows.c.metric, func.sum(rows.c.value))
            .group_by(rows.c.day, rows.c.department_id, rows.c.metric)))

    def rebuild(self, days: list[dt.date], lo: dt.datetime, hi: dt.datetime, now: dt.datetime) -> int:
        """Replace the counters of `days` (local days from lo to hi) and mark them built; rows written."""
        self.session.execute(delete(DailyCounter).where(DailyCounter.day.in_(days)))
        rows = counter_query(self.dialect, self.timezone, lo, hi, by_day=True).subquery()
        self.session.execute(insert(DailyCounter).from_select(
            ["day", "department_id", "metric", "value"],
            select(rows.c.day, rows.c.department_id, rows.c.metric, rows.c.value).where(rows.c.value != 0)))
        written = self.session.scalar(select(func.count()).select_from(DailyCounter)
                                      .where(DailyCounter.day.in_(days))) or 0
        stmt = dialect_insert(self.session, RolledUpDay).values([{"day": d, "built_at": now} for d in days])
        self.session.execute(stmt.on_conflict_do_update(index_elements=[RolledUpDay.day],
                                                        set_={"built_at": stmt.excluded.built_at}))
        return written

    def departments(self) -> list[Row]:
        """(id, code, name, path) of every department."""
        return list(self.session.execute(select(Department.id, Department.code, Department.name, Department.path)))

    def open_by_area(self, area_ids: list[int], actor: Actor, lo: dt.datetime | None,
                     hi: dt.datetime | None) -> dict[int, int]:
        """Orders being handled (在办: an active share signed or not, as the inbox's 在办 view) by a department
        in each area's subtree, received in [lo, hi) when given: area id → count. One statement."""
        area, holder = aliased(Department), aliased(Department)
        share = (select(Assignment.work_order_id.label("order_id"), area.id.label("area_id"))
                 .join(holder, holder.id == Assignment.department_id)
                 .join(area, holder.path.startswith(area.path))
                 .where(area.id.in_(area_ids), Assignment.active.is_(True), Assignment.status.in_(WORKING))
                 .distinct().subquery())
        stmt = (select(share.c.area_id, func.count()).join(WorkOrder, WorkOrder.id == share.c.order_id)
                .where(readable(actor)).group_by(share.c.area_id))
        if lo is not None:
            stmt = stmt.where(WorkOrder.received_at >= lo)
        if hi is not None:
            stmt = stmt.where(WorkOrder.received_at < hi)
        return {area_id: int(n) for area_id, n in self.session.execute(stmt)} if area_ids else {}

    def areas(self, kinds: tuple[str, ...], actor: Actor) -> list[Row]:
        """(id, code, name, path, parent code, parent name) of the active departments of these kinds in scope."""
        parent = aliased(Department)
        return list(self.session.execute(
            select(Department.id, Department.code, Department.name, Department.path, parent.code, parent.name)
            .join(parent, parent.id == Department.parent_id)
            .where(Department.kind.in_(kinds), Department.active.is_(True), departments_readable(actor))
            .order_by(parent.code, Department.code)))

    def readable_department_ids(self, actor: Actor) -> set[int]:
        return set(self.session.scalars(select(Department.id).where(departments_readable(actor))))

    def volumes(self, column: Any, start: dt.datetime, end: dt.datetime, base_start: dt.datetime,
                actor: Actor, min_count: int) -> list[Row]:
        """(key, count in [start, end), count in [base_start, start)) per value of `column`, in scope."""
        current = func.sum(_when(WorkOrder.received_at >= start))
        before = func.sum(_when(WorkOrder.received_at < start))
        return list(self.session.execute(
            select(column, current, before).where(column.is_not(None), *self._counted(base_start, end, actor))
            .group_by(column).having(current >= min_count)))

    def examples(self, column: Any, key: str, start: dt.datetime, end: dt.datetime, actor: Actor,
                 limit: int) -> list[Row]:
        return list(self.session.execute(
            select(WorkOrder.ticket_no, WorkOrder.title, WorkOrder.received_at)
            .where(column == key, WorkOrder.received_at >= start, WorkOrder.received_at < end, readable(actor))
            .order_by(WorkOrder.received_at.desc()).limit(limit)))

    @staticmethod
    def _counted(start: dt.datetime, end: dt.datetime, actor: Actor) -> list[ColumnElement]:
        return [WorkOrder.received_at >= start, WorkOrder.received_at < end, readable(actor),
                func.coalesce(WorkOrder.close_reason, "") != CloseReason.INVALID.value]


def _when(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)
