"""Choosing providers from settings, the fake provider, and the helpers every adapter shares (no I/O)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline.core.errors import ConfigError
from hotline.notifications.providers.aliyun_sms import AliyunSmsProvider
from hotline.notifications.providers.base import (
    AttemptChecker,
    CallbackRejectedError,
    CallbackRequest,
    Outcome,
    OutgoingMessage,
    Provider,
    ReceiptSource,
    ReplySource,
    SendResult,
    mask_address,
    seconds_until_next_day,
    truncate_utf8,
)
from hotline.notifications.providers.dingtalk_robot import DingTalkRobotProvider
from hotline.notifications.providers.factory import build_providers
from hotline.notifications.providers.fake import FakeProvider
from hotline.notifications.providers.smtp_email import SmtpEmailProvider
from hotline.notifications.providers.tencent_sms import TencentSmsProvider
from hotline.notifications.providers.wechat_mp import WeChatOfficialAccountProvider
from hotline.notifications.providers.wecom_robot import WeComRobotProvider

SETTINGS = {
    "sms": {"provider": "aliyun_sms", "access_key_id": "LTAI5t", "access_key_secret": "very-secret",
            "sign_name": "聊城12345", "timeout": 3, "callback_token": "cb"},
    "sms_backup": {"provider": "tencent_sms", "secret_id": "AKID", "secret_key": "very-secret", "sdk_app_id": 1400787878,
                   "sign_name": "聊城12345", "param_order": {"1110": ["ticket", "code"]}},
    "wechat": {"provider": "wechat_mp", "app_id": "wx58", "app_secret": "very-secret", "kind": "subscribe"},
    "email": {"provider": "smtp", "host": "smtp.lc.gov.cn", "port": "465", "sender": "n@lc.gov.cn", "security": "ssl"},
    "wecom": {"provider": "wecom_robot", "robots": {"water": "key-1"}},
    "dingtalk": {"provider": "dingtalk_robot", "robots": {"water": {"access_token": "t", "secret": "SECx"}}},
    "demo": {"provider": "fake"},
}
MESSAGE = OutgoingMessage("order-1:accepted:sms", "sms", "13912345678", "SMS_1", {"ticket": "LC1"})


def test_each_channel_gets_the_configured_provider():
    providers = build_providers(SETTINGS)
    assert [type(providers[channel]) for channel in SETTINGS] == [
        AliyunSmsProvider, TencentSmsProvider, WeChatOfficialAccountProvider, SmtpEmailProvider,
        WeComRobotProvider, DingTalkRobotProvider, FakeProvider]
    assert all(isinstance(provider, Provider) for provider in providers.values())
    assert providers["wechat"].kind == "subscribe" and providers["email"].port == 465
    assert providers["demo"].name == "fake_demo"


def test_every_problem_is_reported_at_once_without_any_value():
    broken = {
        "sms": {"provider": "aliyun_sms", "access_key_id": "LTAI5t", "access_key_secret": "very-secret",
                "sign_nam": "typo", "timeout": -1},
        "wechat": {"provider": "wechat_mp", "app_id": "wx58", "app_secret": "very-secret", "kind": "broadcast"},
        "fax": {"provider": "fax_machine"},
        "dingtalk": {"provider": "dingtalk_robot", "robots": {"water": {"secret": "SECx"}}},
    }
    with pytest.raises(ConfigError) as caught:
        build_providers(broken)
    problems = caught.value.problems
    assert "notifications.sms.sign_name: missing" in problems
    assert "notifications.sms.sign_nam: unknown for aliyun_sms" in problems
    assert "notifications.sms.timeout: must be a positive number of seconds" in problems
    assert any(p.startswith("notifications.fax.provider: must be one of") for p in problems)
    assert "notifications.dingtalk.robots.water: needs access_token" in problems
    assert "very-secret" not in caught.value.message


def test_a_value_the_adapter_refuses_is_a_config_error():
    with pytest.raises(ConfigError) as caught:
        build_providers({"wechat": SETTINGS["wechat"] | {"kind": "broadcast"},
                         "email": SETTINGS["email"] | {"security": "tls1"}})
    assert [p.split(":")[0] for p in caught.value.problems] == ["notifications.wechat", "notifications.email"]


def test_the_fake_records_messages_and_follows_its_script():
    fake = FakeProvider(outcomes=[SendResult.retry("timed out waiting for the provider")])
    first, second = fake.send(MESSAGE), fake.send(MESSAGE)
    assert (first.outcome, second.outcome) == (Outcome.RETRY, Outcome.SENT)
    assert [m.dedup_key for m in fake.sent] == [MESSAGE.dedup_key] * 2
    assert fake.already_accepted(MESSAGE) is True
    assert fake.already_accepted(OutgoingMessage("other", "sms", "139")) is False
    assert isinstance(fake, AttemptChecker) and isinstance(fake, ReceiptSource) and isinstance(fake, ReplySource)


def test_the_fake_reads_replies_only_with_its_token():
    fake = FakeProvider(callback_token="cb")
    body = json.dumps([{"sender": "13912345678", "text": "1", "reply_id": "r1"}]).encode()
    [reply] = fake.parse_replies(CallbackRequest({"token": "cb"}, {}, body))
    assert (reply.sender, reply.text, reply.reply_id) == ("13912345678", "1", "r1")
    with pytest.raises(CallbackRejectedError):
        fake.parse_replies(CallbackRequest({"token": "bad"}, {}, body))


@pytest.mark.parametrize(("address", "masked"), [
    ("13912345678", "139****5678"), ("+8613912345678", "+86139****5678"), ("water@lc.gov.cn", "w***@lc.gov.cn"),
    ("oia2TjuEGTNoeX76QEjQNrcURxG8", "oi***G8"), ("abc", "***")])
def test_addresses_are_masked_for_logs(address, masked):
    assert mask_address(address) == masked


def test_daily_quotas_reset_at_beijing_midnight_and_long_text_is_cut_on_characters():
    late = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
    assert seconds_until_next_day(late) == 1800
    cut = truncate_utf8("工单" * 10, 16)
    assert len(cut.encode()) <= 16 and cut.endswith("…") and "\ufffd" not in cut
    assert truncate_utf8("short", 16) == "short"
