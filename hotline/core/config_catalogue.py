"""The request catalogue (诉求分类目录, config/catalogue.yaml): 大类 → 中类 → 小类, each leaf with its default
lead department and tier, the emergency hand-over lines and the map from retired codes."""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from hotline.core.enums import Tier

CODE = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogueLeaf(_Strict):
    code: str = Field(max_length=32, pattern=CODE)
    name: str = Field(min_length=1, max_length=100)
    department: str = Field(min_length=1, max_length=32)
    tier: Tier = Tier.GENERAL
    service: str | None = None
    lead_by_place: bool = False
    evidence_required: bool = False
    keywords: list[str] = []
    note: str | None = None


class CatalogueGroup(_Strict):
    code: str = Field(max_length=32, pattern=CODE)
    name: str = Field(min_length=1, max_length=100)
    children: list[CatalogueLeaf] = Field(min_length=1)


class CatalogueTop(_Strict):
    code: str = Field(max_length=32, pattern=CODE)
    name: str = Field(min_length=1, max_length=100)
    children: list[CatalogueGroup] = Field(min_length=1)


class RequestKind(_Strict):
    code: str
    name: str


class EmergencyService(_Strict):
    name: str
    phone: str | None = None
    transfer: str | None = None
    department: str


class CatalogueFile(_Strict):
    kinds: list[RequestKind] = []
    emergency_services: dict[str, EmergencyService] = {}
    catalogue: list[CatalogueTop] = Field(min_length=1)
    legacy: dict[str, str] = {}

    def leaves(self) -> list[CatalogueLeaf]:
        return [leaf for top in self.catalogue for group in top.children for leaf in group.children]

    def leaf(self, code: str) -> CatalogueLeaf | None:
        return self._index.get(code)

    def path_names(self, code: str) -> tuple[str, str, str] | None:
        """(大类, 中类, 小类) names of a leaf."""
        for top in self.catalogue:
            for group in top.children:
                for leaf in group.children:
                    if leaf.code == code:
                        return top.name, group.name, leaf.name
        return None

    @cached_property
    def _index(self) -> dict[str, CatalogueLeaf]:
        return {leaf.code: leaf for leaf in self.leaves()}


def catalogue_problems(catalogue: CatalogueFile, departments: set[str], where: str) -> list[str]:
    """Leaf codes used twice and departments the tree does not know."""
    problems: list[str] = []
    seen: set[str] = set()
    for leaf in catalogue.leaves():
        if leaf.code in seen:
            problems.append(f"{where}: leaf '{leaf.code}' is used twice")
        seen.add(leaf.code)
        if leaf.department not in departments:
            problems.append(f"{where}: {leaf.code}.department: no department with code '{leaf.department}'")
    return problems
