"""Many streams at once: each keeps to its own call and side, a slow one holds up no other, an overloaded
one is ended, a stopping server still says what it heard, and events reach the bus in order."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import threading
import time
import uuid

import numpy as np
import pytest
import redis

from hotline.asr.fake import FakeEngine, FakeRecognizer
from hotline.listen.events import BusSink, LiveEnded, LiveFinal, LivePartial, LiveStarted, MemorySink
from hotline.listen.limits import ListenConfig
from hotline.listen.server import ListenServer
from hotline.listen.streamid import Direction, StreamId, StreamIds
from hotline.live.bus import MemoryBus, RedisBus
from tests.audiosocket import AsteriskLeg
from tests.conftest import REDIS_URL, require_redis
from tests.speech import tone

IDS = StreamIds(b"test secret")
SLOW = 1111  # audio made of this sample value is slow to recognise


class SlowRecognizer(FakeRecognizer):
    def accept(self, pcm: bytes) -> dict | None:
        if pcm[:2] == SLOW.to_bytes(2, "little", signed=True):
            time.sleep(self.engine.delay)
        return super().accept(pcm)


class SlowEngine(FakeEngine):
    """The fake, taking `delay` seconds over every batch of SLOW audio."""

    def __init__(self, delay: float) -> None:
        super().__init__(default="听不清", sample_rate=8000)
        self.delay = delay

    def recognizer(self) -> SlowRecognizer:
        return SlowRecognizer(self)


def sid(call: str, side: Direction = Direction.CITIZEN) -> uuid.UUID:
    return IDS.encode(StreamId(call, side))


def ended(sink: MemorySink, stream: uuid.UUID, timeout: float = 15) -> LiveEnded:
    return sink.wait_for(lambda e: isinstance(e, LiveEnded) and e.stream == str(stream), timeout)


def play(port: int, stream: uuid.UUID, audio: np.ndarray, pace: float | None = 1.0) -> threading.Thread:
    def run() -> None:
        leg = AsteriskLeg(port).hello(stream)
        leg.audio(audio, pace=pace)
        leg.hang_up()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_concurrent_calls_each_get_their_own_words_on_their_own_channel():
    engine = FakeEngine(default="听不清", sample_rate=8000)
    sink = MemorySink()
    server = ListenServer(engine, sink, IDS, workers=2).start()
    streams = {}
    for n in range(4):
        for side in Direction:
            audio = tone(1.5, 8000, hz=200 + 50 * n + (25 if side == Direction.OPERATOR else 0))
            text = f"第{n}个电话的{side.value}"
            engine.known[hashlib.sha256(audio.astype("<i2").tobytes()).hexdigest()] = text
            streams[sid(f"1718000000.{n}", side)] = (audio, text, f"1718000000.{n}", side.value)
    try:
        threads = [play(server.port, s, audio) for s, (audio, _, _, _) in streams.items()]
        for t in threads:
            t.join()
        for stream, (_, text, call, side) in streams.items():
            assert ended(sink, stream).reason == "hangup"
            finals = sink.of(str(stream), LiveFinal)
            assert [(f.text, f.linkedid, f.direction, f.channel()) for f in finals] == [(text, call, side,
                                                                                          f"call:{call}")]
    finally:
        server.stop()
    assert server.accepted == 8


def test_a_slow_stream_does_not_hold_up_the_others():
    sink = MemorySink()
    server = ListenServer(SlowEngine(delay=0.4), sink, IDS, ListenConfig(max_lag_s=30), workers=2).start()
    slow, fast = sid("1718000000.1"), sid("1718000000.2")
    try:
        slow_thread = play(server.port, slow, np.full(16000, SLOW, dtype=np.int16), pace=None)  # 2 s, 0.4 s a batch
        time.sleep(0.3)
        started = time.monotonic()
        fast_thread = play(server.port, fast, tone(1.0, 8000), pace=None)
        fast_end = ended(sink, fast)
        fast_took = time.monotonic() - started
        slow_end = ended(sink, slow)
        slow_thread.join()
        fast_thread.join()
    finally:
        server.stop()
    assert fast_end.reason == slow_end.reason == "hangup"
    assert sink.events.index(fast_end) < sink.events.index(slow_end)
    assert fast_took < 3.0  # queued behind the slow stream it would wait its 20 blocks of 0.4 s: 8 s


def test_a_stream_that_recognition_cannot_keep_up_with_is_ended_as_overloaded():
    sink = MemorySink()
    config = ListenConfig(max_lag_s=0.5, batch_s=0.1)
    server = ListenServer(SlowEngine(delay=0.6), sink, IDS, config, workers=1).start()
    stream = sid("1718000000.3")
    try:
        leg = AsteriskLeg(server.port).hello(stream)
        with pytest.raises((BrokenPipeError, ConnectionResetError)):  # as Asterisk's write() fails: the spy ends
            leg.audio(np.full(8000 * 5, SLOW, dtype=np.int16), pace=1.0)  # 0.6 s per 0.1 s batch: far behind
        end = ended(sink, stream)
        assert end.reason == "overloaded" and "waiting" in end.detail and end.audio_s < 2
    finally:
        server.stop()


class BrokenRecognizer(FakeRecognizer):
    def accept(self, pcm: bytes) -> dict | None:
        raise RuntimeError("decoder state corrupt")


class BrokenEngine(FakeEngine):
    def recognizer(self) -> FakeRecognizer:
        return BrokenRecognizer(self)


def test_a_recogniser_that_fails_ends_its_stream_and_the_server_serves_on(caplog):
    sink = MemorySink()
    server = ListenServer(BrokenEngine(sample_rate=8000), sink, IDS, workers=1).start()
    broken = sid("1718000000.5")
    try:
        leg = AsteriskLeg(server.port).hello(broken)
        with pytest.raises((BrokenPipeError, ConnectionResetError)):
            leg.audio(tone(30.0, 8000), pace=10.0)  # the stream is closed long before 30 s are sent
        end = ended(sink, broken)
        assert end.reason == "recogniser_error" and "decoder state corrupt" in end.detail
        assert any("recogniser failed" in r.getMessage() for r in caplog.records)
        server.shared = dataclasses.replace(server.shared, engine=FakeEngine(default="好的", sample_rate=8000))
        after = sid("1718000000.6")
        play(server.port, after, tone(0.5, 8000), pace=None).join()
        assert ended(sink, after).reason == "hangup" and sink.of(str(after), LiveFinal)[0].text == "好的"
    finally:
        server.stop()


def test_stopping_the_server_ends_open_streams_with_their_final_words():
    sink = MemorySink()
    server = ListenServer(FakeEngine(default="我要反映情况", sample_rate=8000), sink, IDS, workers=1).start()
    stream = sid("1718000000.4")
    leg = AsteriskLeg(server.port).hello(stream)
    leg.audio(tone(0.6, 8000), pace=None)
    sink.wait_for(lambda e: isinstance(e, LivePartial))
    server.stop()
    end = ended(sink, stream, timeout=1)
    assert end.reason == "shutdown" and end.audio_s == 0.6
    assert [f.text for f in sink.of(str(stream), LiveFinal)] == ["我要反映情况"]
    assert leg.closed_by_server()


async def _collect(bus, channel: str, started: threading.Event) -> list[dict]:
    """Messages on `channel` up to the stream's end."""
    async with bus.subscribe(channel) as queue:
        started.set()
        received = [await asyncio.wait_for(queue.get(), 15)]
        while received[-1]["type"] != LiveEnded.type:
            received.append(await asyncio.wait_for(queue.get(), 15))
        return received


