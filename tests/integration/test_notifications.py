"""Outbox delivery: once per message, retried when the provider fails, recovered when a job is lost."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select, update

from hotline.core.db import session_scope
from hotline.core.enums import State
from hotline.core.jobs import CeleryQueue, InProcessQueue, Runtime
from hotline.dispatch.service import WorkOrderService
from hotline.models import OutboxMessage, WorkOrder
from hotline.notifications.outbox import Outbox
from hotline.notifications.ports import DeliveryError
from hotline.notifications.tasks import deliver, recover
from hotline.runtime.boot import open_runtime
from hotline.runtime.celery import celery_app
from tests.factories import OPERATOR, WATER, order_in


def sent_lines(ctx) -> list[dict]:
    path = ctx.settings.var_dir / "notifications.log"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def post(session_factory, ctx, key="test:1") -> int:
    with session_scope(session_factory) as s:
        [message_id] = Outbox(s, ["sms"]).post(key, "department:371500-WATER", "主题", "正文", ctx.clock.now())
    return message_id


def status(session_factory, message_id):
    with session_factory() as s:
        row = s.get(OutboxMessage, message_id)
        return row.status, row.attempts, row.last_error


def test_a_message_is_delivered_once_however_often_its_job_runs(session_factory, ctx):
    message_id = post(session_factory, ctx)
    runtime = Runtime(ctx, session_factory)
    assert deliver(runtime, message_id) == "sent"
    assert deliver(runtime, message_id) == "skipped"
    assert [line["key"] for line in sent_lines(ctx)] == ["test:1:sms"]
    assert status(session_factory, message_id) == ("sent", 1, None)


def test_posting_the_same_event_twice_makes_one_message(session_factory, ctx):
    post(session_factory, ctx, "same")
    with session_scope(session_factory) as s:
        assert Outbox(s, ["sms"]).post("same", "x", "s", "b", ctx.clock.now()) == []


class Failing:
    def __init__(self, permanent: bool):
        self.permanent, self.calls = permanent, 0

    def send(self, message):
        self.calls += 1
        raise DeliveryError("gateway said no", permanent=self.permanent)


@pytest.mark.parametrize("permanent,expected", [(False, "pending"), (True, "failed")])
def test_provider_failure_is_recorded_and_retried_only_when_it_can_help(session_factory, ctx, permanent, expected):
    message_id = post(session_factory, ctx)
    failing = Failing(permanent)
    runtime = Runtime(replace(ctx, notifiers={"sms": failing}), session_factory)
    assert deliver(runtime, message_id) == "failed"
    assert status(session_factory, message_id) == (expected, 1, "gateway said no")
    deliver(runtime, message_id)
    assert failing.calls == (2 if not permanent else 1)


def test_a_claim_held_by_a_live_worker_is_respected_and_a_dead_ones_expires(session_factory, ctx, clock):
    message_id = post(session_factory, ctx)
    with session_scope(session_factory) as s:
        s.execute(update(OutboxMessage).values(status="sending", claimed_at=clock.now()))
    runtime = Runtime(ctx, session_factory)
    assert deliver(runtime, message_id) == "skipped"
    clock.advance(seconds=ctx.settings.job_visibility_timeout + 1)
    assert deliver(runtime, message_id) == "sent"


def test_jobs_leave_only_after_commit_and_never_after_rollback(ctx, session_factory):
    queue = InProcessQueue()
    runtime = open_runtime(ctx, queue)
    with session_scope(runtime.session_factory) as s:
        order_id = order_in(State.ACCEPTED, s, ctx).id
    with pytest.raises(RuntimeError), session_scope(runtime.session_factory) as s:
        WorkOrderService(s, ctx).dispatch(order_id, OPERATOR, WATER)
        raise RuntimeError("the request failed after dispatching")
    queue.drain()
    assert sent_lines(ctx) == []
    with session_scope(runtime.session_factory) as s:
        WorkOrderService(s, ctx).dispatch(order_id, OPERATOR, WATER)
    queue.drain()
    [line] = sent_lines(ctx)
    assert line["recipient"] == f"department:{WATER}" and "新工单" in line["subject"]
    runtime.session_factory.kw["bind"].dispose()


def test_broker_down_during_dispatch_keeps_the_order_and_the_message_waits(ctx, session_factory, clock):
    dead_broker = ctx.settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    runtime = open_runtime(ctx, CeleryQueue(celery_app(dead_broker)))
    with session_scope(runtime.session_factory) as s:
        order_id = order_in(State.ACCEPTED, s, ctx).id
    with session_scope(runtime.session_factory) as s:  # commits although the job cannot be sent
        WorkOrderService(s, ctx).dispatch(order_id, OPERATOR, WATER)
    with session_factory() as s:
        assert s.scalar(select(WorkOrder.state).where(WorkOrder.id == order_id)) == "dispatched"
        assert s.scalars(select(OutboxMessage.status)).all() == ["pending"]
    runtime.session_factory.kw["bind"].dispose()
    # The broker is back: the periodic recovery finds the waiting message and it goes out once.
    queue = InProcessQueue()
    healthy = open_runtime(ctx, queue)
    clock.advance(minutes=2)
    assert recover(healthy) == 1
    queue.drain()
    assert len(sent_lines(ctx)) == 1
    assert recover(healthy) == 0
    healthy.session_factory.kw["bind"].dispose()


def test_failed_message_can_be_sent_again(session_factory, ctx):
    from hotline.notifications.outbox import failed_ids, resend

    message_id = post(session_factory, ctx)
    deliver(Runtime(replace(ctx, notifiers={"sms": Failing(True)}), session_factory), message_id)
    with session_scope(session_factory) as s:
        assert failed_ids(s) == [message_id]
        assert resend(s, [message_id]) == [message_id]
    assert deliver(Runtime(ctx, session_factory), message_id) == "sent"
    assert [line["key"] for line in sent_lines(ctx)] == ["test:1:sms"]
