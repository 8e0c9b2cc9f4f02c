"""The listen server over real TCP sockets, fed byte for byte what Asterisk 22 writes (tests/audiosocket.py).

The engine is the scripted fake at 8 kHz: nothing is resampled, so the fake's fingerprint of the
audio it was fed proves that every byte sent arrived, once, in order.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import socket
import time
import uuid

import numpy as np
import pytest

from hotline.asr.fake import FakeEngine
from hotline.listen.events import LiveEnded, LiveFinal, LivePartial, LiveStarted, MemorySink
from hotline.listen.limits import ListenConfig
from hotline.listen.protocol import audio_frame, error_frame, hangup_frame, uuid_frame
from hotline.listen.server import ListenServer
from hotline.listen.streamid import Direction, StreamId, StreamIds
from tests.audiosocket import AsteriskLeg
from tests.speech import silence, tone

IDS = StreamIds(b"test secret")
CALL = "1718000000.42"
SAID = "我家小区停水了已经两天了"


@pytest.fixture
def sink():
    return MemorySink()


@pytest.fixture
def engine():
    return FakeEngine(default="听不清", sample_rate=8000)


def serve(engine: FakeEngine, sink: MemorySink, idle_timeout_s: float):
    return ListenServer(engine, sink, IDS, ListenConfig(hello_timeout_s=0.5, idle_timeout_s=idle_timeout_s), workers=2)


@pytest.fixture
def server(engine, sink):
    """Idle streams end after 5 s: a paced sender on a loaded machine may stall longer than a second."""
    srv = serve(engine, sink, idle_timeout_s=5.0).start()
    yield srv
    srv.stop()


@pytest.fixture
def impatient(engine, sink):
    """A server that ends a stream after 1 s without a frame."""
    srv = serve(engine, sink, idle_timeout_s=1.0).start()
    yield srv
    srv.stop()


def stream(side: Direction = Direction.CITIZEN, call: str = CALL) -> uuid.UUID:
    return IDS.encode(StreamId(call, side))


def taught(engine: FakeEngine, samples: np.ndarray, text: str) -> np.ndarray:
    engine.known[hashlib.sha256(samples.astype("<i2").tobytes()).hexdigest()] = text
    return samples


def ended(sink: MemorySink, sid: uuid.UUID, timeout: float = 10) -> LiveEnded:
    return sink.wait_for(lambda e: isinstance(e, LiveEnded) and e.stream == str(sid), timeout)


def test_a_call_at_real_time_pace_gives_partials_then_its_final_then_ended(server, engine, sink):
    sid = stream()
    engine.default = SAID  # the fake's partials reveal its default text, one word per 0.3 s of voice
    audio = taught(engine, tone(2.0, 8000), SAID)
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(audio, pace=1.0)
    leg.hang_up()
    end = ended(sink, sid)
    events = sink.of(str(sid))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert isinstance(events[0], LiveStarted) and events[-1] is end
    partials = [e for e in events if isinstance(e, LivePartial)]
    finals = [e for e in events if isinstance(e, LiveFinal)]
    assert len(partials) >= 2 and events.index(partials[-1]) < events.index(finals[0])
    assert all(b.audio_s - a.audio_s >= 0.25 - 1e-9 and b.text != a.text for a, b in itertools.pairwise(partials))
    assert [f.text for f in finals] == ["我家小区停水了已经2天了"]  # every byte arrived: the fake knew the audio
    assert finals[0].words[0]["start"] == 0.0 and finals[0].end_s == pytest.approx(2.0)
    assert (end.reason, end.audio_s, end.finals) == ("hangup", 2.0, 1)
    assert {(e.linkedid, e.direction, e.channel()) for e in events} == {(CALL, "citizen", f"call:{CALL}")}


def test_a_stream_sent_faster_than_real_time_loses_nothing(server, engine, sink):
    sid = stream(Direction.OPERATOR)
    audio = taught(engine, tone(12.0, 8000, hz=300), "您好请讲")
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(audio, pace=None)
    leg.hang_up()
    end = ended(sink, sid)
    assert [f.text for f in sink.of(str(sid), LiveFinal)] == ["您好请讲"] and end.audio_s == 12.0
    assert end.direction == "operator"


def test_dtmf_digits_are_kept_and_a_hangup_frame_ends_the_stream(server, engine, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(0.4, 8000), pace=None)
    leg.dtmf("1*9#")
    leg.send(hangup_frame())
    end = ended(sink, sid)
    assert (end.reason, end.detail, end.digits, end.audio_s) == ("hangup", "hang-up frame", "1*9#", 0.4)
    assert leg.closed_by_server()


def test_an_error_frame_ends_the_stream_with_asterisks_reason(server, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(0.5, 8000), pace=None)
    leg.send(error_frame(0x01))
    end = ended(sink, sid)
    assert end.reason == "error" and "caller hung up (1)" in end.detail
    assert [f.text for f in sink.of(str(sid), LiveFinal)] == ["听不清"]  # what was heard is still said
    assert leg.closed_by_server()


def test_a_stream_cut_inside_a_frame_still_says_what_it_heard(server, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(1.0, 8000), pace=None)
    leg.send(audio_frame(bytes(320))[:200])  # header and part of the payload, then the line drops
    leg.hang_up()
    end = ended(sink, sid)
    assert end.reason == "truncated" and "inside a frame (200 bytes)" in end.detail and end.audio_s == 1.0
    assert [f.text for f in sink.of(str(sid), LiveFinal)] == ["听不清"]


def test_a_stream_that_never_sends_audio_times_out_and_ends(impatient, sink):
    sid = stream()
    leg = AsteriskLeg(impatient.port).hello(sid)
    end = ended(sink, sid)
    assert (end.reason, end.audio_s, end.finals) == ("timeout", 0.0, 0) and "nothing received for 1 s" in end.detail
    assert isinstance(sink.of(str(sid))[0], LiveStarted) and not sink.of(str(sid), LiveFinal)
    assert leg.closed_by_server()


@pytest.mark.parametrize("first, logged", [
    (b"", "no UUID frame within 0.5 s"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "unknown frame kind 0x47"),
    (audio_frame(bytes(320)), "AUDIO frame before the UUID frame"),
    (uuid_frame(uuid.UUID("40325ec2-5efd-4bd3-805f-53576e581d13")), "not a hotline stream UUID"),
    (uuid_frame(StreamIds(b"other").encode(StreamId(CALL, Direction.CITIZEN))), "not made by this deployment"),
    (uuid_frame(stream())[:10], "no UUID frame within 0.5 s"),
])
def test_a_connection_that_is_not_a_stream_is_closed_with_a_log_line(server, sink, caplog, first, logged):
    caplog.set_level(logging.WARNING, logger="hotline.listen")
    leg = AsteriskLeg(server.port)
    leg.send(first)
    assert leg.closed_by_server()
    assert any(logged in r.getMessage() and "closed before streaming" in r.getMessage() for r in caplog.records)
    assert sink.events == []  # no call was named: nothing is published


def test_garbage_mid_stream_ends_only_that_stream(server, engine, sink, caplog):
    good, bad = stream(Direction.CITIZEN), stream(Direction.OPERATOR)
    audio = taught(engine, tone(1.5, 8000, hz=500), SAID)
    healthy = AsteriskLeg(server.port).hello(good)
    broken = AsteriskLeg(server.port).hello(bad)
    broken.audio(tone(0.2, 8000), pace=None)
    broken.send(b"\x99\x00\x01x")  # where the next frame should start, a kind that does not exist
    healthy.audio(audio, pace=None)
    healthy.hang_up()
    assert ended(sink, bad).reason == "protocol_error"
    assert ended(sink, good).reason == "hangup"
    assert [f.text for f in sink.of(str(good), LiveFinal)] == ["我家小区停水了已经2天了"]
    assert any("protocol_error" in r.getMessage() and str(bad) in r.getMessage() for r in caplog.records)


def test_an_oversized_frame_is_refused_without_waiting_for_its_payload(server, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.send(b"\x10\xff\xff")
    end = ended(sink, sid)
    assert end.reason == "protocol_error" and "AUDIO frame of 65535 bytes" in end.detail  # not a wait: timeout


def test_wideband_slin_frames_are_recognised_at_their_own_rate(server, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(1.0, 16000), pace=None, rate=16000)  # kind 0x12, 640-byte frames
    leg.hang_up()
    end = ended(sink, sid)
    assert end.audio_s == 1.0 and [f.text for f in sink.of(str(sid), LiveFinal)] == ["听不清"]


def test_a_rate_change_mid_stream_is_a_protocol_error(server, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(0.2, 8000), pace=None)
    with contextlib.suppress(ConnectionResetError, BrokenPipeError):  # the server hangs up at the first such frame
        leg.audio(tone(0.2, 16000), pace=None, rate=16000)
    end = ended(sink, sid)
    assert end.reason == "protocol_error" and "from 8000 to 16000 Hz" in end.detail


def test_the_uuid_and_audio_in_one_segment_are_both_taken(server, engine, sink):
    sid = stream()
    audio = taught(engine, tone(0.6, 8000, hz=700), "喂")
    pcm = audio.astype("<i2").tobytes()
    frames = b"".join(audio_frame(pcm[i:i + 320]) for i in range(0, len(pcm), 320))
    with socket.create_connection(("127.0.0.1", server.port)) as raw:
        raw.sendall(uuid_frame(sid) + frames)
    assert ended(sink, sid).audio_s == 0.6
    assert [f.text for f in sink.of(str(sid), LiveFinal)] == ["喂"]


def test_long_silence_is_not_recognised_and_word_times_stay_in_stream_time(server, engine, sink):
    """The other side's turn: after a second of quiet the recogniser has closed the utterance."""
    sid = stream()
    engine.default = "喂你好"
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(np.concatenate([tone(1.0, 8000), silence(5.0, 8000), tone(1.0, 8000)]), pace=None)
    leg.hang_up()
    end = ended(sink, sid)
    assert end.audio_s == 7.0 and 3.0 <= end.voiced_s <= 3.2  # 1 s + the hangover + 1 s
    final = sink.of(str(sid), LiveFinal)[0]
    assert final.end_s == pytest.approx(7.0, abs=0.01)  # spread over what was fed, mapped back past the gap


