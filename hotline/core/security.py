"""Passwords (argon2), signed tokens (short-lived access, rotating refresh), API key hashing, and sealing
(authenticated encryption) of the few secrets a row must carry until they are delivered."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from hotline.core.errors import AuthenticationError

ACCESS_TTL = dt.timedelta(minutes=15)
REFRESH_TTL = dt.timedelta(days=7)
ALGORITHM = "HS256"
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Always spends one argon2 verification, so an unknown user takes as long as a wrong password."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Claims:
    user_id: int
    kind: str  # access | refresh
    jti: str
    expires_at: dt.datetime


def _signing_key(secret: bytes) -> bytes:
    """A 32-byte key for tokens only, so a short configured secret still signs with full strength
    and token keys never equal the key that hashes extraction codes. An empty secret signs nothing."""
    if not secret:
        raise ValueError("refusing to sign with an empty secret")
    return hashlib.sha256(b"hotline-token-signing:" + secret).digest()


def issue(secret: bytes, user_id: int, kind: str, now: dt.datetime) -> tuple[str, Claims]:
    ttl = ACCESS_TTL if kind == "access" else REFRESH_TTL
    claims = Claims(user_id, kind, secrets.token_hex(16), now + ttl)
    token = jwt.encode({"sub": str(user_id), "typ": kind, "jti": claims.jti, "iat": int(now.timestamp()),
                        "exp": int(claims.expires_at.timestamp())}, _signing_key(secret), algorithm=ALGORITHM)
    return token, claims


def verify(secret: bytes, token: str, kind: str, now: dt.datetime) -> Claims:
    """Check signature, type and expiry against the injected clock; any doubt is a 401."""
    try:
        user_id, typ, jti, exp = _signed_claims(_signing_key(secret), token)
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise AuthenticationError("the token is not valid; log in again") from exc
    if typ != kind:
        raise AuthenticationError(f"a {typ} token cannot be used here")
    expires_at = dt.datetime.fromtimestamp(exp, dt.UTC)
    if expires_at <= now:
        raise AuthenticationError("the token has expired; refresh it or log in again", error_id="token_expired")
    return Claims(user_id, kind, jti, expires_at)


@lru_cache(maxsize=4096)
def _signed_claims(key: bytes, token: str) -> tuple[int, str, str, int]:
    """(user id, type, token id, expiry) of a token whose signature holds. A token's signature is checked once
    per process (a refused token is never remembered); type and expiry are checked on every use."""
    raw = jwt.decode(token, key, algorithms=[ALGORITHM], options={
        "verify_exp": False, "verify_iat": False, "require": ["sub", "typ", "jti", "exp"]})
    return int(raw["sub"]), str(raw["typ"]), str(raw["jti"]), int(raw["exp"])


def new_api_key() -> str:
    return "hk_" + secrets.token_urlsafe(24)


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _sealing_key(secret: bytes) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(b"hotline-sealing:" + secret).digest())


def seal(secret: bytes, text: str) -> str:
    """Encrypt and authenticate `text` (Fernet: AES-128-CBC + HMAC-SHA256) under a key derived from the secret."""
    return Fernet(_sealing_key(secret)).encrypt(text.encode()).decode()


def unseal(secret: bytes, token: str) -> str:
    """The sealed text; ValueError when it was sealed under another secret or altered."""
    try:
        return Fernet(_sealing_key(secret)).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise ValueError("sealed value unreadable (altered, or sealed under another secret)") from None
