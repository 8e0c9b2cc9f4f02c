"""Framing and parsing of the AMI byte stream, and the call tracker, without sockets."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.simulator.fake import CAPTURES as FIXTURES
from hotline.simulator.fake import Capture
from hotline.telephony.ami import PacketReader, parse
from hotline.telephony.kinds import disposition_of
from hotline.telephony.records import CallRecord
from hotline.telephony.tracker import CallTracker


def packets(name: str) -> list[dict]:
    reader = PacketReader()
    return [parse(p) for p in reader.feed((FIXTURES / name).read_bytes())]


def test_stream_split_at_every_byte_boundary_gives_the_same_packets():
    data = (FIXTURES / "ivr-agi.ami").read_bytes()
    whole = PacketReader().feed(data)
    reader, pieces = PacketReader(), []
    for i in range(0, len(data), 7):
        pieces += reader.feed(data[i:i + 7])
    assert pieces == whole and reader.banner == "Asterisk Call Manager/11.0.0"
    assert len(whole) == 114 and whole[0].startswith("Response: Success")


def test_oversized_packet_is_dropped_and_the_stream_resyncs():
    reader = PacketReader(max_packet=1024)
    out = reader.feed(b"Asterisk Call Manager/11.0.0\r\n" + b"Event: Huge\r\nData: " + b"x" * 5000)
    out += reader.feed(b"\r\n\r\nEvent: Hangup\r\nLinkedid: 1.1\r\n\r\n")
    assert [parse(p)["Event"] for p in out] == ["Hangup"] and reader.problems["oversized"] == 1


def test_bytes_that_are_not_utf8_are_replaced_not_fatal():
    reader = PacketReader()
    out = reader.feed(b"Asterisk Call Manager/11.0.0\r\nEvent: Newchannel\r\nCallerIDName: \xff\xfe\r\n\r\n")
    assert parse(out[0])["CallerIDName"] == "\ufffd\ufffd" and reader.problems["not_utf8"] == 1


def test_garbage_is_not_an_event():
    assert parse("this is not AMI") is None


@pytest.mark.parametrize("name,expected", [
    ("queue-answered.ami", dict(caller="13800138000", dialled="12346", disposition="answered", queue="hotline-queue",
                                wait_seconds=2, agent="Agent1001", talk_seconds=31, hangup_cause="16 Normal Clearing",
                                recording="/var/spool/asterisk/monitor/1795257491.4.wav",
                                ivr_path=["Playback:custom/queue-wait", "Queue:hotline-queue"])),
    ("queue-abandon.ami", dict(caller="13900139000", dialled="12347", disposition="abandoned", wait_seconds=16,
                               agent=None, talk_seconds=None, queue="hotline-queue-noanswer")),
    ("ivr-agi.ami", dict(caller="13800138000", dialled="12345", disposition="message_left",
                         message_recording="/var/spool/asterisk/monitor/agi-1795257454.2.wav",
                         ivr_path=["Playback:custom/hotline-welcome", "AGI:ivr"])),
])
def test_each_captured_call_becomes_one_record(name, expected):
    tracker = CallTracker()
    finished = [r for p in packets(name) if p and "Event" in p for r in tracker.feed(p)]
    assert len({r.linkedid for r in finished}) == 1 and tracker.calls == {}
    record = finished[-1].as_dict()
    assert {k: record[k] for k in expected} == expected
    assert record["started_at"] and record["ended_at"] > record["started_at"]


def test_answered_call_times_come_from_asterisk():
    tracker = CallTracker()
    record = [r for p in packets("queue-answered.ami") if p and "Event" in p for r in tracker.feed(p)][-1]
    assert (record.started_at.isoformat(), record.answered_at.isoformat(), record.ended_at.isoformat()) == (
        "2026-11-21T10:38:11+00:00", "2026-11-21T10:38:17+00:00", "2026-11-21T10:38:48+00:00")


def test_queue_member_events_keep_agent_state():
    tracker = CallTracker()
    for p in packets("queue-answered.ami"):
        if p and "Event" in p:
            tracker.feed(p)
    agent = tracker.agents[("hotline-queue", "Local/1001@agent-sim/n")]
    assert (agent.member_name, agent.calls_taken, agent.paused, agent.in_call) == ("Agent1001", 1, False, False)
    tracker.feed({"Event": "QueueMemberPause", "Queue": "hotline-queue", "Interface": "Local/1001@agent-sim/n",
                  "Paused": "1", "PausedReason": "午休"})
    assert agent.paused and agent.pause_reason == "午休"


def test_capture_replay_freshens_ids_channels_and_times():
    import datetime as dt

    from hotline.simulator.fake import FakeAsterisk

    capture = Capture.load(FIXTURES / "queue-answered.ami")
    fake = FakeAsterisk()
    first = fake.freshen(capture, dt.datetime(2027, 1, 5, 8, 0, tzinfo=dt.UTC))
    second = fake.freshen(capture, dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC))
    assert len(first) == len(capture.events)
    assert b"1795257491.4" not in b"".join(first) and b"2027-01-05 08:00:00" in b"".join(first)
    ids = lambda ps: {parse(p.decode()).get("Linkedid") for p in ps} - {None}  # noqa: E731
    assert len(ids(first)) == 1 and ids(first) != ids(second)


def test_forgotten_calls_take_their_channels_with_them():
    tracker = CallTracker()
    tracker.recent_limit = 1
    for name in ("queue-answered.ami", "queue-abandon.ami"):
        for p in packets(name):
            if p and "Event" in p:
                tracker.feed(p)
    assert list(tracker.recent) == ["1795257533.8"]
    assert set(tracker.channels.values()) == {"1795257533.8"}  # the answered call's channels are gone


def spy_events(channel: str, context: str = "default", role: str | None = None) -> list[dict]:
    uid = "1796009999.1"
    base = {"Channel": channel, "Uniqueid": uid, "Linkedid": uid, "Context": context, "Exten": "s",
            "CallerIDNum": "<unknown>", "Timestamp": "1796009999.5"}
    events = [{"Event": "Newchannel", **base}]
    if role:
        events.append({"Event": "VarSet", **base, "Variable": "HOTLINE_ROLE", "Value": role})
    return [*events, {"Event": "Hangup", **base, "Cause": "16"}]


@pytest.mark.parametrize("channel, context, role", [
    ("Snoop/1796003586.51-00000000", "default", None),  # ARI snoop
    ("UnicastRTP/127.0.0.1:9097-0x7f1", "default", None),  # ARI externalMedia over RTP
    ("Local/spy@lab-00000001;1", "default", "spy"),  # any channel hotline marks as a listener
    ("Local/s@hotline-spy-00000001;1", "hotline-spy", None),
])
def test_listening_channels_are_not_calls(channel, context, role):
    tracker = CallTracker()
    finished = [r for e in spy_events(channel, context, role) for r in tracker.feed(e)]
    assert finished == [] and tracker.calls == {}


def test_a_spy_leg_inside_a_call_does_not_keep_the_call_open():
    tracker = CallTracker()
    call = {"Uniqueid": "1.1", "Linkedid": "1.1", "Channel": "PJSIP/trunk-00000001", "Context": "hotline-in",
            "Exten": "12345", "CallerIDNum": "+8613800138077"}
    spy = {"Uniqueid": "1.2", "Linkedid": "1.1", "Channel": "Local/spy@x-00000002;1", "Context": "default"}
    events = [{"Event": "Newchannel", **call}, {"Event": "Newchannel", **spy},
              {"Event": "VarSet", **spy, "Variable": "HOTLINE_ROLE", "Value": "spy"},
              {"Event": "Hangup", **call, "Cause": "16"}]
    [record] = [r for e in events for r in tracker.feed(e)]
    assert (record.caller, record.direction, record.purpose) == ("13800138077", "inbound", "citizen_call")


def test_resync_lines_carry_channel_variables():
    packet = ("Event: CoreShowChannel\r\nChannel: PJSIP/trunk-0000000a\r\nChanVariable: MIXMONITOR_FILENAME="
              "/var/spool/asterisk/monitor/1.wav\r\nChanVariable: HOTLINE_ROLE=\r\nUniqueid: 1.1")
    parsed = parse(packet)
    assert parsed["ChanVariable:MIXMONITOR_FILENAME"] == "/var/spool/asterisk/monitor/1.wav"
    assert parsed["ChanVariable:HOTLINE_ROLE"] == "" and parsed["Uniqueid"] == "1.1"


def test_a_caller_timed_out_of_the_queue_is_abandoned_not_ivr_only():
    """Asterisk ends a queue wait by timeout with QueueCallerLeave alone (no QueueCallerAbandon): the
    citizen still waited in the queue and nobody answered — a lost call, counted against the centre."""
    tracker = CallTracker()
    events = [p for p in packets("queue-abandon.ami") if p and p.get("Event") not in (None, "QueueCallerAbandon")]
    assert any(p["Event"] == "QueueCallerLeave" for p in events)
    record = [r for p in events for r in tracker.feed(p)][-1].as_dict()
    assert (record["disposition"], record["queue"], record["agent"]) == ("abandoned", "hotline-queue-noanswer", None)


@pytest.mark.parametrize(("fields", "disposition"), [
    (dict(direction="outbound", answered_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC)), "answered"),
    (dict(direction="outbound"), "unanswered"),
    (dict(direction="inbound"), "ivr_only"),
    (dict(direction="inbound", message_recording="/msg.wav"), "message_left"),
    (dict(direction="inbound", queue_joined=True, message_recording="/msg.wav"), "abandoned"),
    (dict(direction="inbound", queue_joined=True, agent="Agent1001"), "answered"),
])
def test_each_disposition_from_what_the_call_went_through(fields, disposition):
    assert disposition_of(CallRecord("1.1", **fields)) == disposition
