"""The provider port: one outgoing message in, one outcome out; receipts and replies read from provider callbacks.

Outcomes follow one rule across providers. SENT: the provider accepted the message. RETRY: the message itself
is fine and may go later — throttling, timeouts, 5xx, and account or credential problems an operator can fix
(balance, quota, keys, unapproved sign or template), the latter with a long retry_after. GIVE_UP: this message
can never go as it is — a malformed or blocked recipient, a user who refused or unfollowed, missing parameters.
Reasons are short English phrases built here, never a provider's raw message (those may echo phone numbers).
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

from hotline.core.errors import HotlineError
from hotline.text.masking import mask_address as mask_address  # providers import it from here

# Account or credential problems wait for a person; retrying every few seconds would only burn attempts.
OPERATOR_RETRY_AFTER = 1800.0
CST = dt.timezone(dt.timedelta(hours=8))


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    GIVE_UP = "give_up"


@dataclass(frozen=True)
class OutgoingMessage:
    """What leaves the system once: the dedup key travels to providers that accept one."""

    dedup_key: str
    channel: str
    recipient: str  # phone number, openid, e-mail address or configured robot name
    template_code: str = ""
    template_params: Mapping[str, str] = field(default_factory=dict)
    text: str = ""
    subject: str = ""


@dataclass(frozen=True)
class SendResult:
    """The provider's answer mapped to sent / retry later / give up; `reason` is safe to log."""

    outcome: Outcome
    reason: str
    provider_message_id: str | None = None
    retry_after: float | None = None  # seconds; only for RETRY
    code: str | None = None  # the provider's own status code, for operators
    uncertain: bool = False  # RETRY after the request may have reached the provider (a timeout): ask before resending

    @classmethod
    def sent(cls, message_id: str | None, reason: str = "accepted", code: str | None = None) -> SendResult:
        return cls(Outcome.SENT, reason, provider_message_id=message_id, code=code)

    @classmethod
    def retry(cls, reason: str, after: float | None = None, code: str | None = None,
              uncertain: bool = False) -> SendResult:
        return cls(Outcome.RETRY, reason, retry_after=after, code=code, uncertain=uncertain)

    @classmethod
    def give_up(cls, reason: str, code: str | None = None) -> SendResult:
        return cls(Outcome.GIVE_UP, reason, code=code)


@dataclass(frozen=True)
class DeliveryReceipt:
    """A provider's status report (回执) for one message."""

    provider: str
    delivered: bool
    status: str  # the provider's status code, e.g. DELIVERED / DELIVRD / success
    provider_message_id: str | None
    dedup_key: str | None  # when the provider echoes it (Alibaba out_id)
    recipient_masked: str
    reported_at: str  # the provider's own time text, kept as given
    description: str = ""


@dataclass(frozen=True)
class InboundReply:
    """A citizen's reply (上行短信 or a message to the official account); `sender` is the full address."""

    provider: str
    sender: str  # needed to match the reply to an order; never log it, log sender_masked
    text: str
    received_at: str
    reply_id: str | None = None  # the provider's id for the reply, for deduplication

    @property
    def sender_masked(self) -> str:
        return mask_address(self.sender)


@dataclass(frozen=True)
class CallbackRequest:
    """What an HTTP endpoint received from a provider, handed over untouched."""

    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes


class CallbackRejectedError(HotlineError):
    """A callback failed its authenticity check or could not be read; nothing in it may be acted on."""

    status_code = 403
    error_id = "callback_rejected"


@runtime_checkable
class Provider(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> SendResult:
        """Hand one message to the provider and map its answer; never raises for provider or network failures."""


@runtime_checkable
class ReceiptSource(Protocol):
    def parse_receipts(self, request: CallbackRequest) -> list[DeliveryReceipt]:
        """Check the callback's authenticity, then read its delivery receipts (raises CallbackRejectedError)."""


@runtime_checkable
class ReplySource(Protocol):
    def parse_replies(self, request: CallbackRequest) -> list[InboundReply]:
        """Check the callback's authenticity, then read its inbound replies (raises CallbackRejectedError)."""


@runtime_checkable
class AttemptChecker(Protocol):
    def already_accepted(self, message: OutgoingMessage) -> bool | None:
        """Before a retry: did an earlier attempt with this dedup key get through? None when it cannot tell."""


def check_callback_token(request: CallbackRequest, expected: str | None, provider: str) -> None:
    """Providers that sign nothing are reached on a URL carrying our own secret `token` query parameter."""
    if not expected:
        raise CallbackRejectedError(f"{provider} 回调未配置校验令牌", error_id="callback_not_configured")
    given = request.query.get("token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise CallbackRejectedError(f"{provider} 回调校验令牌不符")


def seconds_until_next_day(now: float) -> float:
    """Daily quotas of Chinese providers reset at midnight Beijing time."""
    current = dt.datetime.fromtimestamp(now, CST)
    midnight = (current + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60.0, (midnight - current).total_seconds())


def truncate_utf8(text: str, limit: int, marker: str = "…") -> str:
    """Cut text to at most `limit` UTF-8 bytes without splitting a character (robots count bytes)."""
    data = text.encode()
    if len(data) <= limit:
        return text
    room = limit - len(marker.encode())
    return data[:room].decode("utf-8", errors="ignore") + marker
