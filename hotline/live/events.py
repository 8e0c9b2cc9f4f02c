"""The typed events consoles receive; each knows the channels it goes to and its JSON body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CALLS = "calls"  # every call, for supervisors
TRANSCRIPTS = "transcripts"  # voice messages transcribed, for the operators' waiting list


def agent_channel(user_id: int) -> str:
    return f"agent:{user_id}"


@dataclass(frozen=True)
class LiveEvent:
    """Base: `type` names the SSE event; `channels` says who hears it."""

    type = "message"

    def channels(self) -> list[str]:
        raise NotImplementedError

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class CallUpdated(LiveEvent):
    """A call was stored or changed (supervisors' call board)."""

    record: dict[str, Any]
    type = "call"

    def channels(self) -> list[str]:
        return [CALLS]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, **self.record}


@dataclass(frozen=True)
class ScreenPop(LiveEvent):
    """A call connected to an operator: the caller and their history, to that operator and supervisors."""

    linkedid: str
    agent: str | None
    interface: str | None
    queue: str | None
    wait_seconds: int | None
    history: dict[str, Any]
    user_ids: tuple[int, ...] = field(default=())
    type = "screen_pop"

    def channels(self) -> list[str]:
        return [agent_channel(u) for u in sorted(set(self.user_ids))] + [CALLS]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "linkedid": self.linkedid, "agent": self.agent, "interface": self.interface,
                "queue": self.queue, "wait_seconds": self.wait_seconds, "history": self.history}


@dataclass(frozen=True)
class TranscriptReady(LiveEvent):
    """A recording was transcribed; consoles showing its order refresh the text and draft."""

    recording_id: int
    ticket: str | None
    text: str
    draft: dict[str, Any] | None
    type = "transcript"

    def channels(self) -> list[str]:
        return [TRANSCRIPTS]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "recording_id": self.recording_id, "ticket": self.ticket, "text": self.text,
                "draft": self.draft}


DESK = "desk"  # the hotline's own work lists: waiting to be accepted, returned for re-dispatch


@dataclass(frozen=True)
class OrderChanged(LiveEvent):
    """A work order moved into or out of the hotline's work lists (sent after its transaction commits)."""

    ticket: str
    action: str
    from_state: str | None
    to_state: str
    type = "worklist"

    def channels(self) -> list[str]:
        return [DESK]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "ticket": self.ticket, "action": self.action, "from_state": self.from_state,
                "to_state": self.to_state}


@dataclass(frozen=True)
class AgentStateChanged(LiveEvent):
    """An operator's state at the queue changed (the call connected, ended, wrap-up finished …)."""

    user_id: int
    state: dict[str, Any]
    type = "agent_state"

    def channels(self) -> list[str]:
        return [agent_channel(self.user_id)]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, **self.state}


@dataclass(frozen=True)
class AfterCallDraft(LiveEvent):
    """A call's recording was transcribed: its operators' consoles offer the draft for 话后处理."""

    linkedid: str
    user_ids: tuple[int, ...]
    citizen_text: str
    draft: dict[str, Any] | None
    offered: bool
    type = "after_call"

    def channels(self) -> list[str]:
        return [agent_channel(u) for u in sorted(set(self.user_ids))] + [f"call:{self.linkedid}"]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "linkedid": self.linkedid, "citizen_text": self.citizen_text,
                "draft": self.draft, "offered": self.offered}


@dataclass(frozen=True)
class HandoverUpdated(LiveEvent):
    """A hand-over (转接) moved: Asterisk placed, connected or failed it; to the operator who started it."""

    user_id: int
    handover: dict[str, Any]
    type = "handover"

    def channels(self) -> list[str]:
        return [agent_channel(self.user_id), CALLS]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, **self.handover}


SUPERVISION = "supervision"  # what awaits a supervisor's decision: extensions (延期审批), 督办


def department_channel(department_id: int) -> str:
    return f"department:{department_id}"


@dataclass(frozen=True)
class ExtensionChanged(LiveEvent):
    """An extension was asked for or decided: supervisors' approval list and the department's inbox reload.
    The body names no order, so a supervisor of another district learns nothing from it."""

    request_id: int
    status: str
    department_id: int
    type = "extension"

    def channels(self) -> list[str]:
        return [SUPERVISION, department_channel(self.department_id)]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "request_id": self.request_id, "status": self.status}


@dataclass(frozen=True)
class DepartmentNotice(LiveEvent):
    """What the department must see at once: a new order (派单, 重办), a 催办, a 督办 raised or resolved.
    `text` leaves already masked for a department; `tier` lets the page ring for an emergency."""

    department_id: int
    kind: str  # dispatched | urge | supervised | supervision_resolved
    ticket: str
    text: str
    tier: str | None = None
    type = "notice"

    def channels(self) -> list[str]:
        return [department_channel(self.department_id)]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "kind": self.kind, "ticket": self.ticket, "text": self.text, "tier": self.tier}


@dataclass(frozen=True)
class SupervisionRaised(LiveEvent):
    """A 督办 opened by a trigger (emergency, 重复诉求, 服务态度): the department it names hears of it on its own
    channel, supervisors on theirs — each only if they may read the order (type `notice`, checked per ticket)."""

    department_id: int | None
    kind: str  # the SupervisionKind
    ticket: str
    text: str
    type = "notice"

    def channels(self) -> list[str]:
        named = [department_channel(self.department_id)] if self.department_id is not None else []
        return [SUPERVISION, *named]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "kind": "supervision", "supervision_kind": self.kind, "ticket": self.ticket,
                "text": self.text}


@dataclass(frozen=True)
class NoteAdded(LiveEvent):
    """内部沟通: a note was written on an order. To the departments holding it and the hotline's desk; the
    body carries no words (each reader fetches them, masked as its scope says), only which order."""

    ticket: str
    note_id: int
    from_department_id: int | None
    department_ids: tuple[int, ...]
    type = "note"

    def channels(self) -> list[str]:
        return [department_channel(d) for d in sorted(set(self.department_ids))] + [DESK]

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "ticket": self.ticket, "note_id": self.note_id,
                "from_hotline": self.from_department_id is None}
