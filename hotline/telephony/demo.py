"""The simulated PBX of `hotline demo`: a fake Asterisk manager replaying the captured calls, the
real AMI listener and FastAGI IVR in this process, and a caller placing a call every so often —
so a new user sees calls arriving, screen pops, and messages becoming work orders."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import threading

from hotline.context import build_context, open_runtime
from hotline.core.settings import get_settings
from hotline.ivr.fastagi import AgiServer
from hotline.ivr.services import DatabaseServices
from hotline.ivr.simulator import SimulatedCaller
from hotline.telephony.ami import parse
from hotline.telephony.bus import bus_for
from hotline.telephony.fake import CAPTURES, Capture, FakeAsterisk
from hotline.telephony.service import make_listener

log = logging.getLogger(__name__)
CALLERS = ["13800138000", "13900139000", "13700137000", "13600136000"]


class SimulatedPbx:
    def __init__(self, interval: float = 20.0) -> None:
        self.interval = interval
        self.stop_event = threading.Event()
        self.pbx = FakeAsterisk().start()
        os.environ["HOTLINE_AMI_HOST"], os.environ["HOTLINE_AMI_PORT"] = "127.0.0.1", str(self.pbx.port)
        get_settings.cache_clear()  # this process's API talks to the simulated PBX too
        self.ctx = build_context()
        self.runtime = open_runtime(self.ctx)
        self.listener = make_listener(self.runtime, bus_for(self.ctx.settings.redis_url)).start()
        self.agi_port = 0
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._serve_agi, name="demo-agi", daemon=True).start()
        threading.Thread(target=self._place_calls, name="demo-calls", daemon=True).start()

    def _serve_agi(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = AgiServer(self.ctx.config.ivr, DatabaseServices(self.runtime), self.ctx.settings.timezone)
        tcp = self._loop.run_until_complete(server.serve("127.0.0.1", 0))
        self.agi_port = tcp.sockets[0].getsockname()[1]
        self._loop.run_forever()

    def _place_calls(self) -> None:
        captures = {n: Capture.load(CAPTURES / f"{n}.ami") for n in ("queue-answered", "queue-abandon", "ivr-agi")}
        for n in itertools.count():
            if self.stop_event.wait(3 if n == 0 else self.interval):
                return
            name = ("queue-answered", "queue-abandon", "ivr-agi")[n % 3]
            try:
                self._one_call(captures[name], name, CALLERS[n % len(CALLERS)])
            except Exception:
                log.exception("demo call failed")

    def _one_call(self, capture: Capture, name: str, caller: str) -> None:
        packets = self.pbx.freshen(capture, self.ctx.clock.now())
        packets = [p.replace(b"13800138000", caller.encode()).replace(b"13900139000", caller.encode())
                   for p in packets]
        if name == "ivr-agi":  # the IVR runs for real: the message becomes a work order
            linkedid = next(parse(p.decode()).get("Linkedid") for p in packets if b"Linkedid" in p)
            simulated = SimulatedCaller(caller=caller, uniqueid=linkedid, operators_ready=0,
                                        recordings_dir=self.ctx.settings.recordings_dir)
            asyncio.run_coroutine_threadsafe(simulated.call("127.0.0.1", self.agi_port), self._loop).result(30)
        self.pbx.send_raw(b"".join(p + b"\r\n\r\n" for p in packets))
        log.info("demo: a %s call from %s", name, caller)

    def stop(self) -> None:
        self.stop_event.set()
        self.listener.stop()
        self.pbx.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
