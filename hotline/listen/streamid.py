"""Stream UUIDs that carry the call: Linkedid, direction and attempt, signed with the deployment secret.

Asterisk passes the originate's UUID to the server as the stream's first frame and nothing else
about the call, and the spying channel has a Linkedid of its own. So the UUID itself names the
call, and any `hotline listen` process can take any stream without a shared table:

    122 free bits of an RFC 9562 version-8 UUID =
      32 bits Linkedid seconds | 32 bits Linkedid counter | 2 bits direction | 8 bits attempt
      | 48 bits HMAC-SHA256 tag over the rest, keyed by the deployment secret

Asterisk's Linkedid is the first channel's Uniqueid, `<epoch seconds>.<counter>`, prefixed by
`<systemname>-` when asterisk.conf sets one (give the same name here). The tag makes a UUID that
hotline did not make worthless: AudioSocket has no authentication, so a stranger who reaches the
port cannot publish text into a call's live channel.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from enum import StrEnum

from hotline.core.errors import InvalidInputError

_LINKEDID = re.compile(r"^(?:(?P<system>.+)-)?(?P<seconds>\d{1,10})\.(?P<counter>\d{1,10})$")
_TAG_BITS = 48


class Direction(StrEnum):
    """The side of the call a stream carries."""

    CITIZEN = "citizen"
    OPERATOR = "operator"


_DIRECTIONS = list(Direction)


class StreamIdError(InvalidInputError):
    """A UUID that names no call of this deployment, or a Linkedid that cannot be put in one."""

    error_id = "stream_id_invalid"


@dataclass(frozen=True)
class StreamId:
    """Which call and which side of it a stream carries."""

    linkedid: str
    direction: Direction
    attempt: int = 0


class StreamIds:
    """Makes and reads stream UUIDs for one deployment (its secret, its Asterisk system name)."""

    def __init__(self, secret: bytes, system_name: str = "") -> None:
        self._secret = secret
        self.system_name = system_name

    def encode(self, stream: StreamId) -> uuid.UUID:
        found = _LINKEDID.match(stream.linkedid)
        if not found or (found.group("system") or "") != self.system_name:
            raise StreamIdError(f"Linkedid {stream.linkedid!r} is not an Asterisk Uniqueid of this system "
                                f"({self.system_name + '-' if self.system_name else ''}<seconds>.<counter>)")
        seconds, counter = int(found.group("seconds")), int(found.group("counter"))
        if seconds >= 1 << 32 or counter >= 1 << 32 or not 0 <= stream.attempt < 256:
            raise StreamIdError(f"Linkedid {stream.linkedid!r} or attempt {stream.attempt} out of range")
        body = (seconds << 42) | (counter << 10) | (_DIRECTIONS.index(stream.direction) << 8) | stream.attempt
        return _pack((body << _TAG_BITS) | self._tag(body))

    def decode(self, value: uuid.UUID) -> StreamId:
        payload = _unpack(value)
        body, tag = payload >> _TAG_BITS, payload & ((1 << _TAG_BITS) - 1)
        if not hmac.compare_digest(tag.to_bytes(6, "big"), self._tag(body).to_bytes(6, "big")):
            raise StreamIdError(f"stream {value} was not made by this deployment (tag mismatch)")
        direction = (body >> 8) & 0b11
        if direction >= len(_DIRECTIONS):
            raise StreamIdError(f"stream {value} names no direction")
        prefix = f"{self.system_name}-" if self.system_name else ""
        linkedid = f"{prefix}{body >> 42}.{(body >> 10) & 0xFFFFFFFF}"
        return StreamId(linkedid, _DIRECTIONS[direction], body & 0xFF)

    def _tag(self, body: int) -> int:
        digest = hmac.new(self._secret, body.to_bytes(10, "big"), hashlib.sha256).digest()
        return int.from_bytes(digest[:_TAG_BITS // 8], "big")


def _pack(payload: int) -> uuid.UUID:
    """122 payload bits around the version (8) and variant (0b10) bits."""
    high, mid, low = payload >> 74, (payload >> 62) & 0xFFF, payload & ((1 << 62) - 1)
    return uuid.UUID(int=(high << 80) | (0x8 << 76) | (mid << 64) | (0b10 << 62) | low)


def _unpack(value: uuid.UUID) -> int:
    n = value.int
    if (n >> 76) & 0xF != 0x8 or (n >> 62) & 0b11 != 0b10:
        raise StreamIdError(f"stream {value} is not a hotline stream UUID (version {value.version})")
    return ((n >> 80) << 74) | (((n >> 64) & 0xFFF) << 62) | (n & ((1 << 62) - 1))
