"""Outbox delivery: once per message, retried later when the provider says so, given up when it cannot go,
recovered when a job is lost; staff messages go to the channels config/notices.yaml chose."""

from __future__ import annotations

import datetime as dt
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
from hotline.notifications.providers.base import SendResult
from hotline.notifications.providers.fake import FakeProvider
from hotline.notifications.tasks import deliver, recover
from hotline.runtime.boot import open_runtime
from hotline.runtime.celery import celery_app
from tests.factories import OPERATOR, WATER, order_in


def sent_lines(ctx) -> list[dict]:
    path = ctx.settings.var_dir / "notifications.log"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def post(session_factory, ctx, key="test:1", recipient="role:operator") -> int:
    with session_scope(session_factory) as s:
        [message_id] = Outbox(s, ctx.config.notices.staff).post(key, recipient, "主题", "正文", ctx.clock.now())
    return message_id


def row(session_factory, message_id) -> OutboxMessage:
    with session_factory() as s:
        return s.get(OutboxMessage, message_id)


def with_provider(ctx, session_factory, provider, channel="log") -> Runtime:
    return Runtime(replace(ctx, providers={**ctx.providers, channel: provider}), session_factory)


def test_a_message_is_delivered_once_however_often_its_job_runs(session_factory, ctx):
    message_id = post(session_factory, ctx)
    runtime = Runtime(ctx, session_factory)
    assert deliver(runtime, message_id) == "sent"
    assert deliver(runtime, message_id) == "skipped"
    assert [line["key"] for line in sent_lines(ctx)] == ["test:1:log"]
    sent = row(session_factory, message_id)
    assert (sent.status, sent.attempts, sent.last_error, sent.provider) == ("sent", 1, None, "log")


def test_posting_the_same_event_twice_makes_one_message(session_factory, ctx):
    post(session_factory, ctx, "same")
    with session_scope(session_factory) as s:
        assert Outbox(s, ctx.config.notices.staff).post("same", "role:operator", "s", "b", ctx.clock.now()) == []


def test_a_department_gets_each_channel_it_chose_and_others_the_fallback(session_factory, ctx):
    with session_scope(session_factory) as s:
        outbox = Outbox(s, ctx.config.notices.staff)
        outbox.post("d:1", "department:371500-ZJJ", "主题", "正文", ctx.clock.now())
        outbox.post("d:2", "department:371500-RSJ", "主题", "正文", ctx.clock.now())
    with session_factory() as s:
        rows = s.execute(select(OutboxMessage.dedupe_key, OutboxMessage.channel, OutboxMessage.recipient)
                         .order_by(OutboxMessage.id)).all()
    assert rows == [("d:1:wecom", "wecom", "housing"), ("d:1:email", "email", "banli@zjj.liaocheng.gov.cn"),
                    ("d:2:log", "log", "department:371500-RSJ")]


def test_a_retry_waits_for_its_time_and_then_goes(session_factory, ctx, clock):
    message_id = post(session_factory, ctx)
    busy = FakeProvider(outcomes=[SendResult.retry("provider busy or throttling", 120.0)])
    runtime = with_provider(ctx, session_factory, busy)
    assert deliver(runtime, message_id) == "retry"
    waiting = row(session_factory, message_id)
    assert (waiting.status, waiting.last_error) == ("pending", "provider busy or throttling")
    assert waiting.not_before == clock.now() + dt.timedelta(seconds=120)
    assert deliver(runtime, message_id) == "skipped"  # a redelivered job does not spin on the provider
    assert recover(runtime) == 0
    clock.advance(seconds=121)
    assert recover(runtime) == 1  # the periodic recovery sends it once its time has come
    assert deliver(runtime, message_id) == "sent"
    assert len(busy.sent) == 2


def test_without_a_retry_after_the_wait_doubles_each_time(session_factory, ctx, clock):
    message_id = post(session_factory, ctx)
    runtime = with_provider(ctx, session_factory, FakeProvider(outcomes=[SendResult.retry("busy")] * 3))
    waits = []
    for _ in range(3):
        deliver(runtime, message_id)
        not_before = row(session_factory, message_id).not_before
        waits.append((not_before - clock.now()).total_seconds())
        clock.set(not_before)
    assert waits == [60.0, 120.0, 240.0]


def test_a_message_that_can_never_go_fails_at_once(session_factory, ctx):
    message_id = post(session_factory, ctx)
    refusing = FakeProvider(outcomes=[SendResult.give_up("malformed mobile number")])
    assert deliver(with_provider(ctx, session_factory, refusing), message_id) == "failed"
    failed = row(session_factory, message_id)
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 1, "malformed mobile number")


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
    assert [line for line in sent_lines(ctx) if line["channel"] == "wecom"] == []
    with session_scope(runtime.session_factory) as s:
        WorkOrderService(s, ctx).dispatch(order_id, OPERATOR, WATER)
    queue.drain()
    [line] = [line for line in sent_lines(ctx) if line["channel"] == "wecom"]
    assert line["recipient"] == "water" and "新工单" in line["subject"]  # the water company reads its robot
    runtime.session_factory.kw["bind"].dispose()


def test_broker_down_during_dispatch_keeps_the_order_and_the_message_waits(ctx, session_factory, clock):
    dead_broker = ctx.settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    runtime = open_runtime(ctx, CeleryQueue(celery_app(dead_broker)))
    with session_scope(runtime.session_factory) as s:
        order_id = order_in(State.ACCEPTED, s, ctx, citizen_phone=None).id
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
    deliver(with_provider(ctx, session_factory, FakeProvider(outcomes=[SendResult.give_up("no")])), message_id)
    with session_scope(session_factory) as s:
        assert failed_ids(s) == [message_id]
        assert resend(s, [message_id]) == [message_id]
    assert deliver(Runtime(ctx, session_factory), message_id) == "sent"
    assert [line["key"] for line in sent_lines(ctx)] == ["test:1:log"]
