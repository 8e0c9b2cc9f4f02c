"""Call records and agent states into the database: one row per Linkedid, however often replayed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.core.enums import Channel
from hotline.models import AgentSession, Call, WorkOrder
from hotline.telephony.tracker import AgentState, CallRecord

CALL_FIELDS = ("caller", "dialled", "started_at", "answered_at", "ended_at", "ivr_path", "queue", "wait_seconds",
               "agent", "agent_interface", "talk_seconds", "hangup_cause", "disposition", "recording",
               "message_recording")


def save_calls(session: Session, records: Iterable[CallRecord], now: dt.datetime) -> int:
    """Upsert finished calls by Linkedid; a call that left a message is linked to the order the IVR made."""
    rows = [{"linkedid": r.linkedid, **{f: getattr(r, f) for f in CALL_FIELDS}, "stored_at": now} for r in records]
    if not rows:
        return 0
    linked = dict(session.execute(select(WorkOrder.source_id, WorkOrder.id).where(
        WorkOrder.channel == Channel.PHONE.value, WorkOrder.source_id.in_([r["linkedid"] for r in rows]))).all())
    for row in rows:
        row["work_order_id"] = linked.get(row["linkedid"])
    stmt = dialect_insert(session, Call)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[Call.linkedid],
        set_={f: getattr(stmt.excluded, f) for f in (*CALL_FIELDS, "work_order_id", "stored_at")}), rows)
    return len(rows)


def save_agents(session: Session, states: Iterable[AgentState], now: dt.datetime) -> None:
    rows = [{"queue": s.queue, "interface": s.interface, "member_name": s.member_name, "logged_in": s.logged_in,
             "paused": s.paused, "pause_reason": s.pause_reason, "status": s.status, "in_call": s.in_call,
             "calls_taken": s.calls_taken, "updated_at": now} for s in states]
    if not rows:
        return
    stmt = dialect_insert(session, AgentSession)
    keep = ("member_name", "logged_in", "paused", "pause_reason", "status", "in_call", "calls_taken", "updated_at")
    session.execute(stmt.on_conflict_do_update(index_elements=[AgentSession.queue, AgentSession.interface],
                                               set_={f: getattr(stmt.excluded, f) for f in keep}), rows)


def claim_agent(session: Session, queue: str, interface: str, member_name: str, user_id: int | None,
                now: dt.datetime) -> None:
    """Remember which operator sits at an interface (for their screen pops)."""
    save_agents(session, [AgentState(queue=queue, interface=interface, member_name=member_name)], now)
    session.execute(update(AgentSession).where(AgentSession.queue == queue, AgentSession.interface == interface)
                    .values(user_id=user_id))
