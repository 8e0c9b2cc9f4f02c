"""Wiring the AMI listener to the database and the live notifier (`hotline ami`, the demo)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.db import session_scope
from hotline.live.events import CallUpdated
from hotline.telephony.cdr import CdrFile, calls_from_cdrs
from hotline.telephony.listener import AmiListener, Sinks
from hotline.telephony.ports import TelephonyEnv
from hotline.telephony.records import AgentState, CallRecord
from hotline.telephony.repository import (
    AgentRepository,
    CallRepository,
    CdrCursorRepository,
    QueueCallerRepository,
)
from hotline.telephony.screenpop import screen_pop
from hotline.telephony.tracker import INBOUND_CONTEXTS, OUTBOUND_CONTEXTS, RECONCILED, CallTracker

log = logging.getLogger(__name__)
OriginateFailed = Callable[[int, int, str], None]


class DatabaseSinks(Sinks):
    def __init__(self, env: TelephonyEnv, session_factory: sessionmaker[Session],
                 originate_failed: OriginateFailed | None = None) -> None:
        self.env, self.session_factory = env, session_factory
        self._originate_failed = originate_failed

    def calls(self, records: list[CallRecord]) -> None:
        latest = {r.linkedid: r for r in records}
        with session_scope(self.session_factory) as session:
            CallRepository(session).save(latest.values(), self.env.clock.now())
        for record in latest.values():
            self.env.live.publish(CallUpdated(record.as_dict()))

    def agents(self, states: list[AgentState]) -> None:
        with session_scope(self.session_factory) as session:
            AgentRepository(session).save(states, self.env.clock.now())

    def waiting(self, calls: list[CallRecord]) -> None:
        with session_scope(self.session_factory) as session:
            QueueCallerRepository(session).replace(calls, self.env.clock.now())

    def connected(self, call: CallRecord) -> None:
        """Screen pop: to the operator sitting at the answering interface, and to the supervisors' feed."""
        with self.session_factory() as session:
            pop = screen_pop(session, self.env.sla, call)
        self.env.live.publish(pop)

    def originate_failed(self, callback_id: int, attempt: int, reason: str) -> None:
        """An automated callback did not connect: whoever placed it is told (that attempt is 未接通)."""
        if self._originate_failed is not None:
            self._originate_failed(callback_id, attempt, reason)

    def backfill(self, in_progress: set[str]) -> int:
        """Read Asterisk's CDR file from where the last read stopped; the calls found and the new position
        are committed together, so a crash in between reads the same lines again and stores nothing twice."""
        path = self.env.settings.cdr_file
        stored = 0
        while path is not None:
            with session_scope(self.session_factory) as session:
                cursors, now = CdrCursorRepository(session), self.env.clock.now()
                cursor = cursors.get(str(path))
                batch = CdrFile(path).read(cursor.position if cursor else 0, cursor.identity if cursor else None)
                if batch is None:
                    log.warning("CDR file %s not found: calls made while the listener was away are not backfilled",
                                path)
                    return stored
                records = [c for c in calls_from_cdrs(batch.records, set(INBOUND_CONTEXTS), set(OUTBOUND_CONTEXTS))
                           if c.linkedid not in in_progress]
                _name_members(AgentRepository(session).members_by_device(), records)
                stored += CallRepository(session).backfill(records, RECONCILED, now)
                cursors.move(str(path), batch.identity, batch.offset, now)
            if not batch.more:
                break
        return stored


def _name_members(members: dict[str, tuple[str | None, str]], records: list[CallRecord]) -> None:
    for record in records:
        if record.agent_interface and record.agent_interface in members:
            record.agent, record.agent_interface = members[record.agent_interface]


def make_listener(env: TelephonyEnv, sinks: Sinks, host: str | None = None, port: int | None = None) -> AmiListener:
    settings = env.settings
    return AmiListener(host or settings.ami_host or "", port or settings.ami_port, settings.ami_username,
                       settings.ami_secret.get_secret_value(), sinks, tracker=CallTracker(clock=env.clock.now))
