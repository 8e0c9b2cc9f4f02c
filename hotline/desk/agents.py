"""Where an operator stands at the queue (空闲/振铃/通话中/话后处理/示忙/未签入), kept in the database so a
reload shows it again, with every stretch of time recorded so talk and wrap-up time can be counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.labels import AgentStatus
from hotline.desk.repository import AgentStateRepository
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import AgentStateChanged
from hotline.models import AgentState, AgentStint

OFFLINE = AgentStatus.OFFLINE


def as_dict(state: AgentState | None, now: dt.datetime) -> dict[str, Any]:
    """What the console shows; `now` lets it run its timer on the server's clock."""
    if state is None:
        return {"state": OFFLINE.value, "since": None, "queue": None, "interface": None, "pause_reason": None,
                "linkedid": None, "caller": None, "now": now.isoformat()}
    return {"state": state.state, "since": state.since.isoformat(), "queue": state.queue,
            "interface": state.interface, "pause_reason": state.pause_reason, "linkedid": state.linkedid,
            "caller": state.caller, "now": now.isoformat()}


class AgentDesk:
    def __init__(self, session: Session, clock: Clock) -> None:
        self.session, self.clock = session, clock
        self.states = AgentStateRepository(session)

    def current(self, user_id: int) -> AgentState | None:
        return self.states.get(user_id)

    def move(self, user_id: int, state: AgentStatus, *, queue: str | None = None, interface: str | None = None,
             reason: str | None = None, linkedid: str | None = None, caller: str | None = None,
             at: dt.datetime | None = None, channel: str | None = None,
             peer_channel: str | None = None) -> AgentState:
        """Close the current stretch, open the next (none while offline) and tell the operator's console."""
        now = at or self.clock.now()
        row = self.states.get(user_id, lock=True)
        if row is None:
            row = AgentState(user_id=user_id, state=OFFLINE.value, since=now, updated_at=now)
            self.states.add(row)
        self._close_stint(user_id, now)
        if state != OFFLINE:
            self.states.add(AgentStint(user_id=user_id, state=state.value, reason=reason, linkedid=linkedid,
                                       started_at=now))
        row.state, row.since, row.updated_at = state.value, now, now
        row.queue, row.interface = queue or row.queue, interface or row.interface
        row.pause_reason = reason if state in (AgentStatus.PAUSED, AgentStatus.WRAPUP) else None
        keeps_call = state in (AgentStatus.RINGING, AgentStatus.TALKING, AgentStatus.HELD, AgentStatus.WRAPUP)
        row.linkedid = (linkedid or row.linkedid) if keeps_call else None
        row.caller = (caller or row.caller) if keeps_call else None
        on_line = state in (AgentStatus.TALKING, AgentStatus.HELD)
        row.channel = (channel or row.channel) if on_line else None
        row.peer_channel = (peer_channel or row.peer_channel) if on_line else None
        self.session.flush()
        publish_after_commit(self.session, AgentStateChanged(user_id, as_dict(row, now)))
        return row

    def connected(self, interface: str | None, linkedid: str, caller: str | None,
                  channel: str | None = None, peer_channel: str | None = None) -> list[int]:
        """A call connected at this interface: whoever is signed in there is talking (on `channel`, with the
        citizen on `peer_channel`)."""
        users = list(self.states.at_interface(interface)) if interface else []
        for user_id in users:
            self.move(user_id, AgentStatus.TALKING, linkedid=linkedid, caller=caller, channel=channel,
                      peer_channel=peer_channel)
        return users

    def ended(self, linkedid: str, reason: str, at: dt.datetime | None = None) -> list[AgentState]:
        """The call ended: its operators go into wrap-up (话后处理) until they say they are ready."""
        return [self.move(user_id, AgentStatus.WRAPUP, reason=reason, linkedid=linkedid, at=at)
                for user_id in self.states.on_call(linkedid)]

    def _close_stint(self, user_id: int, now: dt.datetime) -> None:
        stint = self.states.open_stint(user_id)
        if stint is not None:
            stint.ended_at = now
            stint.seconds = max(0, int((now - stint.started_at).total_seconds()))
