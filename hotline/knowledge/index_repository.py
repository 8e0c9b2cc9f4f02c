"""All SQL of the search index: the entries, the term counts, and the candidate query — FTS5 on SQLite,
a weighted tsvector with its GIN index on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Row, column, delete, func, literal_column, or_, select, table, text
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.models import Article, SearchEntry, SearchTerm

TERM_FIELDS = ("title_terms", "question_terms", "tag_terms", "category_terms", "body_terms", "pinyin_terms")
DOCS = ""  # the term row that counts indexed articles
LENGTH = "#len:"  # term rows that add up each field's length (for BM25's average)
FTS = table("kb_search_fts", column("rowid"))  # SQLite's FTS5 index over kb_search (see the migration)


@dataclass(frozen=True)
class Filters:
    today: dt.date
    category: str | None = None  # a leaf, or a 大类/中类 prefix
    department_ids: Sequence[int] | None = None


class SearchRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    def entry(self, article_id: int) -> SearchEntry | None:
        return self.session.get(SearchEntry, article_id)

    def put(self, entry: SearchEntry) -> None:
        self.session.add(entry)
        self.session.flush()

    def put_many(self, rows: Sequence[Mapping]) -> None:
        if rows:
            self.session.execute(SearchEntry.__table__.insert(), list(rows))

    def remove(self, article_id: int) -> None:
        self.session.execute(delete(SearchEntry).where(SearchEntry.article_id == article_id))
        self.session.expire_all()

    def adjust_terms(self, deltas: Mapping[str, int], dictionary: Iterable[str] = ()) -> None:
        """df += delta per term in one statement; `dictionary` terms are marked for the segmenter."""
        words = set(dictionary)
        rows = [{"term": term, "df": delta, "dictionary": term in words} for term, delta in deltas.items() if delta]
        rows += [{"term": term, "df": 0, "dictionary": True} for term in words if term not in deltas]
        if not rows:
            return
        stmt = dialect_insert(self.session, SearchTerm)
        stmt = stmt.on_conflict_do_update(index_elements=[SearchTerm.term], set_={
            "df": SearchTerm.df + stmt.excluded.df,
            "dictionary": or_(SearchTerm.dictionary, stmt.excluded.dictionary)})
        for start in range(0, len(rows), 5000):
            self.session.execute(stmt, sorted(rows[start:start + 5000], key=lambda r: r["term"]))

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """df of these terms (absent terms are left out), with the article count and field lengths."""
        wanted = sorted({*terms, DOCS, *(LENGTH + f for f in TERM_FIELDS)})
        rows = self.session.execute(select(SearchTerm.term, SearchTerm.df).where(SearchTerm.term.in_(wanted)))
        return {term: df for term, df in rows if df > 0}

    def dictionary_terms(self) -> list[str]:
        return list(self.session.scalars(select(SearchTerm.term).where(SearchTerm.dictionary.is_(True),
                                                                        SearchTerm.df > 0)))

    def candidates(self, terms: Sequence[str], filters: Filters, limit: int) -> Sequence[Row]:
        """Indexed articles valid on the day that hold any of `terms`, best first by the database's own rank."""
        if not terms:
            return []
        if self.dialect == "postgresql":
            query = func.to_tsquery(literal_column("'simple'"), " | ".join(terms))
            rank = func.ts_rank(literal_column("kb_search.search_vector"), query)
            stmt = self._select(rank).where(literal_column("kb_search.search_vector").op("@@")(query))
            order = rank.desc()
        else:
            rank = literal_column("bm25(kb_search_fts, 3.0, 3.0, 2.0, 1.0, 0.3, 0.5)")
            match = " OR ".join(f'"{t}"' for t in terms)
            stmt = (self._select(rank).join(FTS, FTS.c.rowid == SearchEntry.article_id)
                    .where(text("kb_search_fts MATCH :match").bindparams(match=match)))
            order = rank.asc()  # FTS5's bm25 is better when lower
        return self.session.execute(self._filtered(stmt, filters).order_by(order).limit(limit)).all()

    @staticmethod
    def _select(rank):
        entry = SearchEntry.__table__.c
        return (select(entry.article_id, entry.version_id, entry.category_code, entry.department_id,
                       *(entry[name] for name in TERM_FIELDS), Article.code, Article.helped, Article.not_helped,
                       rank.label("db_rank"))
                .join(Article, Article.id == SearchEntry.article_id))

    @staticmethod
    def _filtered(stmt, filters: Filters):
        stmt = stmt.where(SearchEntry.valid_from <= filters.today,
                          or_(SearchEntry.valid_until.is_(None), SearchEntry.valid_until >= filters.today))
        if filters.category:
            stmt = stmt.where(or_(SearchEntry.category_code == filters.category,
                                  SearchEntry.category_code.like(f"{filters.category}.%")))
        if filters.department_ids is not None:
            stmt = stmt.where(SearchEntry.department_id.in_(list(filters.department_ids)))
        return stmt
