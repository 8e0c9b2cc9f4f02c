"""Pinyin initials for searching names by keyboard: 水务集团 → "swjt", so "sw" finds 水务."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """First letter of each character's reading (letters and digits kept as they are, lower-cased)."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=list)  # type: ignore[arg-type]
    return "".join(part[:1] for part in letters if part).lower()
