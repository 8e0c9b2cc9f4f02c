"""The search index: an article's published version cut into terms per field, and the counts of how many
articles hold each term. Only published versions are indexed; validity dates are checked at search time,
so the clock, not a job, decides what reaches operators."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sqlalchemy.orm import Session

from hotline.core.config import HotlineConfig
from hotline.knowledge.analysis import Document
from hotline.knowledge.index_repository import DOCS, LENGTH, TERM_FIELDS, SearchRepository
from hotline.knowledge.vocabulary import Vocabulary, dictionary_words
from hotline.models import Article, ArticleVersion

ABBREVIATION = re.compile(r"[（(「]([^（）()「」]{2,8})[）)」]")  # 城乡最低生活保障（低保） → 低保
INDEXED = ("title", "questions", "tags", "category", "pinyin")  # the answer's words only weigh in the ranking
FIELD_OF = dict(zip(("title", "questions", "tags", "category", "body", "pinyin"), TERM_FIELDS, strict=True))


def own_words(version: ArticleVersion) -> list[str]:
    """An article's words the segmenter must keep whole: its tags and the abbreviations in its title."""
    return dictionary_words([*version.tags, *ABBREVIATION.findall(version.title)])


class SearchIndex:
    def __init__(self, session: Session, config: HotlineConfig, vocabulary: Vocabulary) -> None:
        self.repo = SearchRepository(session)
        self.config = config
        self.vocabulary = vocabulary

    def document(self, version: ArticleVersion) -> Document:
        words = own_words(version)
        self.vocabulary.learn(words)
        analyzer = self.vocabulary.current(self.repo.dictionary_terms)
        category = self._category_words(version.category_code)
        return analyzer.document(version.title, list(version.questions), list(version.tags), category, version.answer)

    @staticmethod
    def entry(article: Article, version: ArticleVersion, document: Document) -> tuple[dict, dict]:
        """The index row (what the database looks terms up in) and the text row (what the ranking reads)."""
        texts = {column: document.text(name) for name, column in FIELD_OF.items()}
        found = dict.fromkeys(t for name in INDEXED for t in document.fields.get(name, []))
        return ({"article_id": article.id, "version_id": version.id, "category_code": version.category_code,
                 "department_id": version.department_id, "valid_from": version.valid_from,
                 "valid_until": version.valid_until, "terms": " ".join(found)},
                {"article_id": article.id, **texts})

    def put(self, article: Article, version: ArticleVersion) -> None:
        """Index this version in place of whatever the article had indexed."""
        self.remove(article.id)
        document = self.document(version)
        self.repo.put_many([self.entry(article, version, document)])
        self.repo.adjust_terms(counts(document, +1), own_words(version))

    def put_many(self, pairs: Sequence[tuple[Article, ArticleVersion]]) -> None:
        """Index many newly published articles at once (an import): one insert, one count update."""
        deltas: Counter = Counter()
        rows, words = [], set()
        for article, version in pairs:
            document = self.document(version)
            rows.append(self.entry(article, version, document))
            deltas.update(counts(document, +1))
            words.update(own_words(version))
        self.repo.put_many(rows)
        self.repo.adjust_terms(deltas, words)

    def remove(self, article_id: int) -> None:
        old = self.repo.text(article_id)
        if old is None:
            return
        document = Document({name: getattr(old, column).split() for name, column in FIELD_OF.items()})
        self.repo.remove(article_id)
        self.repo.adjust_terms(counts(document, -1))

    def _category_words(self, code: str | None) -> list[str]:
        leaf = self.config.catalogue.leaf(code) if code else None
        names = self.config.catalogue.path_names(code) if code else None
        return [*(names[1:] if names else []), *(leaf.keywords if leaf else [])]


def counts(document: Document, sign: int) -> Counter:
    """What indexing (+1) or removing (−1) a document changes in the term table."""
    out: Counter = Counter(dict.fromkeys(document.terms(), sign))
    out[DOCS] += sign
    for name, column in FIELD_OF.items():
        out[LENGTH + column] += sign * len(document.fields.get(name, []))
    return out
