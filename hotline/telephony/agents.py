"""Agents' queue places from QueueMember* events (and QueueStatus answers after a reconnect)."""

from __future__ import annotations

from collections.abc import Callable

from hotline.telephony.records import AgentState, as_int, device_of


class AgentBoard:
    """One state per (queue, interface); `handlers` maps the AMI events that change it."""

    def __init__(self) -> None:
        self.agents: dict[tuple[str, str], AgentState] = {}
        self.handlers: dict[str, Callable[[dict], None]] = {
            "QueueMemberStatus": self._member,
            "QueueMemberAdded": self._member,
            "QueueMember": self._member,  # QueueStatus answer
            "QueueMemberRemoved": self._removed,
            "QueueMemberPause": self._pause,
        }

    def in_call_at(self, device: str) -> AgentState | None:
        """The logged-in member talking at this device (a reconnect links a bridged channel to its agent)."""
        return next((a for a in self.agents.values()
                     if a.logged_in and a.in_call and device_of(a.interface) == device), None)

    def _agent(self, e: dict) -> AgentState:
        key = (e.get("Queue", ""), e.get("Interface") or e.get("Location", ""))
        state = self.agents.get(key)
        if state is None:
            state = self.agents[key] = AgentState(queue=key[0], interface=key[1])
        state.member_name = e.get("MemberName") or e.get("Name") or state.member_name
        return state

    def _member(self, e: dict) -> None:
        state = self._agent(e)
        state.status = as_int(e.get("Status"))
        state.paused = e.get("Paused") == "1"
        state.pause_reason = e.get("PausedReason") or None
        state.in_call = e.get("InCall") == "1"
        state.calls_taken = as_int(e.get("CallsTaken")) or 0
        state.logged_in = True

    def _removed(self, e: dict) -> None:
        """Left the queue: a pause or a call no longer applies (Asterisk reports the member as it was)."""
        state = self._agent(e)
        state.logged_in, state.paused, state.pause_reason, state.in_call = False, False, None, False

    def _pause(self, e: dict) -> None:
        state = self._agent(e)
        state.paused = e.get("Paused") == "1"
        state.pause_reason = (e.get("PausedReason") or e.get("Reason") or None) if state.paused else None
