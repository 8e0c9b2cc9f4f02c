"""Citizen notices through a real SMS adapter (Alibaba Cloud) against a local dysmsapi that checks every request's
signature and dedup key (OutId) and records what it accepted: a timeout is retried later, never at once, and a
message whose first attempt may have got through is asked about before it is sent again — so none is doubled."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from hotline.core.db import session_scope
from hotline.core.enums import State
from hotline.core.jobs import Runtime
from hotline.core.notice_config import Template
from hotline.models import OutboxMessage
from hotline.notifications.delivery import attempt, prepare
from hotline.notifications.repository import OutboxRepository
from hotline.notifications.tasks import deliver
from hotline.runtime.context import build_context
from tests.factories import order_in
from tests.integration.provider_server import Received, Reply, provider_server
from tests.integration.test_providers_aliyun import KEY_ID, SECRET, expected_signature

OK = {"Message": "OK", "RequestId": "R", "Code": "OK", "BizId": "900619746936498440^0"}


class Dysmsapi:
    """SendSms and QuerySendDetails as the platform answers them; `trouble` spoils the next SendSms once."""

    def __init__(self) -> None:
        self.accepted: list[dict[str, str]] = []
        self.trouble: str | None = None  # "slow": accepted, answered too late; "lost": never reached the platform

    def __call__(self, request: Received) -> Reply:
        form = request.form()
        assert form["Signature"] == expected_signature(form, SECRET, "POST") and form["AccessKeyId"] == KEY_ID
        if form["Action"] == "QuerySendDetails":
            details = [{"OutId": f["OutId"], "PhoneNum": f["PhoneNumbers"], "SendStatus": 3, "ErrCode": "DELIVERED"}
                       for f in self.accepted if f["PhoneNumbers"] == form["PhoneNumber"]]
            return Reply(200, {"Code": "OK", "Message": "OK", "RequestId": "Q", "TotalCount": len(details),
                               "SmsSendDetailDTOs": {"SmsSendDetailDTO": details}})
        assert form["Action"] == "SendSms" and form["OutId"]  # every send carries our dedup key
        trouble, self.trouble = self.trouble, None
        if trouble == "lost":
            return Reply(504, "<html>504 Gateway Time-out</html>")
        self.accepted.append(form)
        return Reply(200, OK, delay=1.5 if trouble == "slow" else 0.0)

    def sends_of(self, out_id: str) -> int:
        return sum(form["OutId"] == out_id for form in self.accepted)


@pytest.fixture
def dysms():
    api = Dysmsapi()
    with provider_server(api) as server:
        api.url = server.url  # type: ignore[attr-defined]
        yield api


@pytest.fixture
def sms_ctx(dysms, settings, clock, config):
    templates = {**config.notices.templates,
                 "accepted": Template(text=config.notices.templates["accepted"].text,
                                      providers={"aliyun_sms": "SMS_465800123"})}
    config = config.model_copy(update={"notices": config.notices.model_copy(update={"templates": templates})})
    sms = {"provider": "aliyun_sms", "access_key_id": KEY_ID, "access_key_secret": SECRET, "sign_name": "聊城12345",
           "endpoint": dysms.url + "/", "timeout": 0.5}
    return build_context(settings.model_copy(update={"notifications": {"sms": sms}}), clock=clock, config=config)


def accepted_notice(session_factory, ctx) -> OutboxMessage:
    with session_scope(session_factory) as s:
        order = order_in(State.ACCEPTED, s, ctx)
    with session_factory() as s:
        return s.scalars(select(OutboxMessage).where(OutboxMessage.work_order_id == order.id,
                                                     OutboxMessage.notice == "accepted")).one()


def reread(session_factory, message_id: int) -> OutboxMessage:
    with session_factory() as s:
        return s.get(OutboxMessage, message_id)


def test_the_sms_goes_as_the_registered_template_with_the_real_code_and_our_dedup_key(session_factory, sms_ctx,
                                                                                        dysms):
    message = accepted_notice(session_factory, sms_ctx)
    assert deliver(Runtime(sms_ctx, session_factory), message.id) == "sent"
    [form] = dysms.accepted
    params = json.loads(form["TemplateParam"])
    assert (form["OutId"], form["TemplateCode"], form["PhoneNumbers"]) == (message.dedupe_key, "SMS_465800123",
                                                                            "13800138000")
    assert set(params) == {"ticket", "code"}  # the deployment's constants and links are in the registered text
    assert params["code"].isdigit() and len(params["code"]) == 6  # opened from its seal for the provider only
    sent = reread(session_factory, message.id)
    assert (sent.status, sent.provider, sent.provider_message_id) == ("sent", "aliyun_sms", OK["BizId"])


def test_a_provider_timeout_is_retried_later_and_never_doubles_the_message(session_factory, sms_ctx, dysms, clock):
    message = accepted_notice(session_factory, sms_ctx)
    runtime = Runtime(sms_ctx, session_factory)
    dysms.trouble = "slow"  # the platform takes the SMS but answers after our timeout
    assert deliver(runtime, message.id) == "retry"
    waiting = reread(session_factory, message.id)
    assert (waiting.status, waiting.last_outcome) == ("pending", "uncertain")
    assert waiting.not_before == clock.now() + dt.timedelta(seconds=60)
    assert deliver(runtime, message.id) == "skipped"  # a redelivered job does not hammer the provider
    clock.advance(seconds=61)
    assert deliver(runtime, message.id) == "sent"  # QuerySendDetails found the OutId: not sent again
    assert dysms.sends_of(message.dedupe_key) == 1
    assert reread(session_factory, message.id).status == "sent"


def test_a_request_that_never_arrived_is_sent_again_exactly_once(session_factory, sms_ctx, dysms, clock):
    message = accepted_notice(session_factory, sms_ctx)
    runtime = Runtime(sms_ctx, session_factory)
    dysms.trouble = "lost"
    assert deliver(runtime, message.id) == "retry"
    clock.advance(seconds=61)
    assert deliver(runtime, message.id) == "sent"
    assert dysms.sends_of(message.dedupe_key) == 1


def test_a_worker_dying_between_send_and_mark_sent_does_not_double_the_message(session_factory, sms_ctx, dysms,
                                                                               clock):
    message = accepted_notice(session_factory, sms_ctx)
    with session_scope(session_factory) as s:  # a worker claims and sends, then dies before writing the outcome
        row = OutboxRepository(s).claim(message.id, clock.now(), dt.timedelta(minutes=5))
        prepared = prepare(row, sms_ctx)
    assert attempt(sms_ctx.providers["sms"], prepared).outcome.value == "sent"
    runtime = Runtime(sms_ctx, session_factory)
    assert deliver(runtime, message.id) == "skipped"  # the dead worker's claim still holds
    clock.advance(minutes=6)
    assert deliver(runtime, message.id) == "sent"
    assert dysms.sends_of(message.dedupe_key) == 1
    assert reread(session_factory, message.id).attempts == 2


def test_without_a_way_to_ask_a_timed_out_message_is_sent_again(session_factory, sms_ctx, dysms, clock):
    """Where the provider cannot tell (no already_accepted), the message is resent: prevention is the provider's."""
    message = accepted_notice(session_factory, sms_ctx)
    provider = sms_ctx.providers["sms"]

    class Blind:
        name = provider.name

        def send(self, outgoing):
            return provider.send(outgoing)

    blind = dataclasses.replace(sms_ctx, providers={**sms_ctx.providers, "sms": Blind()})
    runtime = Runtime(blind, session_factory)
    dysms.trouble = "slow"
    assert deliver(runtime, message.id) == "retry"
    clock.advance(seconds=61)
    assert deliver(runtime, message.id) == "sent"
    assert dysms.sends_of(message.dedupe_key) == 2  # the same OutId twice: the console shows them as one notice
