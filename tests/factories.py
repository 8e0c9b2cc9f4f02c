"""Builders for test data: actors for each role and orders driven to any lifecycle state."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.callbacks.service import CallbackService
from hotline.core.actor import SYSTEM, Actor
from hotline.core.enums import Channel, Role, State, Tier, Verdict
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.repository import DepartmentRepository
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService
from hotline.models import WorkOrder
from hotline.runtime.context import Context

OPERATOR = Actor(Role.OPERATOR, user_id=None, name="话务员")
ADMIN = Actor(Role.HOTLINE_ADMIN, name="热线管理员")
SUPERVISOR = Actor(Role.SUPERVISOR, name="督办")
CALLBACK = Actor(Role.CALLBACK_STAFF, name="回访员")
WATER = "371500-WATER"
HOUSING = "371500-ZJJ"
STREET = "371502001"


def staff_of(session: Session, code: str, role: Role = Role.DEPARTMENT_STAFF) -> Actor:
    department = DepartmentRepository(session).by_code(code)
    return Actor(role, department_id=department.id, name=f"{department.name}工作人员", department_path=department.path,
                 department_ids=DepartmentRepository(session).subtree(department.path))


def draft(**overrides) -> WorkOrderDraft:
    values = dict(title="小区停水两天", content="我家小区停水了，已经两天了，请尽快派人处理。",
                  channel=Channel.PHONE, category_code="water.outage", place="东昌府区建设路社区",
                  citizen_phone="13800138000", citizen_name="张女士")
    values.update(overrides)
    return WorkOrderDraft(**values)


# The legal path to each state, as (method, args) steps after creation.
PATHS: dict[State, list[str]] = {
    State.RECEIVED: [],
    State.ACCEPTED: ["accept"],
    State.DISPATCHED: ["accept", "dispatch"],
    State.SIGNED: ["accept", "dispatch", "sign"],
    State.REPLIED: ["accept", "dispatch", "sign", "reply"],
    State.COMPLETED: ["accept", "dispatch", "sign", "reply", "complete"],
    State.CALLBACK_PENDING: ["accept", "dispatch", "sign", "reply", "complete", "start_callback"],
    State.RETURNED: ["accept", "dispatch", "return"],
    State.CLOSED: ["accept", "dispatch", "sign", "reply", "complete", "start_callback", "close_satisfied"],
}


def order_in(state: State, session: Session, ctx: Context, **draft_overrides) -> WorkOrder:
    """Create an order and drive it through legal steps until it is in `state`."""
    service = WorkOrderService(session, ctx)
    callbacks = CallbackService(session, ctx)
    dept = DepartmentService(session, ctx)
    order = service.create(draft(**draft_overrides), OPERATOR).order
    water = staff_of(session, WATER)
    steps = {
        "accept": lambda: service.accept(order.id, OPERATOR, tier=Tier.LIVELIHOOD),
        "dispatch": lambda: service.dispatch(order.id, OPERATOR, WATER),
        "sign": lambda: dept.sign(order.id, water),
        "reply": lambda: dept.reply(order.id, water, "已安排抢修，预计今晚恢复供水。"),
        "complete": lambda: dept.complete(order.id, water, "管道已修复，供水恢复。"),
        "start_callback": lambda: callbacks.start(order.id, SYSTEM),
        "close_satisfied": lambda: callbacks.record(order.id, CALLBACK, 1, Verdict.SATISFIED),
        "return": lambda: dept.return_order(order.id, water, "不属于本单位职责"),
    }
    for step in PATHS[state]:
        steps[step]()
    session.flush()
    assert order.state == state
    return order
