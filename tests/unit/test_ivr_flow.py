"""The IVR flow as a state machine over a scripted channel: no sockets, no database."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from hotline.ivr.flow import Call, Flow, Hangup, PromptMissing, Recorded
from tests.shipped import shipped_config

IVR = shipped_config().ivr
NOON = dt.time(12, 0)


class ScriptedChannel:
    def __init__(self, ready=0, press=None, data=None, record_ends="dtmf", hang_up_on=None, missing=()):
        self.ready, self.press, self.data = ready, press or {}, data or {}
        self.record_ends, self.hang_up_on, self.missing = record_ends, hang_up_on, set(missing)
        self.log: list[tuple] = []
        self.variables: dict[str, str] = {}

    async def _do(self, *entry):
        self.log.append(entry)
        if self.hang_up_on and entry[0] == self.hang_up_on:
            raise Hangup()

    async def stream(self, prompt, escape=""):
        await self._do("stream", prompt)
        if prompt in self.missing:
            raise PromptMissing(prompt)
        key = self.press.get(prompt)
        return key if key and key in escape else None

    async def get_data(self, prompt, timeout_ms, max_digits):
        await self._do("get_data", prompt)
        return (self.data.get(prompt) or [None]).pop(0)

    async def record(self, path, fmt, escape, timeout_ms, silence_s):
        await self._do("record", path)
        return Recorded(self.record_ends, 8160)

    async def say_digits(self, digits):
        await self._do("say_digits", digits)

    async def set_variable(self, name, value):
        await self._do("set", name, value)
        self.variables[name] = value

    async def get_full_variable(self, expression):
        await self._do("get", expression)
        return str(self.ready)

    async def hangup(self):
        await self._do("hangup")


class FakeServices:
    def __init__(self, fail=False, speech=True):
        self.fail, self.speech, self.orders, self.surveys = fail, speech, [], []

    async def message_order(self, caller, linkedid, recording):
        if self.fail:
            raise RuntimeError("database away")
        if not self.speech:
            return None
        self.orders.append((caller, linkedid, recording))
        return "20261123-0007", "123456"

    async def case_status(self, ticket_no, code):
        return "dispatched" if (ticket_no, code) == ("20261123-0007", "123456") else None

    async def survey(self, callback_id, attempt, key):
        self.surveys.append((callback_id, attempt, key))
        return key in ("1", "2", "3")


def run(channel, services=None, script="ivr", at=NOON, params=None):
    services = services or FakeServices()
    flow = Flow(IVR, channel, services)
    outcome = asyncio.run(flow.run(Call(script, "1795257454.2", "13800138000", params or {}, at, language="zh")))
    return outcome, flow, services


def test_free_operator_means_privacy_notice_then_the_queue():
    channel = ScriptedChannel(ready=2)
    outcome, flow, services = run(channel)
    assert outcome == "queue" and flow.path == ["privacy", "queue"]
    assert channel.variables == {"IVR_RESULT": "queue"} and services.orders == []
    assert channel.log[0] == ("stream", "custom/hotline-privacy")


def test_no_free_operator_records_a_message_that_becomes_an_order_read_back_to_the_caller():
    channel = ScriptedChannel(ready=0)
    outcome, flow, services = run(channel)
    assert outcome == "recorded"
    path = "/var/spool/asterisk/monitor/msg-1795257454.2"
    assert services.orders == [("13800138000", "1795257454.2", f"{path}.wav")]
    assert channel.variables["IVR_RESULT"] == f"recorded:{path}.wav"
    assert ("say_digits", "202611230007") in channel.log and ("say_digits", "123456") in channel.log
    assert channel.log[-1] == ("hangup",)


def test_out_of_hours_goes_to_a_message_even_with_operators(monkeypatch):
    hours = IVR.hours.model_copy(update={"open": "08:00", "close": "20:00"})
    config = IVR.model_copy(update={"hours": hours})
    channel = ScriptedChannel(ready=3)
    flow = Flow(config, channel, FakeServices())
    outcome = asyncio.run(flow.run(Call("ivr", "1.1", "13800138000", {}, dt.time(22, 30), language="zh")))
    assert outcome == "recorded" and "message" in flow.path


def test_status_key_reads_the_case_state_then_queues():
    channel = ScriptedChannel(ready=1, press={"custom/hotline-privacy": "2"},
                              data={"custom/enter-ticket": ["202611230007"], "custom/enter-code": ["123456"]})
    outcome, flow, _ = run(channel)
    assert outcome == "queue" and flow.path == ["privacy", "status", "status dispatched", "queue"]
    assert ("stream", "custom/status-dispatched") in channel.log


def test_wrong_code_hears_not_found():
    channel = ScriptedChannel(ready=1, press={"custom/hotline-privacy": "2"},
                              data={"custom/enter-ticket": ["202611230007"], "custom/enter-code": ["000000"]})
    run(channel)
    assert ("stream", "custom/not-found") in channel.log


def test_silence_instead_of_a_message_goes_to_a_person():
    channel = ScriptedChannel(ready=0, record_ends="timeout")
    outcome, flow, services = run(channel, FakeServices(speech=False))
    assert outcome == "queue" and services.orders == [] and channel.variables == {"IVR_RESULT": "queue"}


def test_a_message_ended_by_hanging_up_still_becomes_an_order():
    channel = ScriptedChannel(ready=0, record_ends="hangup")
    outcome, flow, services = run(channel)
    assert outcome == "recorded" and len(services.orders) == 1
    assert channel.variables["IVR_RESULT"].startswith("recorded:")  # a dead channel still takes SET VARIABLE
    assert not any(entry[0] in ("stream", "say_digits") for entry in channel.log[channel.log.index(
        ("record", "/var/spool/asterisk/monitor/msg-1795257454.2")):])  # nobody is left to hear the ticket


def test_silence_then_hanging_up_makes_nothing():
    channel = ScriptedChannel(ready=0, record_ends="hangup")
    outcome, flow, services = run(channel, FakeServices(speech=False))
    assert outcome == "hangup" and services.orders == [] and "IVR_RESULT" not in channel.variables


@pytest.mark.parametrize("missing", ["custom/hotline-privacy", "custom/leave-message", "custom/your-ticket"])
def test_a_missing_prompt_hands_the_caller_to_the_queue(missing):
    channel = ScriptedChannel(ready=0, missing={missing})
    outcome, flow, _ = run(channel)
    assert outcome == "queue" and channel.variables["IVR_RESULT"] == "queue"
    assert f"missing {missing}" in flow.path
    if missing == "custom/leave-message":  # never record a caller who was not asked to speak
        assert not any(entry[0] == "record" for entry in channel.log)


def test_the_ivr_sets_the_prompt_language_when_the_dialplan_did_not():
    channel = ScriptedChannel(ready=2)
    asyncio.run(Flow(IVR, channel, FakeServices()).run(Call("ivr", "1.1", None, {}, NOON, language="en")))
    assert channel.log[0] == ("set", "CHANNEL(language)", "zh")


def test_any_failure_apologises_and_queues_never_dead_air():
    channel = ScriptedChannel(ready=0)
    outcome, flow, _ = run(channel, FakeServices(fail=True))
    assert outcome == "queue" and ("stream", "custom/sorry") in channel.log
    assert channel.variables["IVR_RESULT"] == "queue"


def test_hangup_stops_the_flow_quietly():
    channel = ScriptedChannel(ready=0, hang_up_on="stream")
    outcome, flow, services = run(channel)
    assert outcome == "hangup" and services.orders == [] and "IVR_RESULT" not in channel.variables


@pytest.mark.parametrize("key,outcome", [("1", "survey"), ("3", "survey"), (None, "queue"), ("9", "queue")])
def test_survey_keys_record_a_verdict_and_silence_goes_to_a_person(key, outcome):
    channel = ScriptedChannel(data={"custom/survey": [key]})
    result, flow, services = run(channel, script="survey", params={"callback": "7", "attempt": "1"})
    assert result == outcome and services.surveys == [(7, 1, key)]
