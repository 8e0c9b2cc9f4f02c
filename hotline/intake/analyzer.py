"""Intake analysis: text → danger, tier, category, department, place, numbers; each with its reason.

Pure and deterministic (no database): the repeat-caller check, which needs history, lives in
`hotline.intake.service`. Danger comes first (`hotline.intake.danger`): an emergency is filed
under its catalogue leaf and handed over whatever else the caller says.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from hotline.core.config import HotlineConfig, walk_departments
from hotline.core.enums import Tier
from hotline.core.errors import InvalidInputError
from hotline.dispatch.routing import Router
from hotline.intake import reasons as say
from hotline.intake.danger import EMERGENCY, Danger, DangerDetector
from hotline.intake.matcher import Hit, KeywordMatcher
from hotline.intake.numbers import Numbers, extract_numbers
from hotline.intake.places import Gazetteer, Place, extract_place
from hotline.text.normalize import normalise

_CJK = re.compile(r"[\u3400-\u9fff]")
EXACT, BY_SOUND = 1.0, 0.8  # a keyword heard by sound weighs a little less than one spelt right


@dataclass
class Analysis:
    text: str
    tier: str
    category: dict | None
    department: dict | None
    co_handlers: list[dict]
    place: str | None
    numbers: dict
    kind: str | None
    reasons: list[str]
    repeat: dict | None = None
    danger: dict | None = None  # level, category, service (110/119/120/gas/power/water), evidence, reason
    place_detail: dict | None = None  # gazetteer name, words said, kind, street office / township

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Scores:
    score: dict[str, float] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=dict)

    def add(self, code: str, hit: Hit, weight: float = 1.0) -> None:
        self.score[code] = self.score.get(code, 0.0) + hit.length * (EXACT if hit.exact else BY_SOUND) * weight
        self.hits.setdefault(code, []).append(hit)


class Analyzer:
    def __init__(self, config: HotlineConfig, router: Router | None = None):
        self.config = config
        self.router = router or Router(config)
        rules = config.intake
        fuzzy = rules.fuzzy_pinyin
        self.categories = {c.code: c for c in config.categories.categories}
        self._order = {c.code: i for i, c in enumerate(config.categories.categories)}
        self._keywords = KeywordMatcher([(k, c.code) for c in config.categories.categories for k in c.keywords], fuzzy)
        # Danger words (intake.yaml): with a worry they file a hazard report; they never make an emergency.
        self._emergency = KeywordMatcher([(k, "danger") for k in rules.emergency.keywords], fuzzy)
        # Emergencies are the danger detector's to decide; a keyword of an emergency category alone
        # (without what is happening to whom) files nothing there.
        self._urgent = {c.code for c in config.categories.categories if c.tier == Tier.EMERGENCY}
        self._urgent.add(rules.emergency.category)
        self._complex = KeywordMatcher([(k, "complex") for k in rules.complex.keywords], fuzzy)
        self._kinds = KeywordMatcher([(k, i) for i, rule in enumerate(rules.kinds) for k in rule.keywords], ())
        self._danger = DangerDetector(config.catalogue)
        self._gazetteer = Gazetteer.from_config(config)
        self.departments = {node.code: node.name for node, _, _ in walk_departments(config.departments.departments)}

    def analyze(self, raw: str) -> Analysis:
        if raw is None:
            raise InvalidInputError("text is required", error_id="text_required")
        text = normalise(raw)
        limit = self.config.intake.max_chars
        if len(text) > limit:
            raise InvalidInputError(f"text is {len(text)} characters; intake analyses at most {limit}",
                                    error_id="text_too_long")
        numbers = extract_numbers(raw)
        if not _CJK.search(text):
            reason = say.no_text() if not text else say.no_chinese()
            return Analysis(text, Tier.GENERAL.value, None, None, [], None, numbers.as_dict(), None,
                            [reason, *_number_reasons(numbers)])
        danger = self._danger.detect(raw)
        place = extract_place(raw, self._gazetteer)
        if danger and danger.level == EMERGENCY:
            return self._emergency_draft(text, danger, place, numbers)
        reasons: list[str] = [danger.reason] if danger else []
        scores = _Scores()
        incidents = self._emergency.find(text)
        for hit in self._keywords.find(text):
            if not any(hit.start < e.end and e.start < hit.end for e in incidents) and hit.payload not in self._urgent:
                scores.add(hit.payload, hit)
        if danger:  # a hazard: the danger words heard count for the hazard category
            for hit in incidents:
                scores.add(self.config.intake.hazard.category, hit, weight=2.0)
        kind = self._kind(text)
        category = self._best(text, scores, reasons)
        if kind and kind[1].category and category != kind[1].category:
            category = kind[1].category
            reasons.append(say.filed_by_kind(kind[1].kind, _heard(kind[0], text), self.categories[category].name))
        tier = self._tier(text, category, reasons)
        if place:
            reasons.append(place.reason)
        department, co = self._route(category, place, reasons)
        if kind:
            reasons.append(say.kind(kind[1].kind, _heard(kind[0], text)))
        reasons.extend(_number_reasons(numbers))
        named = {"code": category, "name": self.categories[category].name} if category else None
        return Analysis(text, tier.value, named, department, co, place.name if place else None, numbers.as_dict(),
                        kind[1].kind if kind else None, reasons, danger=danger.as_dict() if danger else None,
                        place_detail=place.as_dict() if place else None)

    def _emergency_draft(self, text: str, danger: Danger, place: Place | None, numbers: Numbers) -> Analysis:
        """Danger wins over whatever else was said: the leaf, its department, and the hand-over."""
        leaf = self.config.catalogue.leaf(danger.category)
        department = leaf.department if leaf else None
        named_department = {"code": department, "name": self.departments.get(department, department)} \
            if department else None
        reasons = [danger.reason, say.tier_emergency(danger.category_name)]
        if named_department:
            reasons.append(say.emergency_department(danger.category_name, named_department["name"]))
        if place:
            reasons.append(place.reason)
        kind = self._kind(text)
        reasons.extend(_number_reasons(numbers))
        return Analysis(text, Tier.EMERGENCY.value, {"code": danger.category, "name": danger.category_name},
                        named_department, [], place.name if place else None, numbers.as_dict(),
                        kind[1].kind if kind else "求助", reasons, danger=danger.as_dict(),
                        place_detail=place.as_dict() if place else None)

    # -- the steps -------------------------------------------------------------------------

    def _best(self, text: str, scores: _Scores, reasons: list[str]) -> str | None:
        if not scores.score:
            reasons.append(say.no_category())
            return None
        code = max(scores.score, key=lambda c: (scores.score[c], -self._order.get(c, 0)))
        reasons.append(say.category([_heard(h, text) for h in scores.hits[code]], self.categories[code].name))
        return code

    def _tier(self, text: str, category: str | None, reasons: list[str]) -> Tier:
        rules = self.config.intake
        if category == rules.emergency.category or (category and self.categories[category].tier == Tier.EMERGENCY):
            reasons.append(say.tier_emergency(self.categories[category].name))
            return Tier.EMERGENCY
        if category == rules.hazard.category:
            reasons.append(say.tier_hazard())
            return Tier.GENERAL
        complex_hits = self._complex.find(text)
        if complex_hits:
            reasons.append(say.tier_complex([_heard(h, text) for h in complex_hits]))
            return Tier.COMPLEX
        if category:
            tier = self.categories[category].tier
            reasons.append(say.tier_default(tier.value, self.categories[category].name))
            return tier
        reasons.append(say.tier_nothing_urgent())
        return Tier.GENERAL

    def _route(self, category: str | None, place: Place | None, reasons: list[str]) -> tuple[dict | None, list[dict]]:
        if category is None:
            return None, []
        office = (place.department, f"地点在{place.department_name}") if place and place.department else None
        route = self.router.route(category, place.name if place else None, office=office)
        reasons.extend(route.reasons)
        lead = {"code": route.lead, "name": self.departments.get(route.lead, route.lead)} if route.lead else None
        return lead, [{"code": c, "name": self.departments.get(c, c)} for c in route.co]

    def _kind(self, text: str):
        """(hit, rule) of the first kind rule heard (rules are in priority order), or None."""
        hits = self._kinds.find(text)
        if not hits:
            return None
        first = min(hits, key=lambda h: h.payload)
        return first, self.config.intake.kinds[first.payload]


def _heard(hit: Hit, text: str) -> str:
    return say.heard_as(hit.heard(text), None if hit.exact else hit.keyword)


def _number_reasons(numbers: Numbers) -> list[str]:
    return ([say.phone(p) for p in numbers.phones] + [say.ticket(t) for t in numbers.tickets]
            + ([say.house(numbers.house)] if numbers.house else []) + [say.id_number(i) for i in numbers.id_numbers])
