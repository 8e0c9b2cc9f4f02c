"""Turn work-order rows into API bodies, masking personal data for those who may not see it."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import Row
from sqlalchemy.orm import Session

from hotline.api.schemas.intake import RecordingOut, TranscriptOut
from hotline.api.schemas.orders import (
    AssignmentOut,
    CitizenOut,
    DeadlineOut,
    EventOut,
    OrderDetail,
    OrderSummary,
    StepOut,
)
from hotline.asr.repository import RecordingRepository
from hotline.core.actor import Actor
from hotline.core.enums import RecordingKind
from hotline.dispatch.deadline_repository import DeadlineRepository
from hotline.dispatch.lifecycle import allowed_actions
from hotline.dispatch.repository import CitizenRepository, DepartmentRepository
from hotline.dispatch.scope import Disclosure, disclosure
from hotline.models import WorkOrder, WorkOrderEvent
from hotline.voice.repository import CallDialogueRepository

LIGHTS = ("green", "yellow", "red")
IN_FULL = Disclosure(False)


class Summarised(Protocol):
    """What a summary is built from: an order, or a page's row of its summary columns."""

    ticket_no: str
    state: str
    tier: str
    category_code: str | None
    channel: str
    title: str
    place: str | None
    received_at: dt.datetime


def summary(order: Summarised | Row, light_rank: int | None, due_at, phone: str | None = None,
            shown: Disclosure = IN_FULL) -> OrderSummary:
    return OrderSummary(
        ticket_no=order.ticket_no, state=order.state, tier=order.tier, category_code=order.category_code,
        channel=order.channel, title=shown.text(order.title) or "", place=shown.text(order.place),
        received_at=order.received_at, light=None if light_rank is None else LIGHTS[light_rank], due_at=due_at,
        citizen_phone=shown.phone(phone),
    )


def step(order: WorkOrder, actor: Actor) -> StepOut:
    """Built from what the step already holds: no further reads."""
    return StepOut(ticket_no=order.ticket_no, state=order.state, tier=order.tier, category_code=order.category_code,
                   redo_count=order.redo_count, return_count=order.return_count,
                   allowed_actions=[a.value for a in allowed_actions(order.state, actor.role)])


def detail(session: Session, order: WorkOrder, actor: Actor, *, evidence_required: bool = False) -> OrderDetail:
    all_deadlines = DeadlineRepository(session).for_order(order.id)
    open_ones = [d for d in all_deadlines if d.status == "open"]
    worst = max((LIGHTS.index(d.light) for d in open_ones), default=None)
    citizen = CitizenRepository(session).get(order.citizen_id)
    shown = disclosure(actor, [citizen.name if citizen else None])
    departments = DepartmentRepository(session).by_ids(a.department_id for a in order.assignments)
    phone = citizen.phone if citizen else None
    return OrderDetail(
        **summary(order, worst, min((d.due_at for d in open_ones), default=None), phone, shown).model_dump(),
        call_linkedid=order.call_linkedid, kind=order.kind, suggested_category_code=order.suggested_category_code,
        suggestion_confidence=order.suggestion_confidence, suggestion_model=order.suggestion_model,
        content=shown.text(order.content),
        result=shown.text(order.result), accepted_at=order.accepted_at, dispatched_at=order.dispatched_at,
        replied_at=order.replied_at, completed_at=order.completed_at, closed_at=order.closed_at,
        close_reason=shown.text(order.close_reason), redo_count=order.redo_count, return_count=order.return_count,
        citizen=CitizenOut(phone=shown.phone(citizen.phone), name=shown.name(citizen.name)) if citizen else None,
        assignments=[AssignmentOut(
            department_code=departments[a.department_id].code, department_name=departments[a.department_id].name,
            role=a.role, status=a.status, active=a.active, dispatched_at=a.dispatched_at, signed_at=a.signed_at,
            replied_at=a.replied_at, completed_at=a.completed_at, reply_text=shown.text(a.reply_text),
            result=shown.text(a.result),
        ) for a in order.assignments],
        deadlines=[DeadlineOut(kind=d.kind, due_at=d.due_at, light=d.light, status=d.status,
                               provisional=d.provisional) for d in all_deadlines],
        allowed_actions=[a.value for a in allowed_actions(order.state, actor.role)],
        evidence_required=evidence_required,
    )


def events(session: Session, order: WorkOrder, actor: Actor, rows: list[WorkOrderEvent]) -> list[EventOut]:
    """The order's trail; notes and data (accept notes, dispatch reasons, redo comments) shown like its text."""
    citizen = CitizenRepository(session).get(order.citizen_id)
    shown = disclosure(actor, [citizen.name if citizen else None])
    return [EventOut(action=e.action, from_state=e.from_state, to_state=e.to_state, actor_role=e.actor_role,
                     note=shown.text(e.note), data=shown.data(e.data), occurred_at=e.occurred_at) for e in rows]


def recordings(session: Session, order_id: int | None, linkedids: list[str] | None = None) -> list[RecordingOut]:
    """Each recording with what was heard: a message's transcript, a call's dialogue (words timed for the player)."""
    found = RecordingRepository(session).with_transcripts(order_id, linkedids)
    dialogues = CallDialogueRepository(session)
    turns = {rec.linkedid: (d.turns or []) if (d := dialogues.get(rec.linkedid)) else []
             for rec, _ in found if rec.kind == RecordingKind.CALL and rec.linkedid}
    return [RecordingOut(
        id=rec.id, kind=rec.kind, status=rec.status, error=rec.error, created_at=rec.created_at,
        transcript=TranscriptOut(text=t.text, engine=t.engine, model=t.model, duration_s=t.duration_s,
                                 elapsed_s=t.elapsed_s, truncated=t.truncated, words=t.words,
                                 created_at=t.created_at) if t else None,
        draft=t.draft if t else None, deleted_at=rec.deleted_at, linkedid=rec.linkedid,
        turns=turns.get(rec.linkedid or "", []) if rec.kind == RecordingKind.CALL else [])
        for rec, t in found]
