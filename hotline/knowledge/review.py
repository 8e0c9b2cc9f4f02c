"""The review sweep (知识复核): a published article past its valid-until is recorded as expired and leaves
operators' screens; one nearing that day, or published longer ago than the policy allows, goes back to its
department for review — each with a reminder of its own through the outbox, once per published version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.core.actor import SYSTEM
from hotline.core.enums import ArticleStatus
from hotline.knowledge.ports import KnowledgeEnv
from hotline.knowledge.repository import ArticleRepository
from hotline.knowledge.search import local_today
from hotline.knowledge.service import KnowledgeService
from hotline.models import Article
from hotline.notifications.outbox import Outbox

REASONS = {"expired": "已过有效期，已停止向话务员展示", "ending": "即将到期", "age": "发布已超过复核周期"}


@dataclass(frozen=True)
class Swept:
    expired: int
    reminded: int


class ReviewSweep:
    def __init__(self, session: Session, env: KnowledgeEnv) -> None:
        self.env = env
        self.articles = ArticleRepository(session)
        self.service = KnowledgeService(session, env)
        self.outbox = Outbox(session, env.config.notices.staff)
        self.policy = env.config.knowledge.review

    def run(self, limit: int = 500) -> Swept:
        """One pass; running it again changes nothing until the clock or an article moves."""
        today, now = local_today(self.env), self.env.clock.now()
        expired = 0
        for article_id in self.articles.published_lapsed(today, limit):
            article = self.articles.get(article_id, lock=True)
            if article is None or article.published_version_id is None:
                continue
            version_id = article.published_version_id
            self.service.unpublish(article, ArticleStatus.EXPIRED, SYSTEM, "有效期届满")
            self._remind(article, version_id, "expired", now)
            expired += 1
        warn_until = today + dt.timedelta(days=self.policy.warn_days)
        published_before = now - dt.timedelta(days=self.policy.after_days)
        due = self.articles.due_for_review(warn_until, published_before, limit)
        for article_id in due:
            article = self.articles.get(article_id, lock=True)
            if article is None or article.published_version_id is None:
                continue
            ending = article.valid_until is not None and article.valid_until <= warn_until
            article.review_requested_at = now
            self._remind(article, article.published_version_id, "ending" if ending else "age", now)
        return Swept(expired, len(due))

    def _remind(self, article: Article, version_id: int, reason: str, now: dt.datetime) -> None:
        department = self.articles.department_codes([article.department_id])[article.department_id]
        until = f"（有效期至 {article.valid_until.isoformat()}）" if article.valid_until and reason == "ending" else ""
        subject = f"知识复核 {article.code}"
        body = (f"【12345知识库】贵单位的知识「{article.title}」（{article.code}）{REASONS[reason]}{until}，"
                "请核实内容后修订送审或撤回。")
        self.outbox.post(f"kb-review:{article.id}:{version_id}:{reason}", f"department:{department.code}",
                         subject, body, now, {"article": article.code, "reason": reason})
