"""Text → search terms, the same way for an article and for what a caller said.

Two kinds of term: words (jieba's search mode, so 公积金贷款 also yields 公积金 and 贷款) and toneless
pinyin syllable pairs ("shi0ye", "ye0jin"), which match across homophone slips (事业金 → 失业金) and
dropped characters (公积 提取). Fillers and stopwords are dropped; a query word brings its synonyms."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from hotline.core.config_knowledge import KnowledgeFile
from hotline.knowledge.ports import Segmenter
from hotline.text.normalize import join_tokens

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
FIELDS = ("title", "questions", "tags", "category", "body", "pinyin")
INITIALS = frozenset({"zh", "ch", "sh", "z", "c", "s", "n", "l", "r", "f", "h"})
MAX_TERM = 64  # a longer "word" is noise (a URL, a run of digits) and would not fit the term table


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    pinyin: bool = False


@dataclass
class Document:
    """An article's terms per field, in order (repeats count)."""

    fields: dict[str, list[str]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return " ".join(self.fields.get(name, []))

    def terms(self) -> set[str]:
        return {t for terms in self.fields.values() for t in terms}


class TextAnalyzer:
    """Cuts text into the terms search indexes and looks up."""

    def __init__(self, policy: KnowledgeFile, segmenter: Segmenter):
        self.segmenter = segmenter
        self.drop = {clean(w) for w in [*policy.fillers, *policy.stopwords]}
        self.fillers = sorted((clean(w) for w in policy.fillers if len(clean(w)) > 1), key=len, reverse=True)
        self.fuzzy = [(a, b) for a, b in policy.fuzzy_pinyin]
        self.synonyms: dict[str, list[str]] = {}
        for group in policy.synonyms:
            words = [clean(w) for w in group]
            for word in words:
                self.synonyms.setdefault(word, []).extend(w for w in words if w != word)

    # -- both sides --------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """Words worth matching, in order (search mode: sub-words of long words too)."""
        return [t for t in self.segmenter.cut(clean(text)) if self._keep(t)]

    def pinyin_pairs(self, text: str) -> list[str]:
        """Toneless syllable pairs inside each kept word, and across the boundary of two adjacent kept words
        when one of them is a single character — what a slip leaves of a word (伤转攻 → 伤/转/攻 → shang0zhuan,
        zhuan0gong, as in 商转公) — but not between two whole words, which only adds chance pairs."""
        pairs: list[str] = []
        previous: list[str] = []
        for token in self.segmenter.cut_whole(clean(text)):
            if not (self._keep(token) and all(HAN.match(c) for c in token)):
                previous = []
                continue
            syllables = [self._fold(s) for s in self.segmenter.syllables(token)]
            if previous and syllables and (len(previous) == 1 or len(syllables) == 1):
                pairs.append(f"{previous[-1]}0{syllables[0]}")
            pairs.extend(f"{a}0{b}" for a, b in itertools.pairwise(syllables))
            previous = syllables
        return pairs

    # -- articles ----------------------------------------------------------------------------

    def document(self, title: str, questions: list[str], tags: list[str], category: list[str],
                 body: str) -> Document:
        short = [title, *questions, *tags]
        return Document({
            "title": self.words(title),
            "questions": [w for q in questions for w in self.words(q)],
            "tags": [w for tag in tags for w in self.words(tag)],
            "category": [w for name in category for w in self.words(name)],
            "body": self.words(strip_markdown(body)),
            "pinyin": [p for text in short for p in self.pinyin_pairs(text)],
        })

    # -- what the caller said ----------------------------------------------------------------

    def query(self, text: str, synonym_weight: float) -> list[QueryTerm]:
        """Words (each once, synonyms at a lower weight) and pinyin pairs of a question or transcript."""
        said = Counter(self.words(self._without_fillers(text)))
        weights: dict[str, float] = dict.fromkeys(said, 1.0)
        for word in said:
            for other in self.synonyms.get(word, []):
                if self._keep(other):
                    weights[other] = max(weights.get(other, 0.0), synonym_weight)
        terms = [QueryTerm(w, weight) for w, weight in weights.items()]
        pairs = dict.fromkeys(self.pinyin_pairs(self._without_fillers(text)))
        return terms + [QueryTerm(p, 1.0, pinyin=True) for p in pairs]

    # -- pieces ------------------------------------------------------------------------------

    def _keep(self, token: str) -> bool:
        return bool(token) and token not in self.drop and len(token) <= MAX_TERM and not token.isspace()

    def _without_fillers(self, text: str) -> str:
        out = clean(text)
        for filler in self.fillers:
            out = out.replace(filler, " ")
        return out

    def _fold(self, syllable: str) -> str:
        for spoken, folded in self.fuzzy:
            if spoken in INITIALS:
                if syllable.startswith(spoken):
                    syllable = folded + syllable[len(spoken):]
            elif syllable.endswith(spoken):
                syllable = syllable[: -len(spoken)] + folded
        return syllable


def clean(text: str) -> str:
    """NFKC, lower case, recogniser spaces between Chinese words removed, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    return NOT_WORD.sub(" ", join_tokens(text)).strip()


_MARKUP = re.compile(r"\]\([^)]*\)|https?://\S+|[*_`#>|\[\]]")


def strip_markdown(text: str) -> str:
    """Answer text without link targets and markup characters (what a reader sees)."""
    return _MARKUP.sub(" ", text)
