"""The provider of a channel nobody configured: each message becomes one JSON line in a file (the demo's
"phone"), and a log line that names the recipient only masked."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from hotline.notifications.providers.base import OutgoingMessage, SendResult, mask_address

log = logging.getLogger(__name__)


class LogProvider:
    """Appends what would have been sent to `path`; always accepted."""

    name = "log"

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._count = 0

    def send(self, message: OutgoingMessage) -> SendResult:
        line = json.dumps({"key": message.dedup_key, "channel": message.channel, "recipient": message.recipient,
                           "subject": message.subject, "body": message.text,
                           "template": message.template_code or None}, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
            self._count += 1
            message_id = f"log-{self._count}"
        log.info("notify %s → %s: %s", message.channel, mask_address(message.recipient), message.subject)
        return SendResult.sent(message_id)
