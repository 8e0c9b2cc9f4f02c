"""转接: the operator hands the citizen on the line to 110/119/120, a utility's emergency line or a
department's duty phone — blind (AMI BlindTransfer) or attended (AMI Atxfer: the operator talks to the
other side first, may make it a three-way call, and hanging up completes it) — and Asterisk's transfer
events say what came of it. Asterisk 22's answers are in main/manager.c (action_blind_transfer,
action_atxfer, action_cancel_atxfer) and apps/app_senddtmf.c (PlayDTMF)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.errors import ConflictError, HotlineError, NotFoundError
from hotline.core.labels import AgentStatus
from hotline.desk.handover_repository import OPEN, HandoverRepository
from hotline.desk.ports import DeskEnv
from hotline.desk.repository import AgentStateRepository
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import HandoverUpdated
from hotline.models import Handover
from hotline.telephony.pbx import PbxUnavailableError


class Mode(StrEnum):
    BLIND = "blind"
    ATTENDED = "attended"


# What Asterisk 22 answers when it will not transfer → the error the operator reads (messages.py).
REFUSALS = {
    "Channel specified does not exist": "handover_call_gone",  # BlindTransfer, Atxfer, CancelAtxfer
    "Channel not found": "handover_call_gone",  # PlayDTMF
    "No such channel": "handover_call_gone",
    "Transfer not permitted": "handover_not_permitted",
    "Transfer invalid": "handover_not_bridged",
    "No attended transfer feature code found": "handover_no_feature_code",
}


CALL_ENDED = "the call ended before Asterisk said how the hand-over went"


class HandoverRefusedError(ConflictError):
    error_id = "handover_refused"


@dataclass(frozen=True)
class Target:
    kind: str  # emergency | department
    code: str
    name: str
    number: str | None  # None: the centre has not filled the number in yet
    department: str | None


def targets(env: DeskEnv) -> list[Target]:
    """The emergency lines (catalogue.yaml) first, then the departments' duty phones (handover.yaml)."""
    config = env.config
    out = [Target("emergency", code, s.name, s.phone, s.department)
           for code, s in config.catalogue.emergency_services.items()]
    out += [Target("department", code, d.name, d.phone, code) for code, d in config.handover.duty_phones.items()]
    return out


def as_dict(row: Handover) -> dict[str, Any]:
    return {"id": row.id, "linkedid": row.linkedid, "work_order_id": row.work_order_id,
            "target_kind": row.target_kind, "target_code": row.target_code, "target_name": row.target_name,
            "number": row.number, "mode": row.mode, "state": row.state, "requested_by": row.requested_by,
            "requested_at": row.requested_at.isoformat(), "outcome": row.outcome,
            "settled_at": row.settled_at.isoformat() if row.settled_at else None}


