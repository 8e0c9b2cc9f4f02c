"""Knowledge-base rows as the API shows them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.api.schemas.knowledge import ArticleOut, ArticleSummary, SuggestionOut, VersionOut
from hotline.core.actor import Actor
from hotline.core.config_catalogue import CatalogueFile
from hotline.dispatch.repository import DepartmentRepository
from hotline.knowledge import policy
from hotline.knowledge.repository import ArticleRepository
from hotline.knowledge.suggest import Found
from hotline.models import Article, ArticleVersion


def version_out(version: ArticleVersion, code: str, department_code: str) -> VersionOut:
    return VersionOut(
        id=version.id, article=code, version_no=version.version_no, status=version.status, title=version.title,
        questions=list(version.questions), answer=version.answer, answer_html=version.answer_html,
        category_code=version.category_code, department_code=department_code, source=version.source,
        valid_from=version.valid_from, valid_until=version.valid_until, tags=list(version.tags), note=version.note,
        created_at=version.created_at)


def article_out(session: Session, article: Article, actor: Actor, catalogue: CatalogueFile) -> ArticleOut:
    """The article; its latest (unpublished) version only for its keeper and the editor."""
    articles = ArticleRepository(session)
    departments = DepartmentRepository(session)
    latest = articles.version_no(article.id, article.latest_no)
    published = articles.version(article.published_version_id) if article.published_version_id else None
    department = departments.require(article.department_id)
    codes = {v.department_id: departments.require(v.department_id).code for v in (latest, published) if v}
    leaf = catalogue.leaf(article.category_code) if article.category_code else None
    keeper = policy.keeps(actor, article.department_id)
    return ArticleOut(
        code=article.code, title=article.title if keeper or not published else published.title,
        status=article.status, department_code=department.code, department_name=department.name,
        category_code=article.category_code, category_name=leaf.name if leaf else None,
        latest=version_out(latest, article.code, codes[latest.department_id]) if keeper and latest else None,
        published=version_out(published, article.code, codes[published.department_id]) if published else None,
        helped=article.helped, not_helped=article.not_helped, review_requested_at=article.review_requested_at,
        updated_at=article.updated_at)


def summary(article: Article, department_codes: dict[int, str]) -> ArticleSummary:
    return ArticleSummary(
        code=article.code, title=article.title, status=article.status,
        department_code=department_codes[article.department_id], category_code=article.category_code,
        published=article.published_version_id is not None, valid_until=article.valid_until,
        review_requested_at=article.review_requested_at, updated_at=article.updated_at)


def suggestion(found: Found, catalogue: CatalogueFile) -> SuggestionOut:
    version, hit = found.version, found.hit
    leaf = catalogue.leaf(version.category_code) if version.category_code else None
    return SuggestionOut(
        article=hit.code, article_version_id=version.id, title=version.title, questions=list(version.questions),
        answer_html=version.answer_html, source=version.source, valid_until=version.valid_until,
        category_code=version.category_code, category_name=leaf.name if leaf else None,
        department_code=found.department.code, department_name=found.department.name,
        score=round(hit.score, 3), confidence=round(hit.confidence, 3), matched=list(hit.matched))
