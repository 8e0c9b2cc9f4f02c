"""Knowledge base (知识库): articles, their immutable versions, the search index, the answers that cited
them and operators' feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Article(Base):
    """One answer a department keeps current; what it says lives in its versions."""

    __tablename__ = "kb_articles"
    __table_args__ = (Index("ix_kb_articles_department_status", "department_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    category_code: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))  # the latest version's, for lists
    status: Mapped[str] = mapped_column(String(16))  # the latest version's status
    latest_no: Mapped[int]
    published_version_id: Mapped[int | None] = mapped_column(ForeignKey("kb_article_versions.id", use_alter=True))
    valid_until: Mapped[date | None] = mapped_column(Date)  # the published version's, for the review sweep
    published_at: Mapped[datetime | None]
    review_requested_at: Mapped[datetime | None]
    helped: Mapped[int] = mapped_column(default=0)
    not_helped: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ArticleVersion(Base):
    """What an article said at one moment; never changed once written (the database refuses it)."""

    __tablename__ = "kb_article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), index=True)
    version_no: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))  # draft | in_review | published | expired | withdrawn
    title: Mapped[str] = mapped_column(String(200))
    questions: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(Text)  # Markdown as written
    answer_html: Mapped[str] = mapped_column(Text)  # rendered safely once, so a cited answer reads the same later
    category_code: Mapped[str | None] = mapped_column(String(32))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    source: Mapped[str | None] = mapped_column(Text)  # the policy document and its number
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    tags: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)  # why this version exists (an edit, a review comment)
    origin: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # where it came from (an import line, an order)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class SearchEntry(Base):
    """The published version of an article as the index finds it: `terms` holds its words and pinyin pairs
    (title, question forms, tags, catalogue words), space-separated. PostgreSQL indexes them as a generated
    tsvector with a GIN index, SQLite as an FTS5 table kept by triggers; neither is mapped here. The row is
    kept narrow (long values stored apart) so that reading the rows a term finds stays cheap."""

    __tablename__ = "kb_search"
    __table_args__ = (Index("ix_kb_search_category", "category_code"),
                      Index("ix_kb_search_department", "department_id"))

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("kb_article_versions.id"))
    category_code: Mapped[str | None] = mapped_column(String(32))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    terms: Mapped[str] = mapped_column(Text)


class SearchText(Base):
    """The same version's terms field by field, answer included, read only for the few articles ranked."""

    __tablename__ = "kb_search_text"

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), primary_key=True)
    title_terms: Mapped[str] = mapped_column(Text)
    question_terms: Mapped[str] = mapped_column(Text)
    tag_terms: Mapped[str] = mapped_column(Text)
    category_terms: Mapped[str] = mapped_column(Text)
    body_terms: Mapped[str] = mapped_column(Text)
    pinyin_terms: Mapped[str] = mapped_column(Text)


class SearchTerm(Base):
    """How many indexed articles hold a term (for its weight); `dictionary` terms are kept whole by the
    segmenter. The empty term counts the articles themselves."""

    __tablename__ = "kb_terms"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    df: Mapped[int] = mapped_column(default=0)
    dictionary: Mapped[bool] = mapped_column(default=False)


class Citation(Base):
    """An answer given on the spot (直办) and the article version it rested on."""

    __tablename__ = "kb_citations"
    __table_args__ = (UniqueConstraint("work_order_id", "version_id"),
                      Index("ix_kb_citations_cited_at", "cited_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("kb_article_versions.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # the article's owner then
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cited_at: Mapped[datetime]


class Feedback(Base):
    """An operator's 有帮助 / 没帮助 on a suggestion."""

    __tablename__ = "kb_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("kb_article_versions.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    helped: Mapped[bool]
    query: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


# Search structures the ORM does not describe (a generated tsvector and its GIN index on PostgreSQL, the
# FTS5 table and its shadow tables on SQLite): schema comparison leaves them out.
UNMAPPED = frozenset({"search_vector", "ix_kb_search_vector", "kb_search_fts", "kb_search_fts_data",
                      "kb_search_fts_idx", "kb_search_fts_docsize", "kb_search_fts_config", "kb_search_fts_content"})


def mapped_only(_object: Any, name: str | None, _type: str, reflected: bool, _compare_to: Any) -> bool:
    """Alembic's include_object: compare everything except the search structures above."""
    return not (reflected and name in UNMAPPED)
