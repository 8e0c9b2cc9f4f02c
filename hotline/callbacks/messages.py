"""Satisfaction by message (短信/链接评价): after 办结 the citizen rates by replying to the SMS (1 满意, 2 基本满意,
3 不满意 and words) or through the signed link, and the callback closes exactly as an agent's verdict closes it —
不满意 redoes the order, the second raises a 督办. A reply answers the latest notice that asked; once that
callback is closed, a reply changes nothing. A notice that cannot reach the citizen sends the callback to staff."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy.orm import Session

from hotline.callbacks.service import CallbackService
from hotline.callbacks.survey import Recorded
from hotline.core.actor import SYSTEM
from hotline.core.enums import AttemptChannel, AttemptMode, CallbackStatus, Verdict
from hotline.core.errors import ConflictError, InvalidInputError, NotFoundError
from hotline.dispatch.ports import DispatchEnv
from hotline.models import Callback, CallbackAttempt, Citizen, WorkOrder
from hotline.notifications.citizen import SUBJECTS, CitizenNotices
from hotline.notifications.links import read_rating_token
from hotline.notifications.providers.base import InboundReply
from hotline.notifications.repository import CitizenContactRepository, InboundRepository, OutboxRepository
from hotline.text.masking import mask_numbers_in_text

_RATING = re.compile(r"^([0-9])(?:[\s.,:;!，。：；、！]|$)(.*)$", re.S)
NO_WORDS = "市民评价不满意，未留言"


class MessageRatings:
    """Ratings that arrive by message, and notices that could not be delivered."""

    def __init__(self, session: Session, ctx: DispatchEnv):
        self.ctx = ctx
        self.service = CallbackService(session, ctx)
        self.policy = ctx.config.notices.satisfaction
        self.contacts = CitizenContactRepository(session)
        self.inbound = InboundRepository(session)
        self.notices = CitizenNotices(session, ctx)

    def record(self, callback: Callback, channel: AttemptChannel, verdict: Verdict, process: Verdict | None = None,
               comment: str | None = None) -> Recorded:
        """One attempt made by the citizen's own message, closed with its verdict (reusing the agent's path)."""
        self.service.require_pending(callback)
        if self.service.open_attempt(callback) is not None:
            raise ConflictError("a callback call to this citizen is in progress", error_id="attempt_in_progress")
        attempt = CallbackAttempt(callback_id=callback.id, attempt_no=callback.attempts + 1, mode=AttemptMode.MESSAGE,
                                  channel=channel, started_at=self.service.now)
        self.service.attempt_rows.add(attempt)
        callback.attempts = attempt.attempt_no
        return self.service.apply(callback, attempt, SYSTEM, verdict, process, comment)

    # -- SMS replies ---------------------------------------------------------------------------

    def reply(self, provider: str, reply: InboundReply) -> str:
        """Act on one reply once: rated | opted_out | ignored | unmatched | not_awaited | duplicate."""
        text = unicodedata.normalize("NFKC", reply.text).strip()
        inbound_id = self.inbound.claim(dict(
            provider=provider, reply_id=reply.reply_id, sender_masked=reply.sender_masked[:40],
            text=(mask_numbers_in_text(text) or "")[:2000], outcome="received", received_at=self.service.now))
        if inbound_id is None:
            return "duplicate"
        citizen = self.contacts.by_phone(reply.sender)
        outcome, order_id = self._act(citizen, text) if citizen is not None else ("unmatched", None)
        self.inbound.settle(inbound_id, outcome, citizen.id if citizen else None, order_id)
        return outcome

    def _act(self, citizen: Citizen, text: str) -> tuple[str, int | None]:
        if text.upper() in {word.upper() for word in self.policy.opt_out}:
            self.notices.opt_out(citizen)
            return "opted_out", None
        match = _RATING.match(text)
        verdict = self.policy.replies.get(match.group(1)) if match else None
        if match is None or verdict is None:
            return "ignored", None
        callback = self.service.callbacks.last_asked(citizen.id)
        if callback is None or callback.status != CallbackStatus.PENDING:
            return "not_awaited", callback.work_order_id if callback else None
        words = match.group(2).strip() or None
        try:
            self.record(callback, AttemptChannel.SMS, Verdict(verdict), None,
                        words or (NO_WORDS if verdict == Verdict.UNSATISFIED else None))
        except ConflictError:
            return "not_awaited", callback.work_order_id
        return "rated", callback.work_order_id

    # -- the rating link -----------------------------------------------------------------------

    def case(self, token: str) -> tuple[Callback, WorkOrder]:
        """The callback and order a rating link names (404 forged, 410 expired)."""
        callback_id = read_rating_token(self.ctx.secret, token, self.service.now)
        try:
            callback = self.service.get(callback_id)
        except NotFoundError:
            raise NotFoundError("没有这个评价链接", error_id="rating_link_unknown") from None
        return callback, self.service.orders.orders.require(callback.work_order_id)

    def rate(self, token: str, verdict: str, process: str | None, comment: str | None) -> Recorded:
        """One rating through the link: result and, apart, process satisfaction; a second one is refused."""
        callback_id = read_rating_token(self.ctx.secret, token, self.service.now)
        return self._rate(callback_id, verdict, process, comment)

    # -- the citizen's status page (ticket + extraction code) -------------------------------------

    def current_round(self, order: WorkOrder) -> Callback | None:
        """The callback of the order's current round once it is completed; None before 办结 and during a redo
        (重办: the rejected result is not the answer any more, and the next callback belongs to the next 办结)."""
        latest = self.service.callbacks.latest_for(order.id)
        if order.completed_at is None or latest is None or latest.round != order.redo_count:
            return None
        return latest

    def rate_own_case(self, order: WorkOrder, verdict: str, process: str | None, comment: str | None) -> Recorded:
        """评价 on the status page, the citizen proven by ticket and extraction code: the same step as the signed
        link's, counted with the link ratings; once per round."""
        callback = self.current_round(order)
        if callback is None:
            raise ConflictError("the order can be rated once it is completed", error_id="rating_not_open")
        return self._rate(callback.id, verdict, process, comment)

    def _rate(self, callback_id: int, verdict: str, process: str | None, comment: str | None) -> Recorded:
        callback = self.service.get(callback_id, lock=True)
        if callback.status != CallbackStatus.PENDING:
            raise ConflictError("这件工单已经评价过了，感谢您的反馈", error_id="already_rated")
        result, how = _reached(verdict, "verdict"), _reached(process, "process") if process else None
        words = (comment or "").strip() or None
        return self.record(callback, AttemptChannel.LINK, result, how,
                           words or (NO_WORDS if result == Verdict.UNSATISFIED else None))

    # -- undelivered notices -------------------------------------------------------------------

    def notice_failed(self, message_id: int) -> bool:
        """A citizen's notice cannot be delivered: say so on the order's history, and if the order awaits a
        rating, staff call now instead of waiting for a reply that cannot come. True when a call was queued."""
        message = OutboxRepository(self.service.session).get(message_id)
        if message is None or message.work_order_id is None or message.audience != "citizen":
            return False
        order = self.service.orders.orders.require(message.work_order_id)
        callback = self.service.callbacks.pending_for(order.id)
        by_phone = callback is not None and callback.by_message_until is not None
        if callback is not None and by_phone:
            callback.next_attempt_at = min(callback.next_attempt_at, self.service.now)
            callback.by_message_until = None
        note = f"{SUBJECTS.get(message.notice or '', '通知')}短信未送达" + ("，转人工回访" if by_phone else "")
        self.service.orders.orders.add_event(order, "notice_failed", order.state, SYSTEM, self.service.now, note=note,
                                             data={"message": message.id, "notice": message.notice,
                                                   "reason": (message.last_error or message.delivery or "")[:200]})
        return by_phone


def _reached(value: str | None, what: str) -> Verdict:
    try:
        verdict = Verdict(value or "")
    except ValueError:
        verdict = Verdict.UNREACHABLE
    if verdict == Verdict.UNREACHABLE:
        raise InvalidInputError(f"{what} must be satisfied, basically_satisfied or unsatisfied",
                                error_id="invalid_verdict")
    return verdict
