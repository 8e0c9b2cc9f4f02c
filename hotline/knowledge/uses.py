"""Where articles meet work orders: an answer given on the spot (直办) that cites the version used, operators'
有帮助 / 没帮助, and a department's reply to a dispatched question turned into a draft article."""

from __future__ import annotations

import re
from typing import Protocol

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import ArticleStatus, AssignmentStatus, State
from hotline.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import DepartmentRepository, WorkOrderRepository
from hotline.dispatch.service import WorkOrderService
from hotline.knowledge import policy
from hotline.knowledge.ports import KnowledgeEnv
from hotline.knowledge.repository import ArticleRepository, CitationRepository
from hotline.knowledge.search import local_today
from hotline.knowledge.service import ArticleDraft, KnowledgeService
from hotline.models import Article, ArticleVersion, Citation, Feedback, WorkOrder

ANSWERED = frozenset({State.REPLIED, State.COMPLETED, State.CALLBACK_PENDING, State.CLOSED})


class CitingEnv(DispatchEnv, KnowledgeEnv, Protocol):
    """An answer step touches both the order's lifecycle and the knowledge base."""


class KnowledgeUses:
    def __init__(self, session: Session, env: CitingEnv) -> None:
        self.session = session
        self.env = env
        self.articles = ArticleRepository(session)
        self.citations = CitationRepository(session)

    def citable(self, version_id: int) -> tuple[Article, ArticleVersion]:
        """The version an operator may cite now: its article's published version, valid today."""
        version = self.articles.version(version_id)
        article = self.articles.get(version.article_id) if version else None
        if version is None or article is None:
            raise NotFoundError(f"no article version {version_id}", error_id="article_version_not_found")
        today = local_today(self.env)
        if article.published_version_id != version.id or version.valid_from > today or (
                version.valid_until is not None and version.valid_until < today):
            raise ConflictError(f"version {version_id} of article {article.code} is not the one operators may "
                                "use now", details={"article": article.code}, error_id="article_not_citable")
        return article, version

    def answer(self, ticket: str, actor: Actor, text: str, version_id: int | None) -> WorkOrder:
        """直办, citing the article version the answer rests on; a later edit of the article leaves this
        answer, its event and its citation exactly as they were."""
        if version_id is None:
            return WorkOrderService(self.session, self.env).answer_directly(ticket, actor, text)
        article, version = self.citable(version_id)
        cited = {"article": article.code, "article_version_id": version.id, "version_no": version.version_no}
        order = WorkOrderService(self.session, self.env).answer_directly(ticket, actor, text, data={"cites": cited})
        self.citations.add(Citation(work_order_id=order.id, article_id=article.id, version_id=version.id,
                                    department_id=version.department_id, user_id=actor.user_id,
                                    cited_at=self.env.clock.now()))
        return order

    def cited_by(self, order: WorkOrder) -> list[tuple[Citation, ArticleVersion, str]]:
        found = self.citations.for_order(order.id)
        versions = self.articles.versions_by_ids([c.version_id for c in found])
        codes = {c.article_id: a.code for c in found if (a := self.articles.get(c.article_id))}
        return [(c, versions[c.version_id], codes[c.article_id]) for c in found]

    def feedback(self, version_id: int, actor: Actor, helped: bool, *, ticket: str | None = None,
                 query: str | None = None) -> Article:
        """有帮助 / 没帮助 on a suggestion: recorded, and counted in the article's ranking."""
        version = self.articles.version(version_id)
        if version is None or version.status != ArticleStatus.PUBLISHED:
            raise NotFoundError(f"no published article version {version_id}", error_id="article_version_not_found")
        order = WorkOrderRepository(self.session).find(ticket, actor) if ticket else None
        if ticket and order is None:
            raise NotFoundError(f"no work order {ticket} in your scope", error_id="order_not_found")
        self.articles.add_feedback(Feedback(article_id=version.article_id, version_id=version.id,
                                            user_id=actor.user_id, work_order_id=order.id if order else None,
                                            helped=helped, query=(query or "")[:2000] or None,
                                            created_at=self.env.clock.now()))
        self.articles.count_feedback(version.article_id, helped)
        article = self.articles.get(version.article_id)
        assert article is not None
        return article

    def draft_from_order(self, ticket: str, actor: Actor) -> Article:
        """一键转知识: the question a department answered becomes a draft article of that department."""
        order = WorkOrderRepository(self.session).find(ticket, actor)
        if order is None:
            raise NotFoundError(f"no work order {ticket} in your scope", error_id="order_not_found")
        share = next((a for a in order.assignments if a.reply_text and a.status in REPLIED_SHARES
                      and (policy.is_editor(actor) or a.department_id == actor.department_id)), None)
        if order.state not in ANSWERED or share is None:
            raise ConflictError(f"work order {ticket} has no reply from your department to draft from",
                                error_id="order_not_answered")
        department = DepartmentRepository(self.session).require(share.department_id)
        if not policy.keeps(actor, department.id):
            raise PermissionDeniedError("a department drafts from its own replies only", error_id="not_your_article")
        category = order.category_code if self.env.config.catalogue.leaf(order.category_code or "") else None
        draft = ArticleDraft(title=order.title[:200], questions=[_question(order.content)],
                             answer=share.reply_text or "", department=department.code, category_code=category,
                             valid_from=local_today(self.env))
        return KnowledgeService(self.session, self.env).create(
            draft, actor, note=f"由工单 {order.ticket_no} 的答复生成", origin={"ticket": order.ticket_no})


REPLIED_SHARES = frozenset({AssignmentStatus.REPLIED, AssignmentStatus.COMPLETED})


def _question(content: str) -> str:
    """The citizen's words as a question form: up to the end of the first sentence."""
    first = re.split(r"[。？！?!\n]", content.strip(), maxsplit=1)[0]
    return first.strip()[:200] or content.strip()[:200]
