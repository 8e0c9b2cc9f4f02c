"""钉钉 DingTalk custom robots with the signed webhook (加签): markdown or text notices to a work group.

Docs: https://open.dingtalk.com/document/robots/customize-robot-security-settings (sign = urlEncode(base64(
HmacSHA256(secret, timestamp + "\\n" + secret))), timestamp in ms within an hour of DingTalk's clock),
https://open.dingtalk.com/document/robots/custom-robot-access (message types, 20 messages a minute, then a
10-minute block). The access token and secret stay in settings, keyed by a robot name that messages address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx2

from hotline.notifications.providers.base import OPERATOR_RETRY_AFTER, OutgoingMessage, SendResult, truncate_utf8
from hotline.notifications.providers.transport import (
    DEFAULT_TIMEOUT,
    ProviderUnavailableError,
    exchange,
    json_object,
    make_client,
)

CONTENT_LIMIT = 4096
_GIVE_UP = {310000: "refused by the robot's security settings (keyword, signature or IP)",
            400013: "the group was dissolved", 430101: "message content refused", 430102: "message too long"}
_OPERATOR = {300001: "robot access token unknown", 400101: "robot access token unknown",
             400102: "robot disabled", 300005: "robot access token unknown"}
_RETRY = {130101: ("robot rate limit (20 a minute, then blocked 10 minutes)", 600.0),
          410100: ("robot rate limit", 600.0), -1: ("DingTalk system busy", 60.0)}


@dataclass(frozen=True)
class DingTalkRobot:
    access_token: str
    secret: str | None = None  # the SEC… string of 加签; None for robots secured by keyword or IP only


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """base64(HMAC-SHA256(key=secret, timestamp + "\\n" + secret)), before URL encoding."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkRobotProvider:
    """Posts to the webhook of the robot named by the message's recipient; no idempotency key exists."""

    name = "dingtalk_robot"

    def __init__(self, robots: Mapping[str, DingTalkRobot], *, msgtype: str = "markdown",
                 endpoint: str = "https://oapi.dingtalk.com/robot/send", timeout: float = DEFAULT_TIMEOUT,
                 client: httpx2.Client | None = None, clock: Callable[[], float] = time.time):
        if msgtype not in ("markdown", "text"):
            raise ValueError("msgtype must be markdown or text")
        self._robots = dict(robots)
        self.msgtype = msgtype
        self.endpoint = endpoint
        self._client = make_client(timeout, client)
        self._clock = clock

    @property
    def robot_names(self) -> frozenset[str]:
        """The names messages may address (checked against config/notices.yaml at start-up)."""
        return frozenset(self._robots)

    def send(self, message: OutgoingMessage) -> SendResult:
        robot = self._robots.get(message.recipient)
        if robot is None:
            return SendResult.give_up(f"no 钉钉 robot named {message.recipient[:40]!r} in settings")
        try:
            answer = json_object(exchange(self._client, "POST", self._url(robot), json=self._body(message)))
        except ProviderUnavailableError as exc:
            return exc.result
        return _map(answer.get("errcode"))

    def _url(self, robot: DingTalkRobot) -> str:
        query = f"access_token={urllib.parse.quote(robot.access_token, safe='')}"
        if robot.secret:
            timestamp = int(self._clock() * 1000)
            sign = urllib.parse.quote(dingtalk_sign(timestamp, robot.secret), safe="")
            query += f"&timestamp={timestamp}&sign={sign}"
        return f"{self.endpoint}?{query}"

    def _body(self, message: OutgoingMessage) -> dict:
        if self.msgtype == "markdown":
            text = f"#### {message.subject}\n\n{message.text}" if message.subject else message.text
            title = message.subject or message.text[:20]
            return {"msgtype": "markdown", "markdown": {"title": title, "text": truncate_utf8(text, CONTENT_LIMIT)}}
        content = f"{message.subject}\n{message.text}" if message.subject else message.text
        return {"msgtype": "text", "text": {"content": truncate_utf8(content, CONTENT_LIMIT)}}


def _map(code: object) -> SendResult:
    if not isinstance(code, int):
        return SendResult.retry("answer without errcode", 60.0)
    label = str(code)
    if code == 0:
        return SendResult.sent(None, code=label)
    if code in _RETRY:
        reason, after = _RETRY[code]
        return SendResult.retry(reason, after, label)
    if code in _OPERATOR:
        return SendResult.retry(_OPERATOR[code], OPERATOR_RETRY_AFTER, label)
    if code in _GIVE_UP:
        return SendResult.give_up(_GIVE_UP[code], label)
    return SendResult.give_up(f"unexpected errcode {label[:20]}", label[:20])
