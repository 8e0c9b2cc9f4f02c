"""`hotline ami replay`: captured calls through a simulated PBX into the real listener over TCP."""

from __future__ import annotations

from hotline.simulator.capture import Capture
from hotline.simulator.fake import FakeAsterisk


def replay(captures: list[Capture], times: int = 1, fresh: bool = True) -> list[dict] | None:
    """Replay captures through a simulated PBX into a real listener over TCP; the calls it stored
    (None when the listener could not log in)."""
    from hotline.telephony.listener import AmiListener, Sinks

    calls: dict[str, dict] = {}

    class Collect(Sinks):
        def calls(self, records):
            for record in records:
                calls[record.linkedid] = record.as_dict()

    pbx = FakeAsterisk().start()
    listener = AmiListener("127.0.0.1", pbx.port, pbx.username, pbx.secret, Collect()).start()
    try:
        if not listener.connected.wait(10):
            return None
        for _ in range(times):
            for capture in captures:
                pbx.play(capture, fresh=fresh)
        listener.idle(60)
    finally:
        listener.stop()
        pbx.stop()
    return list(calls.values())
