"""The AMI actions that start and stop a live stream: the fields Asterisk 22's Originate and Hangup read."""

from __future__ import annotations

import re
import uuid

from hotline.listen.originate import CHANSPY_OPTIONS, is_spy_channel, listen_hangup, listen_originate
from hotline.listen.streamid import Direction, StreamId, StreamIds

IDS = StreamIds(b"deployment secret")
CITIZEN = StreamId("1718000000.42", Direction.CITIZEN)


def test_originate_dials_an_audiosocket_channel_that_spies_on_one_side_only():
    action = listen_originate(IDS, CITIZEN, "1718000000.42", "10.0.0.9:9092")
    found = re.fullmatch(r"AudioSocket/10\.0\.0\.9:9092/([0-9a-f-]{36})/c\(slin\)", action["Channel"])
    assert found, action["Channel"]
    assert IDS.decode(uuid.UUID(found.group(1))) == CITIZEN  # the server learns the call from the UUID alone
    assert (action["Action"], action["Application"], action["Data"]) == ("Originate", "ChanSpy", "1718000000.42,qoESu")
    assert set(CHANSPY_OPTIONS) == {"q", "o", "E", "S", "u"}  # quiet, one direction, end with the call, exact match
    assert action["Async"] == "true" and action["Codecs"] == "slin"
    assert action["ChannelId"] == f"listen-{found.group(1)}" and len(action["ChannelId"]) <= 149
    assert all(isinstance(v, str) for v in action.values())


def test_each_side_and_attempt_gets_its_own_stream_and_action_id():
    operator = listen_originate(IDS, StreamId("1718000000.42", Direction.OPERATOR), "PJSIP/1001-00000007",
                                "listen:9092")
    retry = listen_originate(IDS, StreamId("1718000000.42", Direction.CITIZEN, attempt=1), "1718000000.42",
                             "listen:9092")
    first = listen_originate(IDS, CITIZEN, "1718000000.42", "listen:9092")
    assert operator["Data"] == "PJSIP/1001-00000007,qoESu"
    assert len({a["Channel"] for a in (operator, retry, first)}) == 3
    assert len({a["ActionID"] for a in (operator, retry, first)}) == 3
    assert listen_originate(IDS, CITIZEN, "x", "h:1", action_id="a-1")["ActionID"] == "a-1"


def test_hangup_names_the_spying_channel_not_the_call():
    action = listen_hangup(IDS, CITIZEN)
    assert action == {"Action": "Hangup", "Channel": listen_originate(IDS, CITIZEN, "x", "h:1")["ChannelId"],
                      "Cause": "16"}


def test_the_spying_channel_is_recognisable_by_its_id():
    action = listen_originate(IDS, CITIZEN, "1718000000.42", "h:1")
    assert is_spy_channel(action["ChannelId"])
    assert not is_spy_channel("1718000000.42") and not is_spy_channel("pbx-a-1718000000.42")
