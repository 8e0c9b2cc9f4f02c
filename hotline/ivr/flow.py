"""The IVR as a pure flow over a channel port: privacy notice → operator queue; a message when no
operator is free or out of hours; case status by keypad; the callback survey. No sockets here.

Every flow ends in one of two ways: IVR_RESULT=queue (the dialplan queues the caller to an
operator) or the call is done. Any failure plays an apology and queues the caller — never dead air;
a prompt Asterisk cannot find queues the caller too. A message is kept whether the caller pressed #,
fell silent or hung up, as long as something was said (the services judge that from the audio).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from hotline.core.config_ivr import IvrFile

log = logging.getLogger(__name__)


class Hangup(Exception):
    """The caller hung up: stop at once, nothing more to say."""


class PromptMissing(Exception):
    """Asterisk has no sound file for this prompt (nothing was played): a person takes over."""

    def __init__(self, prompt: str) -> None:
        super().__init__(prompt)
        self.prompt = prompt


@dataclass(frozen=True)
class Recorded:
    """How RECORD FILE ended: dtmf (#), timeout (silence or the time limit), hangup, failed (no file)."""

    ended: str
    endpos: int  # samples written (8 kHz); not a sign of speech: a silent caller leaves about one second

    @property
    def hung_up(self) -> bool:
        return self.ended == "hangup"


class Channel(Protocol):
    """What the flow may do to a call (the FastAGI adapter and the unit tests implement it)."""

    def stream(self, prompt: str, escape: str = "") -> Awaitable[str | None]: ...
    def get_data(self, prompt: str, timeout_ms: int, max_digits: int) -> Awaitable[str | None]: ...
    def record(self, path: str, fmt: str, escape: str, timeout_ms: int, silence_s: int) -> Awaitable[Recorded]: ...
    def say_digits(self, digits: str) -> Awaitable[None]: ...
    def set_variable(self, name: str, value: str) -> Awaitable[None]: ...
    def get_full_variable(self, expression: str) -> Awaitable[str | None]: ...
    def hangup(self) -> Awaitable[None]: ...


class Services(Protocol):
    """What the flow asks of the rest of hotline (database work runs off the event loop)."""

    def message_order(self, caller: str | None, linkedid: str,
                      recording: str) -> Awaitable[tuple[str, str] | None]:
        """The (ticket, extraction code) of the order a message became; None when nothing was said."""
    def case_status(self, ticket_no: str, code: str) -> Awaitable[str | None]: ...
    def survey(self, callback_id: int, attempt: int, key: str | None) -> Awaitable[bool]: ...


@dataclass(frozen=True)
class Call:
    script: str  # agi_network_script: ivr | survey
    uniqueid: str
    caller: str | None
    params: dict[str, str]
    local_time: dt.time
    language: str = ""  # agi_language: the channel's language when the IVR took the call


class Flow:
    def __init__(self, config: IvrFile, channel: Channel, services: Services) -> None:
        self.config, self.ch, self.services = config, channel, services
        self.prompts = config.prompts
        self.path: list[str] = []  # what happened, for logs and tests

    async def run(self, call: Call) -> str:
        """Returns the outcome: queue, recorded, survey, or hangup."""
        try:
            if call.language != self.config.language:  # digits and prompts are looked up under <sounds>/<lang>/
                await self.ch.set_variable("CHANNEL(language)", self.config.language)
            if call.script == "survey":
                return await self._survey(call)
            return await self._ivr(call)
        except Hangup:
            self.path.append("hangup")
            return "hangup"
        except PromptMissing as missing:  # `hotline ivr check` lists what is missing
            log.error("IVR prompt %s is missing in Asterisk's sounds: queueing %s", missing.prompt, call.uniqueid)
            self.path.append(f"missing {missing.prompt}")
            return await self._queue_anyway(apologise=False)
        except Exception:
            log.exception("IVR failed for %s; apologising and queueing the caller", call.uniqueid)
            self.path.append("error")
            return await self._queue_anyway(apologise=True)

    async def _queue_anyway(self, apologise: bool) -> str:
        """After a failure: to a person (the dialplan also queues whoever the IVR did not finish with)."""
        try:
            if apologise:
                try:
                    await self.ch.stream(self.prompts["apology"])
                except PromptMissing:
                    pass
            await self._queue()
        except Hangup:
            return "hangup"
        except Exception:
            log.warning("IVR could not hand the caller over; the dialplan queues them")
        return "queue"

    async def _ivr(self, call: Call) -> str:
        digit = await self.ch.stream(self.prompts["privacy"], escape=self.config.status_key)
        self.path.append("privacy")
        if digit == self.config.status_key:
            await self._status()
        if self._open(call.local_time) and await self._operators_ready():
            return await self._queue()
        return await self._message(call)

    async def _queue(self) -> str:
        self.path.append("queue")
        await self.ch.set_variable("IVR_RESULT", "queue")
        return "queue"

    async def _operators_ready(self) -> bool:
        ready = await self.ch.get_full_variable(f"${{QUEUE_MEMBER({self.config.queue},ready)}}")
        return bool(ready and ready.isdigit() and int(ready) > 0)

    def _open(self, now: dt.time) -> bool:
        opens = dt.time.fromisoformat(self.config.hours.open)
        if self.config.hours.close == "24:00":
            return now >= opens
        return opens <= now < dt.time.fromisoformat(self.config.hours.close)

    async def _message(self, call: Call) -> str:
        self.path.append("message")
        await self.ch.stream(self.prompts["leave_message"])
        base = f"{self.config.record.dir.rstrip('/')}/msg-{call.uniqueid}"
        recorded = await self.ch.record(base, "wav", "#", self.config.record.max_seconds * 1000,
                                        self.config.record.silence_seconds)
        order = None
        if recorded.ended != "failed":  # hung up, # or silence: whatever was said is in the file
            order = await self.services.message_order(call.caller, call.uniqueid, f"{base}.wav")
        if order is None:
            self.path.append("nothing said" if recorded.ended != "failed" else "recording failed")
            if recorded.hung_up:
                raise Hangup()
            return await self._queue()  # better a person than a lost caller
        ticket, code = order
        await self.ch.set_variable("IVR_RESULT", f"recorded:{base}.wav")  # a dead channel still takes it
        if recorded.hung_up:  # the usual end of a message: the order is made, nobody is left to hear it
            self.path.append(f"order {ticket} after hang-up")
            return "recorded"
        await self.ch.stream(self.prompts["ticket_is"])
        await self.ch.say_digits(ticket.replace("-", ""))
        await self.ch.stream(self.prompts["code_is"])
        await self.ch.say_digits(code)
        await self.ch.stream(self.prompts["thanks"])
        self.path.append(f"order {ticket}")
        await self.ch.hangup()
        return "recorded"

    async def _status(self) -> None:
        self.path.append("status")
        timeout = self.config.digit_timeout_ms
        ticket = await self.ch.get_data(self.prompts["enter_ticket"], timeout, 12)
        code = await self.ch.get_data(self.prompts["enter_code"], timeout, 6) if ticket else None
        state = None
        if ticket and code and len(ticket) == 12 and ticket.isdigit():
            state = await self.services.case_status(f"{ticket[:8]}-{ticket[8:]}", code)
        await self.ch.stream(f"{self.prompts['status_prefix']}{state}" if state else self.prompts["not_found"])
        self.path.append(f"status {state or 'not found'}")

    async def _survey(self, call: Call) -> str:
        callback_id, attempt = int(call.params["callback"]), int(call.params["attempt"])
        key = await self.ch.get_data(self.prompts["survey"], self.config.digit_timeout_ms, 1)
        recorded = await self.services.survey(callback_id, attempt, key or None)
        self.path.append(f"survey {key or 'silent'}")
        if not recorded:  # nothing or a wrong key pressed: a person finishes the callback now
            return await self._queue()
        await self.ch.stream(self.prompts["thanks"])
        await self.ch.hangup()
        return "survey"
