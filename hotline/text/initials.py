"""Pinyin initials for searching names by keyboard: 水务集团 → "swjt", so "sw" finds 水务."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """First letter of each character's reading (letters and digits kept as they are, lower-cased)."""
    from pypinyin import Style, lazy_pinyin  # its phrase dictionary takes a second to load: only when asked

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=list)  # type: ignore[arg-type]
    return "".join(part[:1] for part in letters if part).lower()


AREA_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,4}?[省市县区]")


def short_initials(name: str) -> str:
    """Initials without the leading place (聊城市水务集团 → "swjt"): what people type for a unit."""
    return initials(AREA_PREFIX.sub("", name, count=1) or name)
