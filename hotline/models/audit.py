"""The audit log: every change and every staff read of personal data (who, what, when, from where)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class AuditRecord(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))  # username, api client or "citizen"
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AuditSeal(Base):
    """A row's link in the hash chain (hotline/audit/chain.py), written after the row by the sealer, in id order.
    Append-only like the log itself."""

    __tablename__ = "audit_seals"

    seq: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """One row: where the sealer stands (the last seal, its hash, and the last row sealed). Only the sealer locks
    it, so writers of audit rows never wait for one another."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int | None]  # the audit row sealed last
    last_hash: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int | None]
