"""All SQL for calls, agents' queue places and a caller's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.core.enums import CallDirection, Channel, DeadlineStatus, Disposition
from hotline.models import (
    AgentSession,
    AgentStint,
    Call,
    Callback,
    CallbackDial,
    CallOrder,
    CdrCursor,
    Citizen,
    Deadline,
    QueueCaller,
    User,
    WorkOrder,
)
from hotline.models import AgentState as DeskState
from hotline.telephony.records import AgentState, CallRecord, device_of

CALL_FIELDS = ("caller", "dialled", "direction", "purpose", "started_at", "answered_at", "ended_at", "ivr_path",
               "queue", "wait_seconds", "agent", "agent_interface", "talk_seconds", "hangup_cause", "disposition",
               "recording", "message_recording")
CHUNK = 500
AGENT_FIELDS = ("member_name", "logged_in", "paused", "pause_reason", "status", "in_call", "calls_taken",
                "updated_at")


class CallRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, records: Iterable[CallRecord], now: dt.datetime) -> int:
        """Upsert finished calls by Linkedid; a call that left a message is linked to the order the IVR made."""
        rows = [{"linkedid": r.linkedid, **{f: getattr(r, f) for f in CALL_FIELDS}, "stored_at": now}
                for r in records]
        if not rows:
            return 0
        linked = dict(self.session.execute(select(WorkOrder.source_id, WorkOrder.id).where(
            WorkOrder.channel == Channel.PHONE.value,
            WorkOrder.source_id.in_([r["linkedid"] for r in rows]))).all())
        for row in rows:
            row["direction"] = row["direction"] or CallDirection.INBOUND
            row["purpose"] = row["purpose"] or "citizen_call"
            row["work_order_id"] = linked.get(row["linkedid"])
            if row["work_order_id"] and row["disposition"] == Disposition.IVR_ONLY:
                row["disposition"] = Disposition.MESSAGE_LEFT  # the IVR made an order from its message
        stmt = dialect_insert(self.session, Call)
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=[Call.linkedid],
            set_={f: getattr(stmt.excluded, f) for f in (*CALL_FIELDS, "work_order_id", "stored_at")}), rows)
        return len(rows)

    def backfill(self, records: Sequence[CallRecord], guessed_cause: str, now: dt.datetime) -> int:
        """Store calls nobody saw; a call the resync closed with a guessed end gets Asterisk's times instead.
        Calls already stored are otherwise left as the live listener saw them (it saw more)."""
        stored = 0
        for start in range(0, len(records), CHUNK):
            chunk = {r.linkedid: r for r in records[start:start + CHUNK]}
            known = dict(self.session.execute(select(Call.linkedid, Call.hangup_cause)
                                              .where(Call.linkedid.in_(list(chunk)))).all())
            stored += self.save([r for lid, r in chunk.items() if lid not in known], now)
            for linkedid, cause in known.items():
                record = chunk[linkedid]
                if cause == guessed_cause and record.ended_at is not None:
                    self.session.execute(update(Call).where(Call.linkedid == linkedid).values(
                        started_at=record.started_at, ended_at=record.ended_at, stored_at=now))
        return stored

    def recent(self, disposition: str | None, limit: int, direction: str | None = None) -> Sequence[Call]:
        stmt = select(Call).order_by(Call.started_at.desc(), Call.id.desc()).limit(limit)
        if disposition:
            stmt = stmt.where(Call.disposition == disposition)
        if direction:
            stmt = stmt.where(Call.direction == direction)
        return self.session.scalars(stmt).all()

    def hold_seconds(self, linkedids: Sequence[str]) -> dict[str, int]:
        """Time each call's citizen spent on hold (保持): the operators' closed `held` stints on it."""
        if not linkedids:
            return {}
        rows = self.session.execute(select(AgentStint.linkedid, func.sum(AgentStint.seconds))
                                    .where(AgentStint.linkedid.in_(list(linkedids)), AgentStint.state == "held")
                                    .group_by(AgentStint.linkedid)).all()
        return {str(linkedid): int(total or 0) for linkedid, total in rows}

    def counts(self, lo: dt.datetime, hi: dt.datetime, service_level_seconds: int) -> tuple:
        """Citizens' calls to the hotline only (surveys and click-to-call are the centre calling out):
        (calls, answered, abandoned, message left, ivr only, average wait, queued, answered in time)."""

        def count(condition):
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        answered = Call.disposition == Disposition.ANSWERED
        return tuple(self.session.execute(select(
            func.count(), count(answered), count(Call.disposition == Disposition.ABANDONED),
            count(Call.disposition == Disposition.MESSAGE_LEFT), count(Call.disposition == Disposition.IVR_ONLY),
            func.avg(Call.wait_seconds), count(Call.queue.is_not(None)),
            count(answered & (Call.wait_seconds <= service_level_seconds)),
        ).where(Call.started_at >= lo, Call.started_at < hi, Call.direction == CallDirection.INBOUND)).one())

    def outbound_count(self, lo: dt.datetime, hi: dt.datetime) -> int:
        return self.session.scalar(select(func.count()).select_from(Call).where(
            Call.started_at >= lo, Call.started_at < hi, Call.direction == CallDirection.OUTBOUND)) or 0


class QueueCallerRepository:
    """The callers waiting in a queue now: replaced as a whole each time the listener's set changes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, waiting: Iterable[CallRecord], now: dt.datetime) -> None:
        rows = [{"linkedid": c.linkedid, "queue": c.queue or "", "caller": c.caller,
                 "joined_at": c.queue_joined_at or now, "updated_at": now} for c in waiting]
        self.session.execute(delete(QueueCaller).where(QueueCaller.linkedid.not_in([r["linkedid"] for r in rows])))
        if rows:
            stmt = dialect_insert(self.session, QueueCaller)
            self.session.execute(stmt.on_conflict_do_update(
                index_elements=[QueueCaller.linkedid],
                set_={f: getattr(stmt.excluded, f) for f in ("queue", "caller", "joined_at", "updated_at")}), rows)

    def listing(self) -> Sequence[QueueCaller]:
        return self.session.scalars(select(QueueCaller).order_by(QueueCaller.joined_at)).all()


