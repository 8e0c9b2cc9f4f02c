"""From the AMI Originate to the live stream: the action goes over a real manager session, and the UUID
Asterisk would dial with names the call on the listen server."""

from __future__ import annotations

import re
import uuid

from hotline.asr.fake import FakeEngine
from hotline.listen.events import LiveEnded, LiveStarted, MemorySink
from hotline.listen.originate import listen_originate
from hotline.listen.server import ListenServer
from hotline.listen.streamid import Direction, StreamId, StreamIds
from hotline.telephony.pbx import AmiPbx as Pbx
from tests.audiosocket import AsteriskLeg
from tests.speech import tone

IDS = StreamIds(b"deployment secret")


def send(pbx, action: dict[str, str]) -> dict:
    keys = dict(action)
    return Pbx("127.0.0.1", pbx.port, "hotline", "hotline").action(keys.pop("Action"), **keys)


def test_the_originate_reaches_asterisk_intact_and_its_uuid_opens_the_calls_stream(pbx):
    sink = MemorySink()
    server = ListenServer(FakeEngine(default="您好", sample_rate=8000), sink, IDS, workers=1).start()
    call = StreamId("1718000000.42", Direction.OPERATOR)
    try:
        action = listen_originate(IDS, call, "PJSIP/1001-00000007", f"127.0.0.1:{server.port}")
        assert send(pbx, action)["Message"] == "Originate successfully queued"
        received = next(a for a in pbx.actions if a.get("Action") == "Originate")
        assert {k: received.get(k) for k in action} == action  # every header as built, commas and parentheses kept
        dialled = re.fullmatch(r"AudioSocket/127\.0\.0\.1:(\d+)/([0-9a-f-]{36})/c\(slin\)", received["Channel"])
        assert dialled and int(dialled.group(1)) == server.port
        leg = AsteriskLeg(int(dialled.group(1))).hello(uuid.UUID(dialled.group(2)))  # what chan_audiosocket sends
        leg.audio(tone(0.3, 8000), pace=None)
        leg.hang_up()
        started = sink.wait_for(lambda e: isinstance(e, LiveStarted))
        assert (started.linkedid, started.direction) == ("1718000000.42", "operator")
        assert sink.wait_for(lambda e: isinstance(e, LiveEnded)).reason == "hangup"
    finally:
        server.stop()
