"""New work reaching a department's workbench live (派单, 重办, 下派): a notice on its own channel with the
order's tier, so an emergency rings; the title leaves masked, as a department reads it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from hotline.live.after_commit import publish_after_commit
from hotline.live.events import DepartmentNotice
from hotline.models import WorkOrder
from hotline.text.masking import redact


def tell_departments(session: Session, order: WorkOrder, department_ids: Iterable[int],
                     names: Iterable[str] = ()) -> None:
    """After commit, each department hears that `order` arrived."""
    title = redact(order.title, names) or ""
    for department_id in department_ids:
        publish_after_commit(session, DepartmentNotice(department_id, "dispatched", order.ticket_no, title,
                                                       order.tier))
