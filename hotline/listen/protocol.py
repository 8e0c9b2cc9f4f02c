"""The AudioSocket wire format as Asterisk 22 writes it, and a streaming parser for it.

A frame is a 3-byte header — one byte of kind, two bytes of payload length, big-endian — and the
payload. Asterisk (res/res_audiosocket.c) writes each frame with a single write(), but TCP may
deliver any split of it, so the parser keeps whatever is incomplete until the rest arrives.

What Asterisk 22 sends to the server (res/res_audiosocket.c of 22.0 to 22.10):
- 0x01 UUID, 16 bytes, once, first (`ast_audiosocket_init`);
- 0x10 audio, signed 16-bit little-endian mono at 8 kHz (slin) — always from the AudioSocket()
  application, which forces slin; from the AudioSocket channel driver in the channel's format,
  which is the dial string's `c(codec)` option or else the first codec requested. Up to 22.6
  every voice frame is sent as 0x10 whatever its format; from 22.7 the other signed-linear rates
  have kinds of their own — 0x11 slin12, 0x12 slin16, 0x13 slin24, 0x14 slin32, 0x15 slin44,
  0x16 slin48, 0x17 slin96, 0x18 slin192 — and a non-slin codec still goes out as 0x10. Hence
  the originate's `c(slin)`: on every 22.x the bytes are then what 0x10 says they are;
- 0x03 DTMF, 1 byte: the digit's character (22.4 and later; ChanSpy writes none);
- nothing at hang-up: Asterisk closes the socket. 0x00 (hang-up) and 0xff (error, an optional code
  byte: 0x01 caller hung up, 0x02 frame forwarding error, 0x04 memory error) are in the protocol
  and in other implementations, so they are understood too.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from enum import IntEnum

from hotline.core.errors import HotlineError

HEADER = struct.Struct(">BH")
MAX_FRAME_S = 0.5  # Asterisk writes 20 ms frames; a frame longer than this is not a live stream


class Kind(IntEnum):
    """The frame kinds of res_audiosocket.h."""

    HANGUP = 0x00
    UUID = 0x01
    DTMF = 0x03
    AUDIO = 0x10  # slin, 8 kHz
    AUDIO_SLIN12 = 0x11
    AUDIO_SLIN16 = 0x12
    AUDIO_SLIN24 = 0x13
    AUDIO_SLIN32 = 0x14
    AUDIO_SLIN44 = 0x15
    AUDIO_SLIN48 = 0x16
    AUDIO_SLIN96 = 0x17
    AUDIO_SLIN192 = 0x18
    ERROR = 0xFF


AUDIO_RATES = {Kind.AUDIO: 8000, Kind.AUDIO_SLIN12: 12000, Kind.AUDIO_SLIN16: 16000, Kind.AUDIO_SLIN24: 24000,
               Kind.AUDIO_SLIN32: 32000, Kind.AUDIO_SLIN44: 44100, Kind.AUDIO_SLIN48: 48000,
               Kind.AUDIO_SLIN96: 96000, Kind.AUDIO_SLIN192: 192000}
ERROR_CODES = {0x01: "caller hung up", 0x02: "frame forwarding error", 0x04: "memory error"}
DTMF_DIGITS = frozenset("0123456789*#ABCD")
_KINDS = {k.value: k for k in Kind}
_MAX_PAYLOAD = {Kind.HANGUP: 0, Kind.UUID: 16, Kind.DTMF: 1, Kind.ERROR: 64,
                **{kind: min(0xFFFF, int(rate * 2 * MAX_FRAME_S)) for kind, rate in AUDIO_RATES.items()}}


class ProtocolError(HotlineError):
    """The peer broke the AudioSocket protocol; its connection is closed, no other. `frames` holds the
    good frames that came before the bad one in the same read."""

    error_id = "audiosocket_protocol"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.frames: list[Frame] = []


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame: its kind and payload."""

    kind: Kind
    payload: bytes

    @property
    def rate(self) -> int:
        """Sample rate of an audio frame."""
        return AUDIO_RATES[self.kind]

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(bytes=self.payload)

    @property
    def digit(self) -> str:
        return self.payload.decode("ascii")

    @property
    def error_code(self) -> int | None:
        return self.payload[0] if self.payload else None


class FrameParser:
    """Bytes in, whole frames out. The first frame must be the UUID; every header is checked as soon
    as its 3 bytes are in, so an oversized length is refused before its payload is waited for."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.uuid: uuid.UUID | None = None
        self.frames = 0

    @property
    def pending(self) -> int:
        """Bytes of a frame not yet complete."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Frame]:
        buf = self._buffer
        buf += data
        frames: list[Frame] = []
        at = 0
        try:
            while len(buf) - at >= HEADER.size:
                code, length = HEADER.unpack_from(buf, at)
                kind = self._check(code, length)
                end = at + HEADER.size + length
                if len(buf) < end:
                    break
                frame = Frame(kind, bytes(buf[at + HEADER.size:end]))
                self._accept(frame)
                frames.append(frame)
                at = end
        except ProtocolError as exc:
            exc.frames = frames
            raise
        del buf[:at]
        return frames

    def _check(self, code: int, length: int) -> Kind:
        kind = _KINDS.get(code)
        if kind is None:
            raise ProtocolError(f"unknown frame kind 0x{code:02x} (length {length}) after {self.frames} frames")
        if length > _MAX_PAYLOAD[kind]:
            raise ProtocolError(f"{kind.name} frame of {length} bytes; at most {_MAX_PAYLOAD[kind]} expected")
        if self.uuid is None and kind not in (Kind.UUID, Kind.HANGUP, Kind.ERROR):
            raise ProtocolError(f"{kind.name} frame before the UUID frame")
        return kind

    def _accept(self, frame: Frame) -> None:
        kind, payload = frame.kind, frame.payload
        if kind == Kind.UUID:
            if self.uuid is not None:
                raise ProtocolError(f"a second UUID frame (the stream is {self.uuid})")
            if len(payload) != 16:
                raise ProtocolError(f"UUID frame of {len(payload)} bytes; 16 expected")
            self.uuid = frame.uuid
        elif kind in AUDIO_RATES and len(payload) % 2:
            raise ProtocolError(f"{kind.name} frame of {len(payload)} bytes: not whole 16-bit samples")
        elif kind == Kind.DTMF and (len(payload) != 1 or chr(payload[0]) not in DTMF_DIGITS):
            raise ProtocolError(f"DTMF frame with {payload!r}; one of {''.join(sorted(DTMF_DIGITS))} expected")
        self.frames += 1


def encode(kind: int, payload: bytes = b"") -> bytes:
    """One frame as Asterisk writes it: header and payload in one piece."""
    return HEADER.pack(kind, len(payload)) + payload


def uuid_frame(stream: uuid.UUID) -> bytes:
    return encode(Kind.UUID, stream.bytes)


def audio_frame(pcm: bytes, rate: int = 8000) -> bytes:
    kind = next(k for k, r in AUDIO_RATES.items() if r == rate)
    return encode(kind, pcm)


def dtmf_frame(digit: str) -> bytes:
    return encode(Kind.DTMF, digit.encode("ascii"))


def hangup_frame() -> bytes:
    return encode(Kind.HANGUP)


def error_frame(code: int | None = None) -> bytes:
    return encode(Kind.ERROR, bytes([code]) if code is not None else b"")
