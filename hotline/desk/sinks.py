"""The AMI listener's sinks with the operators' desks beside them: a connected call puts its operator in
通话中, the end of the call in 话后处理 — paused at the queue, so no call rings until they are ready."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.db import session_scope
from hotline.desk.agents import AgentDesk
from hotline.desk.handover import Handovers
from hotline.desk.ports import DeskEnv
from hotline.listen.originate import call_originates
from hotline.listen.streamid import StreamIdError, StreamIds
from hotline.telephony.service import DatabaseSinks, OriginateFailed
from hotline.telephony.tracker import CallRecord
from hotline.voice.calls import CallRecordings, ClosedRecording, sides_of

log = logging.getLogger(__name__)


class DeskSinks(DatabaseSinks):
    def __init__(self, env: DeskEnv, session_factory: sessionmaker[Session],
                 originate_failed: OriginateFailed | None = None) -> None:
        super().__init__(env, session_factory, originate_failed)
        self.desk_env = env

    def connected(self, call: CallRecord) -> None:
        super().connected(call)
        with session_scope(self.session_factory) as session:
            AgentDesk(session, self.env.clock).connected(call.agent_interface, call.linkedid, call.caller,
                                                         call.agent_channel, call.caller_channel)
        if self.env.settings.listen_calls and call.agent_channel:
            self._listen(call)

    def _listen(self, call: CallRecord) -> None:
        """Ask Asterisk to stream the call's sides (HOTLINE_LISTEN_SIDES) to `hotline listen` (live transcript);
        the call goes on without it."""
        settings = self.env.settings
        operator = (call.agent_channel or "") if settings.listen_sides == "both" else None
        try:
            actions = call_originates(StreamIds(settings.secret(), settings.asterisk_system_name), call.linkedid,
                                      call.linkedid, operator, settings.listen_address)
        except StreamIdError as exc:
            log.warning("call %s not streamed live: %s", call.linkedid, exc)
            return
        for action in actions:
            try:
                self.desk_env.pbx.send(action)
            except Exception as exc:  # the after-call transcript still comes from the recording
                log.warning("live stream %s of call %s not requested: %s", action["ActionID"], call.linkedid, exc)

    def recording_closed(self, call: CallRecord) -> None:
        """Register the call's recording for after-call transcription (once, however often Asterisk says so)."""
        sides = sides_of(call.variables, call.recording)
        if sides is None:
            return
        offset = None
        if call.answered_at and call.started_at and call.agent:  # before the answer the citizen heard the IVR
            offset = max(0.0, (call.answered_at - call.started_at).total_seconds())
        closed = ClosedRecording(call.linkedid, call.caller, call.recording, sides[0], sides[1], offset)
        try:
            with session_scope(self.session_factory) as session:
                CallRecordings(session, self.desk_env).closed(closed)
        except Exception:  # the call is stored either way; the recording is registered again when the call ends
            log.exception("recording of call %s not registered", call.linkedid)

    def transfer(self, event: dict) -> None:
        with session_scope(self.session_factory) as session:
            Handovers(session, self.desk_env).settle(event)

    def calls(self, records: list[CallRecord]) -> None:
        super().calls(records)
        for record in records:
            if record.recording:  # a dialplan without StopMixMonitor: the hang-up closed the files
                self.recording_closed(record)
        with session_scope(self.session_factory) as session:
            handovers = Handovers(session, self.desk_env)
            for record in records:
                handovers.call_ended(record.linkedid)
        wrapup = self.desk_env.config.desk.wrapup
        for record in records:
            if not record.agent_interface:
                continue
            with session_scope(self.session_factory) as session:
                states = AgentDesk(session, self.env.clock).ended(record.linkedid, wrapup.reason)
                places = [(s.queue, s.interface) for s in states if s.queue and s.interface]
            if wrapup.pause_in_asterisk:
                for queue, interface in places:
                    self._pause(queue, interface, wrapup.reason)

    def _pause(self, queue: str, interface: str, reason: str) -> None:
        try:
            self.desk_env.pbx.queue_pause(queue, interface, True, reason)
        except Exception as exc:  # Asterisk's own wrapuptime still spaces the calls; the state is recorded
            log.warning("could not pause %s in %s for wrap-up: %s", interface, queue, exc)
