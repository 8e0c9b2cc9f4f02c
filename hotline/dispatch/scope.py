"""Who may read which rows: a domain policy that repositories apply inside their queries, so a
department never loads another's orders and a district supervisor never counts another district."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, exists, false, or_, select, true

from hotline.core.actor import Actor
from hotline.core.enums import AssignmentStatus, Role
from hotline.models import Assignment, Department, WorkOrder
from hotline.text.masking import mask_phone, redact, redact_data

CENTRE = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN, Role.CALLBACK_STAFF})
DEPARTMENT = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN})


def sees_everything(actor: Actor) -> bool:
    """The hotline centre, the system itself, and a supervisor of the whole centre (no department)."""
    return actor.role in CENTRE | {Role.SYSTEM} or (actor.role == Role.SUPERVISOR and actor.department_path is None)


def readable(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause for work_orders that admits exactly what `actor` may see: a department (or a
    district supervisor) the orders it holds or completed in its subtree; a liaison what they filed.

    The subtree is the actor's department ids, written into the statement as values: the database then
    knows how many shares those departments hold, and walks the newest orders for a large one instead of
    gathering all of them first (a path prefix joined through the department table is estimated at a few rows)."""
    if sees_everything(actor):
        return true()
    if actor.role == Role.LIAISON:
        return WorkOrder.created_by_user_id == actor.user_id
    if reads_by_shares(actor):
        return exists(select(Assignment.id).where(Assignment.work_order_id == WorkOrder.id, shares_readable(actor)))
    return false()


def reads_by_shares(actor: Actor) -> bool:
    """A department, or a district's supervisor: reads the orders its subtree holds or completed."""
    return (not sees_everything(actor) and actor.role in DEPARTMENT | {Role.SUPERVISOR}
            and bool(actor.department_path) and bool(actor.department_ids))


_HELD_OR_COMPLETED = or_(Assignment.active.is_(True), Assignment.status == AssignmentStatus.COMPLETED)


def shares_readable(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause for assignments: the shares that make an order readable to a department-scoped actor."""
    subtree: BindParameter[int] = bindparam(None, list(actor.department_ids), literal_execute=True)
    return and_(_HELD_OR_COMPLETED, Assignment.department_id.in_(subtree))


def departments_readable(actor: Actor) -> ColumnElement[bool]:
    """Departments an actor may ask statistics or lists about: its own subtree, or all for the centre."""
    if sees_everything(actor):
        return true()
    if actor.department_path:
        return Department.path.startswith(actor.department_path, autoescape=True)
    return false()


def masks_personal_data(actor: Actor) -> bool:
    """Departments see masked phone numbers and no names; the hotline centre and supervisors see them."""
    return actor.role not in CENTRE | {Role.SUPERVISOR, Role.LIAISON}


@dataclass(frozen=True)
class Disclosure:
    """What of a citizen's personal data one reader may see: everything, or — for departments, staff and
    admins alike — masked numbers and no names, in every text that leaves for them."""

    masked: bool
    names: tuple[str, ...] = ()

    def text(self, value: str | None) -> str | None:
        return redact(value, self.names) if self.masked else value

    def data(self, value: Any) -> Any:
        return redact_data(value, self.names) if self.masked else value

    def phone(self, value: str | None) -> str | None:
        return mask_phone(value) if self.masked else value

    def name(self, value: str | None) -> str | None:
        return None if self.masked else value


def disclosure(actor: Actor, names: Iterable[str | None] = ()) -> Disclosure:
    """The one place deciding how personal data leaves for `actor`; `names` are the citizens concerned."""
    return Disclosure(masks_personal_data(actor), tuple(n for n in names if n))
