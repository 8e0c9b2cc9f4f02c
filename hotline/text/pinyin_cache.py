"""Toneless pinyin readings, kept in a file between runs so a short command need not import pypinyin.

pypinyin reads its dictionaries from JSON when it is imported (about half a second), and the keyword
matchers ask it for the readings of some 1,400 catalogue phrases: most of `hotline intake analyze`'s start.
Readings asked for are remembered; `use_file(path)` loads those of earlier runs and `save()` writes the
new ones back. pypinyin is imported only when a reading is not known yet. The file names the pypinyin
version it was made with and is ignored (and rewritten) after an upgrade or when it cannot be read.
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version
from pathlib import Path

_chars: dict[str, tuple[str, ...]] = {}
_words: dict[str, tuple[str, ...]] = {}
_state: dict[str, object] = {"path": None, "dirty": False}


def heteronyms(char: str) -> tuple[str, ...]:
    """Every toneless reading of one character, commonest first (着: zhe, zhao, zhuo)."""
    got = _chars.get(char)
    if got is None:
        from pypinyin import Style, pinyin

        got = _chars[char] = tuple(pinyin(char, style=Style.NORMAL, heteronym=True)[0])
        _state["dirty"] = True
    return got


def meant(word: str) -> tuple[str, ...]:
    """A word's readings as it is meant, by pypinyin's phrase dictionary (种子 is zhong zi)."""
    got = _words.get(word)
    if got is None:
        from pypinyin import Style, lazy_pinyin

        got = _words[word] = tuple(lazy_pinyin(word, style=Style.NORMAL))
        _state["dirty"] = True
    return got


def use_file(path: Path) -> None:
    """Remember readings in `path`; what it already holds (from the same pypinyin) is known from now on."""
    _state["path"] = path
    try:
        held = json.loads(path.read_text(encoding="utf-8"))
        if held.get("pypinyin") != version("pypinyin"):
            return
        _chars.update({c: tuple(r) for c, r in held["chars"].items()})
        _words.update({w: tuple(r) for w, r in held["words"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # no file yet, or one that cannot be read: it is written anew on save()


def save() -> None:
    """Write the readings known so far, when there are new ones (atomically: a reader never sees half)."""
    path = _state["path"]
    if not isinstance(path, Path) or not _state["dirty"]:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"pypinyin": version("pypinyin"), "chars": {c: list(r) for c, r in _chars.items()},
            "words": {w: list(r) for w, r in _words.items()}}
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    _state["dirty"] = False
