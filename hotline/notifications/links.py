"""The rating link of a 办结 notice: a short token naming one callback until an expiry, signed with the secret.
It is single-use because the callback it names can be rated once; it needs no login because it is unguessable."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import struct

from hotline.core.errors import HotlineError, NotFoundError

_LAYOUT = ">II"  # callback id, expiry in UNIX seconds
_MAC_BYTES = 12  # 96 bits: guessing one is hopeless, and the SMS stays short (27 characters)


class LinkExpiredError(HotlineError):
    status_code = 410
    error_id = "rating_link_expired"


def _key(secret: bytes) -> bytes:
    return hashlib.sha256(b"hotline-rating-link:" + secret).digest()


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(_key(secret), payload, hashlib.sha256).digest()[:_MAC_BYTES]


def rating_token(secret: bytes, callback_id: int, expires_at: dt.datetime) -> str:
    payload = struct.pack(_LAYOUT, callback_id, int(expires_at.timestamp()))
    return base64.urlsafe_b64encode(payload + _mac(secret, payload)).decode().rstrip("=")


def read_rating_token(secret: bytes, token: str, now: dt.datetime) -> int:
    """The callback id a genuine, unexpired token names; 404 for anything not made here, 410 once expired."""
    unknown = NotFoundError("没有这个评价链接，请核对短信中的链接", error_id="rating_link_unknown")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        raise unknown from None
    size = struct.calcsize(_LAYOUT)
    if len(raw) != size + _MAC_BYTES or not hmac.compare_digest(raw[size:], _mac(secret, raw[:size])):
        raise unknown
    callback_id, expires = struct.unpack(_LAYOUT, raw[:size])
    if now.timestamp() >= expires:
        raise LinkExpiredError("评价链接已过期，我们将电话回访您")
    return callback_id
