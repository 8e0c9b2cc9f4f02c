"""The desks: where each operator stands at the queue now, the stretches of time they spent in each
state (talk, wrap-up, pause …) for their daily counts, and the calls callback staff place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class AgentState(Base):
    """One row per operator: the state the console shows (and shows again after a reload)."""

    __tablename__ = "agent_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    queue: Mapped[str | None] = mapped_column(String(64))
    interface: Mapped[str | None] = mapped_column(String(128))
    # offline | idle | ringing | talking | held | wrapup | paused
    state: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime]
    pause_reason: Mapped[str | None] = mapped_column(String(80))
    linkedid: Mapped[str | None] = mapped_column(String(64))  # the call being talked about or wrapped up
    caller: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(128))  # the operator's own channel in that call (转接)
    peer_channel: Mapped[str | None] = mapped_column(String(128))  # the citizen's channel (保持: bridged back)
    updated_at: Mapped[datetime]


class AgentStint(Base):
    """A stretch in one state; closed stints add up to the day's talk, wrap-up and pause time."""

    __tablename__ = "agent_stints"
    __table_args__ = (Index("ix_agent_stints_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(80))
    linkedid: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    seconds: Mapped[int | None]


class CallbackDial(Base):
    """A call callback staff placed through Asterisk: their phone first, then the citizen's."""

    __tablename__ = "callback_dials"

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callbacks.id"), index=True)
    attempt_no: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The Uniqueid given to the staff leg, so the call (and its recording) is found by Linkedid.
    linkedid: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
