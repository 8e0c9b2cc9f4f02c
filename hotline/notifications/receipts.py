"""Delivery receipts (回执): each provider's status report is kept with the message it is about, the message
shows delivered or undelivered, and a citizen's undelivered notice is handed to callbacks for a phone call."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.core.jobs import enqueue
from hotline.models import DeliveryReceiptRow
from hotline.notifications.delivery import NOTICE_FAILED
from hotline.notifications.outbox import SEAL_MARK
from hotline.notifications.providers import aliyun_sms, tencent_sms, wechat_mp
from hotline.notifications.providers.base import DeliveryReceipt
from hotline.notifications.repository import ReceiptRepository

_OPEN, _CLOSE = SEAL_MARK.split("{}")
_SEALED = re.compile(re.escape(_OPEN) + ".*?" + re.escape(_CLOSE))
# What each provider expects back once a push was read (anything else makes it push again).
_ACKS: dict[str, tuple[str, object]] = {
    "aliyun_sms": ("application/json", aliyun_sms.CALLBACK_ACK),
    "tencent_sms": ("application/json", tencent_sms.CALLBACK_ACK),
    "wechat_mp": ("text/plain", wechat_mp.CALLBACK_ACK),
}


def callback_ack(provider: str) -> tuple[str, object]:
    """(media type, body) a provider expects as the answer to its push."""
    return _ACKS.get(provider, ("application/json", {"ok": True}))


@dataclass(frozen=True)
class Recorded:
    matched: int
    unmatched: int
    handed_over: int  # undelivered citizen notices sent to the callback queue


def record_receipts(session: Session, provider: str, receipts: Sequence[DeliveryReceipt],
                    now: dt.datetime) -> Recorded:
    """Keep every receipt that names one of our messages; the latest receipt decides the message's delivery."""
    repo = ReceiptRepository(session)
    matched = handed = 0
    for receipt in receipts:
        message = repo.match(provider, receipt.dedup_key, receipt.provider_message_id)
        if message is None:
            continue
        matched += 1
        repo.add(DeliveryReceiptRow(outbox_id=message.id, provider=provider, delivered=receipt.delivered,
                                    status=receipt.status[:64], description=receipt.description[:200] or None,
                                    reported_at=receipt.reported_at[:40] or None, received_at=now))
        newly_undelivered = not receipt.delivered and message.delivery != "undelivered"
        message.delivery, message.delivery_at = ("delivered" if receipt.delivered else "undelivered"), now
        if newly_undelivered and message.audience == "citizen":
            enqueue(session, NOTICE_FAILED, message.id)
            handed += 1
    return Recorded(matched, len(receipts) - matched, handed)


def shown(text: str) -> str:
    """A stored body as a listing shows it: sealed values stay hidden."""
    return _SEALED.sub("******", text)