class CdrCursorRepository:
    """Where reading a CDR file stopped (committed with the calls read up to there)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, source: str) -> CdrCursor | None:
        return self.session.get(CdrCursor, source, with_for_update=True, populate_existing=True)

    def move(self, source: str, identity: str, position: int, now: dt.datetime) -> None:
        cursor = self.get(source)
        if cursor is None:
            self.session.add(CdrCursor(source=source, identity=identity, position=position, updated_at=now))
        else:
            cursor.identity, cursor.position, cursor.updated_at = identity, position, now


class AgentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, states: Iterable[AgentState], now: dt.datetime) -> None:
        rows = [{"queue": s.queue, "interface": s.interface, "member_name": s.member_name,
                 "logged_in": s.logged_in, "paused": s.paused, "pause_reason": s.pause_reason, "status": s.status,
                 "in_call": s.in_call, "calls_taken": s.calls_taken, "updated_at": now} for s in states]
        if not rows:
            return
        stmt = dialect_insert(self.session, AgentSession)
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=[AgentSession.queue, AgentSession.interface],
            set_={f: getattr(stmt.excluded, f) for f in AGENT_FIELDS}), rows)

    def claim(self, queue: str, interface: str, member_name: str, user_id: int | None, now: dt.datetime) -> None:
        """Remember which operator sits at an interface (for their screen pops)."""
        self.save([AgentState(queue=queue, interface=interface, member_name=member_name)], now)
        self.session.execute(update(AgentSession).where(AgentSession.queue == queue,
                                                        AgentSession.interface == interface)
                             .values(user_id=user_id))

    def at(self, queue: str, interface: str) -> AgentSession | None:
        return self.session.scalars(select(AgentSession).where(AgentSession.queue == queue,
                                                               AgentSession.interface == interface)).first()

    def listing(self, user_id: int | None = None) -> Sequence[AgentSession]:
        """Every queue place, or one operator's own."""
        stmt = select(AgentSession).order_by(AgentSession.queue, AgentSession.interface)
        if user_id is not None:
            stmt = stmt.where(AgentSession.user_id == user_id)
        return self.session.scalars(stmt).all()

    def board(self) -> list[tuple]:
        """Every signed-in queue place with its operator's name and desk state (state, since, reason):
        (AgentSession, display name, desk state, since, desk reason)."""
        return list(self.session.execute(
            select(AgentSession, User.display_name, DeskState.state, DeskState.since, DeskState.pause_reason)
            .outerjoin(User, User.id == AgentSession.user_id)
            .outerjoin(DeskState, DeskState.user_id == AgentSession.user_id)
            .where(AgentSession.logged_in.is_(True)).order_by(AgentSession.queue, AgentSession.interface)).all())

    def members_by_device(self) -> dict[str, tuple[str | None, str]]:
        """device → (member name, interface) of every queue place (a CDR names the channel, not the member)."""
        return {device_of(a.interface): (a.member_name, a.interface) for a in self.listing()}

    def users_at(self, interface: str | None) -> set[int]:
        """The operators who claimed this interface (whoever answers there gets the screen pop)."""
        return {user_id for user_id in self.session.scalars(select(AgentSession.user_id).where(
            AgentSession.interface == interface, AgentSession.user_id.is_not(None))) if user_id is not None}


