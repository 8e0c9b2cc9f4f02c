"""Wiring the AMI listener to the database and the live bus (`hotline ami`, the demo)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime
from hotline.models import AgentSession
from hotline.telephony.listener import AmiListener, Sinks
from hotline.telephony.screenpop import screen_pop
from hotline.telephony.store import save_agents, save_calls
from hotline.telephony.tracker import AgentState, CallRecord, CallTracker

log = logging.getLogger(__name__)


class DatabaseSinks(Sinks):
    def __init__(self, runtime: Runtime, bus) -> None:
        self.runtime, self.bus = runtime, bus

    def calls(self, records: list[CallRecord]) -> None:
        latest = {r.linkedid: r for r in records}
        with session_scope(self.runtime.session_factory) as session:
            save_calls(session, latest.values(), self.runtime.ctx.clock.now())
        for record in latest.values():
            self._publish("calls", {"type": "call", **record.as_dict()})

    def agents(self, states: list[AgentState]) -> None:
        with session_scope(self.runtime.session_factory) as session:
            save_agents(session, states, self.runtime.ctx.clock.now())

    def connected(self, call: CallRecord) -> None:
        """Screen pop: to the operator sitting at the answering interface, and to the supervisors' feed."""
        with self.runtime.session_factory() as session:
            payload = screen_pop(session, self.runtime.ctx, call)
            user_ids = session.scalars(select(AgentSession.user_id).where(
                AgentSession.interface == call.agent_interface, AgentSession.user_id.is_not(None))).all()
        for user_id in set(user_ids):
            self._publish(f"agent:{user_id}", payload)
        self._publish("calls", payload)

    def originate_failed(self, callback_id: int, attempt: int, reason: str) -> None:
        """An automated callback did not connect: that attempt counts as 未接通."""
        from hotline.callbacks.service import CallbackService
        from hotline.core.errors import HotlineError

        try:
            with session_scope(self.runtime.session_factory) as session:
                CallbackService(session, self.runtime.ctx).auto_unreachable(callback_id, attempt, reason)
        except HotlineError as exc:  # already answered or no longer pending: nothing to do
            log.info("originate failure for callback %s attempt %s ignored: %s", callback_id, attempt, exc.message)

    def _publish(self, channel: str, message: dict) -> None:
        try:
            self.bus.publish(channel, message)
        except Exception as exc:  # live updates are best effort; the records are stored
            log.warning("live event to %s not published: %s", channel, exc)


def make_listener(runtime: Runtime, bus, host: str | None = None, port: int | None = None) -> AmiListener:
    settings = runtime.ctx.settings
    return AmiListener(host or settings.ami_host, port or settings.ami_port, settings.ami_username,
                       settings.ami_secret.get_secret_value(), DatabaseSinks(runtime, bus),
                       tracker=CallTracker(clock=runtime.ctx.clock.now))
