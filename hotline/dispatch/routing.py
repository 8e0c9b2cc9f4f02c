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
        via = f"“{name}”" if name == office else f"“{name}”属{office}"
        return code, f"地点{via}{f'（{county}）' if county else ''}"


    def coarse(self, place: str | None) -> str | None:
        """The street office or town (with its county) that `place` lies in: a place that can be published
        without pointing at a door. None when no known unit is named."""
        if not place:
            return None
        hits = [e for e in self._entries if e[0] in place]
        if not hits:
            return None
        _name, _code, office, county = max(hits, key=lambda e: (bool(e[3]) and e[3] in place, len(e[0])))
        return f"{county}{office}"


class Router:
    """Applies config/routing.yaml, then the category's own department."""

    def __init__(self, config: HotlineConfig):
        self.config = config
        self.places = PlaceIndex(config.departments.departments)
        self._names = {node.code: node.name for node, _, _ in walk_departments(config.departments.departments)}

    def route(self, category_code: str | None, place: str | None, *,
              office: tuple[str, str] | None = None) -> Route:
        """`office` is (street office / township code, reason) when the caller's place was already placed
        (the intake gazetteer knows 小区 and roads the department tree does not)."""
        if category_code is None:
            return Route(None, reasons=["还没有诉求类别，请话务员选择"])
        leaf = self.config.category(category_code)  # a retired code routes as the leaf it maps to
        code = leaf.code if leaf else category_code
        office = office or self.places.resolve(place)
        for i, rule in enumerate(self.config.routing.rules):
            if rule.matches(code):
                return self._apply(i, rule, office)
        name = leaf.name if leaf else code
        if leaf is None or leaf.department == self.hotline:
            return Route(None, reasons=[f"{name} 没有默认承办单位：直接答复，或由话务员选择"])
        if leaf.lead_by_place and office:
            return Route(office[0], reasons=[f"{office[1]}，{name} 由{self._name(office[0])}属地主办"])
        return Route(leaf.department, reasons=[f"{name} 由 {self._name(leaf.department)} 主办"])

    @property
    def hotline(self) -> str:
        """The centre itself (the root of the department tree): a leaf of its own is answered or assigned."""
        return self.config.departments.departments[0].code

    def answered_here(self, category_code: str, route: Route) -> bool:
        """A leaf of the centre's own (政策咨询, 热线服务意见, 无效来电 …) that its route sends nowhere: the centre
        answers it itself; there is nothing to dispatch."""
        leaf = self.config.category(category_code)
        return route.lead is None and leaf is not None and leaf.department == self.hotline

    def department_name(self, code: str) -> str:
        return self._names.get(code, code)

    def _name(self, code: str | None) -> str:
        return self._names.get(code, code) if code else ""

    def _apply(self, index: int, rule, office: tuple[str, str] | None) -> Route:
        reasons = [f"按派单规则第{index + 1}条（{rule.category}）"]
        if rule.lead == "place":
            if office:
                lead = office[0]
                reasons.append(f"{office[1]}，由{self._name(lead)}属地主办")
            else:
                lead = rule.fallback
                reasons.append("地点不能确定街道或乡镇，" +
                               (f"由{self._name(rule.fallback)}主办" if rule.fallback else "请话务员选择承办单位"))
        else:
            lead = rule.lead
            reasons.append(f"由{self._name(lead)}主办")
        co = [c for c in rule.co if c != lead]
        if rule.co_place and office and office[0] not in (lead, *co):
            co.append(office[0])
            reasons.append(f"{office[1]}，{self._name(office[0])}协办")
        return Route(lead, tuple(co), reasons)
