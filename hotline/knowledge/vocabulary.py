"""The process's words: one segmenter whose user dictionary holds the catalogue's names and short
keywords, config/knowledge.yaml's terms and the articles' own terms (tags, abbreviations in titles),
the last read from the database now and then so every process cuts text the same way."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from hotline.core.config import HotlineConfig
from hotline.knowledge.analysis import TextAnalyzer, clean
from hotline.knowledge.ports import Segmenter

MAX_DICTIONARY_WORD = 8  # longer catalogue keywords are phrases, not words


def catalogue_words(config: HotlineConfig) -> list[str]:
    words: list[str] = [*config.knowledge.terms]
    for leaf in config.catalogue.leaves():
        words.extend([leaf.name, *leaf.keywords])
    for group in config.knowledge.synonyms:
        words.extend(group)
    return dictionary_words(words)


def dictionary_words(words: Iterable[str]) -> list[str]:
    """Words fit for the segmenter's dictionary: cleaned, without spaces, two to eight characters."""
    found = {clean(w) for w in words}
    return sorted(w for w in found if 2 <= len(w) <= MAX_DICTIONARY_WORD and " " not in w)


class Vocabulary:
    def __init__(self, config: HotlineConfig, segmenter: Segmenter) -> None:
        self.segmenter = segmenter
        self.refresh_seconds = config.knowledge.search.dictionary_refresh_seconds
        segmenter.add_words(catalogue_words(config))
        self.analyzer = TextAnalyzer(config.knowledge, segmenter)
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def current(self, load: Callable[[], list[str]]) -> TextAnalyzer:
        """The analyzer, with the articles' dictionary words read again when they are older than the policy allows."""
        now = time.monotonic()
        if self._loaded_at is None or now - self._loaded_at >= self.refresh_seconds:
            with self._lock:
                if self._loaded_at is None or now - self._loaded_at >= self.refresh_seconds:
                    self.segmenter.add_words(load())
                    self._loaded_at = now
        return self.analyzer

    def learn(self, words: Iterable[str]) -> None:
        """Words of an article being indexed in this process, kept whole at once."""
        self.segmenter.add_words(words)
