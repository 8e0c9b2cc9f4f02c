"""Registering a citizen's request (state received): on PostgreSQL one statement after the ticket
number, on SQLite through the ORM. A repeated channel source id returns the first order."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import ONLINE_CHANNELS, Channel, DeadlineKind, Role, State, Tier
from hotline.dispatch import tickets
from hotline.dispatch.deadline_repository import DeadlineRepository
from hotline.dispatch.inserts import NewOrder, deadline_values, insert_order, received_values
from hotline.dispatch.lifecycle import Action
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import CitizenRepository, WorkOrderRepository, announce
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.models import Deadline, WorkOrder


@dataclass
class Created:
    """The new order (loaded when asked for) and its extraction code — None when a retry found the first."""

    session: Session = field(repr=False)
    order_id: int
    ticket_no: str
    extraction_code: str | None
    state: str = State.RECEIVED
    _order: WorkOrder | None = field(default=None, repr=False)

    @property
    def order(self) -> WorkOrder:
        if self._order is None:
            self._order = WorkOrderRepository(self.session).require(self.order_id)
        return self._order

    @classmethod
    def existing(cls, session: Session, order: WorkOrder) -> Created:
        return cls(session, order.id, order.ticket_no, None, order.state, order)


class OrderCreator:
    def __init__(self, session: Session, ctx: DispatchEnv) -> None:
        self.session, self.ctx = session, ctx
        self.orders = WorkOrderRepository(session)
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def create(self, draft: WorkOrderDraft, actor: Actor, tier: Tier) -> Created:
        if self.postgres:
            return self._insert_postgres(draft, actor, tier)
        if draft.source_id and (existing := self.orders.by_source(draft.channel, draft.source_id)):
            return Created.existing(self.session, existing)
        if not draft.source_id:
            return self._insert_orm(draft, actor, tier)
        try:  # a retried channel submission may race its first attempt: the unique key decides
            with self.session.begin_nested():
                return self._insert_orm(draft, actor, tier)
        except IntegrityError:
            existing = self.orders.by_source(draft.channel, draft.source_id)
            if existing is None:
                raise
            return Created.existing(self.session, existing)

    def _numbers(self) -> tuple[str, str, str]:
        """A ticket number taken on this request's own connection, an extraction code and its hash."""
        ticket_no = tickets.allocate_ticket(self.session, self.ctx.sla.local_day(self.ctx.clock.now()))
        code = tickets.new_extraction_code()
        return ticket_no, code, tickets.hash_extraction_code(self.ctx.secret, ticket_no, code)

    def _columns(self, draft: WorkOrderDraft, actor: Actor, tier: Tier) -> dict:
        suggested = draft.suggestion
        return dict(state=State.RECEIVED, tier=draft.tier or tier, category_code=draft.category_code,
                    kind=draft.kind, suggested_category_code=suggested.category_code if suggested else None,
                    suggestion_confidence=suggested.confidence if suggested else None,
                    suggestion_model=suggested.model if suggested else None,
                    channel=draft.channel, source_id=draft.source_id, created_by_user_id=actor.user_id,
                    title=draft.title, content=draft.content, place=draft.place, received_at=self.ctx.clock.now(),
                    call_linkedid=draft.call_linkedid, latitude=draft.latitude, longitude=draft.longitude,
                    media_url=draft.media_url)

    def _insert_postgres(self, draft: WorkOrderDraft, actor: Actor, tier: Tier) -> Created:
        now = self.ctx.clock.now()
        ticket_no, code, code_hash = self._numbers()
        event = dict(action=Action.CREATE.value, from_state=None, to_state=State.RECEIVED.value,
                     actor_role=actor.role.value, actor_user_id=actor.user_id,
                     actor_department_id=actor.department_id, note=None, data={"channel": draft.channel.value},
                     occurred_at=now)
        order_id = insert_order(self.session, NewOrder(
            values=received_values(ticket_no=ticket_no, extraction_code_hash=code_hash,
                                   **self._columns(draft, actor, tier)),
            citizen_phone=draft.citizen_phone, citizen_name=draft.citizen_name, event=event,
            deadline=self._accept_deadline(draft) if _waits_for_acceptance(draft, actor) else None))
        if order_id is None:  # the same channel submission was registered first: that one stands
            existing = self.orders.by_source(draft.channel, draft.source_id or "")
            assert existing is not None
            return Created.existing(self.session, existing)
        announce(self.session, ticket_no, Action.CREATE.value, None, State.RECEIVED.value)
        return Created(self.session, order_id, ticket_no, code)

    def _accept_deadline(self, draft: WorkOrderDraft) -> dict:
        now = self.ctx.clock.now()
        due = self.ctx.sla.acceptance_due(now)
        return deadline_values(DeadlineKind.ACCEPT, now, self.ctx.sla.warn_at(now, due.at), due.at, due.provisional)

    def _insert_orm(self, draft: WorkOrderDraft, actor: Actor, tier: Tier) -> Created:
        now = self.ctx.clock.now()
        citizen = (CitizenRepository(self.session).get_or_create(draft.citizen_phone, draft.citizen_name, now)
                   if draft.citizen_phone else None)
        ticket_no, code, code_hash = self._numbers()
        order = self.orders.add(WorkOrder(ticket_no=ticket_no, extraction_code_hash=code_hash,
                                          citizen_id=citizen.id if citizen else None,
                                          **self._columns(draft, actor, tier)))
        self.orders.add_event(order, Action.CREATE, None, actor, now, data={"channel": draft.channel.value})
        if _waits_for_acceptance(draft, actor):
            DeadlineRepository(self.session).add(Deadline(work_order_id=order.id, **self._accept_deadline(draft)))
        return Created(self.session, order.id, ticket_no, code, State.RECEIVED, order)


def _waits_for_acceptance(draft: WorkOrderDraft, actor: Actor) -> bool:
    """Online submissions and messages left in the IVR wait for an operator: their acceptance clock runs.
    A call an operator registers is accepted while the citizen is on the line."""
    left_in_ivr = draft.channel == Channel.PHONE and draft.source_id is not None and actor.role == Role.SYSTEM
    return draft.channel in ONLINE_CHANNELS or left_in_ivr
