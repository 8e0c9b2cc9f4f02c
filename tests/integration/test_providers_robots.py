"""企业微信 and 钉钉 group robots against local webhooks that check keys, signatures and rate limits."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time

import pytest

from hotline.notifications.providers.base import Outcome, OutgoingMessage
from hotline.notifications.providers.dingtalk_robot import DingTalkRobot, DingTalkRobotProvider
from hotline.notifications.providers.wecom_robot import WeComRobotProvider
from tests.integration.provider_server import Received, Reply, all_log_text, provider_server

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN, DING_SECRET = "566cc69da782ec5f8c0b2c1f0d0e7a41", "SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd61"
NOTICE = OutgoingMessage(dedup_key="order-88:assigned:robot", channel="robot", recipient="water",
                         subject="【转办】LC2026112300017", text="东昌府区古楼街道 供水中断\n> 办理时限：11月25日 18:00")


class WeComWebhook:
    """20 messages a minute per key, then 45009; an unknown key is 93000; content checked against the limits."""

    def __init__(self, busy_after: int = 20):
        self.busy_after = busy_after
        self.posts: list[dict] = []

    def __call__(self, request: Received) -> Reply:
        assert request.path == "/cgi-bin/webhook/send"
        if request.query.get("key") != WECOM_KEY:
            return Reply(200, {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1655]"})
        body = request.json()
        kind = body["msgtype"]
        if len(body[kind]["content"].encode()) > {"markdown": 4096, "text": 2048}[kind]:
            return Reply(200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"})
        if len(self.posts) >= self.busy_after:
            return Reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        self.posts.append(body)
        return Reply(200, {"errcode": 0, "errmsg": "ok"})


def wecom(url: str, **kwargs) -> WeComRobotProvider:
    robots = kwargs.pop("robots", {"water": WECOM_KEY})
    return WeComRobotProvider(robots, endpoint=f"{url}/cgi-bin/webhook/send", **kwargs)


def test_wecom_markdown_notice_reaches_the_named_robot():
    hook = WeComWebhook()
    with provider_server(hook) as server:
        result = wecom(server.url).send(NOTICE)
    assert result.outcome is Outcome.SENT
    assert hook.posts == [{"msgtype": "markdown", "markdown": {"content": f"**{NOTICE.subject}**\n{NOTICE.text}"}}]


def test_wecom_long_text_is_cut_to_the_documented_byte_limit_on_a_character_boundary():
    hook = WeComWebhook()
    long = OutgoingMessage("k", "robot", "water", subject="", text="供水中断" * 400)  # 4800 bytes
    with provider_server(hook) as server:
        assert wecom(server.url, msgtype="text").send(long).outcome is Outcome.SENT
    content = hook.posts[0]["text"]["content"]
    assert len(content.encode()) <= 2048 and content.endswith("…") and content.startswith("供水中断")


def test_wecom_rate_limit_retries_a_minute_later():
    with provider_server(WeComWebhook(busy_after=1)) as server:
        robot = wecom(server.url)
        first, second = robot.send(NOTICE), robot.send(NOTICE)
    assert first.outcome is Outcome.SENT
    assert (second.outcome, second.code, second.retry_after) == (Outcome.RETRY, "45009", 60.0)


def test_wecom_unknown_key_waits_for_an_operator_and_the_key_never_reaches_the_log(caplog):
    caplog.set_level(logging.DEBUG)
    with provider_server(WeComWebhook()) as server:
        result = wecom(server.url, robots={"water": "0000-removed-key"}).send(NOTICE)
        good = wecom(server.url).send(NOTICE)
    assert (result.outcome, result.code) == (Outcome.RETRY, "93000") and good.outcome is Outcome.SENT
    logged = all_log_text(caplog.records)
    assert "/cgi-bin/webhook/send" in logged
    assert WECOM_KEY not in logged and "0000-removed-key" not in logged


def test_a_robot_name_missing_from_settings_gives_up_without_calling():
    with provider_server(WeComWebhook()) as server:
        result = wecom(server.url).send(OutgoingMessage("k", "robot", "housing", subject="s", text="t"))
        assert server.received == []
    assert result.outcome is Outcome.GIVE_UP and "housing" in result.reason


@pytest.mark.parametrize("reply", [Reply(200, {"errcode": 0}, delay=1.0), Reply(502, "bad gateway")])
def test_wecom_timeouts_and_server_errors_retry(reply):
    with provider_server(lambda request: reply) as server:
        result = wecom(server.url, timeout=0.4).send(NOTICE)
    assert result.outcome is Outcome.RETRY


class DingTalkWebhook:
    """Checks the signed webhook as DingTalk does: token, ms timestamp within an hour, HMAC-SHA256 sign."""

    def __init__(self, busy_after: int = 20, dissolved: bool = False):
        self.busy_after = busy_after
        self.dissolved = dissolved
        self.posts: list[dict] = []

    def __call__(self, request: Received) -> Reply:
        query = request.query  # parse_qsl has URL-decoded sign, as DingTalk's server does
        if query.get("access_token") != DING_TOKEN:
            return Reply(200, {"errcode": 300001, "errmsg": "token is not exist"})
        stamp = query.get("timestamp", "")
        expected = base64.b64encode(hmac.new(DING_SECRET.encode(), f"{stamp}\n{DING_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600 * 1000:
            return Reply(200, {"errcode": 310000, "errmsg": "invalid timestamp"})
        if query.get("sign") != expected:
            return Reply(200, {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com]"})
        if self.dissolved:
            return Reply(200, {"errcode": 400013, "errmsg": "群已被解散"})
        if len(self.posts) >= self.busy_after:
            return Reply(200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})
        self.posts.append(request.json())
        return Reply(200, {"errcode": 0, "errmsg": "ok"})


def dingtalk(url: str, secret: str = DING_SECRET, **kwargs) -> DingTalkRobotProvider:
    robots = {"water": DingTalkRobot(DING_TOKEN, secret)}
    return DingTalkRobotProvider(robots, endpoint=f"{url}/robot/send", **kwargs)


def test_dingtalk_signed_markdown_notice_is_accepted():
    hook = DingTalkWebhook()
    with provider_server(hook) as server:
        result = dingtalk(server.url).send(NOTICE)
        raw_query = server.received[0]
    assert result.outcome is Outcome.SENT
    assert hook.posts == [{"msgtype": "markdown", "markdown": {
        "title": NOTICE.subject, "text": f"#### {NOTICE.subject}\n\n{NOTICE.text}"}}]
    assert raw_query.path == "/robot/send"


def test_dingtalk_sign_is_url_encoded_so_plus_and_slash_survive():
    hook = DingTalkWebhook()
    signs = []
    with provider_server(hook) as server:
        for offset in range(12):  # enough timestamps that some signatures contain '+' or '/'
            robot = dingtalk(server.url, clock=lambda offset=offset: time.time() + offset / 1000)
            assert robot.send(NOTICE).outcome is Outcome.SENT
        signs = [request.query["sign"] for request in server.received]
    assert any("+" in sign or "/" in sign for sign in signs)


def test_dingtalk_wrong_secret_is_refused_with_310000_and_given_up(caplog):
    caplog.set_level(logging.DEBUG)
    with provider_server(DingTalkWebhook()) as server:
        result = dingtalk(server.url, secret="SECnot-the-secret").send(NOTICE)
    assert (result.outcome, result.code) == (Outcome.GIVE_UP, "310000")
    logged = all_log_text(caplog.records)
    assert "/robot/send" in logged and DING_TOKEN not in logged and "SECnot-the-secret" not in logged


def test_dingtalk_send_too_fast_retries_after_the_block():
    with provider_server(DingTalkWebhook(busy_after=0)) as server:
        result = dingtalk(server.url).send(NOTICE)
    assert (result.outcome, result.code, result.retry_after) == (Outcome.RETRY, "130101", 600.0)


def test_dingtalk_dissolved_group_gives_up_and_a_stale_clock_is_refused():
    with provider_server(DingTalkWebhook(dissolved=True)) as server:
        assert dingtalk(server.url).send(NOTICE).outcome is Outcome.GIVE_UP
    with provider_server(DingTalkWebhook()) as server:
        stale = dingtalk(server.url, clock=lambda: time.time() - 7200).send(NOTICE)
    assert (stale.outcome, stale.code) == (Outcome.GIVE_UP, "310000")


@pytest.mark.parametrize("reply", [Reply(200, {"errcode": 0}, delay=1.0), Reply(503, "busy"),
                                   Reply(200, {"errcode": -1, "errmsg": "系统繁忙"})])
def test_dingtalk_slow_answers_server_errors_and_busy_retry(reply):
    with provider_server(lambda request: reply) as server:
        assert dingtalk(server.url, timeout=0.4).send(NOTICE).outcome is Outcome.RETRY
