"""Routing (派单): category and place → lead department and co-handlers, each choice with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.core.config import DepartmentNode, HotlineConfig, walk_departments

OFFICE_KINDS = {"street", "township"}
LOCAL_KINDS = {"community", "village"}


@dataclass(frozen=True)
class Route:
    lead: str | None
    co: tuple[str, ...] = ()
    reasons: list[str] = field(default_factory=list)


class PlaceIndex:
    """Finds the street office or township (街道/乡镇) a free-text place lies in."""

    def __init__(self, roots: list[DepartmentNode]):
        self._entries: list[tuple[str, str, str, str]] = []  # (name, office code, office name, county name)
        county: dict[str, str] = {}
        parents: dict[str, DepartmentNode | None] = {}
        for node, parent, _ in walk_departments(roots):
            parents[node.code] = parent
            if node.kind in ("county", "district"):
                county[node.code] = node.name
        for node, parent, _ in walk_departments(roots):
            office = node if node.kind in OFFICE_KINDS else parent if node.kind in LOCAL_KINDS else None
            if office is None or office.kind not in OFFICE_KINDS:
                continue
            above = parents.get(office.code)
            self._entries.append((node.name, office.code, office.name, county.get(above.code, "") if above else ""))
        # Longer names first: 贾镇村 before 贾镇, 东关社区 before nothing shorter.
        self._entries.sort(key=lambda e: -len(e[0]))

    def resolve(self, place: str | None) -> tuple[str, str] | None:
        """(office code, reason) for the best match in `place`, preferring one in the county it names."""
        if not place:
            return None
        hits = [e for e in self._entries if e[0] in place]
        if not hits:
            return None
        best = max(hits, key=lambda e: (bool(e[3]) and e[3] in place, len(e[0])))
        name, code, office, county = best
        via = f"「{name}」" if name == office else f"「{name}」 in {office}"
        return code, f"place names {via}{f' ({county})' if county else ''}"


class Router:
    """Applies config/routing.yaml, then the category's own department."""

    def __init__(self, config: HotlineConfig):
        self.config = config
        self.places = PlaceIndex(config.departments.departments)

    def route(self, category_code: str | None, place: str | None) -> Route:
        if category_code is None:
            return Route(None, reasons=["no category yet: the operator chooses"])
        leaf = self.config.category(category_code)  # a retired code routes as the leaf it maps to
        code = leaf.code if leaf else category_code
        office = self.places.resolve(place)
        for i, rule in enumerate(self.config.routing.rules):
            if rule.matches(code):
                return self._apply(i, rule, office)
        if leaf is None or leaf.department == self.hotline:
            return Route(None, reasons=[f"category {code} names no department: answer directly or choose"])
        if leaf.lead_by_place and office:
            return Route(office[0], reasons=[f"category {code} is led by the place's street office", office[1]])
        return Route(leaf.department, reasons=[f"category {code} is handled by {leaf.department}"])

    @property
    def hotline(self) -> str:
        """The centre itself (the root of the department tree): a leaf of its own is answered or assigned."""
        return self.config.departments.departments[0].code

    def _apply(self, index: int, rule, office: tuple[str, str] | None) -> Route:
        reasons = [f"routing rule {index + 1} ({rule.category})"]
        if rule.lead == "place":
            if office:
                lead = office[0]
                reasons.append(office[1])
            else:
                lead = rule.fallback
                reasons.append("place names no street office or township" +
                               (f": fallback {rule.fallback}" if rule.fallback else ": the operator chooses"))
        else:
            lead = rule.lead
        co = [c for c in rule.co if c != lead]
        if rule.co_place and office and office[0] not in (lead, *co):
            co.append(office[0])
            reasons.append(f"co-handler {office[0]}: {office[1]}")
        return Route(lead, tuple(co), reasons)
