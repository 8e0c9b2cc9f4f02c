"""Idempotent channel submissions: a retry with the same Idempotency-Key gets the first answer again.

The first answer carries the extraction code, which exists nowhere else in clear (the order keeps its
hash): it is kept sealed (Fernet under a key derived from the secret) for the idempotency window, so a
gateway that lost it can still tell the citizen. A retry whose body differs from the first is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotline.core.db import rowcount
from hotline.core.errors import ConflictError
from hotline.core.security import seal, unseal
from hotline.dispatch.ports import DispatchEnv
from hotline.models import SubmissionReply


class SubmissionReplyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, reply: SubmissionReply) -> None:
        self.session.add(reply)

    def for_order(self, order_id: int) -> SubmissionReply | None:
        return self.session.scalars(select(SubmissionReply).where(SubmissionReply.work_order_id == order_id)
                                    ).one_or_none()

    def forget_before(self, now: dt.datetime) -> int:
        """Empty the answers whose window has passed; the fingerprints stay to refuse changed bodies."""
        return rowcount(self.session.execute(update(SubmissionReply).where(
            SubmissionReply.keep_until < now, SubmissionReply.sealed_reply.is_not(None)).values(sealed_reply=None)))


class SubmissionReplies:
    def __init__(self, session: Session, ctx: DispatchEnv) -> None:
        self.ctx = ctx
        self.rows = SubmissionReplyRepository(session)

    def fingerprint(self, client_id: int, body: dict[str, Any]) -> str:
        """A keyed hash of what was submitted (it holds phone numbers: never a plain hash)."""
        key = hashlib.sha256(b"hotline-idempotency:" + self.ctx.secret).digest()
        canonical = json.dumps([client_id, body], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()

    def remember(self, order_id: int, fingerprint: str, answer: dict[str, Any]) -> None:
        """Keep the first answer, sealed, for the idempotency window (same transaction as the order)."""
        window = dt.timedelta(hours=self.ctx.settings.idempotency_window_hours)
        self.rows.add(SubmissionReply(work_order_id=order_id, fingerprint=fingerprint,
                                      sealed_reply=seal(self.ctx.secret, json.dumps(answer, ensure_ascii=False)),
                                      keep_until=self.ctx.clock.now() + window))

    def replay(self, order_id: int, fingerprint: str) -> dict[str, Any] | None:
        """The first answer for a retry; None once the window has passed (or for orders kept before it
        was stored). A different body under the same key is a 409."""
        row = self.rows.for_order(order_id)
        if row is None:
            return None
        if not hmac.compare_digest(row.fingerprint, fingerprint):
            raise ConflictError("this Idempotency-Key was used for a different submission; use a new key",
                                error_id="idempotency_key_reused")
        if row.sealed_reply is None or row.keep_until < self.ctx.clock.now():
            return None
        return json.loads(unseal(self.ctx.secret, row.sealed_reply))
