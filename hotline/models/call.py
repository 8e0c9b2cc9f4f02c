"""Telephony: one record per citizen call (by Asterisk Linkedid), agents' queue states, recordings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(64), unique=True)
    caller: Mapped[str | None] = mapped_column(String(32), index=True)
    dialled: Mapped[str | None] = mapped_column(String(32))
    # inbound | outbound | internal; statistics count inbound citizen calls only
    direction: Mapped[str] = mapped_column(String(16), default="inbound", server_default="inbound", index=True)
    # citizen_call | survey_callback | click_to_call | internal | other
    purpose: Mapped[str] = mapped_column(String(24), default="citizen_call", server_default="citizen_call")
    started_at: Mapped[datetime | None] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ivr_path: Mapped[list[Any]] = mapped_column(JSON, default=list)
    queue: Mapped[str | None] = mapped_column(String(64))
    wait_seconds: Mapped[int | None]
    agent: Mapped[str | None] = mapped_column(String(64))
    agent_interface: Mapped[str | None] = mapped_column(String(128))
    talk_seconds: Mapped[int | None]
    hangup_cause: Mapped[str | None] = mapped_column(String(80))
    # answered | abandoned | message_left | ivr_only | unanswered (outbound)
    disposition: Mapped[str] = mapped_column(String(16))
    recording: Mapped[str | None] = mapped_column(String(255))
    message_recording: Mapped[str | None] = mapped_column(String(255))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    stored_at: Mapped[datetime]


class AgentSession(Base):
    """An operator's place in a queue, as the hotline asked Asterisk for it and as Asterisk reports it."""

    __tablename__ = "agent_sessions"
    __table_args__ = (UniqueConstraint("queue", "interface"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    queue: Mapped[str] = mapped_column(String(64))
    interface: Mapped[str] = mapped_column(String(128))
    member_name: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    logged_in: Mapped[bool] = mapped_column(default=True)
    paused: Mapped[bool] = mapped_column(default=False)
    pause_reason: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[int | None]
    in_call: Mapped[bool] = mapped_column(default=False)
    calls_taken: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class QueueCaller(Base):
    """A citizen waiting in a queue right now, as the AMI listener last saw it (QueueCallerJoin until the
    call leaves the queue, is answered or hangs up): the supervisor's calls waiting and longest wait."""

    __tablename__ = "queue_callers"

    linkedid: Mapped[str] = mapped_column(String(64), primary_key=True)
    queue: Mapped[str] = mapped_column(String(64))
    caller: Mapped[str | None] = mapped_column(String(32))
    joined_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Recording(Base):
    """An audio file Asterisk wrote (a message left in the IVR, or a whole call) and what became of it."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # message | call
    linkedid: Mapped[str | None] = mapped_column(String(64), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    # pending | transcribed | failed | no_model
    status: Mapped[str] = mapped_column(String(24), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")  # transcription attempts
    created_at: Mapped[datetime]
    # the file was deleted when its retention ran out (config/recordings.yaml); the row stays for the record
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)


class CdrCursor(Base):
    """How far the listener has read a CDR file Asterisk appends to (a call backfilled once, never twice)."""

    __tablename__ = "cdr_cursors"

    source: Mapped[str] = mapped_column(String(255), primary_key=True)  # the file as hotline sees it
    identity: Mapped[str | None] = mapped_column(String(64))  # device:inode; another file starts over
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]
