"""All SQL of the search index: the entries, the term counts, and the candidate query — FTS5 on SQLite,
a weighted tsvector with its GIN index on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    Row,
    bindparam,
    column,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.models import Article, SearchEntry, SearchTerm, SearchText

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

    def text(self, article_id: int) -> SearchText | None:
        return self.session.get(SearchText, article_id)

    def put_many(self, rows: Sequence[tuple[Mapping, Mapping]]) -> None:
        """(index row, text row) pairs."""
        if rows:
            self.session.execute(insert(SearchEntry), [entry for entry, _ in rows])
            self.session.execute(insert(SearchText), [text for _, text in rows])

    def remove(self, article_id: int) -> None:
        self.session.execute(delete(SearchText).where(SearchText.article_id == article_id))
        self.session.execute(delete(SearchEntry).where(SearchEntry.article_id == article_id))
        self.session.expire_all()

    def adjust_terms(self, deltas: Mapping[str, int], dictionary: Iterable[str] = ()) -> None:
        """df += delta per term in one statement; `dictionary` terms are marked for the segmenter."""
        words = set(dictionary)
        rows: list[dict[str, Any]] = [{"term": term, "df": delta, "dictionary": term in words}
                                      for term, delta in deltas.items() if delta]
        rows += [{"term": term, "df": 0, "dictionary": True} for term in words if term not in deltas]
        if not rows:
            return
        stmt = dialect_insert(self.session, SearchTerm)
        stmt = stmt.on_conflict_do_update(index_elements=[SearchTerm.term], set_={
            "df": SearchTerm.df + stmt.excluded.df,
            "dictionary": or_(SearchTerm.dictionary, stmt.excluded.dictionary)})
        for start in range(0, len(rows), 5000):
            self.session.execute(stmt, sorted(rows[start:start + 5000], key=lambda r: str(r["term"])))

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """df of these terms (absent terms are left out), with the article count and field lengths."""
        wanted = sorted({*terms, DOCS, *(LENGTH + f for f in TERM_FIELDS)})
        rows = self.session.execute(select(SearchTerm.term, SearchTerm.df).where(SearchTerm.term.in_(wanted)))
        return {term: df for term, df in rows if df > 0}

    def dictionary_terms(self) -> list[str]:
        return list(self.session.scalars(select(SearchTerm.term).where(SearchTerm.dictionary.is_(True),
                                                                        SearchTerm.df > 0)))

    def candidates(self, terms: Mapping[str, float], filters: Filters, limit: int) -> Sequence[Row]:
        """Indexed articles valid on the day that hold any of `terms`, best first by the weights of the terms
        they hold. Each term's articles come straight from the index (GIN on PostgreSQL, FTS5 on SQLite) and
        are added up per article; only the chosen few are read whole."""
        if not terms:
            return []
        parts = [self._holding(term, i, filters).add_columns(literal(weight, Float).label("weight"))
                 for i, (term, weight) in enumerate(terms.items())]
        held = union_all(*parts).subquery()
        summed = select(held.c.article_id, func.sum(held.c.weight).label("db_rank")).group_by(held.c.article_id)
        if self.dialect == "postgresql":  # the dates and filters were applied where each article was found
            # A search reads a few thousand index entries: starting parallel workers costs more than they save
            # (17 against 27 ms median at 100,000 articles) and takes cores from the requests beside it.
            self.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
            return self._rows(summed.order_by(literal_column("db_rank").desc()).limit(limit).subquery())
        if filters.category is not None or filters.department_ids is not None:
            summed = self._filtered(summed.join(SearchEntry, SearchEntry.article_id == held.c.article_id), filters)
            return self._rows(summed.order_by(literal_column("db_rank").desc()).limit(limit).subquery())
        # SQLite's index holds no dates: rank first, then drop what is outside its validity (rare: the sweep
        # unpublishes it), reading a few more than needed.
        ranked = summed.order_by(literal_column("db_rank").desc()).limit(limit * 3).subquery()
        return self._rows(ranked, filters, limit)

    def _holding(self, term: str, i: int, filters: Filters):
        """Article ids whose indexed text holds `term`, through the index (on PostgreSQL, also filtered there:
        the row is read anyway)."""
        if self.dialect == "postgresql":
            query = func.to_tsquery(literal_column("'simple'"), bindparam(f"t{i}", term))
            found = select(SearchEntry.article_id).where(literal_column("kb_search.search_vector").op("@@")(query))
            return self._filtered(found, filters)
        match = text(f"kb_search_fts MATCH :t{i}").bindparams(bindparam(f"t{i}", f'"{term}"'))
        return select(FTS.c.rowid.label("article_id")).where(match)

    def _rows(self, ranked, filters: Filters | None = None, limit: int | None = None) -> Sequence[Row]:
        entry, texts = SearchEntry.__table__.c, SearchText.__table__.c
        stmt = (select(entry.article_id, entry.version_id, entry.category_code, entry.department_id,
                       *(texts[name] for name in TERM_FIELDS), Article.code, Article.helped, Article.not_helped,
                       ranked.c.db_rank)
                .join(SearchEntry, SearchEntry.article_id == ranked.c.article_id)
                .join(SearchText, SearchText.article_id == ranked.c.article_id)
                .join(Article, Article.id == SearchEntry.article_id))
        if filters is not None:
            stmt = self._filtered(stmt, filters)
        stmt = stmt.order_by(ranked.c.db_rank.desc(), entry.article_id)
        return self.session.execute(stmt.limit(limit) if limit else stmt).all()

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

