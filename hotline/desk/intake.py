"""The operator's one action on a call or a waiting order: 受理 and, in the same transaction, 派单,
直接答复, 合并为重复件, 并案 — or 无效. One request from the browser, one commit, nothing half done."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import State, Tier
from hotline.core.errors import InvalidInputError
from hotline.desk.incidents import Incidents
from hotline.desk.ports import DeskEnv
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService, require_text
from hotline.models import WorkOrder

CLAUSE = re.compile(r"[，。！？；,.!?;\n]")
TITLE_CHARS = 40


class Outcome(StrEnum):
    REGISTER = "register"  # accept only: the order waits in the hotline's list
    DISPATCH = "dispatch"
    ANSWER = "answer"  # 直办
    DUPLICATE = "duplicate"  # 重复件 of the same caller's open order
    INCIDENT = "incident"  # 并案 into another caller's open order
    INVALID = "invalid"


@dataclass(frozen=True)
class Taking:
    """What the operator decided. `draft` is a new order (the call on the line); `ticket` a waiting one."""

    outcome: Outcome
    ticket: str | None = None
    draft: WorkOrderDraft | None = None
    content: str | None = None  # corrects a waiting order's text (a voice message typed out)
    tier: Tier | None = None
    category_code: str | None = None
    place: str | None = None
    lead: str | None = None
    co: tuple[str, ...] = field(default=())
    reason: str | None = None  # why another department than suggested; why invalid
    answer: str | None = None
    other_ticket: str | None = None  # the original (重复件) or the incident's master (并案)


@dataclass(frozen=True)
class Taken:
    order: WorkOrder
    extraction_code: str | None  # only for an order created now: read it out, never shown again
    outcome: Outcome


def title_from(content: str) -> str:
    """A title from the citizen's words, cut at a clause, never mid-phrase when a clause boundary fits."""
    text = content.strip()
    first = CLAUSE.split(text, maxsplit=1)[0].strip() or text
    if len(first) <= TITLE_CHARS:
        return first
    cut = max((m.start() for m in CLAUSE.finditer(text, 0, TITLE_CHARS)), default=0)
    return text[:cut] if cut >= 8 else text[:TITLE_CHARS - 1] + "…"


class DeskIntake:
    def __init__(self, session: Session, env: DeskEnv) -> None:
        self.session, self.env = session, env
        self.orders = WorkOrderService(session, env)

    def take(self, taking: Taking, actor: Actor) -> Taken:
        order, code = self._order(taking, actor)
        if taking.outcome == Outcome.INVALID:
            require_text(taking.reason, "reason")
            self.orders.mark_invalid(order.id, actor, taking.reason or "")
            return Taken(order, code, taking.outcome)
        if order.state == State.RECEIVED:
            self.orders.accept(order.id, actor, tier=taking.tier, category_code=taking.category_code,
                               place=taking.place)
        self._finish(order, taking, actor)
        return Taken(order, code, taking.outcome)

    def _order(self, taking: Taking, actor: Actor) -> tuple[WorkOrder, str | None]:
        if taking.ticket:
            if taking.outcome in (Outcome.DUPLICATE, Outcome.INCIDENT) and taking.other_ticket:
                # Both orders locked lowest id first, before either is touched: no deadlock with the reverse merge.
                self.orders.orders.lock_in_id_order([taking.ticket, taking.other_ticket])
            order = self.orders.load(taking.ticket, actor)
            if taking.content and taking.content.strip() != order.content and order.state == State.RECEIVED:
                order.content = taking.content.strip()
                order.title = title_from(order.content)
            return order, None
        if taking.draft is None:
            raise InvalidInputError("give the ticket of a waiting order or the new order's text",
                                    error_id="text_required")
        created = self.orders.create(taking.draft, actor)
        return self.orders.load(created.order_id, actor), created.extraction_code

    def _finish(self, order: WorkOrder, taking: Taking, actor: Actor) -> None:
        if taking.outcome == Outcome.DISPATCH:
            self.orders.dispatch(order.id, actor, taking.lead, taking.co, taking.reason)
        elif taking.outcome == Outcome.ANSWER:
            self.orders.answer_directly(order.id, actor, taking.answer or "")
        elif taking.outcome == Outcome.DUPLICATE:
            self.orders.merge_duplicate(order.id, actor, _needed(taking.other_ticket))
        elif taking.outcome == Outcome.INCIDENT:
            Incidents(self.session, self.env).attach(order, _needed(taking.other_ticket), actor)


def _needed(ticket: str | None) -> str:
    if not ticket:
        raise InvalidInputError("name the order to merge into", error_id="duplicate_parent_not_found")
    return ticket
