"""A new work order in one statement on PostgreSQL: the citizen, the order, its creation event and its
acceptance deadline written by one data-modifying CTE (SQLite, which has no such CTEs, takes the ORM
path in the service)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from hotline.models import Citizen, Deadline, WorkOrder, WorkOrderEvent


@dataclass(frozen=True)
class NewOrder:
    values: dict[str, Any]  # work_orders columns except citizen_id
    citizen_phone: str | None
    citizen_name: str | None
    event: dict[str, Any]  # work_order_events columns except work_order_id
    deadline: dict[str, Any] | None  # deadlines columns except work_order_id (online channels)


def insert_order(session: Session, new: NewOrder) -> int | None:
    """The new order's id; None when its (channel, source id) was already taken (a retried submission)."""
    citizen_id = None
    ctes = []
    if new.citizen_phone:
        citizen = (pg_insert(Citizen).values(phone=new.citizen_phone, name=new.citizen_name,
                                             created_at=new.values["received_at"])
                   .on_conflict_do_update(index_elements=[Citizen.phone],
                                          set_={"name": func.coalesce(Citizen.name, new.citizen_name)})
                   .returning(Citizen.id).cte("citizen"))
        ctes.append(citizen)
        citizen_id = select(citizen.c.id).scalar_subquery()
    order = (pg_insert(WorkOrder).values(**new.values, citizen_id=citizen_id)
             .on_conflict_do_nothing(index_elements=[WorkOrder.channel, WorkOrder.source_id])
             .returning(WorkOrder.id).cte("new_order"))
    event = _child(WorkOrderEvent, new.event, order).cte("new_event")
    parts = [order, event]
    if new.deadline is not None:
        parts.append(_child(Deadline, new.deadline, order).cte("new_deadline"))
    stmt = select(order.c.id)
    for cte in [*ctes, *parts]:
        stmt = stmt.add_cte(cte)
    return session.execute(stmt).scalar()


def _child(table: Any, values: dict[str, Any], order: Any) -> Any:
    columns = ["work_order_id", *values]
    row = select(order.c.id, *(literal(v, type_=getattr(table, k).type) for k, v in values.items()))
    return insert(table).from_select(columns, row).returning(table.id)


def received_values(**columns: Any) -> dict[str, Any]:
    """The columns of a fresh order, with the defaults the ORM would fill in."""
    return {"redo_count": 0, "return_count": 0, "version": 1, **columns}


def deadline_values(kind: str, starts_at: dt.datetime, warn_at: dt.datetime, due_at: dt.datetime,
                    provisional: bool) -> dict[str, Any]:
    return {"department_id": None, "kind": kind, "starts_at": starts_at, "warn_at": warn_at, "due_at": due_at,
            "provisional": provisional, "status": "open", "light": "green"}
