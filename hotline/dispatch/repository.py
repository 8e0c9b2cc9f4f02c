"""All SQL for work orders, departments and citizens; services never write queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Row, Select, Table, bindparam, case, distinct, func, insert, or_, select, update
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from hotline.core.actor import Actor
from hotline.core.db import dialect_insert
from hotline.core.enums import AssignmentRole, DeadlineKind, DeadlineStatus
from hotline.core.errors import NotFoundError
from hotline.dispatch.filters import OrderFilter
from hotline.dispatch.scope import readable, reads_by_shares, shares_readable
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import OrderChanged
from hotline.models import (
    Assignment,
    Citizen,
    Deadline,
    Department,
    WorkOrder,
    WorkOrderEvent,
)

OrderRef = int | str  # a row id (internal callers) or a ticket number (people)
SUMMARY_COLUMNS = (WorkOrder.ticket_no, WorkOrder.state, WorkOrder.tier, WorkOrder.category_code, WorkOrder.channel,
                   WorkOrder.title, WorkOrder.place, WorkOrder.received_at)


_EVENT_INSERT = insert(cast(Table, WorkOrderEvent.__table__))
_BY_CODES = select(Department).where(Department.code.in_(bindparam("codes", expanding=True)))  # every dispatch
# Every step locks its order's shares after the order: built once.
_LOCK_SHARES = (select(Assignment).where(Assignment.work_order_id == bindparam("of_order")).order_by(Assignment.id)
                .with_for_update().execution_options(populate_existing=True))


class WorkOrderRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, order_id: int) -> WorkOrder | None:
        return self.session.get(WorkOrder, order_id)

    def require(self, order_id: int) -> WorkOrder:
        """An order known to exist (it is referenced by a row just read)."""
        order = self.session.get(WorkOrder, order_id)
        if order is None:
            raise NotFoundError(f"work order {order_id} does not exist", error_id="order_not_found")
        return order

    def find(self, ref: OrderRef, actor: Actor, *, lock: bool = False) -> WorkOrder | None:
        """The order `actor` may read, by id or ticket; with `lock`, the order row and then its shares are
        locked and read from the locking statements (never a stale copy held by the session)."""
        key = WorkOrder.id == ref if isinstance(ref, int) else WorkOrder.ticket_no == ref
        stmt = select(WorkOrder).where(key, readable(actor))
        if not lock:
            return self.session.scalars(stmt).one_or_none()
        order = self.session.scalars(stmt.with_for_update(of=WorkOrder).options(lazyload(WorkOrder.assignments))
                                     .execution_options(populate_existing=True)).one_or_none()
        if order is not None:
            # A second statement, run once the order's lock is held: rows joined to the locking statement
            # would come from its snapshot taken before the wait, so a co-handler's step (which changes
            # only its share, not the order row) would see the share as it was before the winner's commit.
            shares = self.session.scalars(_LOCK_SHARES, {"of_order": order.id}).all()
            set_committed_value(order, "assignments", list(shares))
        return order

    def lock_in_id_order(self, refs: Sequence[OrderRef]) -> None:
        """Lock several orders lowest id first, reading them afresh: two requests locking the same orders
        (A into B while B into A) then queue one behind the other instead of deadlocking."""
        ids = [r for r in refs if isinstance(r, int)]
        tickets = [r for r in refs if isinstance(r, str)]
        self.session.scalars(select(WorkOrder).where(or_(WorkOrder.id.in_(ids), WorkOrder.ticket_no.in_(tickets)))
                             .order_by(WorkOrder.id).with_for_update()
                             .execution_options(populate_existing=True)).all()

    def by_ticket(self, ticket_no: str) -> WorkOrder | None:
        return self.session.scalars(select(WorkOrder).where(WorkOrder.ticket_no == ticket_no)).one_or_none()

    def may_read(self, ticket_no: str, actor: Actor) -> bool:
        """Whether `actor` may read the order with this ticket (no row is loaded)."""
        stmt = select(WorkOrder.id).where(WorkOrder.ticket_no == ticket_no, readable(actor))
        return self.session.scalar(stmt) is not None

    def by_source(self, channel: str, source_id: str) -> WorkOrder | None:
        stmt = select(WorkOrder).where(WorkOrder.channel == channel, WorkOrder.source_id == source_id)
        return self.session.scalars(stmt).one_or_none()

    def page(self, actor: Actor, wanted: OrderFilter | None = None, *, limit: int = 50,
             offset: int = 0) -> tuple[Sequence[Row], int]:
        """Rows `actor` may read, newest first (or nearest deadline first), and the total: the summary columns
        (`SUMMARY_COLUMNS`) with `light` (worst open light's rank or None), `due_at` (nearest open deadline or
        None), and the citizen's `phone` and `name`. Plain rows, not orders: a page is read, never changed."""
        wanted = wanted or OrderFilter()
        if reads_by_shares(actor) and not wanted.narrows():  # counted from the shares alone, no order read
            count = select(func.count(distinct(Assignment.work_order_id))).where(shares_readable(actor))
        else:
            count = select(func.count()).select_from(self._scoped(actor, wanted, WorkOrder.id).subquery())
        total = self.session.scalar(count) or 0
        # Each row carries its worst open light and nearest open deadline; assignments are not read.
        open_deadline = (Deadline.work_order_id == WorkOrder.id) & (Deadline.status == DeadlineStatus.OPEN)
        rank = case((Deadline.light == "red", 2), (Deadline.light == "yellow", 1), else_=0)
        worst = select(func.max(rank)).where(open_deadline).scalar_subquery()
        nearest = select(func.min(Deadline.due_at)).where(open_deadline).scalar_subquery()
        order_by = ([nearest.is_(None), nearest, WorkOrder.id] if wanted.sort == "due"
                    else [WorkOrder.received_at.desc(), WorkOrder.id.desc()])
        stmt = self._scoped(actor, wanted, *SUMMARY_COLUMNS, worst.label("light"), nearest.label("due_at"),
                            Citizen.phone, Citizen.name)
        rows = self.session.execute(stmt.order_by(*order_by).limit(limit).offset(offset)).all()
        return rows, total

    @staticmethod
    def _scoped(actor: Actor, wanted: OrderFilter, *columns: Any) -> Select:
        """`columns` of the orders `actor` may read that `wanted` asks for (the citizen joined: a phone filters)."""
        return wanted.apply(select(*columns).select_from(WorkOrder)
                            .outerjoin(Citizen, Citizen.id == WorkOrder.citizen_id).where(readable(actor)))

    def add(self, order: WorkOrder) -> WorkOrder:
        self.session.add(order)
        self.session.flush()
        return order

    def add_event(self, order: WorkOrder, action: str, from_state: str | None, actor: Actor,
                  at: dt.datetime, note: str | None = None, data: dict | None = None) -> None:
        """Append to the order's trail, at once and as a plain insert (one cached statement, no unit of work).
        The order's own changes are not flushed for it: a step goes on to stamp the order (accepted_at,
        replied_at …), and all of it reaches the database as one UPDATE at the next flush."""
        with self.session.no_autoflush:
            self.session.execute(_EVENT_INSERT, {
                "work_order_id": order.id, "action": str(action), "from_state": from_state, "to_state": order.state,
                "actor_role": actor.role.value, "actor_user_id": actor.user_id,
                "actor_department_id": actor.department_id, "note": note, "data": data, "occurred_at": at})
        announce(self.session, order.ticket_no, str(action), from_state, order.state)

    def events(self, order_id: int) -> Sequence[WorkOrderEvent]:
        stmt = select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id).order_by(WorkOrderEvent.id)
        return self.session.scalars(stmt).all()

    def public_facts(self, order_ids: list[int]
                     ) -> tuple[dict[int, str], dict[int, dt.datetime], dict[int, dt.datetime]]:
        """For public listings: lead department name, open completion due, last change — per order."""
        leads = dict(self.session.execute(
            select(Assignment.work_order_id, Department.name)
            .join(Department, Department.id == Assignment.department_id)
            .where(Assignment.work_order_id.in_(order_ids), Assignment.role == AssignmentRole.LEAD)
            .order_by(Assignment.id)).all())
        due = dict(self.session.execute(select(Deadline.work_order_id, Deadline.due_at).where(
            Deadline.work_order_id.in_(order_ids), Deadline.kind == DeadlineKind.COMPLETE,
            Deadline.status == DeadlineStatus.OPEN)).all())
        updated = dict(self.session.execute(select(WorkOrderEvent.work_order_id, func.max(WorkOrderEvent.occurred_at))
                                            .where(WorkOrderEvent.work_order_id.in_(order_ids))
                                            .group_by(WorkOrderEvent.work_order_id)).all())
        return leads, due, updated

    def submitted_by(self, order_id: int, api_client_id: int) -> None:
        """Record the API client (an Open311 app, a channel gateway) that submitted the order."""
        self.session.execute(update(WorkOrder).where(WorkOrder.id == order_id).values(api_client_id=api_client_id)
                             .execution_options(synchronize_session=False))

    def listing(self, *, tickets: Sequence[str] = (), received_from: dt.datetime | None = None,
                received_to: dt.datetime | None = None, categories: Sequence[str] = (), closed: bool | None = None,
                api_client_id: int | None = None, limit: int = 1000) -> Sequence[WorkOrder]:
        """Orders by ticket or received window, newest first (Open311 reads); `api_client_id`: one app's own."""
        stmt = select(WorkOrder)
        if api_client_id is not None:
            stmt = stmt.where(WorkOrder.api_client_id == api_client_id)
        if tickets:
            stmt = stmt.where(WorkOrder.ticket_no.in_(list(tickets)))
        if received_from is not None:
            stmt = stmt.where(WorkOrder.received_at >= received_from)
        if received_to is not None:
            stmt = stmt.where(WorkOrder.received_at <= received_to)
        if categories:
            stmt = stmt.where(WorkOrder.category_code.in_(list(categories)))
        if closed is not None:
            stmt = stmt.where((WorkOrder.state == "closed") if closed else (WorkOrder.state != "closed"))
        return self.session.scalars(stmt.order_by(WorkOrder.received_at.desc()).limit(limit)).all()


