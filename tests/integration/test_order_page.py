"""A department's order list and its total, read through the shares of its own departments: an order counted
once however many of its shares the reader's subtree holds, a share handed back no longer counted, a completed
share still counted — the same total with and without a filter that makes the count read the orders."""

from __future__ import annotations

from sqlalchemy import event

from hotline.core.db import session_scope
from hotline.core.enums import Role, State
from hotline.dispatch.filters import OrderFilter
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.service import WorkOrderService
from tests.factories import OPERATOR, draft, order_in, staff_of

STREET, OTHER_STREET, DISTRICT = "371502001", "371502002", "371502"
EVERY_STATE = OrderFilter(states=[s.value for s in State])  # narrows nothing, but makes the count read the orders


def test_a_department_counts_what_it_holds_or_completed_and_not_what_it_handed_back(session_factory, ctx):
    with session_scope(session_factory) as s:
        held = order_in(State.SIGNED, s, ctx).ticket_no
        done = order_in(State.CLOSED, s, ctx).ticket_no
        order_in(State.RETURNED, s, ctx)  # the water company's share is no longer active, nor completed
        order_in(State.ACCEPTED, s, ctx)  # never given to anyone
    with session_scope(session_factory) as s:
        water = staff_of(s, "371500-WATER")
        for wanted in (None, EVERY_STATE):
            rows, total = WorkOrderRepository(s).page(water, wanted)
            assert [r.ticket_no for r in rows] == [done, held]  # newest first: same instant, later id first
            assert total == 2
        rows, total = WorkOrderRepository(s).page(water, OrderFilter(states=["closed"]))
        assert [r.ticket_no for r in rows] == [done] and total == 1


def test_an_order_two_of_a_districts_offices_share_is_listed_and_counted_once(session_factory, ctx):
    with session_scope(session_factory) as s:
        orders = WorkOrderService(s, ctx)
        shared = orders.create(draft(category_code="city.sanitation", place="东昌府区古楼街道米市街社区"), OPERATOR).order
        orders.accept(shared.id, OPERATOR)
        orders.dispatch(shared.id, OPERATOR, STREET, (OTHER_STREET,), reason="两个街道交界处")
        ticket = shared.ticket_no
    with session_scope(session_factory) as s:
        district = staff_of(s, DISTRICT, Role.SUPERVISOR)
        assert len(district.department_ids) > 2  # the district and the offices below it
        for wanted in (None, EVERY_STATE):
            rows, total = WorkOrderRepository(s).page(district, wanted)
            assert [r.ticket_no for r in rows] == [ticket] and total == 1
        for office in (STREET, OTHER_STREET):
            rows, total = WorkOrderRepository(s).page(staff_of(s, office), None)
            assert [r.ticket_no for r in rows] == [ticket] and total == 1
        rows, total = WorkOrderRepository(s).page(staff_of(s, "371500-WATER"), None)
        assert rows == [] and total == 0


def test_the_page_row_carries_the_light_the_nearest_deadline_and_the_citizen(session_factory, ctx):
    with session_scope(session_factory) as s:
        order = order_in(State.DISPATCHED, s, ctx)
        ticket = order.ticket_no
    with session_scope(session_factory) as s:
        (row,), total = WorkOrderRepository(s).page(staff_of(s, "371500-WATER"), None)
        assert (row.ticket_no, row.state, row.light, total) == (ticket, "dispatched", 0, 1)
        assert row.due_at is not None and row.phone == "13800138000" and row.name == "张女士"


def test_the_departments_go_to_the_database_as_values_the_planner_can_see(session_factory, ctx):
    with session_scope(session_factory) as s:
        order_in(State.DISPATCHED, s, ctx)
    sent: list[str] = []
    engine = session_factory.kw["bind"]

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    with session_scope(session_factory) as s:
        water = staff_of(s, "371500-WATER")
        event.listen(engine, "before_cursor_execute", capture)
        try:
            WorkOrderRepository(s).page(water, None)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
    ids = ", ".join(str(i) for i in water.department_ids)
    assert len(sent) == 2 and all(f"department_id IN ({ids})" in statement for statement in sent), sent
