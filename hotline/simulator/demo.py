"""The simulated PBX of `hotline demo`: a fake Asterisk manager replaying the captured calls, and a
caller placing a call every so often through the real AMI listener and FastAGI IVR it is given —
so a new user sees calls arriving, screen pops, and messages becoming work orders."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from hotline.ivr.fastagi import AgiServer
from hotline.simulator.caller import SimulatedCaller
from hotline.simulator.fake import CAPTURES, Capture, FakeAsterisk
from hotline.simulator.recording import recording_name, with_recording_events, write_call
from hotline.telephony.ami import parse

log = logging.getLogger(__name__)
CALLERS = ["13800138000", "13900139000", "13700137000", "13600136000"]
KINDS = ("queue-answered", "queue-abandon", "ivr-agi")


class SimulatedPbx:
    def __init__(self, interval: float = 20.0) -> None:
        self.interval = interval
        self.stop_event = threading.Event()
        self.pbx = FakeAsterisk().start()
        self.agi_port = 0
        self._loop = asyncio.new_event_loop()

    @property
    def port(self) -> int:
        """Where the simulated Asterisk manager listens (point HOTLINE_AMI_HOST/PORT here)."""
        return self.pbx.port

    def start(self, agi: AgiServer, recordings_dir: Path, now: Callable[[], dt.datetime]) -> SimulatedPbx:
        """Serve the IVR on a free port and start placing calls."""
        self._agi, self._recordings_dir, self._now = agi, recordings_dir, now
        threading.Thread(target=self._serve_agi, name="demo-agi", daemon=True).start()
        threading.Thread(target=self._place_calls, name="demo-calls", daemon=True).start()
        return self

    def _serve_agi(self) -> None:
        asyncio.set_event_loop(self._loop)
        tcp = self._loop.run_until_complete(self._agi.serve("127.0.0.1", 0))
        self.agi_port = tcp.sockets[0].getsockname()[1]
        self._loop.run_forever()

    def _place_calls(self) -> None:
        captures = {n: Capture.load(CAPTURES / f"{n}.ami") for n in KINDS}
        for n in itertools.count():
            if self.stop_event.wait(3 if n == 0 else self.interval):
                return
            name = KINDS[n % 3]
            try:
                self._one_call(captures[name], name, CALLERS[n % len(CALLERS)])
            except Exception:
                log.exception("demo call failed")

    def _one_call(self, capture: Capture, name: str, caller: str) -> None:
        packets = self.pbx.freshen(capture, self._now())
        packets = [p.replace(b"13800138000", caller.encode()).replace(b"13900139000", caller.encode())
                   for p in packets]
        if name == "ivr-agi":  # the IVR runs for real: the message becomes a work order
            linkedid = next((parse(p.decode()) or {}).get("Linkedid", "") for p in packets if b"Linkedid" in p)
            simulated = SimulatedCaller(caller=caller, uniqueid=linkedid, operators_ready=0,
                                        recordings_dir=self._recordings_dir)
            asyncio.run_coroutine_threadsafe(simulated.call("127.0.0.1", self.agi_port), self._loop).result(30)
        packets = self._recorded(packets)
        packets = self.pbx.answered_by_members(packets)  # the operator signed in at the queue takes the call
        self.pbx.send_raw(b"".join(p + b"\r\n\r\n" for p in packets))
        log.info("demo: a %s call from %s", name, caller)

    def _recorded(self, packets: list[bytes]) -> list[bytes]:
        """A recorded call leaves its files, as MixMonitor would, before MixMonitorStop says they are closed."""
        mixed = recording_name(packets)
        if mixed is None:
            return packets
        before, stop, after = with_recording_events(packets)
        write_call(self._recordings_dir, mixed)
        return before + stop + after

    def stop(self) -> None:
        self.stop_event.set()
        self.pbx.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
