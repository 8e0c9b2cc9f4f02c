"""The callback desk (回访台) beyond recording verdicts: a searchable queue, taking a chosen callback, the
script for the case's category, and click-to-call — Asterisk rings the staff member's phone, then the
citizen's, and the call is known by the Linkedid given to it before it starts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.config_desk import CallbackScript
from hotline.core.errors import ConflictError, InvalidInputError
from hotline.desk.ports import DeskEnv
from hotline.desk.repository import CallbackQueueRepository
from hotline.dispatch.repository import CitizenRepository
from hotline.models import Callback, CallbackDial, WorkOrder


@dataclass(frozen=True)
class Dialled:
    linkedid: str
    channel: str
    attempt: int


class CallbackDesk:
    def __init__(self, session: Session, env: DeskEnv) -> None:
        self.session, self.env = session, env
        self.rows = CallbackQueueRepository(session)

    @property
    def now(self) -> dt.datetime:
        return self.env.clock.now()

    def queue(self, actor: Actor, words: str | None, phone: str | None, limit: int,
              offset: int) -> tuple[list[Callback], int]:
        return self.rows.due(self.now, actor.user_id, words, phone, limit, offset)

    def take(self, order: WorkOrder, actor: Actor) -> Callback:
        """Claim this order's pending callback (a citizen calling back, or a row picked from the queue)."""
        callback = self.rows.for_order(order.id, lock=True)
        if callback is None:
            raise ConflictError(f"work order {order.ticket_no} is not awaiting a callback",
                                details={"state": order.state}, error_id="not_awaiting_callback")
        held = callback.claimed_until is not None and callback.claimed_until > self.now
        if held and callback.claimed_by_user_id != actor.user_id:
            raise ConflictError(f"a colleague is calling back {order.ticket_no}", error_id="callback_taken")
        callback.claimed_by_user_id = actor.user_id
        callback.claimed_until = self.now + dt.timedelta(minutes=self.env.config.callbacks.claim_minutes)
        return callback

    def dial(self, order: WorkOrder, actor: Actor, extension: str | None) -> Dialled:
        """Originate: the staff member's own phone first; when they answer, the citizen's number."""
        if not extension:
            raise InvalidInputError("bind your phone's extension to your account first", error_id="no_extension")
        citizen = CitizenRepository(self.session).get(order.citizen_id)
        if citizen is None or not citizen.phone:
            raise InvalidInputError(f"work order {order.ticket_no} has no citizen phone number", error_id="no_phone")
        callback = self.take(order, actor)
        attempt = callback.attempts + 1
        linkedid = f"hotline-cb-{callback.id}-{attempt}-{int(self.now.timestamp())}"
        dial = self.env.config.desk.callback_dial
        self.env.pbx.originate(f"cbdial-{callback.id}-{attempt}", extension, dial.context, citizen.phone,
                               f'"12345回访" <{dial.caller_id}>',
                               {"HOTLINE_CALLBACK": str(callback.id), "HOTLINE_ATTEMPT": str(attempt),
                                "HOTLINE_TICKET": order.ticket_no}, channel_id=linkedid)
        self.rows.add_dial(CallbackDial(callback_id=callback.id, attempt_no=attempt, user_id=actor.user_id,
                                        linkedid=linkedid, channel=extension, started_at=self.now))
        return Dialled(linkedid, extension, attempt)

    def script(self, order: WorkOrder, department: str | None) -> dict:
        """The 回访话术 for the order's category: the longest matching key, else the default."""
        scripts = self.env.config.desk.scripts
        code = order.category_code or ""
        keys = [k for k in scripts if k != "default" and (code == k or code.startswith(k + "."))]
        chosen: CallbackScript = scripts[max(keys, key=len)] if keys else scripts["default"]
        local = self.env.sla.local_day(order.received_at)
        values = defaultdict(str, title=order.title, received=f"{local.month}月{local.day}日",
                             department=department or "承办单位")
        return {"key": max(keys, key=len) if keys else "default",
                "opening": chosen.opening.format_map(values), "questions": list(chosen.questions),
                "closing": chosen.closing.format_map(values)}
