"""All SQL for articles, their versions, citations and feedback (the search index has its own repository)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Row, func, or_, select, update
from sqlalchemy.orm import Session

from hotline.models import Article, ArticleVersion, Citation, Department, Feedback


class ArticleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, article: Article) -> Article:
        self.session.add(article)
        self.session.flush()
        return article

    def by_code(self, code: str, *, lock: bool = False) -> Article | None:
        """The article; with `lock`, read from the locked row (steps on one article run one at a time)."""
        stmt = select(Article).where(Article.code == code)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).first()

    def by_codes(self, codes: Sequence[str]) -> dict[str, Article]:
        return {a.code: a for a in self.session.scalars(select(Article).where(Article.code.in_(list(codes))))}

    def get(self, article_id: int, *, lock: bool = False) -> Article | None:
        stmt = select(Article).where(Article.id == article_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).first()

    def codes_like(self, prefix: str) -> int:
        """The highest number among codes `prefix`NNNN, for the next code."""
        codes = self.session.scalars(select(Article.code).where(Article.code.like(f"{prefix}%"))).all()
        return max((int(c[len(prefix):]) for c in codes if c[len(prefix):].isdigit()), default=0)

    def add_version(self, version: ArticleVersion) -> ArticleVersion:
        self.session.add(version)
        self.session.flush()
        return version

    def version(self, version_id: int) -> ArticleVersion | None:
        return self.session.get(ArticleVersion, version_id)

    def version_no(self, article_id: int, number: int) -> ArticleVersion | None:
        return self.session.scalars(select(ArticleVersion).where(
            ArticleVersion.article_id == article_id, ArticleVersion.version_no == number)).first()

    def versions(self, article_id: int) -> Sequence[ArticleVersion]:
        return self.session.scalars(select(ArticleVersion).where(ArticleVersion.article_id == article_id)
                                    .order_by(ArticleVersion.version_no)).all()

    def versions_by_ids(self, ids: Sequence[int]) -> dict[int, ArticleVersion]:
        if not ids:
            return {}
        return {v.id: v for v in self.session.scalars(select(ArticleVersion).where(ArticleVersion.id.in_(list(ids))))}

    def page(self, where: ColumnElement[bool], *, status: str | None, category: str | None, department_id: int | None,
             words: str | None, limit: int, offset: int) -> tuple[Sequence[Article], int]:
        """Articles an editor or department lists: newest change first."""
        conditions = [where]
        if status:
            conditions.append(Article.status == status)
        if category:
            conditions.append(or_(Article.category_code == category, Article.category_code.like(f"{category}.%")))
        if department_id is not None:
            conditions.append(Article.department_id == department_id)
        if words:
            conditions.append(or_(Article.title.contains(words, autoescape=True), Article.code == words))
        total = self.session.scalar(select(func.count()).select_from(Article).where(*conditions)) or 0
        rows = self.session.scalars(select(Article).where(*conditions)
                                    .order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit).offset(offset))
        return rows.all(), total

    def published_lapsed(self, today: dt.date, limit: int) -> list[int]:
        """Published articles whose validity ended before `today` (to be recorded as expired)."""
        return list(self.session.scalars(select(Article.id).where(
            Article.published_version_id.is_not(None), Article.valid_until < today)
            .order_by(Article.id).limit(limit)))

    def due_for_review(self, warn_until: dt.date, published_before: dt.datetime, limit: int) -> list[int]:
        """Published articles nearing their end or long unreviewed, not yet sent back since they were published."""
        not_asked = or_(Article.review_requested_at.is_(None), Article.review_requested_at < Article.published_at)
        return list(self.session.scalars(select(Article.id).where(
            Article.published_version_id.is_not(None), not_asked,
            or_(Article.valid_until <= warn_until, Article.published_at < published_before))
            .order_by(Article.id).limit(limit)))

    def department_codes(self, ids: Sequence[int]) -> dict[int, Department]:
        if not ids:
            return {}
        return {d.id: d for d in self.session.scalars(select(Department).where(Department.id.in_(list(ids))))}

    def count_feedback(self, article_id: int, helped: bool) -> None:
        """One more vote, counted in the row itself (concurrent votes never lose one)."""
        column = Article.helped if helped else Article.not_helped
        self.session.execute(update(Article).where(Article.id == article_id).values({column: column + 1})
                             .execution_options(synchronize_session=False))

    def add_feedback(self, feedback: Feedback) -> Feedback:
        self.session.add(feedback)
        return feedback

    def all_published(self, today: dt.date | None) -> Sequence[Row]:
        """(article, published version) pairs, valid on `today` when given, by code (for export)."""
        stmt = (select(Article, ArticleVersion).join(ArticleVersion, ArticleVersion.id == Article.published_version_id)
                .order_by(Article.code))
        if today is not None:
            stmt = stmt.where(ArticleVersion.valid_from <= today,
                              or_(ArticleVersion.valid_until.is_(None), ArticleVersion.valid_until >= today))
        return self.session.execute(stmt).all()


class CitationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, citation: Citation) -> Citation:
        self.session.add(citation)
        self.session.flush()
        return citation

    def for_order(self, work_order_id: int) -> Sequence[Citation]:
        return self.session.scalars(select(Citation).where(Citation.work_order_id == work_order_id)
                                    .order_by(Citation.id)).all()
