"""Who sees which work orders, enforced inside the query: a department never loads another's rows."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.core.errors import PermissionDeniedError
from hotline.models import Assignment, Department, WorkOrder

CENTRE = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN, Role.CALLBACK_STAFF})
DEPARTMENT = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN})
_MOBILE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def order_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause for work_orders that admits exactly what `actor` may see."""
    if actor.role in CENTRE:
        return true()
    if actor.role == Role.LIAISON:
        return WorkOrder.created_by_user_id == actor.user_id
    if actor.role == Role.SUPERVISOR and actor.department_path is None:
        return true()  # a supervisor of the whole centre
    if actor.role in DEPARTMENT | {Role.SUPERVISOR} and actor.department_path:
        return exists(
            select(Assignment.id).join(Department, Department.id == Assignment.department_id).where(
                Assignment.work_order_id == WorkOrder.id,
                or_(Assignment.active.is_(True), Assignment.status == "completed"),
                Department.path.startswith(actor.department_path, autoescape=True),
            )
        )
    return false()


def department_filter(actor: Actor):
    """Departments an actor may ask statistics or lists about: its own subtree, or all for the centre."""
    if actor.role in CENTRE or (actor.role == Role.SUPERVISOR and actor.department_path is None):
        return true()
    if actor.department_path:
        return Department.path.startswith(actor.department_path, autoescape=True)
    return false()


def masks_personal_data(actor: Actor) -> bool:
    """Departments see a masked phone number and no name; the hotline centre sees them."""
    return actor.role not in CENTRE | {Role.SUPERVISOR, Role.LIAISON}


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone[:3] + "*" * max(0, len(phone) - 7) + phone[-4:] if len(phone) >= 7 else "*" * len(phone)


def mask_numbers_in_text(text: str | None) -> str | None:
    """Hide mobile numbers a citizen spoke or typed into free text (for public and department views)."""
    return _MOBILE.sub(r"\1****\2", text) if text else text


def require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise PermissionDeniedError(f"a {actor.role.value} may not do this")
