"""Every recorded call heard after it ends: registered when Asterisk says the recording is closed
(MixMonitorStop, or the call's hang-up when no stop was seen), transcribed as a dialogue by a job, the
citizen's side analysed into an intake draft offered for 话后处理 while the call's order is unfinished."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.asr.dialogue import Dialogue
from hotline.asr.repository import RecordingRepository
from hotline.core.enums import RecordingKind, RecordingStatus, State
from hotline.core.jobs import enqueue
from hotline.intake.service import IntakeService
from hotline.live.events import AfterCallDraft
from hotline.models import CallDialogue, CallOrder, WorkOrder
from hotline.voice.messages import local_path
from hotline.voice.ports import VoiceEnv
from hotline.voice.repository import TRANSCRIBED, CallDialogueRepository

log = logging.getLogger(__name__)
CALL_JOB = "hotline.calls.transcribe"
CITIZEN_VAR, OPERATOR_VAR = "HOTLINE_REC_CITIZEN", "HOTLINE_REC_OPERATOR"  # set by the dialplan before MixMonitor


@dataclass(frozen=True)
class ClosedRecording:
    """What Asterisk said about a call's recording once it closed (paths as Asterisk wrote them)."""

    linkedid: str
    caller: str | None
    mixed: str | None
    citizen: str
    operator: str
    answered_offset_s: float | None


def sides_of(variables: dict[str, str], mixed: str | None) -> tuple[str, str] | None:
    """The citizen's and the operator's files: as the dialplan named them, else beside the mixed file."""
    citizen, operator = variables.get(CITIZEN_VAR), variables.get(OPERATOR_VAR)
    if citizen and operator:
        return citizen, operator
    if mixed and mixed.endswith(".wav"):
        return mixed[:-4] + "-in.wav", mixed[:-4] + "-out.wav"
    return None


def offered(dialogue: CallDialogue | None, orders: Sequence[tuple[CallOrder, WorkOrder]]) -> bool:
    """话后处理 is offered while the draft is there and nothing registered during the call went further
    than registration (an order created and left 待受理, or no order at all)."""
    if dialogue is None or dialogue.draft is None:
        return False
    return all(order.state == State.RECEIVED for _, order in orders)


class CallRecordings:
    def __init__(self, session: Session, env: VoiceEnv) -> None:
        self.session, self.env = session, env
        self.dialogues = CallDialogueRepository(session)

    def closed(self, rec: ClosedRecording) -> bool:
        """Register the call's recording and its dialogue, and send the job (once per call)."""
        folder, now = self.env.settings.recordings_dir, self.env.clock.now()
        recording_id = RecordingRepository(self.session).register(
            str(local_path(folder, rec.mixed or rec.citizen)), RecordingKind.CALL, rec.linkedid, None, now)
        added = self.dialogues.add(rec.linkedid, recording_id, str(local_path(folder, rec.citizen)),
                                   str(local_path(folder, rec.operator)), rec.answered_offset_s, now)
        if added:
            enqueue(self.session, CALL_JOB, rec.linkedid, rec.caller)
        return added

    def store(self, linkedid: str, heard: Dialogue, caller: str | None) -> AfterCallDraft | None:
        """Keep the dialogue and the draft from the citizen's words; the event for the call's operators."""
        row = self.dialogues.get(linkedid)
        if row is None:
            return None
        phone = caller or self.dialogues.caller(linkedid)
        limit = self.env.config.intake.max_chars
        draft = IntakeService(self.session, self.env).analyze(heard.citizen_text[:limit], phone).as_dict() \
            if heard.citizen_text else None
        row.turns, row.citizen_text, row.operator_text = heard.turns, heard.citizen_text, heard.operator_text
        row.draft, row.engine, row.model = draft, heard.engine, heard.model
        row.duration_s, row.elapsed_s = heard.duration_s, heard.elapsed_s
        row.status, row.error, row.transcribed_at = TRANSCRIBED, None, self.env.clock.now()
        if row.recording_id is not None:
            recording = RecordingRepository(self.session).get(row.recording_id)
            if recording is not None:
                recording.status, recording.error = RecordingStatus.TRANSCRIBED, None
        return AfterCallDraft(linkedid=linkedid, user_ids=tuple(self.dialogues.operators(linkedid)),
                              citizen_text=heard.citizen_text, draft=draft,
                              offered=offered(row, self.dialogues.orders(linkedid)))