@pytest.fixture
def reads(monkeypatch):
    """How many times each stream's reader was woken with bytes, by stream UUID."""
    from hotline.listen.session import Session

    woken: dict[str, int] = {}
    plain = Session._read

    async def counted(self, timeout):
        frames = await plain(self, timeout)
        if frames is not None and self.uuid is not None:
            woken[str(self.uuid)] = woken.get(str(self.uuid), 0) + 1
        return frames

    monkeypatch.setattr(Session, "_read", counted)
    return woken


def test_a_stream_at_real_time_pace_wakes_the_reader_once_a_batch_not_at_every_frame(server, engine, sink, reads):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(2.0, 8000), pace=1.0)  # 100 frames of 20 ms, one write each, as Asterisk writes them
    leg.hang_up()
    assert ended(sink, sid).audio_s == 2.0  # every frame was taken
    assert 15 <= reads[str(sid)] <= 30  # about one wake per 100 ms batch (a wake per frame would be 100)


def test_a_hangup_frame_below_the_batch_mark_still_ends_the_stream_at_once(server, engine, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(0.5, 8000), pace=1.0)
    time.sleep(0.5)
    leg.dtmf("5")  # 4 bytes, then 3: far below a batch, on a connection the peer keeps open
    leg.send(hangup_frame())
    sent = time.monotonic()
    end = ended(sink, sid)
    assert (end.reason, end.digits, end.audio_s) == ("hangup", "5", 0.5)
    assert time.monotonic() - sent < 2.0  # read after the hold, not at the idle timeout (5 s)
    assert leg.closed_by_server()


def test_the_last_frames_before_a_silence_are_read_even_below_the_batch_mark(impatient, sink):
    sid = stream()
    leg = AsteriskLeg(impatient.port).hello(sid)
    leg.audio(tone(0.46, 8000), pace=1.0)  # 23 frames: the last 3 never make a batch
    end = ended(sink, sid)
    assert (end.reason, end.audio_s) == ("timeout", 0.46) and "nothing received for 1 s" in end.detail


def test_a_streams_connection_is_probed_by_tcp_keepalive(server, sink):
    sid = stream()
    leg = AsteriskLeg(server.port).hello(sid)
    leg.audio(tone(0.2, 8000), pace=None)
    sink.wait_for(lambda e: isinstance(e, LiveStarted) and e.stream == str(sid))
    (session,) = server.sessions.values()
    sock = session.writer.get_extra_info("socket")
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    assert (sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
            sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
            sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT)) == (20, 5, 3)
    leg.hang_up()
    assert ended(sink, sid).reason == "hangup"
