"""The signing secret: a configured one must be real, and the generated one of embedded mode is created once,
atomically, so processes starting together agree on it and none ever signs with an empty key."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

from hotline.core.errors import ConfigError

MIN_LENGTH = 32
# Placeholders found in sample files and compose defaults; compared with case and punctuation ignored.
WELL_KNOWN = frozenset({"changeme", "changemeplease", "pleasechangeme", "secret", "secretkey", "mysecret",
                        "yoursecretkey", "hotline", "hotlinesecret", "password", "default", "test", "testsecret",
                        "dev", "development", "insecure", "example", "xxx"})
HOW_TO = "generate one with `openssl rand -hex 32` and set HOTLINE_SECRET_KEY (compose reads it from .env)"


def check_configured(secret: str) -> str:
    """The configured secret, or ConfigError when it is empty, short or a well-known placeholder."""
    plain = re.sub(r"[^a-z0-9]", "", secret.lower())
    if not secret.strip():
        raise ConfigError([f"HOTLINE_SECRET_KEY is empty; {HOW_TO}"])
    if plain in WELL_KNOWN or "changeme" in plain:
        raise ConfigError([f"HOTLINE_SECRET_KEY is a well-known placeholder anyone could sign with; {HOW_TO}"])
    if len(secret) < MIN_LENGTH or len(set(secret)) < 8:
        raise ConfigError([f"HOTLINE_SECRET_KEY is too weak (at least {MIN_LENGTH} varied characters); {HOW_TO}"])
    return secret


def missing_in_deployment() -> ConfigError:
    return ConfigError([f"HOTLINE_SECRET_KEY is not set, and PostgreSQL or Redis is configured: a deployment of "
                        f"several processes needs one shared secret; {HOW_TO}"])


def generated(path: Path) -> str:
    """The key in `path`, made on first use: written whole to a private temporary file, then hard-linked
    to its name, which fails when another process got there first (then that process's key is the key).
    A reader therefore sees no file or a complete one, never a half-written or empty key."""
    key = _read(path)
    if key is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # created 0600
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        key = _read(path)
    if not key or len(key) < MIN_LENGTH:
        raise ConfigError([f"{path} holds no usable key (empty or cut short); remove it to have a new one "
                           "generated (tokens and links signed with the old key stop working), or set "
                           "HOTLINE_SECRET_KEY"])
    return key


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
