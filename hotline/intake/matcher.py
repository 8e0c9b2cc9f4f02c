"""Keyword matching that survives recognition errors: exact first, then by pinyin.

A keyword is read as meant (种子 is zhong zi), each character of the text by every toneless reading
it has (a recogniser may have written any of them), after folding sounds many callers merge
(zh/z, ing/in …). A keyword
of two characters or more hits when every character shares a reading with the text: 暖器 hits 暖气,
停店 hits 停电. Single-character keywords only match exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hotline.text.pinyin_cache import heteronyms, meant


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    keyword: str
    payload: Any
    exact: bool

    @property
    def length(self) -> int:
        return self.end - self.start

    def heard(self, text: str) -> str:
        return text[self.start:self.end]

    def describe(self, text: str) -> str:
        heard = self.heard(text)
        return f"「{heard}」" if self.exact else f"「{heard}」≈「{self.keyword}」 (same pinyin)"


@lru_cache(maxsize=65536)
def _raw_readings(char: str) -> tuple[str, ...]:
    if not ("\u3400" <= char <= "\u9fff"):
        return (char,)
    return heteronyms(char)


def _fold(syllable: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for a, b in pairs:
        if syllable.startswith(a) and len(syllable) > len(a):
            syllable = b + syllable[len(a):]
            break
    for a, b in pairs:
        if syllable.endswith(a) and len(syllable) > len(a):
            return syllable[:-len(a)] + b
    return syllable


class KeywordMatcher:
    def __init__(self, entries: list[tuple[str, Any]], fuzzy: list[tuple[str, str]] | tuple = ()):
        self._fuzzy = tuple((a, b) for a, b in fuzzy)
        self._cache: dict[str, frozenset[str]] = {}
        self._by_first: dict[str, list[tuple[str, Any, list[frozenset[str]]]]] = defaultdict(list)
        for keyword, payload in entries:
            if not keyword:
                continue
            readings = self._keyword_readings(keyword)
            for first in readings[0]:
                self._by_first[first].append((keyword, payload, readings))

    def readings(self, char: str) -> frozenset[str]:
        got = self._cache.get(char)
        if got is None:
            got = self._cache[char] = frozenset(_fold(r, self._fuzzy) for r in _raw_readings(char))
        return got

    def _keyword_readings(self, keyword: str) -> list[frozenset[str]]:
        """A keyword is read as it is meant (种子 is zhong zi, never chong zi); the text is heard every way."""
        said = meant(keyword)
        if len(said) != len(keyword):  # mixed with non-Chinese characters: fall back to every reading
            return [self.readings(c) for c in keyword]
        return [frozenset({_fold(r, self._fuzzy)}) for r in said]

    def find(self, text: str) -> list[Hit]:
        """Every hit, exact or by sound; overlapping hits keep the longer (an exact one on a tie)."""
        chars = [self.readings(c) for c in text]
        hits: list[Hit] = []
        seen: set[tuple[int, str]] = set()
        for i, here in enumerate(chars):
            for reading in here:
                for keyword, payload, readings in self._by_first.get(reading, ()):
                    n = len(keyword)
                    if (i, keyword) in seen or i + n > len(text):
                        continue
                    exact = text.startswith(keyword, i)
                    if exact or (n >= 2 and all(chars[i + k] & readings[k] for k in range(1, n))):
                        seen.add((i, keyword))
                        hits.append(Hit(i, i + n, keyword, payload, exact))
        return _longest(hits)


def _longest(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    taken: set[int] = set()
    for hit in sorted(hits, key=lambda h: (-h.length, not h.exact, h.start)):
        span = set(range(hit.start, hit.end))
        if not span & taken:
            kept.append(hit)
            taken |= span
    return sorted(kept, key=lambda h: h.start)
