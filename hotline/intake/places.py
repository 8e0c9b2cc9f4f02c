"""Places in what a citizen said: chains of names ending in place words (路, 小区, 村, 号楼, 单元 …)."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Characters that never sit inside a place name: particles, pronouns, common verbs, punctuation.
_NOT_NAME = "了的是在有没不很都也就还和跟被把让给我你他她它们这那哪吗呢吧啊呀要想说已经请帮看去来住"
_GENERIC = {"家", "我家", "这", "那", "这个", "那个", "附近", "楼下", "楼上", "对面", "门口", "单位", "马", "这边",
            "那边"}


class PlaceFinder:
    def __init__(self, suffixes: list[str], starts: list[str], known: Sequence[str] = ()):
        alt = "|".join(re.escape(s) for s in sorted(set(suffixes), key=len, reverse=True))
        name = rf"[^\s\W{_NOT_NAME}]"
        self._suffixes = tuple(sorted(set(suffixes), key=len, reverse=True))
        self._chain = re.compile(rf"(?:{name}{{0,10}}?(?:{alt}))+")
        self._starts = sorted(set(starts), key=len, reverse=True)
        self._known = sorted(set(known), key=len, reverse=True)

    def find(self, text: str) -> tuple[str | None, str | None]:
        """(place, reason): the most specific place named, or (None, None)."""
        best: str | None = None
        for match in self._chain.finditer(text):
            place = self._trim(match.group(0))
            if place and (best is None or self._score(place) > self._score(best)):
                best = place
        if best:
            return best, f"place words in 「{best}」"
        for name in self._known:
            if name in text:
                return name, f"names the administrative area 「{name}」"
        return None, None

    def _trim(self, place: str) -> str | None:
        for start in self._starts:
            at = place.rfind(start)
            if at >= 0 and at + len(start) < len(place):
                place = place[at + len(start):]
        while place.endswith("号") and not place[-2:-1].isdigit():  # 工单号, 电话号: not an address
            place = place[:-1]
        if not place.endswith(self._suffixes):
            return None
        core = place
        while core:  # what is left once every place word is peeled off must be a name, not 我家/附近
            for suffix in self._suffixes:
                if core.endswith(suffix):
                    core = core[:-len(suffix)]
                    break
            else:
                break
        if not core or core in _GENERIC or (core.isdigit() and len(place) <= 2):
            return None
        return place

    def _score(self, place: str) -> tuple[int, int]:
        return sum(place.count(s) for s in self._suffixes), len(place)
