"""Work-order service (工单): every lifecycle transition, checked, stamped and audited. Never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import (
    AssignmentRole,
    AssignmentStatus,
    CloseReason,
    DeadlineKind,
    DeadlineStatus,
    Role,
    State,
    SupervisionKind,
    Tier,
)
from hotline.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from hotline.core.jobs import enqueue
from hotline.dispatch import notices
from hotline.dispatch.arrivals import tell_departments
from hotline.dispatch.catalogue_terms import kind_code, leaf_of, suggestion_as_filed
from hotline.dispatch.creation import Created, OrderCreator
from hotline.dispatch.deadline_repository import DeadlineRepository
from hotline.dispatch.lifecycle import Action, plan
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import CitizenRepository, DepartmentRepository, OrderRef, WorkOrderRepository
from hotline.dispatch.routing import Route
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.sla import Due, TierDeadlines
from hotline.dispatch.supervision_repository import SupervisionRepository
from hotline.dispatch.triggers import SupervisionTriggers
from hotline.models import Assignment, Citizen, Deadline, Department, WorkOrder
from hotline.notifications.citizen import CitizenNotices
from hotline.notifications.outbox import Outbox

CREATORS = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN, Role.CITIZEN, Role.LIAISON, Role.SYSTEM})
ARBITERS = frozenset({Role.SUPERVISOR, Role.HOTLINE_ADMIN})


ARBITRATION_AFTER_RETURNS = 2  # the second return of an order puts the next dispatch before a supervisor


class WorkOrderService:
    """The lifecycle in DESIGN.md; an illegal or unauthorised step raises before anything changes."""

    def __init__(self, session: Session, ctx: DispatchEnv):
        self.session = session
        self.ctx = ctx
        self.orders = WorkOrderRepository(session)
        self.departments = DepartmentRepository(session)
        self.deadlines = DeadlineRepository(session)
        self.supervisions = SupervisionRepository(session)
        self.outbox = Outbox(session, ctx.config.notices.staff)
        self.notices = CitizenNotices(session, ctx)
        self._citizens: dict[int | None, Citizen | None] = {}

    @property
    def now(self) -> dt.datetime:
        return self.ctx.clock.now()

    # -- intake ---------------------------------------------------------------------------

    def create(self, draft: WorkOrderDraft, actor: Actor) -> Created:
        """Register a citizen's request (state received); a repeated channel source id returns the first."""
        if actor.role not in CREATORS:
            raise PermissionDeniedError(f"a {actor.role.value} may not create work orders", error_id="role_not_allowed")
        category = leaf_of(self.ctx.config, draft.category_code)
        tier = category.tier if category else Tier.GENERAL
        draft = draft.model_copy(update={"category_code": category.code if category else None,
                                         "kind": kind_code(self.ctx.config, draft.kind),
                                         "suggestion": suggestion_as_filed(self.ctx.config, draft)})
        created = OrderCreator(self.session, self.ctx).create(draft, actor, tier)
        if created.extraction_code is not None:  # the code exists only now: the 受理 notice is written and held
            self.notices.created(created.order_id, created.ticket_no, created.extraction_code, draft.citizen_phone,
                                 draft.tier or tier)
        return created

    def accept(self, order_id: OrderRef, actor: Actor, *, tier: Tier | None = None,
               category_code: str | None = None, place: str | None = None, note: str | None = None,
               attitude_department: str | None = None) -> WorkOrder:
        """受理: the hotline takes the request on, confirming or correcting its tier, category and place;
        `attitude_department` flags a complaint about that department's attitude (服务态度 督办)."""
        order = self.load(order_id, actor)
        leaf = leaf_of(self.ctx.config, category_code)  # an unknown code is refused before anything changes
        attitude_of = self._dispatchable(attitude_department, ())[0] if attitude_department else None
        self.advance(order, Action.ACCEPT, actor, note=note,
                      data=_changes(order, tier=tier, category_code=category_code, place=place))
        order.tier = tier or order.tier
        order.category_code = leaf.code if leaf else order.category_code
        order.place = place or order.place
        order.accepted_at = self.now
        self.deadlines.close_open(order.id, [DeadlineKind.ACCEPT], DeadlineStatus.MET, self.now)
        self.notices.accepted(order)
        SupervisionTriggers(self.session, self.ctx).accepted(order, attitude_of)
        return order

    def answer_directly(self, order_id: OrderRef, actor: Actor, answer: str, data: dict | None = None) -> WorkOrder:
        """直办: the operator answers on the spot; the order goes straight to completed. `data` goes on the
        event (the knowledge-base article version the answer cites)."""
        order = self.load(order_id, actor)
        require_text(answer, "answer")
        self.advance(order, Action.ANSWER_DIRECTLY, actor, note=answer, data=data)
        order.result = answer
        order.completed_at = self.now
        enqueue(self.session, "hotline.callbacks.schedule")
        return order

    def mark_invalid(self, order_id: OrderRef, actor: Actor, reason: str) -> WorkOrder:
        order = self.load(order_id, actor)
        require_text(reason, "reason")
        self.close(order, Action.MARK_INVALID, actor, CloseReason.INVALID, note=reason)
        self.notices.withdrawn(order.id)
        return order

    def merge_duplicate(self, order_id: OrderRef, actor: Actor, parent_ticket: str) -> WorkOrder:
        """重复件: close this order into the earlier one that carries the same request."""
        self.orders.lock_in_id_order([order_id, parent_ticket])
        order = self.load(order_id, actor)
        parent = self.orders.by_ticket(parent_ticket)  # just read afresh under its lock
        if parent is None or parent.id == order.id:
            raise InvalidInputError(f"no other work order with ticket {parent_ticket} to merge into",
                                    error_id="duplicate_parent_not_found")
        if parent.parent_id is not None:
            raise InvalidInputError(f"{parent_ticket} is itself a duplicate of another order; merge into that one",
                                    error_id="duplicate_parent_is_duplicate")
        self.close(order, Action.MERGE_DUPLICATE, actor, CloseReason.DUPLICATE,
                    data={"parent_ticket": parent.ticket_no})
        order.parent_id = parent.id
        self.notices.withdrawn(order.id)
        return order

    def apply_transcript(self, order_id: OrderRef, actor: Actor, *, content: str, title: str | None,
                         place: str | None, data: dict) -> WorkOrder:
        """A voice message's words become its text (no change of state; an event of its own)."""
        order = self.load(order_id, actor)
        self.advance(order, Action.TRANSCRIBE, actor, data=data)
        order.content = content
        order.title = (title or order.title)[:200]
        if place and not order.place:
            order.place = place[:200]
        return order

    # -- dispatch ---------------------------------------------------------------------------

    def suggest_route(self, order_id: OrderRef, actor: Actor) -> Route:
        """The department the routing rules would choose, with the reasons an operator sees."""
        order = self.orders.find(order_id, actor)
        if order is None:
            raise NotFoundError(f"no work order {order_id} in your scope", error_id="order_not_found")
        return self.ctx.router.route(order.category_code, order.place)

    def dispatch(self, order_id: OrderRef, actor: Actor, lead_code: str | None = None, co_codes: tuple[str, ...] = (),
                 reason: str | None = None) -> WorkOrder:
        """转办 to a lead department (主办) and co-handlers (协办): by the routing rules, or the
        operator's choice with a reason. After a second return only a supervisor decides."""
        order = self.load(order_id, actor)
        route = self.ctx.router.route(order.category_code, order.place)
        lead_code, co_codes, overridden = self._choose(route, lead_code, co_codes, reason)
        # Only a second return puts an order before a supervisor: below that there is no ruling to look for.
        arbitration = (self.supervisions.open_for(order.id, SupervisionKind.ARBITRATION)
                       if order.return_count >= ARBITRATION_AFTER_RETURNS else ())
        if arbitration and actor.role not in ARBITERS:
            raise PermissionDeniedError(f"work order {order.ticket_no} was returned twice and awaits a "
                                        "supervisor's ruling", error_id="awaits_arbitration")
        lead, co = self._dispatchable(lead_code, co_codes)
        self.advance(order, Action.DISPATCH, actor, note=reason, data={
            "lead": lead.code, "co": [d.code for d in co], "suggested": route.lead, "overridden": overridden,
            "route_reasons": route.reasons,
        })
        if arbitration:
            self.supervisions.resolve(order.id, SupervisionKind.ARBITRATION, actor, self.now)
        due = self.assign(order, lead, co)
        self.notices.dispatched(order, lead.name, [d.name for d in co], due.complete.at, self.citizen_of(order))
        return order

    @staticmethod
    def _choose(route: Route, lead_code: str | None, co_codes: tuple[str, ...], reason: str | None):
        if lead_code is None:
            if route.lead is None:
                raise InvalidInputError("no routing rule decides this order: choose a department",
                                        details={"reasons": route.reasons}, error_id="no_route")
            return route.lead, tuple(co_codes) or route.co, False
        overridden = lead_code != route.lead
        if overridden and route.lead is not None and not (reason and reason.strip()):
            raise InvalidInputError(f"the rules suggest {route.lead}; dispatching elsewhere needs a reason",
                                    details={"suggested": route.lead, "reasons": route.reasons},
                                    error_id="reason_required")
        return lead_code, tuple(co_codes), overridden

    # -- building blocks (also used by callbacks and extensions) ---------------------------

    def citizen_of(self, order: WorkOrder) -> Citizen | None:
        """The order's citizen, read once in this unit of work (the session keeps no object nobody holds)."""
        if order.citizen_id not in self._citizens:
            self._citizens[order.citizen_id] = CitizenRepository(self.session).get(order.citizen_id)
        return self._citizens[order.citizen_id]

    def assign(self, order: WorkOrder, lead: Department, co: list[Department]) -> TierDeadlines:
        """Give the order to departments, start their clocks and tell them (after commit); the new deadlines."""
        now = self.now
        order.dispatched_at = order.dispatched_at or now
        shares = [(lead, AssignmentRole.LEAD)] + [(d, AssignmentRole.CO) for d in co]
        new = [Assignment(department_id=d.id, role=role, status=AssignmentStatus.DISPATCHED, active=True,
                          dispatched_at=now) for d, role in shares]
        order.assignments.extend(new)
        due = self.ctx.sla.deadlines(Tier(order.tier), now)
        self.deadlines.close_open(order.id, HANDLING_CLOCKS, DeadlineStatus.CANCELLED, now)
        for department, _role in shares:  # 签收时限: every department given a share signs for it
            if due.sign is not None:
                self.open_deadline(order, DeadlineKind.SIGN, now, due.sign, department.id)
        self.open_deadline(order, DeadlineKind.REPLY, now, due.reply, lead.id)
        self.open_deadline(order, DeadlineKind.COMPLETE, now, due.complete, lead.id)
        self.session.flush()
        citizen = self.citizen_of(order)
        names = [citizen.name] if citizen and citizen.name else []
        tell_departments(self.session, order, [d.id for d, _role in shares], names)  # live; an emergency rings
        self.outbox.post_many([
            (f"dispatch:{assignment.id}", notices.department(department.code),
             *notices.dispatched(self.ctx, order, role, due.reply.at, names), {"ticket_no": order.ticket_no}, order.id)
            for (department, role), assignment in zip(shares, new, strict=True)
        ], now)
        SupervisionTriggers(self.session, self.ctx).dispatched(order, lead)
        return due

    def open_deadline(self, order: WorkOrder, kind: DeadlineKind, start: dt.datetime, due: Due,
                       department_id: int | None) -> Deadline:
        return self.deadlines.add(Deadline(
            work_order_id=order.id, department_id=department_id, kind=kind, starts_at=start,
            warn_at=self.ctx.sla.warn_at(start, due.at), due_at=due.at, provisional=due.provisional,
            status=DeadlineStatus.OPEN, light="green",
        ))

    def advance(self, order: WorkOrder, action: Action, actor: Actor, *, note: str | None = None,
                 data: dict | None = None, target: State | None = None) -> None:
        """Check the step against the lifecycle table, then move the order and write the event."""
        before = order.state
        order.state = plan(before, action, actor.role, target)
        self.orders.add_event(order, action, before, actor, self.now, note=note, data=data)

    def close(self, order: WorkOrder, action: Action, actor: Actor, reason: CloseReason,
               note: str | None = None, data: dict | None = None) -> None:
        self.advance(order, action, actor, note=note, data=data)
        order.closed_at, order.close_reason = self.now, reason
        self.deadlines.close_open(order.id, list(DeadlineKind), DeadlineStatus.CANCELLED, self.now)

    def load(self, ref: OrderRef, actor: Actor) -> WorkOrder:
        """The order `actor` may act on, locked for this transaction (404 outside the actor's scope)."""
        order = self.orders.find(ref, actor, lock=True)
        if order is None:
            raise NotFoundError(f"no work order {ref} in your scope", error_id="order_not_found")
        return order

    def assignment_of(self, order: WorkOrder, actor: Actor) -> Assignment:
        if actor.department_id is not None:
            for a in active_assignments(order):
                if a.department_id == actor.department_id:
                    return a
        raise PermissionDeniedError(f"work order {order.ticket_no} is not assigned to your department",
                                    error_id="not_your_department")

    def _dispatchable(self, lead_code: str, co_codes: tuple[str, ...]) -> tuple[Department, list[Department]]:
        codes = [lead_code, *co_codes]
        if len(set(codes)) != len(codes):
            raise InvalidInputError("a department can appear only once among lead and co-handlers",
                                    error_id="department_repeated")
        found = self.departments.by_codes(codes)
        for code in codes:
            department = found.get(code)
            if department is None:
                raise InvalidInputError(f"no department with code {code}", details={"department": code},
                                        error_id="department_not_found")
            if not department.active:
                raise InvalidInputError(f"department {code} ({department.name}) is retired",
                                        details={"department": code}, error_id="department_retired")
        return found[lead_code], [found[c] for c in co_codes]


HANDLING_CLOCKS = (DeadlineKind.SIGN, DeadlineKind.REPLY, DeadlineKind.COMPLETE, DeadlineKind.SUB)


def active_assignments(order: WorkOrder) -> list[Assignment]:
    return [a for a in order.assignments if a.active]


def require_text(value: str | None, what: str) -> None:
    if value is None or not value.strip():
        raise InvalidInputError(f"a {what} is required", error_id="text_required")


def _changes(order: WorkOrder, **fields) -> dict | None:
    changed = {k: {"from": getattr(order, k), "to": str(v)} for k, v in fields.items()
               if v is not None and v != getattr(order, k)}
    return changed or None
