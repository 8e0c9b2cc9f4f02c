"""The AudioSocket frame parser: frames as Asterisk 22 writes them, in any split, and every way to break it."""

from __future__ import annotations

import uuid

import pytest

from hotline.listen.protocol import (
    AUDIO_RATES,
    FrameParser,
    Kind,
    ProtocolError,
    audio_frame,
    dtmf_frame,
    encode,
    error_frame,
    hangup_frame,
    uuid_frame,
)

STREAM = uuid.UUID("40325ec2-5efd-4bd3-805f-53576e581d13")
PCM = bytes(range(256)) + bytes(64)  # 320 bytes: 20 ms of 8 kHz slin


def asterisk_stream() -> bytes:
    """UUID, three 20 ms audio frames with a DTMF digit among them, as res_audiosocket writes them."""
    return uuid_frame(STREAM) + audio_frame(PCM) + audio_frame(PCM[::-1]) + dtmf_frame("5") + audio_frame(PCM)


def test_uuid_frame_is_the_16_raw_bytes_after_a_big_endian_length():
    assert uuid_frame(STREAM) == b"\x01\x00\x10" + STREAM.bytes
    assert audio_frame(PCM)[:3] == b"\x10\x01\x40"  # 320 = 0x0140, big-endian
    assert dtmf_frame("#") == b"\x03\x00\x01#"


def test_whole_stream_in_one_read_gives_every_frame_in_order():
    parser = FrameParser()
    frames = parser.feed(asterisk_stream())
    assert [f.kind for f in frames] == [Kind.UUID, Kind.AUDIO, Kind.AUDIO, Kind.DTMF, Kind.AUDIO]
    assert parser.uuid == STREAM and frames[0].uuid == STREAM
    assert frames[1].payload == PCM and frames[2].payload == PCM[::-1] and frames[1].rate == 8000
    assert frames[3].digit == "5" and parser.pending == 0


def test_a_stream_fed_one_byte_at_a_time_parses_the_same():
    parser = FrameParser()
    frames = [f for byte in asterisk_stream() for f in parser.feed(bytes([byte]))]
    assert frames == FrameParser().feed(asterisk_stream())


@pytest.mark.parametrize("cut", [1, 2, 3, 18, 19, 20, 21, 22, 100, 342, 343, 344])
def test_a_frame_split_across_reads_waits_for_its_rest(cut):
    data = asterisk_stream()
    parser = FrameParser()
    first = parser.feed(data[:cut])
    assert parser.pending == cut - sum(3 + len(f.payload) for f in first)
    assert first + parser.feed(data[cut:]) == FrameParser().feed(data)
    assert parser.pending == 0


@pytest.mark.parametrize("kind, rate", sorted(AUDIO_RATES.items()))
def test_every_slin_rate_asterisk_22_can_send_is_understood(kind, rate):
    parser = FrameParser()
    samples = rate // 50 * 2  # 20 ms
    frames = parser.feed(uuid_frame(STREAM) + encode(kind, bytes(samples)))
    assert frames[1].rate == rate and len(frames[1].payload) == samples


def test_an_unknown_kind_is_refused_with_its_code():
    parser = FrameParser()
    parser.feed(uuid_frame(STREAM))
    with pytest.raises(ProtocolError, match="unknown frame kind 0x42"):
        parser.feed(b"\x42\x00\x02ab")


def test_an_oversized_length_is_refused_as_soon_as_the_header_is_in():
    parser = FrameParser()
    parser.feed(uuid_frame(STREAM))
    with pytest.raises(ProtocolError, match="AUDIO frame of 65535 bytes; at most 8000"):
        parser.feed(b"\x10\xff\xff")  # no payload sent: the parser must not wait for 64 KB


def test_audio_before_the_uuid_is_refused():
    with pytest.raises(ProtocolError, match="AUDIO frame before the UUID frame"):
        FrameParser().feed(audio_frame(PCM))
    with pytest.raises(ProtocolError, match="DTMF frame before the UUID frame"):
        FrameParser().feed(dtmf_frame("1"))


def test_a_second_uuid_or_a_short_one_is_refused():
    parser = FrameParser()
    parser.feed(uuid_frame(STREAM))
    with pytest.raises(ProtocolError, match="second UUID"):
        parser.feed(uuid_frame(uuid.uuid4()))
    with pytest.raises(ProtocolError, match="UUID frame of 15 bytes"):
        FrameParser().feed(encode(Kind.UUID, bytes(15)))


def test_audio_that_is_not_whole_samples_and_bad_digits_are_refused():
    parser = FrameParser()
    parser.feed(uuid_frame(STREAM))
    with pytest.raises(ProtocolError, match="not whole 16-bit samples"):
        parser.feed(encode(Kind.AUDIO, bytes(319)))
    parser = FrameParser()
    parser.feed(uuid_frame(STREAM))
    with pytest.raises(ProtocolError, match="DTMF frame with b'x'"):
        parser.feed(encode(Kind.DTMF, b"x"))


def test_hangup_and_error_frames_may_come_at_any_time():
    assert FrameParser().feed(hangup_frame())[0].kind == Kind.HANGUP
    frames = FrameParser().feed(uuid_frame(STREAM) + error_frame(0x01) + error_frame())
    assert [f.error_code for f in frames[1:]] == [0x01, None]
    with pytest.raises(ProtocolError, match="HANGUP frame of 2 bytes"):
        FrameParser().feed(b"\x00\x00\x02")
