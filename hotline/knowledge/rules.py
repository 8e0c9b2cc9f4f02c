"""What an article must have before it is reviewed or published, and which step may follow which."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hotline.core.config_catalogue import CatalogueFile
from hotline.core.enums import ArticleStatus
from hotline.knowledge.markdown import unsafe_links

DRAFT, IN_REVIEW, PUBLISHED = ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED
EXPIRED, WITHDRAWN = ArticleStatus.EXPIRED, ArticleStatus.WITHDRAWN
# The status a step needs the latest version to be in.
STEP_FROM: dict[str, frozenset[ArticleStatus]] = {
    "submit": frozenset({DRAFT}),
    "publish": frozenset({IN_REVIEW}),
    "reject": frozenset({IN_REVIEW}),
}
MAX_TITLE = 200


def content_problems(*, title: str, questions: Sequence[str], answer: str, category_code: str | None,
                     source: str | None, valid_from: dt.date, valid_until: dt.date | None,
                     catalogue: CatalogueFile, complete: bool) -> list[tuple[str, str]]:
    """(field, problem in Chinese), one per fault. `complete` asks for everything review needs (a draft may
    lack some)."""
    problems: list[tuple[str, str]] = []
    if not title.strip():
        problems.append(("title", "标题不能为空"))
    elif len(title) > MAX_TITLE:
        problems.append(("title", f"标题超过 {MAX_TITLE} 个字"))
    if category_code is not None and catalogue.leaf(category_code) is None:
        problems.append(("category", f"分类 {category_code} 不是诉求分类目录中的小类"))
    if valid_until is not None and valid_until < valid_from:
        problems.append(("valid_until", f"有效期止 {valid_until.isoformat()} 早于起始日 {valid_from.isoformat()}"))
    problems.extend(("answer", f"答复中的链接 {link} 不允许（只能是 http、https、mailto 或 tel）")
                    for link in unsafe_links(answer))
    if complete:
        if not [q for q in questions if q.strip()]:
            problems.append(("questions", "至少要有一种群众问法"))
        if not answer.strip():
            problems.append(("answer", "答复内容不能为空"))
        if category_code is None:
            problems.append(("category", "缺少分类"))
        if not (source or "").strip():
            problems.append(("source", "缺少政策依据（文件名称和文号）"))
    return problems


def publishable_on(today: dt.date, valid_until: dt.date | None) -> list[str]:
    if valid_until is not None and valid_until < today:
        return [f"有效期已于 {valid_until.isoformat()} 届满，不能发布"]
    return []