class Handovers:
    def __init__(self, session: Session, env: DeskEnv) -> None:
        self.session, self.env = session, env
        self.rows = HandoverRepository(session)

    def target(self, code: str) -> Target:
        found = next((t for t in targets(self.env) if t.code == code), None)
        if found is None:
            raise NotFoundError(f"no hand-over target {code!r}", error_id="handover_target_unknown")
        if not found.number:
            raise ConflictError(f"{found.name} has no number in config/ yet", error_id="handover_no_number")
        return found

    def request(self, actor: Actor, code: str, mode: Mode) -> Handover:
        """The row, before Asterisk is asked: its events may arrive before the request's own answer, so the
        caller commits this first."""
        target = self.target(code)
        state = AgentStateRepository(self.session).get(actor.user_id or 0)
        if state is None or state.state != AgentStatus.TALKING or not state.channel or not state.linkedid:
            raise ConflictError("you are not talking to a caller", error_id="handover_no_call")
        order = self.rows.order_of_call(state.linkedid)
        return self.rows.add(Handover(
            linkedid=state.linkedid, work_order_id=order.id if order else None, target_kind=target.kind,
            target_code=target.code, target_name=target.name, number=target.number or "", mode=mode.value,
            state="requested", action_id=f"handover-{uuid.uuid4().hex[:24]}", operator_channel=state.channel,
            requested_by=actor.user_id, requested_at=self.env.clock.now()))

    def send(self, row: Handover) -> Handover:
        """Ask Asterisk; a refusal leaves the row `refused` with Asterisk's words and raises in Chinese."""
        context = self.env.config.handover.context
        try:
            if row.mode == Mode.BLIND:
                answer = self.env.pbx.blind_transfer(row.action_id, row.operator_channel, context, row.number)
            else:
                answer = self.env.pbx.attended_transfer(row.action_id, row.operator_channel, context, row.number)
        except (ConflictError, PbxUnavailableError) as exc:
            said = (exc.details or {}).get("message", "") if isinstance(exc.details, dict) else ""
            self._move(row, ("requested",), "refused", f"Asterisk: {said or exc.message}", settled=True)
            raise self._refused(exc, said) from None
        placed = "transferred" if row.mode == Mode.BLIND else "consulting"
        self._move(row, ("requested",), placed, f"Asterisk: {answer.get('Message', '')}")
        return row

    def threeway(self, actor: Actor, handover_id: int) -> Handover:
        """三方通话: the citizen joins the operator's talk with the other side (features.conf atxferthreeway)."""
        row = self._mine(actor, handover_id, "consulting")
        try:
            self.env.pbx.press(row.operator_channel, self.env.config.handover.threeway_code)
        except (ConflictError, PbxUnavailableError) as exc:
            raise self._refused(exc, (exc.details or {}).get("message", "")) from None
        row.outcome = "三方通话"
        self.session.flush()
        return row

    def cancel(self, actor: Actor, handover_id: int) -> Handover:
        """Back to the citizen: the consultation leg is hung up (CancelAtxfer, features.conf atxferabort)."""
        row = self._mine(actor, handover_id, "consulting")
        try:
            answer = self.env.pbx.cancel_attended_transfer(row.operator_channel)
        except (ConflictError, PbxUnavailableError) as exc:
            raise self._refused(exc, (exc.details or {}).get("message", "")) from None
        self._move(row, ("consulting",), "cancelled", f"Asterisk: {answer.get('Message', '')}", settled=True)
        return row

    def settle(self, event: dict[str, str]) -> Handover | None:
        """An AMI BlindTransfer, AttendedTransfer or UserEvent(HotlineHandover) about a hand-over."""
        name, result = event.get("Event"), event.get("Result", "")
        if name == "BlindTransfer":
            row = self.rows.open_on_channel(event.get("TransfererChannel", ""))
            ok = result == "Success"
            said = f"BlindTransfer Result: {result} ({event.get('Extension', '')}@{event.get('Context', '')})"
            return self._settle(row, ("requested", "transferred"), "transferred" if ok else "failed", said, not ok)
        if name == "AttendedTransfer":
            row = self.rows.open_on_channel(event.get("OrigTransfererChannel", ""))
            ok = result == "Success" and event.get("DestType") != "Fail"
            said = f"AttendedTransfer Result: {result}, DestType: {event.get('DestType', '')}"
            return self._settle(row, ("requested", "consulting"), "connected" if ok else "failed", said, True)
        if name == "UserEvent" and event.get("UserEvent") == "HotlineHandover":
            row = self.rows.open_on_call(event.get("Linkedid", ""), event.get("Dialled", ""))
            dial = event.get("DialStatus", "")
            said = f"DialStatus: {dial}"
            if dial == "ANSWER":
                if row is not None and row.mode == Mode.ATTENDED:
                    return None  # the AttendedTransfer event says whether the citizen was handed on
                return self._settle(row, ("requested", "transferred"), "connected", said, True)
            return self._settle(row, ("requested", "transferred", "consulting"), "failed", said, True)
        return None

    def call_ended(self, linkedid: str) -> list[Handover]:
        """The call is over and Asterisk never said how a hand-over went — an Atxfer it answered "queued" and
        then gave up on raises no event at all (seen on the lab's Asterisk): failed, not open for ever."""
        ended = []
        for row in self.rows.of_call(linkedid):
            if row.state in OPEN and self._move(row, OPEN, "failed", CALL_ENDED, settled=True):
                ended.append(row)
        return ended

    def _settle(self, row: Handover | None, from_states: tuple[str, ...], to: str, said: str,
                settled: bool) -> Handover | None:
        if row is None or not self._move(row, from_states, to, said, settled=settled):
            return None
        return row

    def _move(self, row: Handover, from_states: tuple[str, ...], to: str, said: str, *, settled: bool = False) -> bool:
        moved = self.rows.move(row.id, from_states, to, said, self.env.clock.now() if settled else None)
        self.session.refresh(row)  # moved here, or already by Asterisk's event: the row as it stands
        if moved and row.requested_by:
            publish_after_commit(self.session, HandoverUpdated(row.requested_by, as_dict(row)))
        return moved

    def _mine(self, actor: Actor, handover_id: int, state: str) -> Handover:
        row = self.rows.get(handover_id, lock=True)
        if row is None or row.requested_by != actor.user_id:
            raise NotFoundError(f"no hand-over {handover_id} of yours", error_id="handover_not_found")
        if row.state != state:
            raise ConflictError(f"hand-over {handover_id} is {row.state}", error_id="handover_not_open")
        return row

    @staticmethod
    def _refused(exc: HotlineError, said: str) -> HotlineError:
        if isinstance(exc, PbxUnavailableError):
            return exc
        error_id = next((e for prefix, e in REFUSALS.items() if said.startswith(prefix)), "handover_refused")
        return HandoverRefusedError(f"Asterisk refused the hand-over: {said}", details={"asterisk": said},
                                    error_id=error_id)


def target_dict(target: Target) -> dict[str, Any]:
    return asdict(target)
