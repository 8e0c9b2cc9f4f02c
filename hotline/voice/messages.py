"""Voice messages (语音留言): the one place that turns a message left in the IVR into a work order,
registers its recording, and later applies its transcript through the lifecycle."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session

from hotline.asr.audio import AudioError, voiced_seconds
from hotline.asr.repository import RecordingRepository
from hotline.core.actor import SYSTEM
from hotline.core.enums import Channel, RecordingKind
from hotline.core.jobs import enqueue
from hotline.dispatch import tickets
from hotline.dispatch.lifecycle import Action, allowed_actions
from hotline.dispatch.repository import CitizenRepository
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService
from hotline.intake.service import IntakeService
from hotline.live.events import TranscriptReady
from hotline.models import Transcript, WorkOrder
from hotline.voice.ports import VoiceEnv

log = logging.getLogger(__name__)
MIN_SPEECH_SECONDS = 0.5  # less is a breath, a click or a "喂" before hanging up
TITLE = "语音留言"
PLACEHOLDER = "市民通过12345热线语音留言，录音待转写。"
TRANSCRIBE_JOB = "hotline.asr.transcribe"


def local_path(recordings_dir: Path, asterisk_path: str) -> Path:
    """The file Asterisk wrote, as hotline sees it (the same file on a shared volume)."""
    return recordings_dir / Path(asterisk_path).name


def heard_speech(path: Path) -> bool:
    """Was anything said? Judged from the audio, not RECORD FILE's endpos: Asterisk trims a silent caller's
    recording only back to (silence − 1 s), so silence still leaves about a second of file."""
    if not path.is_file():
        log.warning("message %s is not where hotline reads recordings: kept as a message", path)
        return True  # a missing volume must not lose messages; transcription reports the file
    if path.stat().st_size == 0:
        return False
    try:
        return voiced_seconds(path) >= MIN_SPEECH_SECONDS
    except AudioError as exc:
        log.warning("message %s cannot be read (%s): kept as a message", path, exc.message)
        return True


def discard_silent(path: Path) -> None:
    """A message with nothing in it: no order, and no file to keep (the whole call's recording stays)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("silent message %s could not be removed: %s", path, exc)


class VoiceMessages:
    def __init__(self, session: Session, env: VoiceEnv) -> None:
        self.session, self.env = session, env
        self.orders = WorkOrderService(session, env)

    def register(self, caller: str | None, linkedid: str, asterisk_path: str) -> tuple[str, str]:
        """A received order with the recording attached (one per call, however often asked): the ticket
        and the extraction code to read out."""
        created = self.orders.create(WorkOrderDraft(
            title=TITLE, content=PLACEHOLDER, channel=Channel.PHONE, source_id=linkedid, citizen_phone=caller),
            SYSTEM)
        code = created.extraction_code
        if code is None:  # the IVR asked twice for the same call: give the order a new code to read out
            code = tickets.new_extraction_code()
            created.order.extraction_code_hash = tickets.hash_extraction_code(self.env.secret, created.ticket_no, code)
            self.orders.notices.code_reissued(created.order_id, code)
        local = local_path(self.env.settings.recordings_dir, asterisk_path)
        recording_id = RecordingRepository(self.session).register(
            str(local), RecordingKind.MESSAGE, linkedid, created.order_id, self.env.clock.now())
        enqueue(self.session, TRANSCRIBE_JOB, recording_id)
        return created.ticket_no, code

    def heard(self, recording_id: int, transcript: Transcript) -> TranscriptReady:
        """The draft for what was heard; a message still with the hotline gets the words as its text."""
        recording = RecordingRepository(self.session).get(recording_id)
        order = self.orders.orders.get(recording.work_order_id) if recording and recording.work_order_id else None
        if order is not None:
            transcript.draft = self._draft(order, transcript.text)
            self._fill(order, transcript)
        return TranscriptReady(recording_id, order.ticket_no if order else None, transcript.text, transcript.draft)

    def _draft(self, order: WorkOrder, text: str) -> dict:
        citizen = CitizenRepository(self.session).get(order.citizen_id)
        phone = citizen.phone if citizen else None
        limit = self.env.config.intake.max_chars
        return IntakeService(self.session, self.env).analyze(text[:limit], phone, exclude_order_id=order.id).as_dict()

    def _fill(self, order: WorkOrder, transcript: Transcript) -> None:
        if order.content != PLACEHOLDER or not transcript.text:
            return  # an operator already wrote the text, or nothing was said
        if Action.TRANSCRIBE not in allowed_actions(order.state, SYSTEM.role):
            return  # already dispatched or closed: the transcript stays beside the order
        draft = transcript.draft or {}
        title = f"{TITLE}：{draft['category']['name']}" if draft.get("category") else None
        suggested = {k: draft.get(k) for k in ("tier", "category", "department", "place")} if draft else None
        self.orders.apply_transcript(order.id, SYSTEM, content=transcript.text, title=title,
                                     place=draft.get("place"), data={
                                         "recording_id": transcript.recording_id, "engine": transcript.engine,
                                         "model": transcript.model, "suggested": suggested})
        if draft.get("category") and order.suggested_category_code is None:  # kept or changed: the live accuracy
            order.suggested_category_code = draft["category"]["code"]
            order.suggestion_confidence = draft.get("confidence")
            order.suggestion_model = (draft.get("model") or {}).get("version") or "rules"
