"""Search and suggestions as the consoles show them: each hit with the published version it found (the one
to cite) and its owner. Only published versions valid today reach anyone here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.dispatch.repository import DepartmentRepository
from hotline.knowledge.index_repository import Filters
from hotline.knowledge.ports import KnowledgeEnv
from hotline.knowledge.repository import ArticleRepository
from hotline.knowledge.search import Hit, Searcher, local_today
from hotline.models import ArticleVersion, Department


@dataclass(frozen=True)
class Found:
    hit: Hit
    version: ArticleVersion
    department: Department


class Suggestions:
    def __init__(self, session: Session, env: KnowledgeEnv) -> None:
        self.session = session
        self.env = env
        self.searcher = Searcher(session, env)

    def search(self, text: str, *, category: str | None = None, department: str | None = None,
               limit: int | None = None) -> list[Found]:
        """Search with filters: only articles under `category` (a leaf or a 大类/中类) and of `department`."""
        ids = None
        if department is not None:
            found = DepartmentRepository(self.session).by_code(department)
            ids = [found.id] if found else []
        filters = Filters(today=local_today(self.env), category=category, department_ids=ids)
        return self._found(self.searcher.search(text, filters, limit=limit))

    def suggest(self, transcript: str, *, category: str | None = None, limit: int | None = None) -> list[Found]:
        """While the citizen talks: the draft's category raises its own articles but hides none."""
        filters = Filters(today=local_today(self.env))
        return self._found(self.searcher.search(transcript, filters, limit=limit, category=category))

    def _found(self, hits: Sequence[Hit]) -> list[Found]:
        versions = ArticleRepository(self.session).versions_by_ids([h.version_id for h in hits])
        departments = DepartmentRepository(self.session).by_ids([h.department_id for h in hits])
        return [Found(h, versions[h.version_id], departments[h.department_id]) for h in hits]