def _through_bus(bus) -> list[dict]:
    """One stream through a BusSink on `bus`; what a subscriber of the call's channel received."""
    call = f"{int(time.time())}.{time.perf_counter_ns() % 1_000_000}"
    stream = sid(call, Direction.OPERATOR)
    engine = FakeEngine(default="请问您的地址", sample_rate=8000)
    sink = BusSink(bus)
    server = ListenServer(engine, sink, IDS, workers=1).start()
    listening = threading.Event()
    result: list[list[dict]] = []
    reader = threading.Thread(target=lambda: result.append(asyncio.run(_collect(bus, f"call:{call}", listening))))
    reader.start()
    assert listening.wait(5)
    time.sleep(0.2)  # Redis confirms the subscription a moment after the call returns
    try:
        leg = AsteriskLeg(server.port).hello(stream)
        leg.audio(tone(0.5, 8000), pace=None)
        leg.hang_up()
        reader.join(20)
    finally:
        server.stop()
        sink.close()
    assert sink.failures == 0
    return result[0]


@pytest.fixture
def redis_bus():
    """The Redis bus of a real server (pub/sub channels are server-wide; each test's call is new)."""
    client = redis.Redis.from_url(REDIS_URL)
    require_redis(REDIS_URL, client)
    return RedisBus(REDIS_URL, "listen-streams-test")


@pytest.mark.parametrize("bus_name", ["memory", "redis"])
def test_events_reach_the_calls_bus_channel_in_order(bus_name, request):
    bus = MemoryBus() if bus_name == "memory" else request.getfixturevalue("redis_bus")
    received = _through_bus(bus)
    assert received[0]["type"] == LiveStarted.type
    assert [m["seq"] for m in received] == list(range(1, len(received) + 1)) and len(received) >= 4
    assert {m["type"] for m in received[1:-1]} == {LivePartial.type, LiveFinal.type}
    assert received[-1]["type"] == LiveEnded.type and received[-1]["reason"] == "hangup"
    final = next(m for m in received if m["type"] == LiveFinal.type)
    assert final["text"] == "请问您的地址" and final["direction"] == "operator" and final["words"][0]["word"]


def test_a_gap_with_no_frames_after_a_few_is_not_overload():
    """Asterisk sends no frames while the spied channel is silent (seen on the lab Asterisk: ChanSpy on an
    operator's Local channel in Wait(20) sent nothing for 20 s). The frames left before the gap, less than
    a batch, waited for more audio, not for the recogniser: the stream goes on."""
    sink = MemorySink()
    config = ListenConfig(max_lag_s=0.5, batch_s=0.1)
    server = ListenServer(FakeEngine(default="请讲", sample_rate=8000), sink, IDS, config, workers=1).start()
    stream = sid("1718000000.9", Direction.OPERATOR)
    try:
        leg = AsteriskLeg(server.port).hello(stream)
        leg.audio(tone(0.1, 8000), pace=None)  # one batch, recognised at once
        time.sleep(0.3)
        leg.audio(tone(0.04, 8000), pace=None)  # the last two frames before the gap: less than a batch
        time.sleep(1.5)  # the operator says nothing: no frames at all, three times max_lag_s
        leg.audio(tone(0.5, 8000), pace=None)
        leg.hang_up()
        end = ended(sink, stream)
        assert end.reason == "hangup", (end.reason, end.detail)
        assert end.audio_s == pytest.approx(0.64, abs=0.01)  # every frame was heard
    finally:
        server.stop()
