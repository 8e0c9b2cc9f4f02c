"""A new work order in one statement on PostgreSQL: the citizen, the order, its creation event and its
acceptance deadline written by one data-modifying CTE (SQLite, which has no such CTEs, takes the ORM
path in the service)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select
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
    stmt = _statement(tuple(new.values), bool(new.citizen_phone), tuple(new.event),
                      tuple(new.deadline) if new.deadline is not None else None)
    params = {**{f"o_{k}": v for k, v in new.values.items()}, **{f"e_{k}": v for k, v in new.event.items()},
              **{f"d_{k}": v for k, v in (new.deadline or {}).items()}}
    if new.citizen_phone:
        params |= {"c_phone": new.citizen_phone, "c_name": new.citizen_name}
    return session.execute(stmt, params).scalar()


@functools.cache
def _statement(order_columns: tuple[str, ...], with_citizen: bool, event_columns: tuple[str, ...],
               deadline_columns: tuple[str, ...] | None) -> Any:
    """The statement for one shape of order, built once with bound parameters: building it per request, with
    the values inside, cost more of a create's time than the database (SQLAlchemy keys its cache on every value)."""
    citizen_id = None
    ctes = []
    if with_citizen:
        name = _param(Citizen, "name", "c_name")
        citizen = (pg_insert(Citizen).values(phone=_param(Citizen, "phone", "c_phone"), name=name,
                                             created_at=_param(Citizen, "created_at", "o_received_at"))
                   .on_conflict_do_update(index_elements=[Citizen.phone],
                                          set_={"name": func.coalesce(Citizen.name, name)})
                   .returning(Citizen.id).cte("citizen"))
        ctes.append(citizen)
        citizen_id = select(citizen.c.id).scalar_subquery()
    values = {k: _param(WorkOrder, k, f"o_{k}") for k in order_columns}
    order = (pg_insert(WorkOrder).values(**values, citizen_id=citizen_id)
             .on_conflict_do_nothing(index_elements=[WorkOrder.channel, WorkOrder.source_id])
             .returning(WorkOrder.id).cte("new_order"))
    parts = [order, _child(WorkOrderEvent, event_columns, "e_", order).cte("new_event")]
    if deadline_columns is not None:
        parts.append(_child(Deadline, deadline_columns, "d_", order).cte("new_deadline"))
    stmt = select(order.c.id)
    for cte in [*ctes, *parts]:
        stmt = stmt.add_cte(cte)
    return stmt


def _param(model: Any, column: str, key: str) -> Any:
    return bindparam(key, type_=model.__table__.c[column].type)


def _child(model: Any, columns: tuple[str, ...], prefix: str, order: Any) -> Any:
    row = select(order.c.id, *(_param(model, k, prefix + k) for k in columns))
    return insert(model).from_select(["work_order_id", *columns], row).returning(model.id)


def received_values(**columns: Any) -> dict[str, Any]:
    """The columns of a fresh order, with the defaults the ORM would fill in."""
    return {"redo_count": 0, "return_count": 0, "version": 1, **columns}


def deadline_values(kind: str, starts_at: dt.datetime, warn_at: dt.datetime, due_at: dt.datetime,
                    provisional: bool) -> dict[str, Any]:
    return {"department_id": None, "kind": kind, "starts_at": starts_at, "warn_at": warn_at, "due_at": due_at,
            "provisional": provisional, "status": "open", "light": "green"}
