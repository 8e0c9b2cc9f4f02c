"""Search: the database finds candidates through its index, then one ranking — the same on PostgreSQL and
SQLite — weighs them: BM25 over each field (title, question forms, tags, catalogue words, answer, pinyin
pairs), the draft's category, and operators' feedback, bounded so it can never bury relevance."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.orm import Session

from hotline.core.config_knowledge import SearchPolicy
from hotline.knowledge.analysis import QueryTerm
from hotline.knowledge.index import FIELD_OF
from hotline.knowledge.index_repository import DOCS, LENGTH, Filters, SearchRepository
from hotline.knowledge.ports import KnowledgeEnv

WORD_FIELDS = ("title", "questions", "tags", "category", "body")


@dataclass(frozen=True)
class Hit:
    article_id: int
    code: str
    version_id: int
    category_code: str | None
    department_id: int
    score: float
    confidence: float
    matched: tuple[str, ...]  # the caller's words found in the article (pinyin pairs left out)


@dataclass(frozen=True)
class Stats:
    docs: int
    df: dict[str, int]
    average: dict[str, float]

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.docs - df + 0.5) / (df + 0.5)) if df else 0.0


@dataclass(frozen=True)
class Weighted:
    """The query as the ranking uses it: each term's weight × idf, words and pinyin pairs apart."""

    words: dict[str, float]
    pinyin: dict[str, float]
    average: dict[str, float]
    ideal: float  # the score of an article whose title held every word once: confidence is measured against it

    @classmethod
    def of(cls, terms: Sequence[QueryTerm], stats: Stats, policy: SearchPolicy) -> Weighted:
        words = {t.term: t.weight * stats.idf(t.term) for t in terms if not t.pinyin and stats.idf(t.term)}
        pinyin = {t.term: t.weight * stats.idf(t.term) for t in terms if t.pinyin and stats.idf(t.term)}
        best = max(policy.fields.title, policy.fields.questions)
        return cls(words, pinyin, stats.average, sum(words.values()) * best)


def local_today(env: KnowledgeEnv) -> dt.date:
    """The day in the centre's time zone: validity dates are local days."""
    return env.clock.now().astimezone(ZoneInfo(env.settings.timezone)).date()


class Searcher:
    def __init__(self, session: Session, env: KnowledgeEnv) -> None:
        self.repo = SearchRepository(session)
        self.env = env
        self.policy: SearchPolicy = env.config.knowledge.search

    def search(self, text: str, filters: Filters, *, limit: int | None = None, category: str | None = None,
               threshold: bool = True) -> list[Hit]:
        """The best articles for what was said, best first; nothing below the confidence threshold."""
        analyzer = self.env.vocabulary.current(self.repo.dictionary_terms)
        terms = analyzer.query(text, self.policy.synonym_weight)
        stats = self._stats(terms)
        if stats.docs == 0:
            return []
        query = Weighted.of(terms, stats, self.policy)
        rows = self.repo.candidates(self._informative(terms, stats), filters, self.policy.candidates)
        hits = sorted((self._hit(row, query, category) for row in rows), key=lambda h: (-h.score, h.code))
        floor = self.policy.min_confidence if threshold else 0.0
        if not hits or hits[0].confidence < floor:
            return []
        return [h for h in hits if h.score > 0][: limit or self.policy.limit]

    def _stats(self, terms: Sequence[QueryTerm]) -> Stats:
        counts = self.repo.term_counts(t.term for t in terms)
        docs = counts.get(DOCS, 0)
        average = {name: counts.get(LENGTH + column, 0) / docs if docs else 0.0 for name, column in FIELD_OF.items()}
        return Stats(docs, counts, average)

    def _informative(self, terms: Sequence[QueryTerm], stats: Stats) -> dict[str, float]:
        """The terms the database looks up: the rarest first (a term in most articles finds everything and
        ranks nothing), pinyin pairs at half a word's worth, until the postings they bring reach the budget."""
        known = [t for t in terms if stats.df.get(t.term)]
        rare = [t for t in known if stats.df[t.term] <= self.policy.common_fraction * stats.docs] or known
        worth = {t.term: stats.idf(t.term) * t.weight * (self._weight("pinyin") if t.pinyin else 1.0) for t in rare}
        chosen: dict[str, float] = {}
        postings = 0
        for term in sorted(worth, key=lambda t: (-worth[t], t)):
            df = stats.df[term]
            if chosen and postings + df > self.policy.max_postings:
                continue
            chosen[term] = worth[term]
            postings += df
            if len(chosen) == self.policy.max_terms:
                break
        return chosen

    def _hit(self, row: Row, query: Weighted, category: str | None) -> Hit:
        score, matched = 0.0, set[str]()
        for name, column in FIELD_OF.items():
            tokens = getattr(row, column).split()
            wanted = query.pinyin if name == "pinyin" else query.words
            found = Counter(t for t in tokens if t in wanted)
            weight, average = self._weight(name), query.average[name]
            for term, tf in found.items():
                score += wanted[term] * weight * self._bm25(tf, len(tokens), average)
            if name != "pinyin":
                matched.update(found)
        score *= self._category_factor(row.category_code, category) * self._feedback_factor(row.helped,
                                                                                            row.not_helped)
        confidence = min(1.0, score / query.ideal) if query.ideal else 0.0
        ordered = tuple(t for t in query.words if t in matched)
        return Hit(row.article_id, row.code, row.version_id, row.category_code, row.department_id,
                   score, confidence, ordered)

    def _bm25(self, tf: int, length: int, average: float) -> float:
        k1, b = self.policy.k1, self.policy.b
        norm = 1 - b + b * (length / average if average else 1.0)
        return tf * (k1 + 1) / (tf + k1 * norm)

    def _weight(self, name: str) -> float:
        return float(getattr(self.policy.fields, name))

    def _category_factor(self, code: str | None, wanted: str | None) -> float:
        if not code or not wanted:
            return 1.0
        if code == wanted:
            return 1.0 + self.policy.category_boost
        if code.rsplit(".", 1)[0] == wanted.rsplit(".", 1)[0]:
            return 1.0 + self.policy.group_boost
        return 1.0

    def _feedback_factor(self, helped: int, not_helped: int) -> float:
        """1 ± weight at most: votes move an article among its near equals, never past a clearly better one."""
        policy = self.policy.feedback
        return 1.0 + policy.weight * (helped - not_helped) / (helped + not_helped + policy.prior)
