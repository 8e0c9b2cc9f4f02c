"""Rows written once per key (INSERT … ON CONFLICT DO NOTHING) say whether this call wrote them, on both
databases: on PostgreSQL psycopg reports a row count of -1 for such an insert, which once made every
MixMonitorStop, hang-up and late CDR of a call send its transcription job again."""

from __future__ import annotations

import datetime as dt

from hotline.asr.repository import RecordingRepository, TranscriptRepository
from hotline.asr.transcribe import Transcription
from hotline.core.enums import RecordingKind
from hotline.voice.repository import CallDialogueRepository

AT = dt.datetime(2026, 11, 30, 9, 22, tzinfo=dt.UTC)


def test_a_call_dialogue_is_registered_once(session):
    repo = CallDialogueRepository(session)
    assert repo.add("1796030484.0", None, "/r/a-in.wav", "/r/a-out.wav", 12.6, AT) is True
    assert repo.add("1796030484.0", None, "/r/a-in.wav", "/r/a-out.wav", 12.6, AT) is False
    assert repo.add("1796030484.1", None, "/r/b-in.wav", "/r/b-out.wav", None, AT) is True


def test_a_recording_gets_one_transcript(session):
    recording = RecordingRepository(session).register("/r/msg.wav", RecordingKind.MESSAGE, "1796030484.2", None, AT)
    heard = Transcription(text="停水", raw="停 水", engine="fake", model="m", words=[], duration_s=1.0,
                          elapsed_s=0.1, truncated=False)
    transcripts = TranscriptRepository(session)
    assert transcripts.add(recording, heard, AT) is not None
    assert transcripts.add(recording, heard, AT) is None
