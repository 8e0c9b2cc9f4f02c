"""What the recogniser heard in a recording, and the intake draft made from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Transcript(Base):
    __tablename__ = "transcripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)  # normalised Chinese
    raw_text: Mapped[str] = mapped_column(Text)  # the recogniser's tokens
    engine: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    words: Mapped[list[Any]] = mapped_column(JSON, default=list)  # word, start, end (s), conf
    duration_s: Mapped[float]
    elapsed_s: Mapped[float]
    truncated: Mapped[bool] = mapped_column(default=False)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # intake analysis of the text
    created_at: Mapped[datetime]
