"""A citizen on the line: the captured queue call (a real Asterisk 22's events) played into the simulated
manager up to the citizen's hang-up, for the tests of what an operator does during a call."""

from __future__ import annotations

from hotline.simulator.capture import SEP
from hotline.simulator.fake import CAPTURES, Capture

ANSWERED = Capture.load(CAPTURES / "queue-answered.ami")


def citizen_on_the_line(pbx, now) -> bytes:
    """Plays the call until the citizen is talking to the queue member; returns the rest (the hang-up) to send."""
    packets = pbx.answered_by_members(pbx.freshen(ANSWERED, now))
    cut = next(i for i, p in enumerate(packets) if p.startswith(b"Event: HangupRequest"))
    pbx.send_raw(b"".join(p + SEP for p in packets[:cut]))
    return b"".join(p + SEP for p in packets[cut:])
