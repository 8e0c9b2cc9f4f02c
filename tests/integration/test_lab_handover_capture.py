"""转接 on the lab's real Asterisk 22.10.1 (config/asterisk/ as shipped; the raw streams of the project's AMI
account in captures/lab17-*.ami): each hand-over row, as the API left it after Asterisk's answer, settled by
the events the real Asterisk sent, replayed through the listener and the desk's sinks.

* blind to 110: BlindTransfer, then Dial's U() raises UserEvent HotlineHandover ANSWER the moment 110
  answers (connected then, not when the call ends), and `h` of [hotline-handover] stops the recording
  (MixMonitorStop: a citizen handed on never returns to hotline-in's `h`);
* blind to 110 with nobody answering behind the trunk: the citizen hangs up while it rings, DialStatus CANCEL;
* attended to 119: AttendedTransfer Result Success, DestType Bridge when the operator hangs up;
* attended to 119 made a three-way call (PlayDTMF *3 with Receive): AttendedTransfer DestType Threeway;
* attended to 120, cancelled: no transfer event at all, the later UserEvent changes nothing;
* an Atxfer Asterisk answered "queued" and then gave up on (features.conf's announcement missing): no
  event ever comes, so the row is failed when the call ends instead of staying open for ever."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.desk.handover import CALL_ENDED
from hotline.desk.sinks import DeskSinks
from hotline.models import CallDialogue, Handover
from hotline.runtime.context import build_context
from hotline.simulator.fake import CAPTURES
from tests.integration.test_ami_listener import listen

AT = dt.datetime(2026, 11, 30, 9, 36, tzinfo=dt.UTC)
# capture, Linkedid, the operator's leg (AgentConnect's DestChannel), target, mode, state the API left
CASES = {
    "blind": ("lab17-handover-blind.ami", "1796031717.42", "Local/1001@agent-sim-00000009;1", "110", "blind",
              "transferred"),
    "attended": ("lab17-handover-attended.ami", "1796031523.26", "Local/1001@agent-sim-00000005;1", "119",
                 "attended", "consulting"),
    "unreachable": ("lab17-handover-blind-unreachable.ami", "1796032080.56", "Local/1001@agent-sim-0000000c;1", "110",
                    "blind", "transferred"),
    "threeway": ("lab17-handover-threeway.ami", "1796031766.48", "Local/1001@agent-sim-0000000a;1", "119",
                 "attended", "consulting"),
    "cancelled": ("lab17-handover-cancel.ami", "1796031662.34", "Local/1001@agent-sim-00000007;1", "120",
                  "attended", "cancelled"),
    "silent": ("lab17-atxfer-refused-silently.ami", "1796031436.21", "Local/1001@agent-sim-00000004;1", "119",
               "attended", "consulting"),
}
SETTLED = {
    "blind": ("connected", "DialStatus: ANSWER"),
    "attended": ("connected", "AttendedTransfer Result: Success, DestType: Bridge"),
    "unreachable": ("failed", "DialStatus: CANCEL"),
    "threeway": ("connected", "AttendedTransfer Result: Success, DestType: Threeway"),
    "cancelled": ("cancelled", "Asterisk: CancelAtxfer successfully queued"),
    "silent": ("failed", CALL_ENDED),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hand_over_on_the_real_asterisk_settles_from_its_events(case, pbx, settings, clock, config,
                                                                  session_factory, people, tmp_path):
    capture, linkedid, channel, number, mode, state = CASES[case]
    ctx = build_context(settings.model_copy(update={"recordings_dir": tmp_path}), clock=clock, config=config)
    with session_scope(session_factory) as s:
        s.add(Handover(linkedid=linkedid, target_kind="emergency", target_code=number, target_name=number,
                       number=number, mode=mode, state=state, action_id=f"handover-{case}", operator_channel=channel,
                       requested_by=people["operator"].user_id, requested_at=AT,
                       outcome="Asterisk: CancelAtxfer successfully queued" if state == "cancelled" else None))
    listener = listen(pbx, DeskSinks(ctx, session_factory))
    try:
        pbx.play(CAPTURES / capture, fresh=False)
        assert listener.idle()
    finally:
        listener.stop()
    with session_factory() as s:
        row = s.scalars(select(Handover)).one()
        dialogue = s.scalars(select(CallDialogue).where(CallDialogue.linkedid == linkedid)).first()
    assert (row.state, row.outcome) == SETTLED[case]
    assert dialogue is not None  # the recording is registered whichever way the citizen left hotline-in


def test_the_blind_hand_over_is_connected_when_the_far_end_answers_not_when_the_call_ends(
        pbx, settings, clock, config, session_factory, people, tmp_path):
    capture, linkedid, channel, number, mode, state = CASES["blind"]
    ctx = build_context(settings.model_copy(update={"recordings_dir": tmp_path}), clock=clock, config=config)
    with session_scope(session_factory) as s:
        s.add(Handover(linkedid=linkedid, target_kind="emergency", target_code=number, target_name=number,
                       number=number, mode=mode, state=state, action_id="handover-early", operator_channel=channel,
                       requested_by=people["operator"].user_id, requested_at=AT))
    events = (CAPTURES / capture).read_bytes().split(b"\r\n\r\n")
    answered = next(i for i, p in enumerate(events)
                    if p.startswith(b"Event: UserEvent") and b"Context: hotline-handover-answered" in p)
    listener = listen(pbx, DeskSinks(ctx, session_factory))
    try:
        pbx.send_raw(b"\r\n\r\n".join(events[:answered + 1]) + b"\r\n\r\n")  # 110 answered; the call goes on
        assert listener.idle()
        with session_factory() as s:
            assert s.scalars(select(Handover.state)).one() == "connected"
            assert listener.tracker.calls  # still talking to 110
    finally:
        listener.stop()
