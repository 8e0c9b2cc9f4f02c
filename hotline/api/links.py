"""Short-lived signed links for media a browser fetches by itself (an <audio> element cannot send the
Authorization header, and must be able to make range requests): HMAC over what, whom and until when."""

from __future__ import annotations

import hashlib
import hmac

from hotline.core.errors import AuthenticationError

LIFETIME_SECONDS = 600


def signature(secret: bytes, what: str, user_id: int, expires: int) -> str:
    return hmac.new(secret, f"{what}|{user_id}|{expires}".encode(), hashlib.sha256).hexdigest()


def check(secret: bytes, what: str, user_id: int, expires: int, given: str, now: float) -> None:
    """Refuse an expired or forged link (the same answer for both)."""
    if expires < now or not hmac.compare_digest(signature(secret, what, user_id, expires).encode(), given.encode()):
        raise AuthenticationError("the link has expired or is not valid; open the recording again",
                                  error_id="token_expired")
