"""What a call's channel keeps for a subscriber who comes late, on both buses: in process and real Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis

from hotline.listen.events import BusSink, LiveEnded, LiveFinal, LivePartial, LiveStarted
from hotline.live import bus as bus_module
from hotline.live.bus import KEEP_S, MemoryBus, RedisBus
from tests.conftest import REDIS_URL, require_redis


@pytest.fixture(params=["memory", "redis"])
def bus(request):
    if request.param == "memory":
        return MemoryBus()
    require_redis(REDIS_URL)
    return RedisBus(REDIS_URL, f"kept-{uuid.uuid4().hex[:8]}")


def channel() -> str:
    return f"call:{uuid.uuid4().hex[:8]}"


def test_kept_messages_are_read_in_order_and_plain_ones_are_not_kept(bus):
    name = channel()
    bus.publish_kept(name, {"seq": 1})
    bus.publish(name, {"seq": 2})
    bus.publish_kept(name, {"seq": 3, "text": "我家小区停水了"})
    assert bus.kept(name) == [{"seq": 1}, {"seq": 3, "text": "我家小区停水了"}]
    assert bus.kept(channel()) == []


def test_a_channel_keeps_its_last_messages_only(bus, monkeypatch):
    monkeypatch.setattr(bus_module, "KEEP", 3)
    name = channel()
    for seq in range(1, 6):
        bus.publish_kept(name, {"seq": seq})
    assert [m["seq"] for m in bus.kept(name)] == [3, 4, 5]


def test_a_subscriber_hears_kept_messages_published_after_it_subscribed(bus):
    name = channel()

    async def main() -> list:
        async with bus.subscribe(name) as queue:  # no pause: subscribing returns once the bus has it
            await asyncio.to_thread(bus.publish_kept, name, {"seq": 1})
            return [await asyncio.wait_for(queue.get(), 5)]

    assert asyncio.run(main()) == [{"seq": 1}]


def test_kept_messages_expire_after_the_channels_last_one():
    now = [1000.0]
    bus = MemoryBus(clock=lambda: now[0])
    bus.publish_kept("call:old", {"seq": 1})
    now[0] += KEEP_S - 1
    bus.publish_kept("call:old", {"seq": 2})  # the channel's newest message sets its time
    now[0] += KEEP_S - 1
    assert [m["seq"] for m in bus.kept("call:old")] == [1, 2]
    now[0] += 2
    assert bus.kept("call:old") == []
    bus.publish_kept("call:new", {"seq": 1})  # and an expired channel is let go of
    assert list(bus._kept) == ["call:new"]


def test_redis_keeps_a_channel_under_the_deployments_namespace_with_an_expiry():
    require_redis(REDIS_URL)
    namespace = f"kept-{uuid.uuid4().hex[:8]}"
    ours, theirs = RedisBus(REDIS_URL, namespace), RedisBus(REDIS_URL, namespace + "-other")
    ours.publish_kept("call:1", {"seq": 1})
    assert theirs.kept("call:1") == []
    ttl = redis.Redis.from_url(REDIS_URL).ttl(f"hotline:{namespace}:live:kept:call:1")
    assert KEEP_S - 10 <= ttl <= KEEP_S


def test_the_listen_sink_keeps_all_but_partials():
    bus = MemoryBus()
    sink = BusSink(bus)
    common = {"linkedid": "1795257491.9", "direction": "citizen", "stream": "s-1"}
    sink.emit(LiveStarted(**common, seq=1, started_at=1.0))
    sink.emit(LivePartial(**common, seq=2, text="我家", raw="我家", audio_s=0.5))
    sink.emit(LiveFinal(**common, seq=3, text="我家停水了", raw="我家 停水 了", words=(), audio_s=1.5))
    sink.emit(LiveEnded(**common, seq=4, reason="hangup", audio_s=2.0))
    sink.close()
    assert [(m["type"], m["seq"]) for m in bus.kept("call:1795257491.9")] == [
        ("live_started", 1), ("live_final", 3), ("live_ended", 4)]
