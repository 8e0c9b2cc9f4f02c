"""Extensions (延期): asked by the lead department, decided by the centre, never past the total limit."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.core.enums import State
from hotline.core.errors import ConflictError, InvalidInputError, PermissionDeniedError
from hotline.dispatch.deadline_repository import DeadlineRepository
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.extensions import ExtensionService
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.service import WorkOrderService
from tests.factories import ADMIN, OPERATOR, STREET, SUPERVISOR, WATER, order_in, staff_of

CST = dt.timezone(dt.timedelta(hours=8))


def complete_due(session, order):
    return DeadlineRepository(session).open_for(order.id, ["complete"])[0].due_at


def test_approved_extension_moves_the_completion_deadline_and_is_audited(session, ctx):
    order = order_in(State.SIGNED, session, ctx)
    before = complete_due(session, order)
    service = ExtensionService(session, ctx)
    request = service.request(order.id, staff_of(session, WATER), 3, "需更换主管道，等待材料")
    assert complete_due(session, order) == before  # nothing moves until approved
    service.decide(request.id, SUPERVISOR, approve=True, note="同意")
    session.flush()
    assert complete_due(session, order) == before + dt.timedelta(days=3)
    actions = [e.action for e in WorkOrderRepository(session).events(order.id)]
    assert actions[-2:] == ["request_extension", "decide_extension"]
    assert order.state == State.SIGNED


def test_refused_extension_leaves_the_deadline(session, ctx):
    order = order_in(State.REPLIED, session, ctx)
    before = complete_due(session, order)
    service = ExtensionService(session, ctx)
    request = service.request(order.id, staff_of(session, WATER), 2, "人手不足")
    service.decide(request.id, ADMIN, approve=False, note="请按期办结")
    assert request.status == "refused" and complete_due(session, order) == before
    with pytest.raises(ConflictError, match="already refused"):
        service.decide(request.id, ADMIN, approve=True)


def test_extension_beyond_fifteen_days_in_total_is_refused(session, ctx):
    # Dispatched Monday 23 Nov 09:00, completion due at the end of Thursday 26 Nov (3 working days);
    # the limit is 15 days after dispatch, the end of Tuesday 8 December: at most 12 more days.
    order = order_in(State.SIGNED, session, ctx)
    service = ExtensionService(session, ctx)
    with pytest.raises(InvalidInputError, match="beyond the limit") as err:
        service.request(order.id, staff_of(session, WATER), 13, "工程量大")
    assert err.value.details["limit"] == dt.datetime(2026, 12, 9, 0, 0, tzinfo=CST).isoformat()
    request = service.request(order.id, staff_of(session, WATER), 12, "工程量大")
    service.decide(request.id, ADMIN, approve=True)
    session.flush()
    assert complete_due(session, order) == dt.datetime(2026, 12, 9, 0, 0, tzinfo=CST)
    with pytest.raises(InvalidInputError, match="beyond the limit"):
        service.request(order.id, staff_of(session, WATER), 1, "还要再延")


def test_only_the_lead_department_asks_and_only_the_centre_decides(session, ctx):
    order = order_in(State.ACCEPTED, session, ctx)
    WorkOrderService(session, ctx).dispatch(order.id, OPERATOR, WATER, (STREET,))
    DepartmentService(session, ctx).sign(order.id, staff_of(session, WATER))
    service = ExtensionService(session, ctx)
    with pytest.raises(PermissionDeniedError, match="lead department"):
        service.request(order.id, staff_of(session, STREET), 2, "协办也想延期")
    request = service.request(order.id, staff_of(session, WATER), 2, "等待材料")
    with pytest.raises(PermissionDeniedError):
        service.decide(request.id, OPERATOR, approve=True)
    with pytest.raises(ConflictError, match="already has an extension request"):
        service.request(order.id, staff_of(session, WATER), 1, "再申请一次")


def test_extension_before_signing_is_an_illegal_transition(session, ctx):
    order = order_in(State.DISPATCHED, session, ctx)
    with pytest.raises(ConflictError):
        ExtensionService(session, ctx).request(order.id, staff_of(session, WATER), 2, "还没签收")
