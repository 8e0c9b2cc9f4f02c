"""Callbacks (回访): completed orders enter a queue, staff or the keypad survey record the citizen's
verdict, 满意 closes the order, 不满意 sends it back (重办), 未接通 is retried on another working day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from hotline.callbacks.repository import AttemptRepository, CallbackRepository
from hotline.callbacks.survey import Recorded, SurveyAttempts
from hotline.core.actor import SYSTEM, Actor
from hotline.core.enums import (
    REACHED,
    AssignmentRole,
    AssignmentStatus,
    AttemptMode,
    CallbackKind,
    CallbackStatus,
    CloseReason,
    State,
    SupervisionKind,
    Verdict,
)
from hotline.core.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from hotline.dispatch import notices
from hotline.dispatch.lifecycle import CALLBACK, Action
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.service import WorkOrderService, require_text
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import DepartmentNotice
from hotline.models import Callback, CallbackAttempt, WorkOrder

PENDING, DONE = CallbackStatus.PENDING, CallbackStatus.DONE
FULL, LIGHT = CallbackKind.FULL, CallbackKind.LIGHT
STAFF, AUTO = AttemptMode.STAFF, AttemptMode.AUTO
VERDICT_WORDS = {Verdict.SATISFIED: "满意", Verdict.BASICALLY_SATISFIED: "基本满意",
                 Verdict.UNSATISFIED: "不满意", Verdict.UNREACHABLE: "未接通"}


class CallbackService(SurveyAttempts):
    """What callback staff (回访员), the scheduler and the automated survey (callbacks/survey.py) do."""

    def __init__(self, session: Session, ctx: DispatchEnv):
        self.session = session
        self.ctx = ctx
        self.policy = ctx.config.callbacks
        self.orders = WorkOrderService(session, ctx)
        self.callbacks = CallbackRepository(session)
        self.attempt_rows = AttemptRepository(session)

    @property
    def now(self) -> dt.datetime:
        return self.orders.now

    # -- into the queue ----------------------------------------------------------------------

    def start(self, order_id: int, actor: Actor = SYSTEM) -> Callback:
        """A completed order enters callback_pending with a callback due by policy."""
        order = self.orders.load(order_id, actor)
        self.orders.advance(order, Action.START_CALLBACK, actor)
        lead = next((a for a in order.assignments if a.active and a.role == AssignmentRole.LEAD
                     and a.status == AssignmentStatus.COMPLETED), None)
        kind = FULL if lead else LIGHT
        due = self.ctx.sla.due(order.completed_at or self.now, self.policy.due if lead else self.policy.light.due)
        callback = Callback(
            work_order_id=order.id, round=self.callbacks.rounds(order.id), kind=kind,
            department_id=lead.department_id if lead else None, status=PENDING, due_at=due.at,
            next_attempt_at=self.now, attempts=0,
            max_attempts=self.policy.attempts if lead else self.policy.light.attempts, created_at=self.now,
        )
        self.callbacks.add(callback)
        self._ask_citizen(order, callback, self.orders.departments.require(lead.department_id).name if lead else None)
        return callback

    def _ask_citizen(self, order: WorkOrder, callback: Callback, department: str | None) -> None:
        """The 办结 notice; when it asks for a rating by message, staff call only after the reply window."""
        rating = self.ctx.config.notices.satisfaction
        goes_at = self.orders.notices.completed(order, callback.id, callback.round, department, rating.by_message)
        if goes_at is not None and rating.by_message:
            callback.by_message_until = goes_at + dt.timedelta(hours=rating.reply_window_hours)
            callback.next_attempt_at = callback.by_message_until

    def schedule(self, limit: int = 500) -> int:
        """Move every completed order into the callback queue (run after each completion and periodically)."""
        ids = self.callbacks.completed_orders(limit)
        for order_id in ids:
            self.start(order_id)
        return len(ids)

    # -- the queue ---------------------------------------------------------------------------

    def due(self, limit: int = 50, actor: Actor | None = None) -> Sequence[Callback]:
        """Pending callbacks whose next attempt may be made now, earliest due first."""
        return self.callbacks.available(self.now, actor.user_id if actor else None, limit)

    def take_next(self, actor: Actor) -> Callback | None:
        """Claim the next due callback for `actor`; others do not get it while the claim lasts."""
        found = self.callbacks.available(self.now, actor.user_id, 1, claim=True)
        callback = found[0] if found else None
        if callback is not None:
            callback.claimed_by_user_id = actor.user_id
            callback.claimed_until = self.now + dt.timedelta(minutes=self.policy.claim_minutes)
        return callback

    def get(self, callback_id: int, *, lock: bool = False) -> Callback:
        callback = self.callbacks.get(callback_id, lock=lock)
        if callback is None:
            raise NotFoundError(f"callback {callback_id} does not exist", error_id="callback_not_found")
        return callback

    def current_for(self, order_id: int) -> Callback | None:
        return self.callbacks.latest_for(order_id)

    def attempts(self, callback_id: int) -> Sequence[CallbackAttempt]:
        return self.attempt_rows.of(callback_id)

    # -- verdicts ----------------------------------------------------------------------------

    def record(self, order_id: int, actor: Actor, attempt_no: int, verdict: Verdict | str, *,
               process: Verdict | str | None = None, comment: str | None = None) -> Recorded:
        """One attempt's outcome. `verdict` is result satisfaction (was it solved); `process` is
        process satisfaction (was the reply timely and polite), asked only when someone answered."""
        if actor.role not in CALLBACK:
            allowed = ", ".join(sorted(r.value for r in CALLBACK))
            raise PermissionDeniedError(f"a {actor.role.value} may not record callbacks (allowed: {allowed})",
                                        error_id="role_not_allowed")
        verdict = _verdict(verdict, "verdict")
        process = _verdict(process, "process verdict") if process is not None else None
        if process is not None and (verdict not in REACHED or process not in REACHED):
            raise InvalidInputError("process satisfaction is 满意, 基本满意 or 不满意, "
                                    "and only when the citizen answered",
                                    error_id="invalid_verdict")
        if verdict == Verdict.UNSATISFIED:
            require_text(comment, "citizen's words (why not satisfied)")
        callback = self._pending_for(order_id)
        attempt = self._attempt_slot(callback, attempt_no, STAFF, actor)
        return self.apply(callback, attempt, actor, verdict, process, comment)

    # -- internals ---------------------------------------------------------------------------

    def _pending_for(self, order_id: int) -> Callback:
        callback = self.callbacks.pending_for(order_id)
        if callback is None:
            order = self.orders.orders.get(order_id)
            if order is None:
                raise NotFoundError(f"work order {order_id} does not exist", error_id="order_not_found")
            raise ConflictError(f"work order {order.ticket_no} is not awaiting a callback (it is {order.state})",
                                details={"state": order.state}, error_id="not_awaiting_callback")
        return callback

    def _attempt_slot(self, callback: Callback, attempt_no: int, mode: str, actor: Actor) -> CallbackAttempt:
        self.require_pending(callback)
        handed_over = self.open_attempt(callback)
        if handed_over is not None and handed_over.mode == STAFF and handed_over.attempt_no == attempt_no:
            handed_over.user_id = actor.user_id  # staff finishing an automated call the citizen left silent
            return handed_over
        if handed_over is not None and handed_over.mode == AUTO:
            raise ConflictError(f"automated attempt {handed_over.attempt_no} is still in progress",
                                error_id="attempt_in_progress")
        if attempt_no <= callback.attempts:
            raise ConflictError(f"attempt {attempt_no} of this callback is already recorded",
                                details={"next_attempt": callback.attempts + 1}, error_id="attempt_recorded")
        if attempt_no != callback.attempts + 1:
            raise ConflictError(f"the next attempt of this callback is number {callback.attempts + 1}",
                                details={"next_attempt": callback.attempts + 1}, error_id="attempt_out_of_order")
        # Waiting for the citizen's rating by message keeps a callback out of the queue, not out of reach:
        # staff may still record what the citizen told them.
        awaiting_message = callback.by_message_until is not None and callback.attempts == 0
        if callback.next_attempt_at > self.now and not awaiting_message:
            raise ConflictError("the next attempt is due on another day",
                                details={"next_attempt_at": self.ctx.sla.local_iso(callback.next_attempt_at)},
                                error_id="attempt_not_due")
        attempt = CallbackAttempt(callback_id=callback.id, attempt_no=attempt_no, mode=mode,
                                  user_id=actor.user_id, started_at=self.now)
        self.attempt_rows.add(attempt)
        callback.attempts = attempt_no
        return attempt

    def open_attempt(self, callback: Callback) -> CallbackAttempt | None:
        return self.attempt_rows.open_for(callback.id)

    def require_pending(self, callback: Callback) -> None:
        if callback.status != PENDING:
            raise ConflictError(f"callback {callback.id} is finished ({callback.outcome}); the order is not awaiting "
                                f"a callback", error_id="callback_finished")

    def apply(self, callback: Callback, attempt: CallbackAttempt, actor: Actor, verdict: Verdict,
              process: Verdict | None, comment: str | None) -> Recorded:
        """Close an attempt with the citizen's verdict: 满意 closes the order, 不满意 redoes it, 未接通 waits a day."""
        now = self.now
        attempt.verdict, attempt.process_verdict, attempt.comment = verdict, process, comment
        if attempt.mode in (STAFF, AUTO):  # a keypad attempt finished by staff counts as staff's
            attempt.channel = attempt.mode
        attempt.finished_at = now
        order = self.orders.load(callback.work_order_id, actor)
        note = f"{VERDICT_WORDS[verdict]}" + (f"：{comment}" if comment else "")
        data = {"callback": callback.id, "attempt": attempt.attempt_no, "verdict": verdict.value}
        supervised = False
        if verdict in (Verdict.SATISFIED, Verdict.BASICALLY_SATISFIED):
            self.orders.close(order, Action.CLOSE_SATISFIED, actor, CloseReason.SATISFIED, note=note, data=data)
            self._finish(callback, verdict)
        elif verdict == Verdict.UNSATISFIED:
            self._redo(order, actor, comment or "", data)
            self._finish(callback, verdict)
            supervised = order.redo_count >= self.policy.redo_supervision_after
            if supervised:
                self._supervise(order, comment or "")
        else:
            unreachable = self.attempt_rows.unreachable_count(callback.id)
            if unreachable >= callback.max_attempts:
                self.orders.close(order, Action.CLOSE_UNREACHABLE, actor, CloseReason.UNREACHABLE,
                                  note=note, data=data)
                self._finish(callback, verdict)
            else:
                callback.next_attempt_at = self._next_working_morning(now)
                callback.claimed_by_user_id = callback.claimed_until = None
                self.orders.orders.add_event(order, "callback_attempt", order.state, actor, now, note=note, data=data)
        self.session.flush()
        return Recorded(callback, attempt, order, supervised)

    def _finish(self, callback: Callback, outcome: Verdict) -> None:
        callback.status, callback.outcome, callback.finished_at = DONE, outcome, self.now
        callback.claimed_by_user_id = callback.claimed_until = None

    def _redo(self, order: WorkOrder, actor: Actor, citizen_words: str, data: dict) -> None:
        """重办: back to the same departments with fresh deadlines, or to the hotline if it answered."""
        handled = [a for a in order.assignments if a.active and a.status == AssignmentStatus.COMPLETED
                   and a.role != AssignmentRole.SUB]  # a sub-unit is asked again by its parent, if at all
        for a in order.assignments:
            if a.role == AssignmentRole.SUB:
                a.active = False
        target = State.DISPATCHED if handled else State.ACCEPTED
        self.orders.advance(order, Action.REDO, actor, note=citizen_words, data=data, target=target)
        order.redo_count += 1
        order.completed_at = None
        department = None
        if handled:
            departments = self.orders.departments
            lead = next(a for a in handled if a.role == AssignmentRole.LEAD)
            co = [departments.require(a.department_id) for a in handled if a is not lead]
            for a in handled:
                a.active = False
            department = departments.require(lead.department_id)
            self.orders.assign(order, department, co)
        self.orders.notices.redone(order, department.name if department else None)

    def _supervise(self, order: WorkOrder, citizen_words: str) -> None:
        now = self.now
        note = f"第{order.redo_count}次不满意：{citizen_words}"
        lead = next((a.department_id for a in order.assignments if a.active and a.role == AssignmentRole.LEAD), None)
        self.orders.supervisions.add(order.id, SupervisionKind.REDO, now, note=note, department_id=lead)
        if lead is not None:  # the department hears of its 督办 at once (its page rings)
            publish_after_commit(self.session, DepartmentNotice(lead, "supervised", order.ticket_no,
                                                                f"第{order.redo_count}次不满意", order.tier))
        self.orders.outbox.post(f"redo:{order.id}:{order.redo_count}", notices.SUPERVISORS,
                                f"督办 {order.ticket_no}（重复不满意）",
                                f"【12345督办】工单 {order.ticket_no} 经回访第{order.redo_count}次不满意，请督办。"
                                f"群众意见：{citizen_words}", now, {"ticket_no": order.ticket_no})

    def _next_working_morning(self, now: dt.datetime) -> dt.datetime:
        """A retry is due on the next working day at the configured hour (a different day from this one)."""
        today = self.ctx.sla.local_day(now)
        day, _ = self.ctx.calendar.add_working_days(today, 1)
        local = dt.datetime.combine(day, dt.time(self.policy.retry_at_hour), tzinfo=self.ctx.sla.tz)
        return local.astimezone(dt.UTC)


def _verdict(value: Verdict | str, what: str) -> Verdict:
    try:
        return Verdict(value)
    except ValueError:
        raise InvalidInputError(f"{what} must be one of {', '.join(v.value for v in Verdict)}",
                                error_id="invalid_verdict") from None
