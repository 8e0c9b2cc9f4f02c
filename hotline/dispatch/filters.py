"""What a work list asks for, as a WHERE clause: every list (the desks', the departments') filters alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields

from sqlalchemy import ColumnElement, Select, or_

from hotline.models import Citizen, WorkOrder


@dataclass(frozen=True)
class OrderFilter:
    """What a work list asks for: states, channels, category, received window, words, phone, creator."""

    states: Sequence[str] = ()
    channels: Sequence[str] = ()
    category: str | None = None
    received_from: dt.datetime | None = None
    received_to: dt.datetime | None = None
    words: str | None = None  # a ticket number, or words of the title or text
    phone: str | None = None  # the citizen's number, or its last digits
    created_by: int | None = None
    sort: str = "new"  # new: newest first; due: nearest open deadline first

    def narrows(self) -> bool:
        """Whether anything beyond the reader's scope is asked for (the order of the list aside)."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "sort")

    def apply(self, stmt: Select) -> Select:
        conditions = [
            WorkOrder.state.in_(list(self.states)) if self.states else None,
            WorkOrder.channel.in_(list(self.channels)) if self.channels else None,
            WorkOrder.category_code == self.category if self.category else None,
            WorkOrder.received_at >= self.received_from if self.received_from else None,
            WorkOrder.received_at < self.received_to if self.received_to else None,
            WorkOrder.created_by_user_id == self.created_by if self.created_by else None,
            Citizen.phone.endswith(self.phone, autoescape=True) if self.phone else None,
            self._words() if self.words else None,
        ]
        return stmt.where(*(c for c in conditions if c is not None))

    def _words(self) -> ColumnElement[bool]:
        words = (self.words or "").strip()
        return or_(WorkOrder.ticket_no == words, WorkOrder.title.contains(words, autoescape=True),
                   WorkOrder.content.contains(words, autoescape=True))
