"""Who may do what with articles: a department keeps its own (and only its own), the hotline's editor
(hotline_admin) reviews, publishes and may keep any; everyone on staff reads what is published."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.core.errors import PermissionDeniedError
from hotline.models import Article

EDITORS = frozenset({Role.HOTLINE_ADMIN})
OWNERS = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN})
READERS = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN, Role.CALLBACK_STAFF, Role.SUPERVISOR,
                     Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN})


def is_editor(actor: Actor) -> bool:
    return actor.role in EDITORS


def keeps(actor: Actor, department_id: int) -> bool:
    """May write articles owned by this department."""
    return is_editor(actor) or (actor.role in OWNERS and actor.department_id == department_id)


def require_keeper(actor: Actor, article: Article) -> None:
    if not keeps(actor, article.department_id):
        raise PermissionDeniedError(f"article {article.code} belongs to another department",
                                    error_id="not_your_article")


def require_editor(actor: Actor) -> None:
    if not is_editor(actor):
        raise PermissionDeniedError("only the hotline's knowledge-base editor reviews and publishes",
                                    error_id="editor_only")


def listable(actor: Actor) -> ColumnElement[bool]:
    """Articles an actor sees in the editing lists (every status): the editor all, a department its own."""
    if is_editor(actor):
        return true()
    if actor.role in OWNERS and actor.department_id is not None:
        return Article.department_id == actor.department_id
    return Article.published_version_id.is_not(None)
