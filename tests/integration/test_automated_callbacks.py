"""Automated satisfaction callbacks end to end: Originate through AMI, the keypad survey over FastAGI,
a failed call counted as 未接通 from the OriginateResponse event, and no attempt dialled twice."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from sqlalchemy import select

from hotline.callbacks.tasks import dial
from hotline.core.db import session_scope
from hotline.core.enums import State
from hotline.core.jobs import Runtime
from hotline.ivr.fastagi import AgiServer
from hotline.ivr.services import DatabaseServices
from hotline.models import CallbackAttempt, WorkOrder
from hotline.runtime.context import build_context
from hotline.runtime.processes import ami_sinks
from hotline.simulator.caller import SimulatedCaller
from hotline.telephony.listener import AmiListener
from tests.factories import order_in


@pytest.fixture
def auto(pbx, settings, clock, config, session_factory):
    automated = config.callbacks.automated.model_copy(update={"enabled": True})
    config = config.model_copy(update={"callbacks": config.callbacks.model_copy(update={"automated": automated})})
    ctx = build_context(settings.model_copy(update={"ami_host": "127.0.0.1", "ami_port": pbx.port}),
                        clock=clock, config=config)
    return Runtime(ctx, session_factory)


def test_due_callback_is_originated_once_and_the_keypad_answer_closes_the_order(auto, pbx, session_factory):
    with session_scope(session_factory) as s:
        order_id = order_in(State.CALLBACK_PENDING, s, auto.ctx).id
    assert dial(auto) == 0  # the citizen may still rate by message
    auto.ctx.clock.advance(hours=24)  # the reply window passed without a rating by message
    assert dial(auto) == 1
    assert dial(auto) == 0  # the reserved attempt is never dialled again
    originate = [a for a in pbx.actions if a.get("Action") == "Originate"]
    assert len(originate) == 1 and originate[0]["Channel"] == "Local/13800138000@hotline-out"
    assert originate[0]["Context"] == "hotline-survey" and originate[0]["ActionID"].startswith("callback-")
    _, callback_id, attempt = originate[0]["ActionID"].split("-")
    caller = SimulatedCaller(script="survey", query=f"callback={callback_id}&attempt={attempt}",
                             answers={"custom/survey": ["1"]})
    server = AgiServer(auto.ctx.config.ivr, DatabaseServices(auto.ctx, auto.session_factory), auto.ctx.settings.timezone)

    async def call():
        tcp = await server.serve("127.0.0.1", 0)
        await caller.call("127.0.0.1", tcp.sockets[0].getsockname()[1])
        tcp.close()

    asyncio.run(call())
    with session_factory() as s:
        assert s.get(WorkOrder, order_id).state == State.CLOSED
        attempt_row = s.scalars(select(CallbackAttempt)).one()
        assert (attempt_row.mode, attempt_row.verdict) == ("auto", "satisfied")


def test_failed_originate_counts_as_unreachable_from_the_event(auto, pbx, session_factory):
    pbx.originate_result = "Failure"
    with session_scope(session_factory) as s:
        order_id = order_in(State.CALLBACK_PENDING, s, auto.ctx).id
    auto.ctx.clock.advance(hours=24)  # the reply window passed without a rating by message
    listener = AmiListener("127.0.0.1", pbx.port, pbx.username, pbx.secret,
                           ami_sinks(auto)).start()
    try:
        assert listener.connected.wait(10)
        listener.idle()
        assert dial(auto) == 1
        listener.idle()
    finally:
        listener.stop()
    with session_factory() as s:
        attempt_row = s.scalars(select(CallbackAttempt)).one()
        assert attempt_row.verdict == "unreachable" and s.get(WorkOrder, order_id).state == State.CALLBACK_PENDING


def test_asterisk_unreachable_gives_the_attempt_back(auto, pbx, session_factory):
    with session_scope(session_factory) as s:
        order_in(State.CALLBACK_PENDING, s, auto.ctx)
    auto.ctx.clock.advance(hours=24)  # the reply window passed without a rating by message
    away = dataclasses.replace(auto, ctx=build_context(
        auto.ctx.settings.model_copy(update={"ami_port": 1}), clock=auto.ctx.clock, config=auto.ctx.config))
    assert dial(away) == 0
    with session_factory() as s:
        assert s.scalars(select(CallbackAttempt)).all() == []
    assert dial(auto) == 1  # Asterisk back: dialled on the next run


def test_a_number_with_an_extension_is_dialled_plain_and_the_extension_keyed_in(auto, pbx, session_factory):
    with session_scope(session_factory) as s:
        order_in(State.CALLBACK_PENDING, s, auto.ctx, citizen_phone="+86 10 1234 5678 转 8001")
    auto.ctx.clock.advance(hours=24)  # the reply window passed without a rating by message
    assert dial(auto) == 1
    originate = next(a for a in pbx.actions if a.get("Action") == "Originate")
    assert originate["Channel"] == "Local/01012345678@hotline-out"
    assert "HOTLINE_EXTENSION=8001" in originate["Variable"].split(",")
