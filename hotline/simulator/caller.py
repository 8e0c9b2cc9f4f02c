"""The Asterisk side of FastAGI, for the demo and the tests: sends the agi_* environment and answers each
command exactly as Asterisk 22.10.1 did in the lab (captures/fastagi-*.txt): keys pressed, a message
spoken into RECORD FILE and ended by #, by silence or by hanging up, a silent caller, a prompt with no
sound file, and after a hang-up the `HANGUP` line, dead-channel commands still answered and the others
refused with 511."""

from __future__ import annotations

import asyncio
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hotline.simulator.capture import CAPTURES

MESSAGE = CAPTURES / "agi-1795257454.2.wav"  # speech, espeak-ng Mandarin
SILENCE = CAPTURES / "msg-silent-1796002592.2.wav"  # what RECORD FILE kept of a silent caller: 1.02 s
NO_AUDIO = CAPTURES / "msg-empty-1796002633.4.wav"  # a caller who sent no audio, then hung up: a bare header
DEAD_CHANNEL_COMMANDS = ("SET VARIABLE", "GET VARIABLE", "GET FULL", "VERBOSE", "NOOP", "EXEC", "DATABASE")
DEAD = "511 Command Not Permitted on a dead channel or intercept routine"
# RECORD FILE's answers in the lab, by how the recording ended (endpos in 8 kHz samples)
RECORD_ANSWERS = {"dtmf": "200 result=35 (dtmf) endpos=174240", "timeout": "200 result=95868 (timeout) endpos=177120",
                  "hangup": "200 result=-1 (hangup) endpos=172000", "silent": "200 result=116987 (timeout) endpos=8160",
                  "silent-hangup": "200 result=-1 (hangup) endpos=0"}


@dataclass
class SimulatedCaller:
    caller: str = "13800138000"
    uniqueid: str = "1795257454.2"
    script: str = "ivr"
    query: str = ""
    language: str = "zh"  # the dialplan sets CHANNEL(language) before the AGI
    operators_ready: int = 0
    press_during: dict[str, str] = field(default_factory=dict)  # prompt → key pressed while it plays
    answers: dict[str, list[str]] = field(default_factory=dict)  # GET DATA prompt → digits typed
    message: Path | None = MESSAGE  # what the caller says into RECORD FILE (None: silence)
    record_ends: str = "dtmf"  # how a message ends: dtmf (#), timeout (falls silent) or hangup
    hang_up_during: str | None = None  # a prompt the caller hangs up in
    missing_prompts: set[str] = field(default_factory=set)  # prompts Asterisk has no sound file for
    recordings_dir: Path | None = None  # where "Asterisk" writes recordings (hotline's HOTLINE_RECORDINGS_DIR)
    hang_up_after: int | None = None  # commands answered before the caller hangs up
    transcript: list[tuple[str, str]] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    dead: bool = False

    def headers(self) -> bytes:
        request = f"agi://127.0.0.1:4573/{self.script}" + (f"?{self.query}" if self.query else "")
        env = {"agi_network": "yes", "agi_network_script": self.script, "agi_request": request,
               "agi_channel": "PJSIP/trunk-00000001", "agi_language": self.language, "agi_type": "PJSIP",
               "agi_uniqueid": self.uniqueid, "agi_version": "22.10.1", "agi_callerid": self.caller,
               "agi_calleridname": "Citizen", "agi_callingpres": "0", "agi_callingani2": "0",
               "agi_callington": "0", "agi_callingtns": "0", "agi_dnid": "12345", "agi_rdnis": "unknown",
               "agi_context": "hotline-in", "agi_extension": "12345", "agi_priority": "6",
               "agi_enhanced": "0.0", "agi_accountcode": "", "agi_threadid": "140600504112832"}
        return "".join(f"{k}: {v}\n" for k, v in env.items()).encode() + b"\n"

    def answer(self, command: str) -> str:
        verb = " ".join(command.split()[:2]).upper()
        if self.dead and not verb.startswith(DEAD_CHANNEL_COMMANDS):
            return DEAD
        if verb == "STREAM FILE":
            return self._stream(command)
        if verb == "GET DATA":
            prompt = command.split()[2]
            if prompt in self.missing_prompts:
                return "200 result=-1"
            queue = self.answers.get(prompt) or []
            return f"200 result={queue.pop(0)}" if queue else "200 result= (timeout)"
        if verb == "RECORD FILE":
            return self._record(command)
        if verb == "SET VARIABLE":
            match = re.match(r'SET VARIABLE (\S+) "?(.*?)"?$', command)
            if match:
                self.variables[match.group(1)] = match.group(2)
            return "200 result=1"
        if verb == "GET FULL":
            return f"200 result=1 ({self.operators_ready})" if "QUEUE_MEMBER" in command else "200 result=0"
        if verb in ("SAY DIGITS", "NOOP"):
            return "200 result=0"
        return "200 result=1" if verb == "HANGUP" else "510 Invalid or unknown command"

    def _stream(self, command: str) -> str:
        _, _, prompt, escape = [*command.split(" ", 3), '""'][:4]
        if prompt in self.missing_prompts:
            return "200 result=-1 endpos=0"  # the same form as a hang-up: no HANGUP line follows
        if prompt == self.hang_up_during:
            self.dead = True
            return "200 result=-1 endpos=32000"
        key = self.press_during.get(prompt)
        if key and key in escape.strip('"'):
            return f"200 result={ord(key)} endpos=1600"
        return "200 result=0 endpos=76750"

    def _record(self, command: str) -> str:
        path, fmt = command.split()[2:4]
        hangup = self.record_ends == "hangup"
        said = self.message or (NO_AUDIO if hangup else SILENCE)
        if self.recordings_dir is not None:
            self.recordings_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(said, self.recordings_dir / f"{Path(path).name}.{fmt}")
        self.dead = self.dead or hangup
        if self.message is None:
            return RECORD_ANSWERS["silent-hangup" if hangup else "silent"]
        return RECORD_ANSWERS[self.record_ends]

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
                if self.hang_up_after is not None and len(self.transcript) >= self.hang_up_after and not self.dead:
                    self.dead = True
                    writer.write(b"HANGUP\n")
                was_dead = self.dead
                reply = self.answer(command)
                self.transcript.append((command, reply))
                # Asterisk notices the hang-up right after answering the command it happened in
                writer.write(reply.encode() + b"\n" + (b"HANGUP\n" if self.dead and not was_dead else b""))
                await writer.drain()
                if command.upper().startswith("HANGUP"):
                    self.dead = True
                    writer.write(b"HANGUP\n")
        finally:
            writer.close()
        return self
