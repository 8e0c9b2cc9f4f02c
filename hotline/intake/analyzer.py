"""Intake analysis: text → tier, category, department, place, numbers; each with the rule behind it.

Pure and deterministic (no database): the repeat-caller check, which needs history, lives in
`hotline.intake.service`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from hotline.core.config import HotlineConfig, walk_departments
from hotline.core.enums import Tier
from hotline.core.errors import InvalidInputError
from hotline.dispatch.routing import Router
from hotline.intake.combine import Combined, combine
from hotline.intake.matcher import Hit, KeywordMatcher
from hotline.intake.places import PlaceFinder
from hotline.intake.slot import ModelSlot
from hotline.text.normalize import find_numbers, normalise

_CLAUSE = re.compile(r"[，。！？；,.!?;\n]")
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
    confidence: float | None = None  # of the category; None when no model spoke
    must_choose: bool = False  # below the configured confidence: the operator picks among `choices`
    choices: list[dict] = field(default_factory=list)  # the top leaves, best first, with confidence and department
    why: dict | None = None  # the words that weighed most and similar past orders by ticket
    source: str = "rules"  # danger | keyword | model | rules: what decided the category
    model: dict | None = None  # the live model's version and measured accuracy, or why there is none

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
    def __init__(self, config: HotlineConfig, router: Router | None = None, slot: ModelSlot | None = None):
        self.config = config
        self.router = router or Router(config)
        self.slot = slot
        rules = config.intake
        fuzzy = rules.fuzzy_pinyin
        leaves = config.catalogue.leaves()
        self.categories = {leaf.code: leaf for leaf in leaves}
        self._urgent = frozenset(leaf.code for leaf in leaves if leaf.tier == Tier.EMERGENCY)
        self._order = {leaf.code: i for i, leaf in enumerate(leaves)}
        # The catalogue's spoken phrases, and the retired categories' keywords for the leaf each became.
        entries = [(k, leaf.code) for leaf in leaves for k in leaf.keywords]
        entries += [(k, self._leaf(c.code)) for c in config.categories.categories for k in c.keywords]
        self._keywords = KeywordMatcher(entries, fuzzy)
        owner = {k: code for k, code in entries if self.categories[code].tier == Tier.EMERGENCY}
        self._emergency = KeywordMatcher([(k, owner.get(k, self._leaf(rules.emergency.category)))
                                          for k in rules.emergency.keywords], fuzzy)
        self._hazard = KeywordMatcher([(k, "hazard") for k in rules.hazard.markers], ())
        self._complex = KeywordMatcher([(k, "complex") for k in rules.complex.keywords], fuzzy)
        self._kinds = KeywordMatcher([(k, i) for i, rule in enumerate(rules.kinds) for k in rule.keywords], ())
        known = [node.name for node, _, _ in walk_departments(config.departments.departments)
                 if node.kind in ("county", "district", "street", "township", "community", "village")]
        self._places = PlaceFinder(rules.place_suffixes, rules.place_starts, known)
        self.departments = {node.code: node.name for node, _, _ in walk_departments(config.departments.departments)}

    def _leaf(self, code: str) -> str:
        leaf = self.config.category(code)
        assert leaf is not None, code  # config cross-checks guarantee it
        return leaf.code

    def analyze(self, raw: str) -> Analysis:
        if raw is None:
            raise InvalidInputError("text is required", error_id="text_required")
        text = normalise(raw)
        limit = self.config.intake.max_chars
        if len(text) > limit:
            raise InvalidInputError(f"text is {len(text)} characters; intake analyses at most {limit}",
                                    error_id="text_too_long")
        if not _CJK.search(text):
            reason = "no text" if not text else "no Chinese text to analyse"
            return Analysis(text, Tier.GENERAL.value, None, None, [], None, find_numbers(text).as_dict(), None,
                            [f"{reason}: the operator fills the order in"])
        reasons: list[str] = []
        scores = _Scores()
        incidents = self._emergency.find(text)
        for hit in self._keywords.find(text):
            if not any(hit.start < e.end and e.start < hit.end for e in incidents):
                scores.add(hit.payload, hit)
        danger = self._incidents(text, incidents, scores, reasons)
        kind = self._kind(text)
        model = self.slot.get() if self.slot else None
        decided = combine(text, scores, danger, model, self.config.intake_model, reasons, self._best, self._urgent)
        category = decided.category
        if kind and kind[1].category and category != self._leaf(kind[1].category):
            category = decided.category = self._leaf(kind[1].category)
            reasons.append(f"category {category}: a {kind[1].kind} ({kind[0].describe(text)}) is filed as "
                           f"{self.categories[category].name} whatever it is about")
        tier = self._tier(text, category, reasons)
        place, place_reason = self._places.find(text)
        if place_reason:
            reasons.append(place_reason)
        department, co = self._route(category, place, reasons, model)
        if kind:
            reasons.append(f"kind {kind[1].kind}: heard {kind[0].describe(text)}")
        numbers = find_numbers(text)
        for phone in numbers.phones:
            reasons.append(f"phone number {phone} mentioned")
        for ticket in numbers.tickets:
            reasons.append(f"ticket number {ticket} mentioned")
        named = {"code": category, "name": self.categories[category].name} if category else None
        return Analysis(text, tier.value, named, department, co, place, numbers.as_dict(),
                        kind[1].kind if kind else None, reasons, None, decided.confidence, decided.must_choose,
                        self._choices(decided, place, model), decided.why, decided.source,
                        self.slot.status() if self.slot else None)

    def _choices(self, decided: Combined, place: str | None, model) -> list[dict]:
        from hotline.intake.learning import department_for

        out = []
        for code, confidence in decided.choices:
            lead, _ = department_for(model, self.router, code, place)
            out.append({"code": code, "name": self.categories[code].name, "confidence": confidence,
                        "department": {"code": lead, "name": self.departments.get(lead, lead)} if lead else None})
        return out

    # -- the steps -------------------------------------------------------------------------

    def _incidents(self, text: str, incidents: list[Hit], scores: _Scores, reasons: list[str]) -> str | None:
        """Emergency words count for the incident category, or for the hazard category when a hazard
        marker (担心, 隐患 …) comes before them in the same clause."""
        rules = self.config.intake
        markers = self._hazard.find(text)
        for hit in incidents:
            clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, hit.start)), default=0)
            marker = next((m for m in markers if clause_start <= m.start < hit.start
                           or hit.end <= m.start < hit.end + 3), None)
            target = self._leaf(rules.hazard.category) if marker else hit.payload
            scores.add(target, hit, weight=2.0)
            if marker:
                reasons.append(f"「{marker.keyword}」 with {hit.describe(text)}: a hazard, not an incident")
        danger = [h for h in incidents
                  if h.payload in scores.score and self.categories[h.payload].tier == Tier.EMERGENCY]
        return max(danger, key=lambda h: scores.score[h.payload]).payload if danger else None

    def _best(self, text: str, scores: _Scores, reasons: list[str]) -> str | None:
        """The rules' category: the leaf whose keywords were heard most (emergency words weigh double)."""
        if not scores.score:
            reasons.append("no category keyword heard: the operator chooses the category")
            return None
        code = max(scores.score, key=lambda c: (scores.score[c], -self._order.get(c, 0)))
        heard = "、".join(h.describe(text) for h in scores.hits[code])
        reasons.append(f"category {code} ({self.categories[code].name}): heard {heard}")
        return code

    def _tier(self, text: str, category: str | None, reasons: list[str]) -> Tier:
        rules = self.config.intake
        if category and self.categories[category].tier == Tier.EMERGENCY:
            reasons.append(f"tier emergency: category {category} endangers life or property")
            return Tier.EMERGENCY
        if category == self._leaf(rules.hazard.category):
            reasons.append("tier general: a hazard report (隐患), nothing has happened yet")
            return Tier.GENERAL
        complex_hits = self._complex.find(text)
        if complex_hits:
            reasons.append(f"tier complex: heard {'、'.join(h.describe(text) for h in complex_hits)}")
            return Tier.COMPLEX
        if category:
            tier = self.categories[category].tier
            reasons.append(f"tier {tier.value}: default of category {category}")
            return tier
        reasons.append("tier general: nothing urgent heard")
        return Tier.GENERAL

    def _route(self, category: str | None, place: str | None, reasons: list[str],
               model) -> tuple[dict | None, list[dict]]:
        if category is None:
            return None, []
        from hotline.intake.learning import department_for

        route = self.router.route(category, place)
        code, why = department_for(model, self.router, category, place)
        reasons.extend(route.reasons if code == route.lead else [why])
        lead = {"code": code, "name": self.departments.get(code, code)} if code else None
        return lead, [{"code": c, "name": self.departments.get(c, c)} for c in route.co]

    def _kind(self, text: str):
        """(hit, rule) of the first kind rule heard (rules are in priority order), or None."""
        hits = self._kinds.find(text)
        if not hits:
            return None
        first = min(hits, key=lambda h: h.payload)
        return first, self.config.intake.kinds[first.payload]
