"""The Asterisk side of FastAGI, for the demo and the tests: sends the agi_* environment the way
Asterisk 22 does (see simulator/captures/ivr-agi.fastagi.txt) and answers each command like a
caller would — keys pressed, a message spoken into RECORD FILE, hanging up."""

from __future__ import annotations

import asyncio
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hotline.simulator.fake import CAPTURES

MESSAGE = CAPTURES / "agi-1795257454.2.wav"


@dataclass
class SimulatedCaller:
    caller: str = "13800138000"
    uniqueid: str = "1795257454.2"
    script: str = "ivr"
    query: str = ""
    operators_ready: int = 0
    press_during: dict[str, str] = field(default_factory=dict)  # prompt → key pressed while it plays
    answers: dict[str, list[str]] = field(default_factory=dict)  # GET DATA prompt → digits typed
    message: Path | None = MESSAGE  # what the caller says into RECORD FILE (None: silence)
    recordings_dir: Path | None = None  # where "Asterisk" writes recordings (hotline's HOTLINE_RECORDINGS_DIR)
    hang_up_after: int | None = None  # commands answered before the caller hangs up
    transcript: list[tuple[str, str]] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)

    def headers(self) -> bytes:
        request = f"agi://127.0.0.1:4573/{self.script}" + (f"?{self.query}" if self.query else "")
        env = {"agi_network": "yes", "agi_network_script": self.script, "agi_request": request,
               "agi_channel": "PJSIP/trunk-00000001", "agi_language": "zh", "agi_type": "PJSIP",
               "agi_uniqueid": self.uniqueid, "agi_version": "22.10.1", "agi_callerid": self.caller,
               "agi_calleridname": "Citizen", "agi_callingpres": "0", "agi_callingani2": "0",
               "agi_callington": "0", "agi_callingtns": "0", "agi_dnid": "12345", "agi_rdnis": "unknown",
               "agi_context": "hotline-in", "agi_extension": "12345", "agi_priority": "6",
               "agi_enhanced": "0.0", "agi_accountcode": "", "agi_threadid": "140600504112832"}
        return "".join(f"{k}: {v}\n" for k, v in env.items()).encode() + b"\n"

    def answer(self, command: str) -> str:
        verb = " ".join(command.split()[:2]).upper()
        if verb == "STREAM FILE":
            _, _, prompt, escape = [*command.split(" ", 3), '""'][:4]
            key = self.press_during.get(prompt)
            if key and key in escape.strip('"'):
                return f"200 result={ord(key)} endpos=8000"
            return "200 result=0 endpos=16000"
        if verb == "GET DATA":
            prompt = command.split()[2]
            queue = self.answers.get(prompt) or []
            return f"200 result={queue.pop(0)}" if queue else "200 result= (timeout)"
        if verb == "RECORD FILE":
            path, fmt = command.split()[2:4]
            if self.message is None:
                return "200 result=0 (timeout) endpos=0"
            if self.recordings_dir is not None:
                self.recordings_dir.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.message, self.recordings_dir / f"{Path(path).name}.{fmt}")
            return "200 result=6989 (timeout) endpos=88202"
        if verb == "SET VARIABLE":
            match = re.match(r'SET VARIABLE (\S+) "(.*)"$', command)
            if match:
                self.variables[match.group(1)] = match.group(2)
            return "200 result=1"
        if verb == "GET FULL":
            if "QUEUE_MEMBER" in command:
                return f"200 result=1 ({self.operators_ready})"
            return "200 result=0"
        if verb in ("SAY DIGITS", "VERBOSE"):
            return "200 result=0"
        if verb == "HANGUP":
            return "200 result=1"
        return "510 Invalid or unknown command"

    async def call(self, host: str, port: int, timeout: float = 30) -> SimulatedCaller:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(self.headers())
        await writer.drain()
        try:
            while True:
                raw = await asyncio.wait_for(reader.readline(), timeout)
                if not raw:
                    break
                command = raw.decode().rstrip("\n")
                if self.hang_up_after is not None and len(self.transcript) >= self.hang_up_after:
                    writer.write(b"HANGUP\n511 Command Not Permitted on a dead channel or intercept routine\n")
                    await writer.drain()
                    self.transcript.append((command, "511"))
                    continue
                reply = self.answer(command)
                self.transcript.append((command, reply))
                writer.write(reply.encode() + b"\n")
                await writer.drain()
                if command.upper().startswith("HANGUP"):
                    break
        finally:
            writer.close()
        return self
