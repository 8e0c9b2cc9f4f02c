"""Knowledge-base figures for a period: the centre's 直办率 and how often answers cited an article, and per
owning department its published articles, those used, the citations and votes they got, and those expired
or overdue for review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from hotline.core.enums import ArticleStatus
from hotline.models import Article, Citation, Department, Feedback, WorkOrderEvent


@dataclass(frozen=True)
class CentreFigures:
    answered_directly: int  # 直办量
    dispatched: int  # orders dispatched for the first time (转办量)
    citing: int  # 直办 that cited an article

    @property
    def direct_rate(self) -> float | None:
        """直办率 = 直办 / (直办 + 转办)."""
        total = self.answered_directly + self.dispatched
        return self.answered_directly / total if total else None

    @property
    def citing_rate(self) -> float | None:
        return self.citing / self.answered_directly if self.answered_directly else None


@dataclass(frozen=True)
class DepartmentFigures:
    code: str
    name: str
    published: int
    used: int  # distinct articles cited in the period
    citations: int
    helped: int
    not_helped: int
    expired: int
    overdue: int  # sent back for review and not republished, or past valid-until and still published


class KnowledgeStatsRepository:
    def __init__(self, session: Session, timezone: str) -> None:
        self.session = session
        self.tz = ZoneInfo(timezone)

    def bounds(self, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(first, dt.time(), self.tz)
        return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), self.tz)

    def centre(self, start: dt.datetime, end: dt.datetime) -> CentreFigures:
        when = and_(WorkOrderEvent.occurred_at >= start, WorkOrderEvent.occurred_at < end)
        answered = self.session.scalar(select(func.count()).where(
            when, WorkOrderEvent.action == "answer_directly")) or 0
        first_dispatch = select(func.min(WorkOrderEvent.id)).where(WorkOrderEvent.action == "dispatch").group_by(
            WorkOrderEvent.work_order_id)
        dispatched = self.session.scalar(select(func.count()).where(
            when, WorkOrderEvent.action == "dispatch", WorkOrderEvent.id.in_(first_dispatch))) or 0
        citing = self.session.scalar(select(func.count(distinct(Citation.work_order_id))).where(
            Citation.cited_at >= start, Citation.cited_at < end)) or 0
        return CentreFigures(answered, dispatched, citing)

    def departments(self, start: dt.datetime, end: dt.datetime, today: dt.date,
                    scope: ColumnElement[bool]) -> Sequence[DepartmentFigures]:
        cited = (select(Citation.department_id, func.count().label("n"),
                        func.count(distinct(Citation.article_id)).label("used"))
                 .where(Citation.cited_at >= start, Citation.cited_at < end).group_by(Citation.department_id)
                 .subquery())
        votes = (select(Article.department_id, func.count().filter(Feedback.helped.is_(True)).label("yes"),
                        func.count().filter(Feedback.helped.is_(False)).label("no"))
                 .join(Article, Article.id == Feedback.article_id)
                 .where(Feedback.created_at >= start, Feedback.created_at < end).group_by(Article.department_id)
                 .subquery())
        overdue = or_(and_(Article.published_version_id.is_not(None), Article.review_requested_at.is_not(None),
                           Article.review_requested_at >= Article.published_at),
                      and_(Article.published_version_id.is_not(None), Article.valid_until < today))
        owned = (select(Article.department_id,
                        func.count().filter(Article.published_version_id.is_not(None)).label("published"),
                        func.count().filter(Article.status == ArticleStatus.EXPIRED).label("expired"),
                        func.count().filter(overdue).label("overdue"))
                 .group_by(Article.department_id).subquery())
        rows = self.session.execute(
            select(Department.code, Department.name, func.coalesce(owned.c.published, 0),
                   func.coalesce(cited.c.used, 0), func.coalesce(cited.c.n, 0), func.coalesce(votes.c.yes, 0),
                   func.coalesce(votes.c.no, 0), func.coalesce(owned.c.expired, 0), func.coalesce(owned.c.overdue, 0))
            .outerjoin(owned, owned.c.department_id == Department.id)
            .outerjoin(cited, cited.c.department_id == Department.id)
            .outerjoin(votes, votes.c.department_id == Department.id)
            .where(scope, or_(owned.c.department_id.is_not(None), cited.c.department_id.is_not(None)))
            .order_by(Department.code))
        return [DepartmentFigures(*row) for row in rows]


