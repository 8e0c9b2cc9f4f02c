"""The automated keypad survey (自动回访) of callbacks: an attempt is reserved before dialling, given back when the
call never reached Asterisk, and closed by the key the citizen pressed — or handed to staff when none was."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.callbacks.repository import AttemptRepository, CallbackRepository
from hotline.core.actor import SYSTEM, Actor
from hotline.core.config import CallbacksFile
from hotline.core.enums import AttemptMode, CallbackStatus, Verdict
from hotline.core.errors import ConflictError
from hotline.models import Callback, CallbackAttempt, WorkOrder

PENDING = CallbackStatus.PENDING
STAFF, AUTO = AttemptMode.STAFF, AttemptMode.AUTO


@dataclass(frozen=True)
class Recorded:
    callback: Callback
    attempt: CallbackAttempt
    order: WorkOrder
    supervised: bool = False  # a 督办 was raised (repeated 不满意)


class SurveyAttempts:
    """Mixed into CallbackService, which provides the queue, the locks and `apply`."""

    session: Session
    policy: CallbacksFile
    callbacks: CallbackRepository
    attempt_rows: AttemptRepository

    @property
    def now(self) -> dt.datetime:
        raise NotImplementedError

    def get(self, callback_id: int, *, lock: bool = False) -> Callback:
        raise NotImplementedError

    def open_attempt(self, callback: Callback) -> CallbackAttempt | None:
        raise NotImplementedError

    def require_pending(self, callback: Callback) -> None:
        raise NotImplementedError

    def apply(self, callback: Callback, attempt: CallbackAttempt, actor: Actor, verdict: Verdict,
              process: Verdict | None, comment: str | None) -> Recorded:
        raise NotImplementedError

    def begin_auto(self, callback_id: int) -> int | None:
        """Reserve the next attempt for an automated survey call; None if it is not due or already made.
        The (callback, attempt number) pair is unique, so the same attempt can never be dialled twice."""
        callback = self.get(callback_id, lock=True)
        if callback.status != PENDING or callback.next_attempt_at > self.now or self.open_attempt(callback):
            return None
        attempt_no = callback.attempts + 1
        self.attempt_rows.add(CallbackAttempt(callback_id=callback.id, attempt_no=attempt_no, mode=AUTO,
                                              channel=AUTO, started_at=self.now))
        callback.attempts = attempt_no
        self.session.flush()
        return attempt_no

    def reserve_auto(self, limit: int = 20) -> list[tuple[int, int, str]]:
        """Reserve the next attempt of due callbacks for automated dialling: (callback, attempt, phone)."""
        rows = self.callbacks.due_for_dialling(self.now, limit)
        reserved = []
        for callback_id, phone in rows:  # one automated try per callback; people make the rest
            attempt = self.begin_auto(callback_id)
            if attempt is not None:
                reserved.append((callback_id, attempt, phone))
        return reserved

    def release_auto(self, callback_id: int, attempt_no: int) -> None:
        """The call never reached Asterisk: give the reserved attempt back."""
        callback = self.get(callback_id, lock=True)
        attempt = self.attempt_rows.open_auto(callback_id, attempt_no)
        if attempt is not None and callback.attempts == attempt_no:
            self.attempt_rows.remove(attempt)
            callback.attempts -= 1

    def record_survey(self, callback_id: int, attempt_no: int, key: str | None) -> Recorded | None:
        """The keypad answer of an automated call. No (or an unknown) key hands the callback back
        to staff at once; the attempt stays on record without a verdict."""
        callback = self.get(callback_id, lock=True)
        attempt = self._auto_attempt(callback, attempt_no)
        verdict = self.policy.automated.keys.get(key or "")
        if verdict is None:  # the attempt stays open, now for staff to finish with a call of their own
            attempt.mode = STAFF
            attempt.comment = "自动回访未按键，转人工" if not key else f"自动回访按键 {key} 无效，转人工"
            callback.next_attempt_at = self.now
            return None
        comment = "自动回访按键不满意" if verdict == Verdict.UNSATISFIED else None
        return self.apply(callback, attempt, SYSTEM, Verdict(verdict), None, comment)

    def auto_unreachable(self, callback_id: int, attempt_no: int, reason: str) -> Recorded:
        """The automated call did not connect (no answer, busy, failed originate)."""
        callback = self.get(callback_id, lock=True)
        attempt = self._auto_attempt(callback, attempt_no)
        return self.apply(callback, attempt, SYSTEM, Verdict.UNREACHABLE, None, reason)

    def _auto_attempt(self, callback: Callback, attempt_no: int) -> CallbackAttempt:
        self.require_pending(callback)
        attempt = self.open_attempt(callback)
        if attempt is None or attempt.attempt_no != attempt_no or attempt.mode != AUTO:
            raise ConflictError(f"automated attempt {attempt_no} is not awaiting an answer",
                                error_id="attempt_not_open")
        return attempt
