"""All SQL of the desks: operators' states and stints, 并案 incidents, callback queues and dials, the
story of an order, and a person's counts for the day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from hotline.core.actor import Actor
from hotline.core.enums import CallbackStatus, CloseReason
from hotline.dispatch.scope import readable
from hotline.models import (
    AgentState,
    AgentStint,
    Callback,
    CallbackAttempt,
    CallbackDial,
    Citizen,
    Department,
    Evidence,
    ExtensionRequest,
    Supervision,
    User,
    WorkOrder,
    WorkOrderEvent,
)

OPEN_STATES = ("accepted", "dispatched", "signed", "replied", "returned")


class AgentStateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int, *, lock: bool = False) -> AgentState | None:
        stmt = select(AgentState).where(AgentState.user_id == user_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).first()

    def add(self, row: AgentState | AgentStint) -> None:
        self.session.add(row)

    def open_stint(self, user_id: int) -> AgentStint | None:
        return self.session.scalars(select(AgentStint).where(AgentStint.user_id == user_id,
                                                             AgentStint.ended_at.is_(None))
                                    .order_by(AgentStint.id.desc()).limit(1)).first()

    def at_interface(self, interface: str) -> Sequence[int]:
        """Operators signed in at this interface (whoever answers there is them)."""
        return self.session.scalars(select(AgentState.user_id).where(
            AgentState.interface == interface, AgentState.state != "offline")).all()

    def on_call(self, linkedid: str) -> Sequence[int]:
        return self.session.scalars(select(AgentState.user_id).where(
            AgentState.linkedid == linkedid, AgentState.state.in_(["ringing", "talking", "held"]))).all()

    def calls_taken(self, user_id: int, lo: dt.datetime, hi: dt.datetime) -> int:
        """Calls talked on that started in [lo, hi): one however often the citizen was put on hold."""
        return int(self.session.scalar(select(func.count(func.distinct(AgentStint.linkedid)))
                                       .where(AgentStint.user_id == user_id, AgentStint.state == "talking",
                                              AgentStint.started_at >= lo, AgentStint.started_at < hi)) or 0)

    def seconds_by_state(self, user_id: int, lo: dt.datetime, hi: dt.datetime) -> dict[str, tuple[int, int]]:
        """state → (stints started in [lo, hi), their closed seconds)."""
        seconds = func.coalesce(func.sum(AgentStint.seconds), 0)
        rows = self.session.execute(select(AgentStint.state, func.count(), seconds)
                                    .where(AgentStint.user_id == user_id, AgentStint.started_at >= lo,
                                           AgentStint.started_at < hi).group_by(AgentStint.state)).all()
        return {state: (int(n), int(total or 0)) for state, n, total in rows}


class IncidentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def open_same_category(self, category: str, since: dt.datetime, exclude: Sequence[int],
                           limit: int = 200) -> Sequence[WorkOrder]:
        """Open orders of a category (or, for a code ending in '.', of any leaf under it) received since `since`
        that are not themselves merged into another."""
        same = (WorkOrder.category_code.startswith(category, autoescape=True) if category.endswith(".")
                else WorkOrder.category_code == category)
        stmt = select(WorkOrder).where(same, WorkOrder.received_at >= since,
                                       WorkOrder.state.in_(OPEN_STATES), WorkOrder.parent_id.is_(None))
        if exclude:
            stmt = stmt.where(WorkOrder.id.not_in(list(exclude)))
        return self.session.scalars(stmt.order_by(WorkOrder.received_at.desc()).limit(limit)).all()

    def callers(self, master_ids: Sequence[int]) -> dict[int, int]:
        """Attached callers per master order (the master's own caller not counted)."""
        if not master_ids:
            return {}
        rows = self.session.execute(select(WorkOrder.parent_id, func.count()).where(
            WorkOrder.parent_id.in_(list(master_ids)), WorkOrder.close_reason == CloseReason.INCIDENT)
            .group_by(WorkOrder.parent_id)).all()
        return {int(master): int(n) for master, n in rows if master is not None}

    def masters(self, actor: Actor, limit: int, offset: int) -> tuple[list[Row], int]:
        """(master order, attached callers, last attached at) readable by `actor`, most callers first."""
        child = aliased(WorkOrder)
        counted = (select(child.parent_id.label("master_id"), func.count().label("callers"),
                          func.max(child.received_at).label("last_at"))
                   .where(child.close_reason == CloseReason.INCIDENT).group_by(child.parent_id).subquery())
        stmt = (select(WorkOrder, counted.c.callers, counted.c.last_at)
                .join(counted, counted.c.master_id == WorkOrder.id).where(readable(actor)))
        total = self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        rows = self.session.execute(stmt.order_by(counted.c.callers.desc(), counted.c.last_at.desc())
                                    .limit(limit).offset(offset)).all()
        return list(rows), total

    def attached(self, master_id: int) -> Sequence[Row]:
        """(ticket, phone, received) of the callers attached to a master (told of its outcome)."""
        return self.session.execute(select(WorkOrder.ticket_no, Citizen.phone, WorkOrder.received_at)
                                    .outerjoin(Citizen, Citizen.id == WorkOrder.citizen_id)
                                    .where(WorkOrder.parent_id == master_id,
                                           WorkOrder.close_reason == CloseReason.INCIDENT)
                                    .order_by(WorkOrder.received_at)).all()


class CallbackQueueRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def due(self, now: dt.datetime, user_id: int | None, words: str | None, phone: str | None,
            limit: int, offset: int) -> tuple[list[Callback], int]:
        """Pending callbacks that may be made now (or any pending one, when looked up by ticket or phone)."""
        free = or_(Callback.claimed_until.is_(None), Callback.claimed_until <= now)
        if user_id is not None:
            free = or_(free, Callback.claimed_by_user_id == user_id)
        stmt = (select(Callback).join(WorkOrder, WorkOrder.id == Callback.work_order_id)
                .outerjoin(Citizen, Citizen.id == WorkOrder.citizen_id)
                .where(Callback.status == CallbackStatus.PENDING))
        if words or phone:  # a citizen calling back is found whatever the callback's schedule
            if words:
                stmt = stmt.where(or_(WorkOrder.ticket_no == words, WorkOrder.title.contains(words, autoescape=True)))
            if phone:
                stmt = stmt.where(Citizen.phone.endswith(phone, autoescape=True))
        else:
            stmt = stmt.where(and_(Callback.next_attempt_at <= now, free))
        total = self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        rows = self.session.scalars(stmt.order_by(Callback.due_at, Callback.id).limit(limit).offset(offset)).all()
        return list(rows), total

    def for_order(self, order_id: int, *, lock: bool = False) -> Callback | None:
        stmt = select(Callback).where(Callback.work_order_id == order_id, Callback.status == CallbackStatus.PENDING)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).first()

    def phones(self, order_ids: Sequence[int]) -> dict[int, str | None]:
        if not order_ids:
            return {}
        return dict(self.session.execute(select(WorkOrder.id, Citizen.phone).outerjoin(
            Citizen, Citizen.id == WorkOrder.citizen_id).where(WorkOrder.id.in_(list(order_ids)))).all())

    def add_dial(self, dial: CallbackDial) -> None:
        self.session.add(dial)

    def attempts_today(self, user_id: int, lo: dt.datetime, hi: dt.datetime) -> dict[str, int]:
        """verdict → attempts this person finished in [lo, hi)."""
        return {verdict or "": int(n) for verdict, n in self.session.execute(
            select(CallbackAttempt.verdict, func.count()).where(
                CallbackAttempt.user_id == user_id, CallbackAttempt.finished_at >= lo,
                CallbackAttempt.finished_at < hi).group_by(CallbackAttempt.verdict)).all()}

    def dials_today(self, user_id: int, lo: dt.datetime, hi: dt.datetime) -> int:
        return self.session.scalar(select(func.count()).select_from(CallbackDial).where(
            CallbackDial.user_id == user_id, CallbackDial.started_at >= lo, CallbackDial.started_at < hi)) or 0


class DeskCountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def steps_by(self, user_id: int, lo: dt.datetime, hi: dt.datetime) -> dict[str, int]:
        """action → how many steps this person took in [lo, hi)."""
        return {action: int(n) for action, n in self.session.execute(
            select(WorkOrderEvent.action, func.count()).where(
                WorkOrderEvent.actor_user_id == user_id, WorkOrderEvent.occurred_at >= lo,
                WorkOrderEvent.occurred_at < hi).group_by(WorkOrderEvent.action)).all()}


class StoryRepository:
    """Everything that happened to one order, for its story (流转记录)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def names(self, user_ids: set[int], department_ids: set[int]) -> tuple[dict[int, str], dict[int, str]]:
        users = dict(self.session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()) \
            if user_ids else {}
        departments = dict(self.session.execute(select(Department.id, Department.name)
                                                .where(Department.id.in_(department_ids))).all()) \
            if department_ids else {}
        return users, departments

    def evidence(self, order_id: int) -> Sequence[Evidence]:
        return self.session.scalars(select(Evidence).where(Evidence.work_order_id == order_id)
                                    .order_by(Evidence.id)).all()

    def evidence_file(self, order_id: int, evidence_id: int) -> Evidence | None:
        return self.session.scalars(select(Evidence).where(Evidence.id == evidence_id,
                                                           Evidence.work_order_id == order_id)).first()

    def callbacks(self, order_id: int) -> list[tuple[Callback, list[CallbackAttempt]]]:
        rounds = self.session.scalars(select(Callback).where(Callback.work_order_id == order_id)
                                      .order_by(Callback.round)).all()
        attempts = self.session.scalars(select(CallbackAttempt).where(
            CallbackAttempt.callback_id.in_([c.id for c in rounds])).order_by(CallbackAttempt.attempt_no)).all() \
            if rounds else []
        return [(c, [a for a in attempts if a.callback_id == c.id]) for c in rounds]

    def supervisions(self, order_id: int) -> Sequence[Supervision]:
        return self.session.scalars(select(Supervision).where(Supervision.work_order_id == order_id)
                                    .order_by(Supervision.raised_at)).all()

    def extensions(self, order_id: int) -> Sequence[ExtensionRequest]:
        return self.session.scalars(select(ExtensionRequest).where(ExtensionRequest.work_order_id == order_id)
                                    .order_by(ExtensionRequest.requested_at)).all()

    def ticket_of(self, order_id: int | None) -> str | None:
        if order_id is None:
            return None
        return self.session.scalar(select(WorkOrder.ticket_no).where(WorkOrder.id == order_id))
