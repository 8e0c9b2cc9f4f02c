"""Ticket numbers stay unique and gapless when many operators create orders at the same moment."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from hotline.core.db import session_scope
from hotline.dispatch.service import WorkOrderService
from hotline.models import WorkOrder
from tests.factories import OPERATOR, draft

THREADS, PER_THREAD = 8, 15


def test_concurrent_creation_never_repeats_a_ticket_number(session_factory, ctx):
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def operator_desk():
        try:
            barrier.wait()
            for _ in range(PER_THREAD):
                with session_scope(session_factory) as s:
                    WorkOrderService(s, ctx).create(draft(), OPERATOR)
        except BaseException as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=operator_desk) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_factory() as s:
        numbers = s.scalars(select(WorkOrder.ticket_no)).all()
    assert len(numbers) == len(set(numbers)) == THREADS * PER_THREAD
    assert sorted(numbers) == [f"20261123-{i:04d}" for i in range(1, THREADS * PER_THREAD + 1)]


def test_numbering_restarts_each_local_day(session, ctx, clock):
    service = WorkOrderService(session, ctx)
    assert service.create(draft(), OPERATOR).order.ticket_no == "20261123-0001"
    clock.advance(hours=15)  # 00:00 on Tuesday in Liaocheng, still Monday in UTC
    assert service.create(draft(), OPERATOR).order.ticket_no == "20261124-0001"


def test_sequence_grows_past_four_digits_instead_of_wrapping(session_factory, ctx):
    from hotline.models import TicketCounter, TicketDay

    with session_scope(session_factory) as s:
        if s.get_bind().dialect.name == "postgresql":  # 9,999 numbers drawn today from a sequence that starts at 1
            s.add(TicketDay(day="20261123", base=-9999))
        else:
            s.add(TicketCounter(day="20261123", last_value=9999))
    with session_scope(session_factory) as s:
        assert WorkOrderService(s, ctx).create(draft(), OPERATOR).order.ticket_no == "20261123-10000"


@pytest.mark.postgres_only
def test_a_create_never_waits_for_another_create_to_commit(session_factory, ctx):
    """Desks at a peak: the day's number is drawn without holding anything until the request commits."""
    with session_scope(session_factory) as s:
        WorkOrderService(s, ctx).create(draft(), OPERATOR)  # the day has begun
    first = session_factory()  # another caller's order, not committed yet
    try:
        held = WorkOrderService(first, ctx).create(draft(citizen_phone="13900000001"), OPERATOR).order.ticket_no
        with session_scope(session_factory) as s:
            s.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting on the first desk would fail here
            second = WorkOrderService(s, ctx).create(draft(citizen_phone="13900000002"), OPERATOR).order.ticket_no
        first.commit()
    finally:
        first.close()
    assert (held, second) == ("20261123-0002", "20261123-0003")


@pytest.mark.postgres_only
def test_the_days_first_numbers_drawn_at_once_are_still_one_to_n(session_factory, ctx):
    """No day row yet and many desks at once: one writes the day's start, the others wait for it, none is lost."""
    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []

    def desk():
        barrier.wait()
        with session_scope(session_factory) as s:
            numbers.append(WorkOrderService(s, ctx).create(draft(), OPERATOR).order.ticket_no)

    threads = [threading.Thread(target=desk) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [f"20261123-{i:04d}" for i in range(1, THREADS + 1)]
