"""The AMI actions that make Asterisk stream one side of a call to `hotline listen` (pure: dicts out).

    Action: Originate
    Channel: AudioSocket/<listen host:port>/<stream uuid>/c(slin)
    Application: ChanSpy
    Data: <spied channel's Uniqueid or full name>,qoESu

Asterisk creates an AudioSocket channel, which connects to the listen server and sends the UUID,
then runs ChanSpy on it; ChanSpy writes what the spied channel *says* (option o: only the audio
coming from that channel) to the AudioSocket channel as 8 kHz slin frames, which go down the socket.
Spying on the citizen's channel gives the citizen's voice; on the operator's channel, the operator's.
"""

from __future__ import annotations

import uuid

from hotline.listen.streamid import Direction, StreamId, StreamIds

# q: no beep or channel name played into the stream; o: only the spied channel's own audio (one
# direction); E: end when the spied channel hangs up; S: end at once if it is already gone instead of
# waiting for another; u: the target is a Uniqueid or a full channel name, matched exactly, not a prefix.
CHANSPY_OPTIONS = "qoESu"


def listen_channel(server: str, stream: uuid.UUID, codec: str = "slin") -> str:
    """The AudioSocket dial string; `c(slin)` fixes the format, or Asterisk sends the first codec asked for."""
    return f"AudioSocket/{server}/{stream}/c({codec})"


def listen_originate(ids: StreamIds, stream: StreamId, spied: str, server: str, *, action_id: str | None = None,
                     timeout_ms: int = 5000) -> dict[str, str]:
    """Originate that streams `spied` (a Uniqueid or channel name) to the listen server at `server` (host:port).

    `ChannelId` gives the spying channel a Uniqueid of our choosing, so `listen_hangup` can end it.
    Async: Asterisk answers at once and reports the outcome in an OriginateResponse event carrying
    the ActionID."""
    stream_uuid = ids.encode(stream)
    return {
        "Action": "Originate",
        "ActionID": action_id or f"listen-{stream_uuid}",
        "Channel": listen_channel(server, stream_uuid),
        "Application": "ChanSpy",
        "Data": f"{spied},{CHANSPY_OPTIONS}",
        "ChannelId": spy_channel_id(stream_uuid),
        "Codecs": "slin",
        "CallerID": f"\"hotline listen\" <{stream.direction.value}>",
        "Timeout": str(timeout_ms),
        "Async": "true",
    }


def call_originates(ids: StreamIds, linkedid: str, citizen: str, operator: str | None,
                    server: str) -> list[dict[str, str]]:
    """The sides of an answered call to stream: the citizen's channel (the call's first channel, whose Uniqueid
    is the Linkedid) and, unless `operator` is None, the operator's leg (AgentConnect's DestChannel).
    StreamIdError if the Linkedid cannot be carried in a stream UUID (not Asterisk's `<seconds>.<counter>`)."""
    actions = [listen_originate(ids, StreamId(linkedid, Direction.CITIZEN), citizen, server)]
    if operator is not None:
        actions.append(listen_originate(ids, StreamId(linkedid, Direction.OPERATOR), operator, server))
    return actions


SPY_PREFIX = "listen-"


def spy_channel_id(stream_uuid: uuid.UUID) -> str:
    """The spying channel's Uniqueid — and its Linkedid, since it joins no bridge."""
    return f"{SPY_PREFIX}{stream_uuid}"


def is_spy_channel(uniqueid_or_linkedid: str) -> bool:
    """A channel `listen_originate` made: call tracking should not take it for a call of its own."""
    return uniqueid_or_linkedid.startswith(SPY_PREFIX)


def listen_hangup(ids: StreamIds, stream: StreamId) -> dict[str, str]:
    """Hangup of the spying channel only: the call itself goes on."""
    return {"Action": "Hangup", "Channel": spy_channel_id(ids.encode(stream)), "Cause": "16"}
