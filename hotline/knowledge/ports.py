"""What the knowledge base needs from its process: the clock, settings, configuration and the process's
vocabulary (a Chinese segmenter with its user dictionary, built once per process by the runtime)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from hotline.core.env import BaseEnv

if TYPE_CHECKING:
    from hotline.knowledge.vocabulary import Vocabulary


class Segmenter(Protocol):
    def add_words(self, words: Iterable[str]) -> None:
        """Keep these words whole from now on."""

    def cut(self, text: str) -> list[str]:
        """Words, long ones with the words inside them (search mode)."""

    def cut_whole(self, text: str) -> list[str]:
        """Words in order, each once, separators included."""

    def syllables(self, text: str) -> list[str]:
        """Toneless pinyin, one syllable per Chinese character."""


class KnowledgeEnv(BaseEnv, Protocol):
    @property
    def vocabulary(self) -> Vocabulary: ...
