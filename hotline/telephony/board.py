"""The supervisor's live agent board (坐席监控): who is at the queues and in what state (on a call, paused
and why, wrapping up, free), the callers waiting and the longest wait, and today's service level —
calls answered within N seconds ÷ calls offered to the queue — all from what the AMI listener stores."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from hotline.core.labels import AgentStatus
from hotline.telephony.repository import AgentRepository, CallRepository, QueueCallerRepository

ORDER = {s: i for i, s in enumerate((AgentStatus.TALKING, AgentStatus.RINGING, AgentStatus.WRAPUP,
                                     AgentStatus.PAUSED, AgentStatus.IDLE))}


def member_state(in_call: bool, paused: bool, desk_state: str | None) -> AgentStatus:
    """What the queue place is doing: Asterisk's word on a call and a pause, the desk's on ringing and 话后处理
    (the desk pauses the place during wrap-up, so a pause while wrapping up reads as wrap-up)."""
    if in_call:
        return AgentStatus.TALKING
    if desk_state == AgentStatus.WRAPUP:
        return AgentStatus.WRAPUP
    if paused:
        return AgentStatus.PAUSED
    if desk_state == AgentStatus.RINGING:
        return AgentStatus.RINGING
    return AgentStatus.IDLE


class AgentBoardService:
    def __init__(self, session: Session, timezone: str) -> None:
        self.session, self.zone = session, ZoneInfo(timezone)

    def board(self, now: dt.datetime, within: int) -> dict:
        members = []
        for place, name, desk_state, since, desk_reason in AgentRepository(self.session).board():
            state = member_state(place.in_call, place.paused, desk_state)
            members.append({
                "queue": place.queue, "interface": place.interface, "member_name": place.member_name,
                "name": name or place.member_name or place.interface, "state": state.value,
                "since": since if desk_state == state.value and since else place.updated_at,
                "pause_reason": (place.pause_reason or desk_reason) if state == AgentStatus.PAUSED else
                (desk_reason if state == AgentStatus.WRAPUP else None),
                "calls_taken": place.calls_taken})
        members.sort(key=lambda m: (ORDER[AgentStatus(m["state"])], m["queue"], m["name"]))
        waits = [(w, max(0, int((now - w.joined_at).total_seconds())))
                 for w in QueueCallerRepository(self.session).listing()]
        waiting = [{"queue": w.queue, "joined_at": w.joined_at, "wait_seconds": s} for w, s in waits]
        states = Counter(m["state"] for m in members)
        return {"now": now, "service_level_seconds": within, "members": members, "waiting": waiting,
                "summary": {"signed_in": len(members), **{s.value: states[s.value] for s in ORDER},
                            "waiting": len(waiting),
                            "longest_wait_seconds": max((s for _, s in waits), default=0)},
                "today": self.today(now, within)}

    def today(self, now: dt.datetime, within: int) -> dict:
        """Today's (the centre's local day) citizens' calls so far, and the service level."""
        start = dt.datetime.combine(now.astimezone(self.zone).date(), dt.time(), tzinfo=self.zone)
        total, answered, abandoned, _msg, _ivr, wait, offered, in_time = CallRepository(self.session).counts(
            start, now + dt.timedelta(microseconds=1), within)
        average = round(float(wait), 1) if wait is not None else None
        return {"calls": total, "offered": offered, "answered": answered, "abandoned": abandoned,
                "answered_in_time": in_time, "average_wait_seconds": average,
                "service_level": round(in_time / offered, 4) if offered else None}
