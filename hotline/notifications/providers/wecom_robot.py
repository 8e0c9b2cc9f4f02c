"""企业微信 group robots (群机器人 webhook): markdown or text notices to a department's work group.

Docs: https://developer.work.weixin.qq.com/document/path/91770 (robot messages, 20 messages a minute per robot,
markdown up to 4096 bytes, text up to 2048), https://developer.work.weixin.qq.com/document/path/90313 (error
codes). The webhook key is a secret: it stays in settings, keyed by a robot name that messages address.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx2

from hotline.notifications.providers.base import OPERATOR_RETRY_AFTER, OutgoingMessage, SendResult, truncate_utf8
from hotline.notifications.providers.transport import (
    DEFAULT_TIMEOUT,
    ProviderUnavailableError,
    exchange,
    json_object,
    make_client,
)

LIMITS = {"markdown": 4096, "text": 2048}
_GIVE_UP = {40008: "message type refused", 40058: "message content refused", 44004: "message content empty",
            45002: "message content too long"}
_OPERATOR = {93000: "webhook key invalid: the robot may have been removed", 93004: "robot disabled",
             93008: "robot not in the group any more"}


class WeComRobotProvider:
    """Posts to the webhook of the robot named by the message's recipient; no idempotency key exists."""

    name = "wecom_robot"

    def __init__(self, robots: Mapping[str, str], *, msgtype: str = "markdown",
                 endpoint: str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
                 timeout: float = DEFAULT_TIMEOUT, client: httpx2.Client | None = None):
        if msgtype not in LIMITS:
            raise ValueError("msgtype must be markdown or text")
        self._robots = dict(robots)
        self.msgtype = msgtype
        self.endpoint = endpoint
        self._client = make_client(timeout, client)

    @property
    def robot_names(self) -> frozenset[str]:
        """The names messages may address (checked against config/notices.yaml at start-up)."""
        return frozenset(self._robots)

    def send(self, message: OutgoingMessage) -> SendResult:
        key = self._robots.get(message.recipient)
        if key is None:
            return SendResult.give_up(f"no 企业微信 robot named {message.recipient[:40]!r} in settings")
        try:
            response = exchange(self._client, "POST", self.endpoint, params={"key": key}, json=self._body(message))
            answer = json_object(response)
        except ProviderUnavailableError as exc:
            return exc.result
        return _map(answer.get("errcode"))

    def _body(self, message: OutgoingMessage) -> dict:
        if self.msgtype == "markdown":
            content = f"**{message.subject}**\n{message.text}" if message.subject else message.text
        else:
            content = f"{message.subject}\n{message.text}" if message.subject else message.text
        return {"msgtype": self.msgtype, self.msgtype: {"content": truncate_utf8(content, LIMITS[self.msgtype])}}


def _map(code: object) -> SendResult:
    if not isinstance(code, int):
        return SendResult.retry("answer without errcode", 60.0)
    label = str(code)
    if code == 0:
        return SendResult.sent(None, code=label)
    if code == 45009:
        return SendResult.retry("robot rate limit (20 messages a minute)", 60.0, label)
    if code == -1:
        return SendResult.retry("企业微信 system busy", 60.0, label)
    if code in _OPERATOR:
        return SendResult.retry(_OPERATOR[code], OPERATOR_RETRY_AFTER, label)
    if code in _GIVE_UP:
        return SendResult.give_up(_GIVE_UP[code], label)
    return SendResult.give_up(f"unexpected errcode {label[:20]}", label[:20])
