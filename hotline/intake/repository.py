"""All SQL intake needs: a caller's recent orders (repeat calls)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hotline.models import Citizen, WorkOrder


class IntakeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def recent_from(self, phone: str, category: str, since: dt.datetime, exclude_order_id: int | None,
                    limit: int = 20) -> list[Row]:
        """(ticket_no, place, state) of this phone's orders in a category since `since`, newest first."""
        return list(self.session.execute(
            select(WorkOrder.ticket_no, WorkOrder.place, WorkOrder.state)
            .join(Citizen, Citizen.id == WorkOrder.citizen_id)
            .where(Citizen.phone == phone, WorkOrder.category_code == category, WorkOrder.received_at >= since,
                   WorkOrder.id != (exclude_order_id or -1))
            .order_by(WorkOrder.received_at.desc()).limit(limit)).all())