HOTLINE_LISTS = frozenset({"received", "returned"})


def announce(session: Session, ticket: str, action: str, from_state: str | None, to_state: str) -> None:
    """Tell the hotline's desks, once committed, of an order entering or leaving their work lists."""
    if to_state in HOTLINE_LISTS or from_state in HOTLINE_LISTS:
        publish_after_commit(session, OrderChanged(ticket, action, from_state, to_state))


class DepartmentRepository:
    def __init__(self, session: Session):
        self.session = session

    def by_code(self, code: str) -> Department | None:
        return self.session.scalars(select(Department).where(Department.code == code)).one_or_none()

    def by_codes(self, codes: Iterable[str]) -> dict[str, Department]:
        rows = self.session.scalars(_BY_CODES, {"codes": list(codes)})
        return {d.code: d for d in rows}

    def get(self, department_id: int) -> Department | None:
        return self.session.get(Department, department_id)

    def require(self, department_id: int) -> Department:
        department = self.session.get(Department, department_id)
        if department is None:
            raise NotFoundError(f"department {department_id} does not exist", error_id="department_not_found")
        return department

    def by_ids(self, ids: Iterable[int]) -> dict[int, Department]:
        wanted = set(ids)
        if not wanted:
            return {}
        return {d.id: d for d in self.session.scalars(select(Department).where(Department.id.in_(wanted)))}

    def subtree(self, path: str) -> tuple[int, ...]:
        """The ids of the department at `path` and every department below it."""
        return tuple(self.session.scalars(select(Department.id).where(Department.path.startswith(path, autoescape=True))
                                          .order_by(Department.id)))

    def count_active(self) -> int:
        return self.session.scalar(select(func.count()).where(Department.active.is_(True))) or 0

    def all(self) -> Sequence[Department]:
        return self.session.scalars(select(Department).order_by(Department.path)).all()


class CitizenRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, citizen_id: int | None) -> Citizen | None:
        return self.session.get(Citizen, citizen_id) if citizen_id else None

    def get_or_create(self, phone: str, name: str | None, at: dt.datetime) -> Citizen:
        """One row per phone, even when two desks register the same new caller at once."""
        insert = dialect_insert(self.session, Citizen).values(phone=phone, name=name, created_at=at)
        self.session.execute(insert.on_conflict_do_nothing(index_elements=[Citizen.phone]))
        citizen = self.session.scalars(select(Citizen).where(Citizen.phone == phone)).one()
        if name and not citizen.name:
            citizen.name = name
        return citizen