class CallerHistoryRepository:
    """A caller's orders with their worst open light and last callback outcome (the screen pop)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def citizen(self, phone: str) -> Citizen | None:
        return self.session.scalars(select(Citizen).where(Citizen.phone == phone)).first()

    def orders(self, citizen_id: int, limit: int) -> Sequence[WorkOrder]:
        return self.session.scalars(select(WorkOrder).where(WorkOrder.citizen_id == citizen_id)
                                    .order_by(WorkOrder.received_at.desc()).limit(limit)).all()

    def open_lights(self, order_ids: list[int]) -> list[tuple[int, str]]:
        return list(self.session.execute(select(Deadline.work_order_id, Deadline.light).where(
            Deadline.work_order_id.in_(order_ids), Deadline.status == DeadlineStatus.OPEN)))

    def outcomes(self, order_ids: list[int]) -> list[tuple[int, str]]:
        """(order, outcome) of finished callbacks, oldest round first."""
        return list(self.session.execute(select(Callback.work_order_id, Callback.outcome).where(
            Callback.work_order_id.in_(order_ids), Callback.outcome.is_not(None))
            .order_by(Callback.round)))


class CallLinkRepository:
    """Orders ↔ calls (by Linkedid), and whether a call exists and was someone's."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def link(self, linkedid: str, order_id: int, how: str, user_id: int | None, now: dt.datetime) -> None:
        """Once per (call, order): the first link (created, or the first update) is kept."""
        self.session.execute(dialect_insert(self.session, CallOrder).values(
            linkedid=linkedid, work_order_id=order_id, how=how, user_id=user_id, linked_at=now)
            .on_conflict_do_nothing(index_elements=[CallOrder.linkedid, CallOrder.work_order_id]))

    def exists(self, linkedid: str) -> bool:
        """A call Asterisk reported: stored once it ended, or in progress with an operator on it."""
        stored = select(Call.id).where(Call.linkedid == linkedid)
        talking = select(AgentStint.id).where(AgentStint.linkedid == linkedid)
        return self.session.execute(stored.union_all(talking).limit(1)).first() is not None

    def was_on(self, linkedid: str, user_id: int) -> bool:
        """Did this person take part in the call: answered it at their queue place, or placed it (回访)?"""
        stint = select(AgentStint.id).where(AgentStint.linkedid == linkedid, AgentStint.user_id == user_id)
        dial = select(CallbackDial.id).where(CallbackDial.linkedid == linkedid, CallbackDial.user_id == user_id)
        return self.session.execute(stint.union_all(dial).limit(1)).first() is not None

    def orders_of(self, linkedid: str) -> Sequence[tuple[CallOrder, WorkOrder]]:
        joined = select(CallOrder, WorkOrder).join(WorkOrder, WorkOrder.id == CallOrder.work_order_id)
        return self.session.execute(joined.where(CallOrder.linkedid == linkedid).order_by(CallOrder.id)).all()

    def calls_of(self, order_id: int) -> list[str]:
        """The Linkedids of the calls the order was created or updated during, oldest first."""
        return list(self.session.scalars(select(CallOrder.linkedid).where(CallOrder.work_order_id == order_id)
                                         .order_by(CallOrder.id)))

    def call(self, linkedid: str) -> Call | None:
        return self.session.scalars(select(Call).where(Call.linkedid == linkedid)).first()
