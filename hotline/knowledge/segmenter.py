"""The adapter over jieba (Chinese words) and pypinyin (toneless syllables): the only module that imports them.

Each Segmenter has its own jieba tokenizer, so the knowledge base's user dictionary never changes how
other parts of the process (intake, the fake recogniser) cut their text."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable


class JiebaSegmenter:
    """Words by jieba's search mode (long words and the shorter words inside them), pinyin by pypinyin."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._lock = threading.Lock()
        self._known: set[str] = set()
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Keep these words whole from now on."""
        fresh = [w for w in words if w and w not in self._known]
        if not fresh:
            return
        with self._lock:  # jieba's dictionary is a plain dict: one writer at a time
            for word in fresh:
                self._tokenizer.add_word(word)
                self._known.add(word)

    def cut(self, text: str) -> list[str]:
        return [token for token in self._tokenizer.cut_for_search(text, HMM=False) if token.strip()]

    def cut_whole(self, text: str) -> list[str]:
        """The words in order, each once (no shorter words inside longer ones), separators included."""
        return list(self._tokenizer.cut(text, HMM=False))

    @staticmethod
    def syllables(text: str) -> list[str]:
        """One toneless syllable per Chinese character, in order; other characters are left out."""
        from pypinyin import Style, lazy_pinyin

        return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.isascii() and s.isalpha()]
