"""When an operator answers, `hotline ami` asks Asterisk to stream both sides of the call to `hotline listen`
(HOTLINE_LISTEN_CALLS): one AudioSocket/ChanSpy Originate per side (the citizen's only with
HOTLINE_LISTEN_SIDES=citizen), the citizen's channel by its Uniqueid
(the Linkedid) and the operator's leg by AgentConnect's DestChannel; each stream UUID names the call and
the side. Without the setting nothing is originated."""

from __future__ import annotations

import re
import uuid

import httpx2 as httpx
import pytest

from hotline.core.jobs import InProcessQueue
from hotline.listen.streamid import Direction, StreamId, StreamIds
from hotline.runtime.api import create_app
from hotline.runtime.context import build_context
from hotline.runtime.processes import ami_listener
from hotline.simulator.fake import CAPTURES, Capture
from hotline.telephony.ami import parse
from tests.integration.served import on_a_port

ANSWERED = Capture.load(CAPTURES / "queue-answered.ami")
MEMBER = "Local/1001@agent-sim/n"
DIALLED = re.compile(r"AudioSocket/10\.0\.0\.5:9092/([0-9a-f-]{36})/c\(slin\)")


def serve(pbx, settings, clock, config, listen_calls: bool, sides: str = "both"):
    ctx = build_context(settings.model_copy(update={"ami_host": "127.0.0.1", "ami_port": pbx.port,
                                                    "listen_calls": listen_calls, "listen_sides": sides,
                                                    "listen_address": "10.0.0.5:9092"}), clock=clock, config=config)
    return ctx, create_app(ctx, queue=InProcessQueue())


def answered_call(pbx, ctx, base, headers, listener) -> dict:
    """The captured queue call, answered by the operator signed in now; AgentConnect's headers."""
    with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
        assert http.post("/api/v1/agents/login", json={"interface": MEMBER}).status_code == 200
    packets = pbx.answered_by_members(pbx.freshen(ANSWERED, ctx.clock.now()))
    pbx.send_raw(b"".join(p + b"\r\n\r\n" for p in packets))
    assert listener.idle()
    return next(parse(p.decode()) for p in packets if p.startswith(b"Event: AgentConnect"))


@pytest.mark.parametrize("listen_calls, sides", [(True, "both"), (False, "both"), (True, "citizen")])
def test_an_answered_call_is_streamed_side_by_side_to_hotline_listen(pbx, settings, clock, config, session_factory,
                                                                       people, listen_calls, sides):
    ctx, app = serve(pbx, settings, clock, config, listen_calls, sides)
    with on_a_port(app) as base:
        listener = ami_listener(app.state.runtime, "127.0.0.1", pbx.port).start()
        try:
            assert listener.connected.wait(10)
            connect = answered_call(pbx, ctx, base, people["operator"].headers, listener)
        finally:
            listener.stop()
    sent = [a for a in pbx.actions if a.get("Action") == "Originate"]
    if not listen_calls:
        assert sent == []
        return
    ids = StreamIds(ctx.settings.secret(), ctx.settings.asterisk_system_name)
    linkedid, operator = connect["Linkedid"], connect["DestChannel"]
    if sides == "citizen":  # the operator's side is transcribed after the call only
        assert [(a["Application"], a["Data"]) for a in sent] == [("ChanSpy", f"{linkedid},qoESu")]
        assert ids.decode(uuid.UUID(DIALLED.fullmatch(sent[0]["Channel"]).group(1))).direction == Direction.CITIZEN
        return
    assert [(a["Application"], a["Data"]) for a in sent] == [("ChanSpy", f"{linkedid},qoESu"),
                                                            ("ChanSpy", f"{operator},qoESu")]
    streams = []
    for action in sent:
        dialled = DIALLED.fullmatch(action["Channel"])
        assert dialled, action["Channel"]
        streams.append(ids.decode(uuid.UUID(dialled.group(1))))
        assert action["ChannelId"] == f"listen-{dialled.group(1)}"
    assert streams == [StreamId(linkedid, Direction.CITIZEN), StreamId(linkedid, Direction.OPERATOR)]
