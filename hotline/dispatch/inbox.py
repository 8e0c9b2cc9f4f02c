"""The department workbench's inbox (承办单位收件箱) as SQL: views with counts, filters, server-side paging.

Every view is a condition on the department's own share of an order (its assignment), so a department
sees exactly its work whatever the volume: 待签收, 办理中, 即将超期, 已超期, 延期审批中, 已办结, 被督办.
Lights are computed from the deadlines' instants at the moment asked, so a view never waits for the sweep.
Emergencies always come first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, not_, or_, select, true
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import (
    AssignmentRole,
    AssignmentStatus,
    DeadlineKind,
    DeadlineStatus,
    ExtensionStatus,
    SupervisionStatus,
    Tier,
)
from hotline.core.errors import NotFoundError
from hotline.dispatch.scope import departments_readable, readable, sees_everything
from hotline.models import Assignment, Deadline, Department, ExtensionRequest, Supervision, WorkOrder

VIEWS = ("open", "to_sign", "in_progress", "due_soon", "overdue", "extension", "done", "supervised")
WORKING = (AssignmentStatus.DISPATCHED, AssignmentStatus.SIGNED, AssignmentStatus.REPLIED)
LIGHTS = ("green", "yellow", "red")
# The department's clocks (sign, reply, complete): every kind but the hotline's own acceptance. Written as
# "not accept" rather than a list, so a per-order lookup goes by the order's deadlines, not by the
# (kind, due_at) index across every order.
DEPARTMENT_CLOCK = Deadline.kind != DeadlineKind.ACCEPT


@dataclass(frozen=True)
class InboxQuery:
    """What the workbench asks for: a view, filters, a sort and a page."""

    view: str = "open"
    tiers: Sequence[str] = ()
    category: str | None = None  # a catalogue code; its whole branch matches
    light: str | None = None
    received_from: dt.datetime | None = None
    received_to: dt.datetime | None = None
    unit: Department | None = None  # a sub-unit of the actor's department
    words: str | None = None
    sort: str = "due"  # due: nearest deadline first; new / old: by receipt
    limit: int = 50
    offset: int = 0


@dataclass
class InboxRow:
    ticket_no: str
    state: str
    tier: str
    category_code: str | None
    title: str
    place: str | None
    received_at: dt.datetime
    redo_count: int
    light: str | None
    next_due_at: dt.datetime | None
    next_kind: str | None
    share_status: str | None
    share_role: str | None
    department: str | None
    dispatched_at: dt.datetime | None
    supervised: bool
    extension_pending: bool


@dataclass
class InboxPage:
    items: list[InboxRow]
    total: int
    counts: dict[str, int] = field(default_factory=dict)


class InboxRepository:
    def __init__(self, session: Session, actor: Actor, now: dt.datetime, unit: Department | None = None):
        self.session, self.actor, self.now, self.unit = session, actor, now, unit
        self._ids: list[int] | None = None

    # -- conditions -------------------------------------------------------------------------------------

    def _ours(self, column: Any) -> ColumnElement[bool]:
        """`column` names one of the departments of the actor's subtree (narrowed to a chosen sub-unit).
        The ids are read once per request, so no per-order condition joins the department tree."""
        if self._ids is None:
            if sees_everything(self.actor) and self.unit is None:
                return true()
            mine = departments_readable(self.actor)
            if self.unit is not None:
                mine = and_(mine, Department.path.startswith(self.unit.path, autoescape=True))
            self._ids = list(self.session.scalars(select(Department.id).where(mine)))
        return column.in_(self._ids)

    def _share(self, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        """The order has a share held by one of our departments that meets `conditions`. A sub-unit's share
        (下派) counts in its own inbox, or when the view is narrowed to it; above it, the order counts by the
        share the sub-unit works for (a street that forwarded a signed order has not got it to sign)."""
        own = or_(Assignment.role != AssignmentRole.SUB, Assignment.department_id == self.actor.department_id) \
            if self.unit is None else true()
        return exists(select(Assignment.id).where(Assignment.work_order_id == WorkOrder.id,
                                                  self._ours(Assignment.department_id), own, *conditions)
                      .correlate_except(Assignment))  # never the row's own share joined in the listing

    def _working(self) -> ColumnElement[bool]:
        return self._share(Assignment.active.is_(True), Assignment.status.in_(WORKING))

    def _clock(self, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists(select(Deadline.id).where(
            Deadline.work_order_id == WorkOrder.id, Deadline.status == DeadlineStatus.OPEN,
            DEPARTMENT_CLOCK, *conditions))

    def _overdue(self) -> ColumnElement[bool]:
        return self._clock(Deadline.due_at <= self.now)

    def _warned(self) -> ColumnElement[bool]:
        return self._clock(Deadline.warn_at <= self.now)

    def _extension(self) -> ColumnElement[bool]:
        return exists(select(ExtensionRequest.id).where(
            ExtensionRequest.work_order_id == WorkOrder.id, ExtensionRequest.status == ExtensionStatus.PENDING,
            self._ours(ExtensionRequest.department_id)))

    def _supervised(self) -> ColumnElement[bool]:
        """An open 督办 naming one of our departments, or naming none while we hold the order."""
        named = exists(select(Supervision.id).where(
            Supervision.work_order_id == WorkOrder.id, Supervision.status == SupervisionStatus.OPEN,
            Supervision.department_id.is_not(None), self._ours(Supervision.department_id)))
        unnamed = exists(select(Supervision.id).where(
            Supervision.work_order_id == WorkOrder.id, Supervision.status == SupervisionStatus.OPEN,
            Supervision.department_id.is_(None)))
        return or_(named, and_(unnamed, self._share(Assignment.active.is_(True))))

    def view(self, name: str) -> ColumnElement[bool]:
        working = self._working()
        if name == "open":
            return working
        if name == "to_sign":
            return self._share(Assignment.active.is_(True), Assignment.status == AssignmentStatus.DISPATCHED)
        if name == "in_progress":
            return self._share(Assignment.active.is_(True),
                               Assignment.status.in_((AssignmentStatus.SIGNED, AssignmentStatus.REPLIED)))
        if name == "due_soon":
            return and_(working, self._warned(), not_(self._overdue()))
        if name == "overdue":
            return and_(working, self._overdue())
        if name == "extension":
            return self._extension()
        if name == "done":
            return and_(self._share(Assignment.status == AssignmentStatus.COMPLETED), not_(working))
        if name == "supervised":
            return self._supervised()
        raise ValueError(f"no inbox view {name!r}")

    def _light_rank(self) -> ColumnElement[int]:
        """2 red, 1 yellow, 0 green, NULL without an open clock — as of now."""
        rank = case((Deadline.due_at <= self.now, 2), (Deadline.warn_at <= self.now, 1), else_=0)
        return (select(func.max(rank)).where(
            Deadline.work_order_id == WorkOrder.id, Deadline.status == DeadlineStatus.OPEN,
            DEPARTMENT_CLOCK).scalar_subquery())

    def _filters(self, q: InboxQuery) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = [readable(self.actor)]
        if q.tiers:
            out.append(WorkOrder.tier.in_(list(q.tiers)))
        if q.category:
            out.append(or_(WorkOrder.category_code == q.category,
                           WorkOrder.category_code.startswith(q.category + ".", autoescape=True)))
        if q.received_from:
            out.append(WorkOrder.received_at >= q.received_from)
        if q.received_to:
            out.append(WorkOrder.received_at < q.received_to)
        if q.words:
            out.append(or_(WorkOrder.ticket_no == q.words, WorkOrder.title.contains(q.words, autoescape=True),
                           WorkOrder.content.contains(q.words, autoescape=True),
                           WorkOrder.place.contains(q.words, autoescape=True)))
        if q.light:
            rank = self._light_rank()
            out.append(rank == LIGHTS.index(q.light))
        return out

    # -- reads ------------------------------------------------------------------------------------------

    def counts(self, q: InboxQuery) -> dict[str, int]:
        """How many orders each view holds under the same filters, in one statement."""
        columns = [func.coalesce(func.sum(case((self.view(name), 1), else_=0)), 0).label(name) for name in VIEWS]
        row = self.session.execute(select(*columns).select_from(WorkOrder).where(*self._filters(q))).one()
        return {name: int(row._mapping[name]) for name in VIEWS}

    def page(self, q: InboxQuery) -> InboxPage:
        """The page in two reads: the ordered ids of one page, then what is shown of those orders only
        (a per-order subquery in a join would be asked for every pair of order and share)."""
        total = self.total(q)
        return InboxPage(items=self._rows(self.ordered_ids(q)), total=total, counts=self.counts(q))

    def total(self, q: InboxQuery) -> int:
        where = [*self._filters(q), self.view(q.view)]
        return self.session.scalar(select(func.count()).select_from(WorkOrder).where(*where)) or 0

    def ordered_ids(self, q: InboxQuery) -> list[int]:
        """The ids of one page of the view, emergencies first, in the asked order."""
        next_due = select(func.min(Deadline.due_at)).where(self._open_clock()).scalar_subquery()
        emergency_last = case((WorkOrder.tier == Tier.EMERGENCY, 0), else_=1)
        sorts: dict[str, list[Any]] = {"due": [next_due.is_(None), next_due, WorkOrder.id],
                                       "new": [WorkOrder.received_at.desc(), WorkOrder.id.desc()],
                                       "old": [WorkOrder.received_at, WorkOrder.id]}
        return list(self.session.scalars(select(WorkOrder.id).where(*self._filters(q), self.view(q.view))
                                          .order_by(emergency_last, *sorts[q.sort]).limit(q.limit)
                                          .offset(q.offset)))

    def rows(self, ids: list[int]) -> list[InboxRow]:
        """What a list shows of these orders, in the given order (the export reads them in batches)."""
        return self._rows(ids)

    def listing(self, among: ColumnElement[bool], limit: int, offset: int) -> InboxPage:
        """The orders `among` admits (the orders behind a statistic) that the actor may read, emergencies first,
        then newest first; the inbox's rows, no view and no counts."""
        where = [readable(self.actor), among]
        total = self.session.scalar(select(func.count()).select_from(WorkOrder).where(*where)) or 0
        emergency_last = case((WorkOrder.tier == Tier.EMERGENCY, 0), else_=1)
        ids = list(self.session.scalars(select(WorkOrder.id).where(*where).order_by(
            emergency_last, WorkOrder.received_at.desc(), WorkOrder.id.desc()).limit(limit).offset(offset)))
        return InboxPage(items=self._rows(ids), total=total)

    def _open_clock(self) -> ColumnElement[bool]:
        return and_(Deadline.work_order_id == WorkOrder.id, Deadline.status == DeadlineStatus.OPEN,
                    DEPARTMENT_CLOCK)

    def _rows(self, ids: list[int]) -> list[InboxRow]:
        if not ids:
            return []
        # A sub-unit (下派) counts down to its own deadline first, not to the share above it.
        own_sub = and_(Deadline.kind == DeadlineKind.SUB, Deadline.department_id == self.actor.department_id)
        next_due = func.coalesce(
            select(func.min(Deadline.due_at)).where(self._open_clock(), own_sub).scalar_subquery(),
            select(func.min(Deadline.due_at)).where(self._open_clock()).scalar_subquery())
        next_kind = (select(Deadline.kind).where(self._open_clock())
                     .order_by(case((own_sub, 0), else_=1), Deadline.due_at, Deadline.id)
                     .limit(1).scalar_subquery())
        orders = {r.id: r for r in self.session.execute(
            select(WorkOrder.id, WorkOrder.ticket_no, WorkOrder.state, WorkOrder.tier, WorkOrder.category_code,
                   WorkOrder.title, WorkOrder.place, WorkOrder.received_at, WorkOrder.redo_count,
                   self._light_rank().label("light"), next_due.label("next_due_at"), next_kind.label("next_kind"),
                   self._supervised().label("supervised"), self._extension().label("extension_pending"))
            .where(WorkOrder.id.in_(ids)))}
        shares: dict[int, Any] = {}
        # Our share of each: the active one first, the lead before a co-handler, the latest round.
        for a in self.session.execute(
                select(Assignment.work_order_id, Assignment.status, Assignment.role, Assignment.dispatched_at,
                       Department.name).join(Department, Department.id == Assignment.department_id)
                .where(Assignment.work_order_id.in_(ids), self._ours(Assignment.department_id))
                .order_by(Assignment.active, case((Assignment.department_id == self.actor.department_id, 3),
                                                  (Assignment.role == AssignmentRole.LEAD, 2),
                                                  (Assignment.role == AssignmentRole.CO, 1), else_=0),
                          Assignment.id)):
            shares[a.work_order_id] = a  # the last written wins: active, then our own, lead, co-handler, newest
        return [self._row(orders[i], shares.get(i)) for i in ids]

    @staticmethod
    def _row(m, share) -> InboxRow:
        return InboxRow(
            ticket_no=m.ticket_no, state=m.state, tier=m.tier, category_code=m.category_code,
            title=m.title, place=m.place, received_at=m.received_at, redo_count=m.redo_count,
            light=None if m.light is None else LIGHTS[int(m.light)], next_due_at=m.next_due_at,
            next_kind=m.next_kind, share_status=share.status if share else None,
            share_role=share.role if share else None, department=share.name if share else None,
            dispatched_at=share.dispatched_at if share else None, supervised=bool(m.supervised),
            extension_pending=bool(m.extension_pending))

    def unit_in_scope(self, code: str | None) -> Department | None:
        """The sub-unit a view is narrowed to; one outside the actor's subtree does not exist for them."""
        if not code:
            return None
        found = self.session.scalars(select(Department).where(Department.code == code,
                                                              departments_readable(self.actor))).one_or_none()
        if found is None:
            raise NotFoundError(f"no unit {code} in your scope", error_id="unit_not_found")
        return found

    def units(self) -> list[tuple[str, str, str]]:
        """(code, name, path) of the departments the actor may narrow the inbox to."""
        rows = self.session.execute(select(Department.code, Department.name, Department.path)
                                    .where(departments_readable(self.actor), Department.active.is_(True))
                                    .order_by(Department.path))
        return [(code, name, path) for code, name, path in rows]
