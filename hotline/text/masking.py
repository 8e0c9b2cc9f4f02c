"""Personal data hidden where it leaves for someone who may not see it (departments, the public)."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone[:3] + "*" * max(0, len(phone) - 7) + phone[-4:] if len(phone) >= 7 else "*" * len(phone)


def mask_numbers_in_text(text: str | None) -> str | None:
    """Hide mobile numbers a citizen spoke or typed into free text."""
    return _MOBILE.sub(r"\1****\2", text) if text else text
