"""督办 where the Liaocheng rules put them besides red lights, a second 回退 and a second 不满意: every emergency
is tracked from dispatch until it is completed, a request that comes back after 办结 (重复诉求) and a complaint
about a department's attitude (服务态度) each open a 督办 of their own — naming the department, with their own
deadline from config/sla.yaml `supervision`, once per trigger and order however often or concurrently asked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hotline.core.actor import SYSTEM
from hotline.core.enums import SupervisionKind, Tier
from hotline.dispatch import notices
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.supervision_repository import TriggerRepository
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import SupervisionRaised
from hotline.models import Department, WorkOrder
from hotline.notifications.outbox import Outbox

COMPLAINT = "complaint"


class SupervisionTriggers:
    """Called by the lifecycle steps that can fire a trigger; never commits."""

    def __init__(self, session: Session, ctx: DispatchEnv):
        self.ctx = ctx
        self.session = session
        self.policy = ctx.config.sla.supervision
        self.rows = TriggerRepository(session)
        self.orders = WorkOrderRepository(session)
        self.outbox = Outbox(session, ctx.config.notices.staff)

    def accepted(self, order: WorkOrder, attitude_of: Department | None) -> None:
        """受理: a repeat of a request completed within the window, and an attitude complaint the operator
        flagged against a named department."""
        window = dt.timedelta(days=self.policy.repeat.window_days)
        earlier = self.rows.earlier_completed(order, order.received_at - window)
        if earlier is not None:
            days = max(0, (order.received_at - earlier.completed_at).days)
            same = "同一诉求分类" if earlier.same_category else "同一地点"
            self._open(order, SupervisionKind.REPEAT, f"repeat:{order.id}", earlier.department_id,
                       f"重复诉求：同一市民在工单 {earlier.ticket_no} 办结后 {days} 天内就{same}再次来电反映")
        if attitude_of is not None:
            self._attitude(order, attitude_of.id, "服务态度投诉（话务员标记）")

    def dispatched(self, order: WorkOrder, lead: Department) -> None:
        """转办 (and 重办, which dispatches again): an emergency is tracked until done; a 投诉 under an
        attitude leaf names the department it was given to, unless the operator named one at 受理."""
        if order.tier == Tier.EMERGENCY:
            self._open(order, SupervisionKind.EMERGENCY, f"emergency:{order.id}:{order.redo_count}", lead.id,
                       "紧急工单全程跟踪督办，办结后自动关闭")
        if order.kind == COMPLAINT and order.category_code in self.policy.attitude.categories:
            self._attitude(order, lead.id, "服务态度投诉")

    def completed(self, order: WorkOrder) -> None:
        """办结: the emergency's tracking 督办 closes itself."""
        now = self.ctx.clock.now()
        for row in self.rows.close_open(order.id, SupervisionKind.EMERGENCY, now, "紧急工单已办结，督办自动关闭"):
            self.orders.add_event(order, "close_supervision", order.state, SYSTEM, now, note="紧急工单已办结",
                                  data={"supervision": row.id, "kind": SupervisionKind.EMERGENCY.value})

    def _attitude(self, order: WorkOrder, department_id: int, reason: str) -> None:
        self._open(order, SupervisionKind.ATTITUDE, f"attitude:{order.id}", department_id, reason)

    def _open(self, order: WorkOrder, kind: SupervisionKind, key: str, department_id: int, reason: str) -> None:
        now = self.ctx.clock.now()
        due = self.ctx.sla.due(now, getattr(self.policy, kind.value).due).at
        note = f"{reason}；督办时限 {self.ctx.sla.local_text(due)}"
        supervision_id = self.rows.open_once(order_id=order.id, kind=kind, key=key, department_id=department_id,
                                             note=note, at=now, due_at=due)
        if supervision_id is None:
            return  # opened before, by an earlier step or a request running alongside this one
        department = self.session.get(Department, department_id)
        self.orders.add_event(order, "supervise", order.state, SYSTEM, now, note=note,
                              data={"supervision": supervision_id, "kind": kind.value,
                                    "department": department.code if department else None})
        subject = f"督办 {order.ticket_no}"
        body = f"【12345督办】工单 {order.ticket_no}：{note}。"
        recipients = [notices.SUPERVISORS] + ([notices.department(department.code)] if department else [])
        self.outbox.post_many([(f"supervise:{key}:{to}", to, subject, body, {"ticket_no": order.ticket_no}, order.id)
                               for to in recipients], now)
        publish_after_commit(self.session, SupervisionRaised(department_id, kind.value, order.ticket_no, note))
