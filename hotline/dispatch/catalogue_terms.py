"""What an order is filed under, checked against the catalogue: its leaf (小类) and its kind of request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotline.core.errors import InvalidInputError

if TYPE_CHECKING:
    from hotline.core.config import HotlineConfig
    from hotline.core.config_catalogue import CatalogueLeaf
    from hotline.dispatch.schemas import Suggested, WorkOrderDraft


def leaf_of(config: HotlineConfig, code: str | None) -> CatalogueLeaf | None:
    """The leaf of a code; a retired code (categories.yaml) is filed as the leaf it maps to."""
    if code is None:
        return None
    category = config.category(code)
    if category is None:
        raise InvalidInputError(f"no category with code {code}", details={"category_code": code},
                                error_id="unknown_category")
    return category


def kind_code(config: HotlineConfig, kind: str | None) -> str | None:
    """A kind of request by its code (complaint) or Chinese name (投诉); stored by code."""
    if kind is None:
        return None
    for known in config.catalogue.kinds:
        if kind in (known.code, known.name):
            return known.code
    names = "、".join(k.name for k in config.catalogue.kinds)
    raise InvalidInputError(f"no kind of request {kind}; one of {names}", details={"kind": kind},
                            error_id="unknown_kind")


def suggestion_as_filed(config: HotlineConfig, draft: WorkOrderDraft) -> Suggested | None:
    """The suggestion as recorded: a retired code becomes its leaf; an unknown one is refused."""
    if draft.suggestion is None:
        return None
    leaf = leaf_of(config, draft.suggestion.category_code)
    return draft.suggestion.model_copy(update={"category_code": leaf.code if leaf else None})
