"""A provider that sends nothing: it records what it was given and answers from a script (demo and tests)."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable

from hotline.notifications.providers.base import (
    CallbackRejectedError,
    CallbackRequest,
    DeliveryReceipt,
    InboundReply,
    Outcome,
    OutgoingMessage,
    SendResult,
    check_callback_token,
    mask_address,
)


class FakeProvider:
    """Every message lands in `sent`; scripted results are used first, then everything counts as sent."""

    def __init__(self, name: str = "fake", outcomes: Iterable[SendResult] = (), callback_token: str | None = None):
        self.name = name
        self.sent: list[OutgoingMessage] = []
        self.results: list[SendResult] = []
        self._script = deque(outcomes)
        self._callback_token = callback_token
        self._lock = threading.Lock()

    def script(self, *outcomes: SendResult) -> None:
        with self._lock:
            self._script.extend(outcomes)

    def send(self, message: OutgoingMessage) -> SendResult:
        with self._lock:
            self.sent.append(message)
            result = self._script.popleft() if self._script else SendResult.sent(f"{self.name}-{len(self.sent)}")
            self.results.append(result)
            return result

    def already_accepted(self, message: OutgoingMessage) -> bool | None:
        with self._lock:
            return any(sent.dedup_key == message.dedup_key and result.outcome is Outcome.SENT
                       for sent, result in zip(self.sent, self.results, strict=True))

    def parse_receipts(self, request: CallbackRequest) -> list[DeliveryReceipt]:
        """JSON [{"dedup_key", "delivered", "status"}] behind the same token check as the SMS providers."""
        return [DeliveryReceipt(self.name, bool(item.get("delivered")), str(item.get("status", "")),
                                item.get("provider_message_id"), item.get("dedup_key"),
                                mask_address(str(item.get("recipient", ""))), str(item.get("reported_at", "")))
                for item in self._items(request)]

    def parse_replies(self, request: CallbackRequest) -> list[InboundReply]:
        """JSON [{"sender", "text", "received_at", "reply_id"}]."""
        return [InboundReply(self.name, str(item.get("sender", "")), str(item.get("text", "")),
                             str(item.get("received_at", "")), item.get("reply_id"))
                for item in self._items(request)]

    def _items(self, request: CallbackRequest) -> list[dict]:
        check_callback_token(request, self._callback_token, self.name)
        try:
            items = json.loads(request.body)
        except ValueError:
            raise CallbackRejectedError("回调内容不是 JSON") from None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise CallbackRejectedError("回调内容应为 JSON 数组")
        return items
