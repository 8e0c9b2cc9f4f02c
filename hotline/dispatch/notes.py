"""内部沟通: notes between the departments holding an order and the hotline. Never shown to citizens or
through Open311; a department reads them with phone and ID numbers masked, as it reads replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.clock import Clock
from hotline.core.errors import InvalidInputError, NotFoundError
from hotline.dispatch.note_repository import NoteRepository
from hotline.dispatch.repository import CitizenRepository, WorkOrderRepository
from hotline.dispatch.scope import DEPARTMENT, disclosure
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import NoteAdded
from hotline.models import OrderNote, WorkOrder

MAX_CHARS = 2000
CENTRE_NAME = "12345热线"


@dataclass(frozen=True)
class NoteView:
    id: int
    text: str
    author: str
    side: str  # the department's name, or the hotline
    mine: bool
    at: datetime


class Notes:
    def __init__(self, session: Session, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.rows = NoteRepository(session)
        self.orders = WorkOrderRepository(session)

    def order(self, ticket: str, actor: Actor) -> WorkOrder:
        found = self.orders.find(ticket, actor)
        if found is None:
            raise NotFoundError(f"no work order {ticket} in your scope", error_id="order_not_found")
        return found

    def list(self, ticket: str, actor: Actor) -> list[NoteView]:
        """The order's notes as `actor` may read them (404 outside its scope)."""
        order = self.order(ticket, actor)
        citizen = CitizenRepository(self.session).get(order.citizen_id)
        shown = disclosure(actor, [citizen.name if citizen else None])
        return [NoteView(n.id, shown.text(n.text) or "", author, department or CENTRE_NAME,
                         n.author_user_id == actor.user_id, n.created_at)
                for n, author, department in self.rows.of_order(order.id)]

    def add(self, ticket: str, actor: Actor, text: str) -> OrderNote:
        """A note on an order the writer may read; the departments holding it and the hotline hear of it."""
        text = (text or "").strip()
        if not text:
            raise InvalidInputError("a note needs some text", error_id="note_empty")
        if len(text) > MAX_CHARS:
            raise InvalidInputError(f"a note is at most {MAX_CHARS} characters", error_id="note_too_long")
        order = self.order(ticket, actor)
        department = actor.department_id if actor.role in DEPARTMENT else None
        note = self.rows.add(OrderNote(work_order_id=order.id, author_user_id=actor.user_id or 0,
                                       department_id=department, text=text, created_at=self.clock.now()))
        publish_after_commit(self.session, NoteAdded(order.ticket_no, note.id, department,
                                                     tuple(self.rows.departments_holding(order.id))))
        return note
