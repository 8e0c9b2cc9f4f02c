"""`hotline agi`: the FastAGI server (asyncio, port 4573) that runs ivr/flow.py for each call.

Asterisk 22 answers as recorded in hotline/simulator/captures/fastagi-*.txt (and res_agi.c of 22.10.1):
a hang-up during RECORD FILE is `200 result=-1 (hangup) endpos=N` with the speech already in the file;
STREAM FILE and GET DATA answer `200 result=-1` both when the caller hung up and when the prompt does
not exist. Only the `HANGUP` line Asterisk sends after a real hang-up tells them apart: it comes before
the answer to the next command, so a NOOP (allowed on a dead channel) settles it. After a hang-up the
session stays open for dead-channel commands (SET VARIABLE, GET VARIABLE, VERBOSE, NOOP) until we close.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from hotline.core.config_ivr import IvrFile
from hotline.ivr.flow import Call, Flow, Hangup, PromptMissing, Recorded, Services
from hotline.text.phones import normalise_phone

log = logging.getLogger(__name__)
RESULT = re.compile(r"^200 result=(-?\d*)(?: \((.*?)\))?(?: (.*))?$")
MAX_LINE = 8192


class AgiError(Exception):
    pass


class AgiChannel:
    """The Channel port over one FastAGI connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, timeout: float = 300) -> None:
        self.reader, self.writer, self.timeout = reader, writer, timeout
        self.hung_up = False  # Asterisk said HANGUP: only dead-channel commands are answered now

    async def command(self, text: str, *, after_hangup: bool = False) -> tuple[str, str | None, str | None]:
        """Send one AGI command; return (result, data in parentheses, the rest). Raises Hangup once the
        caller is gone, unless the command is one a dead channel still takes (`after_hangup`)."""
        self.writer.write(text.encode() + b"\n")
        await self.writer.drain()
        while True:
            line = await self._line()
            if line == "HANGUP":  # the hang-up notice; the answer to our command still follows
                self.hung_up = True
                continue
            if line.startswith("200 "):
                match = RESULT.match(line)
                if not match:
                    raise AgiError(f"unreadable AGI answer {line!r}")
                if self.hung_up and not after_hangup:
                    raise Hangup()
                return match.group(1), match.group(2), match.group(3)
            if line.startswith("511"):  # Command Not Permitted on a dead channel
                self.hung_up = True
                raise Hangup()
            if line.startswith("520-"):  # multi-line usage text up to "520 End of proper usage."
                while not (await self._line()).startswith("520 "):
                    pass
            raise AgiError(f"{text.split(' ', 2)[:2]} refused: {line}")

    async def _line(self) -> str:
        try:
            raw = await asyncio.wait_for(self.reader.readline(), self.timeout)
        except (TimeoutError, ConnectionError) as exc:
            raise Hangup() from exc
        if not raw:
            raise Hangup()
        if len(raw) > MAX_LINE:
            raise AgiError("AGI line too long")
        return raw.decode("utf-8", errors="replace").rstrip("\r\n")

    async def _played(self, result: str, prompt: str) -> None:
        """`result=-1`: the caller hung up, or the prompt is missing; NOOP tells which."""
        if result == "-1":
            await self.command("NOOP", after_hangup=True)
            if self.hung_up:
                raise Hangup()
            raise PromptMissing(prompt)

    async def stream(self, prompt: str, escape: str = "") -> str | None:
        result, _, _ = await self.command(f'STREAM FILE {prompt} "{escape}"')
        await self._played(result, prompt)
        return chr(int(result)) if result and result != "0" else None

    async def get_data(self, prompt: str, timeout_ms: int, max_digits: int) -> str | None:
        result, _, _ = await self.command(f"GET DATA {prompt} {timeout_ms} {max_digits}")
        await self._played(result, prompt)
        return result or None

    async def record(self, path: str, fmt: str, escape: str, timeout_ms: int, silence_s: int) -> Recorded:
        """RECORD FILE; a hang-up is an outcome like # or silence (what was said is in the file)."""
        _, how, rest = await self.command(f'RECORD FILE {path} {fmt} "{escape}" {timeout_ms} 0 s={silence_s}',
                                          after_hangup=True)
        endpos = re.search(r"endpos=(\d+)", rest or "")
        ended = how if how in ("hangup", "dtmf", "timeout") else "failed"  # writefile, randomerror, waitfor
        return Recorded(ended, int(endpos.group(1)) if endpos else 0)

    async def say_digits(self, digits: str) -> None:
        await self.command(f'SAY DIGITS {digits} ""')

    async def set_variable(self, name: str, value: str) -> None:
        await self.command(f'SET VARIABLE {name} "{value}"', after_hangup=True)

    async def get_full_variable(self, expression: str) -> str | None:
        result, data, _ = await self.command(f"GET FULL VARIABLE {expression}")
        return data if result == "1" else None

    async def hangup(self) -> None:
        try:
            await self.command("HANGUP")
        except Hangup:
            pass


async def read_headers(reader: asyncio.StreamReader) -> dict[str, str]:
    """The agi_* environment Asterisk sends first, up to a blank line."""
    headers: dict[str, str] = {}
    while True:
        raw = await asyncio.wait_for(reader.readline(), 10)
        if not raw:
            raise Hangup()
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line:
            return headers
        key, sep, value = line.partition(": ")
        if not sep or not key.startswith("agi_") or len(headers) > 100:
            raise AgiError(f"not a FastAGI header: {line[:80]!r}")
        headers[key] = value


def call_from(headers: dict[str, str], timezone: str, now: Callable[[], dt.datetime]) -> Call:
    request = urlsplit(headers.get("agi_request", ""))
    script = headers.get("agi_network_script") or request.path.strip("/")
    return Call(script=script.split("?")[0] or "ivr", uniqueid=headers.get("agi_uniqueid", "unknown"),
                caller=normalise_phone(headers.get("agi_callerid")), params=dict(parse_qsl(request.query)),
                local_time=now().astimezone(ZoneInfo(timezone)).time(), language=headers.get("agi_language", ""))


class AgiServer:
    def __init__(self, config: IvrFile, services: Services, timezone: str,
                 now: Callable[[], dt.datetime] | None = None) -> None:
        self.config, self.services, self.timezone = config, services, timezone
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self.outcomes: list[tuple[str, str, list[str]]] = []  # (uniqueid, outcome, path), most recent last

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            headers = await read_headers(reader)
            call = call_from(headers, self.timezone, self.now)
            flow = Flow(self.config, AgiChannel(reader, writer), self.services)
            outcome = await flow.run(call)
            self.outcomes.append((call.uniqueid, outcome, flow.path))
            self.outcomes = self.outcomes[-1000:]
            log.info("IVR %s %s: %s → %s", call.script, call.uniqueid, " → ".join(flow.path), outcome)
        except (Hangup, AgiError, TimeoutError) as exc:
            log.warning("FastAGI session ended early: %s", exc or type(exc).__name__)
        finally:
            writer.close()

    async def serve(self, host: str, port: int) -> asyncio.Server:
        return await asyncio.start_server(self.handle, host, port)
