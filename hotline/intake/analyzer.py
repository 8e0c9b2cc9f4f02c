"""Intake analysis: text → danger, tier, catalogue leaf, department, place, numbers; each with its reason.

Pure (no database): the repeat-caller check, which needs history, lives in `hotline.intake.service`.
Danger comes first (`hotline.intake.danger_judge`: the danger patterns, and the danger model for what they miss):
an emergency is filed under its catalogue leaf and handed over whatever else the caller says; the learned router
may only say which emergency leaf it is, and only for the patterns' emergencies.
Otherwise the rules and the learned model together (`hotline.intake.combine`) choose the leaf, with a
confidence and, when unsure, the top choices for the operator.
"""

from __future__ import annotations

import re
from pathlib import Path

from hotline.core.config import HotlineConfig, walk_departments
from hotline.core.enums import Tier
from hotline.core.errors import InvalidInputError
from hotline.dispatch.routing import Router
from hotline.intake import reasons as say
from hotline.intake.combine import Combined, combine, department_for, refine_emergency
from hotline.intake.danger import EMERGENCY, HAZARD_LEVEL, Danger, DangerDetector
from hotline.intake.danger_judge import DangerJudge, judge_for
from hotline.intake.draft import Analysis, Scores, heard, number_reasons
from hotline.intake.matcher import KeywordMatcher
from hotline.intake.model import RoutingModel
from hotline.intake.numbers import Numbers, extract_numbers
from hotline.intake.places import Gazetteer, Place, extract_place
from hotline.intake.slot import ModelSlot
from hotline.text.normalize import normalise

__all__ = ["Analysis", "Analyzer"]

_CJK = re.compile(r"[\u3400-\u9fff]")
# An ID or phone number given to identify the caller, with the words that announce it: the matter of the call
# is elsewhere (养老金没到账 … 身份证号是…), and 身份证 would otherwise file it under the ID card leaf.
_IDENTIFIER = re.compile(r"(?:(?:户主|本人|她|他|我|俺|娘|爹)?的?(?:身份证|身份正|证件)(?:号码|号)?(?:是|为)?)?"
                         r"\d{17}[\dXx叉]|(?:(?:我的|俺的)?(?:手机|电话)(?:号码|号)?(?:是)?)?1[3-9]\d{9}(?!\d)")


def _without_identifiers(text: str) -> str:
    return _IDENTIFIER.sub(" ", text).strip() or text


class Analyzer:
    def __init__(self, config: HotlineConfig, router: Router | None = None, slot: ModelSlot | None = None,
                 danger_model: Path | None = None, learned_danger: bool = True):
        """`danger_model`: a directory holding another danger model than the one shipped (tests, benches);
        `learned_danger=False`: the danger patterns alone (a baseline for the benches)."""
        self.config = config
        self.router = router or Router(config)
        self.slot = slot
        rules = config.intake
        fuzzy = rules.fuzzy_pinyin
        leaves = config.catalogue.leaves()
        self.categories = {leaf.code: leaf for leaf in leaves}
        self._order = {leaf.code: i for i, leaf in enumerate(leaves)}
        # Emergencies are the danger detector's to decide: a phrase of an emergency leaf alone (without
        # what is happening to whom) files nothing there, and the model offers no emergency leaf then.
        self._urgent = frozenset(leaf.code for leaf in leaves if leaf.tier == Tier.EMERGENCY)
        # The catalogue's spoken phrases, and the retired categories' keywords for the leaf each became.
        entries = [(k, leaf.code) for leaf in leaves for k in leaf.keywords]
        entries += [(k, self._leaf(c.code)) for c in config.categories.categories for k in c.keywords]
        self._keywords = KeywordMatcher(entries, fuzzy)
        # Danger words (intake.yaml): with a worry they file a hazard report; they never make an emergency.
        self._emergency = KeywordMatcher([(k, "danger") for k in rules.emergency.keywords], fuzzy)
        self._hazard_leaf = self._leaf(rules.hazard.category)
        self._complex = KeywordMatcher([(k, "complex") for k in rules.complex.keywords], fuzzy)
        self._kinds = KeywordMatcher([(k, i) for i, rule in enumerate(rules.kinds) for k in rule.keywords], ())
        self._danger = DangerDetector(config.catalogue)
        self._judge = judge_for(self._danger, danger_model) if learned_danger else \
            DangerJudge(self._danger, None, "not used: the patterns alone")
        self._gazetteer = Gazetteer.from_config(config)
        self.departments = {node.code: node.name for node, _, _ in walk_departments(config.departments.departments)}

    def danger_status(self) -> dict:
        """The danger model in use, or why the patterns decide alone (for /healthz and the consoles)."""
        return self._judge.status()

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
        numbers = extract_numbers(raw)
        status = self.slot.status() if self.slot else None
        if not _CJK.search(text):
            reason = say.no_text() if not text else say.no_chinese()
            return Analysis(text, Tier.GENERAL.value, None, None, [], None, numbers.as_dict(), None,
                            [reason, *number_reasons(numbers)], model=status)
        model = self.slot.get() if self.slot else None
        danger = self._judge.judge(raw, model.share(text, self._urgent) if model is not None else None)
        place = extract_place(raw, self._gazetteer)
        if danger and danger.level == EMERGENCY:
            return self._emergency_draft(text, danger, place, numbers, model, status)
        reasons: list[str] = [danger.reason] if danger else []
        full, text = text, _without_identifiers(text)  # 「身份证号是…」 names the caller, not the matter
        scores = Scores()
        incidents = self._emergency.find(text)
        for hit in self._keywords.find(text):
            if not any(hit.start < e.end and e.start < hit.end for e in incidents) and hit.payload not in self._urgent:
                scores.add(hit.payload, hit)
        if danger:  # a hazard: the danger words heard count for the hazard leaf
            for hit in incidents:
                scores.add(self._hazard_leaf, hit, weight=2.0)
        kind = self._kind(text)
        decided = combine(text, scores, model, self.config.intake_model, reasons, self._best, self._urgent)
        if kind and kind[1].category and decided.category != self._leaf(kind[1].category):
            decided.category = self._leaf(kind[1].category)
            decided.source = "keyword"
            reasons.append(say.filed_by_kind(kind[1].kind, heard(kind[0], text),
                                             self.categories[decided.category].name))
        category = decided.category
        tier = self._tier(text, category, danger, reasons)
        if place:
            reasons.append(place.reason)
        department, co = self._route(category, place, reasons, model)
        if kind:
            reasons.append(say.kind(kind[1].kind, heard(kind[0], text)))
        reasons.extend(number_reasons(numbers))
        named = {"code": category, "name": self.categories[category].name} if category else None
        return Analysis(full, tier.value, named, department, co, place.name if place else None, numbers.as_dict(),
                        kind[1].kind if kind else None, reasons, danger=danger.as_dict() if danger else None,
                        place_detail=place.as_dict() if place else None, confidence=decided.confidence,
                        must_choose=decided.must_choose, choices=self._choices(decided, place, model),
                        why=decided.why, source=decided.source, model=status)

    def _emergency_draft(self, text: str, danger: Danger, place: Place | None, numbers: Numbers,
                         model: RoutingModel | None, status: dict | None) -> Analysis:
        """Danger wins over whatever else was said: the leaf, its department, and the hand-over."""
        # The danger model's leaf was learnt from emergencies alone and already refines the patterns' (out of fold
        # on the second development set the router's refinement on top moved 2 right hand-overs to wrong ones):
        # the router refines only when the patterns decide alone.
        router_model = model if danger.source == "rules" and self._judge.model is None else None
        decided = refine_emergency(text, danger.category, router_model, self.config.intake_model, self._urgent)
        detected, danger = danger, self._danger.refile(danger, decided.category or danger.category)
        leaf = self.config.catalogue.leaf(danger.category)
        named_department = self._department(leaf.department if leaf else None)
        reasons = [danger.reason]
        if danger.category != detected.category:
            reasons.append(say.emergency_refined(danger.category_name, detected.category_name))
        reasons.append(say.tier_emergency(danger.category_name))
        if named_department:
            reasons.append(say.emergency_department(danger.category_name, named_department["name"]))
        if place:
            reasons.append(place.reason)
        kind = self._kind(text)
        reasons.extend(number_reasons(numbers))
        return Analysis(text, Tier.EMERGENCY.value, {"code": danger.category, "name": danger.category_name},
                        named_department, [], place.name if place else None, numbers.as_dict(),
                        kind[1].kind if kind else "求助", reasons, danger=danger.as_dict(),
                        place_detail=place.as_dict() if place else None, confidence=decided.confidence,
                        choices=self._choices(decided, place, model), why=decided.why, source="danger",
                        model=status)

    # -- the steps -------------------------------------------------------------------------

    def _best(self, text: str, scores: Scores, reasons: list[str]) -> str | None:
        """The rules' leaf: the one whose phrases were heard most (danger words of a hazard weigh double)."""
        if not scores.score:
            reasons.append(say.no_category())
            return None
        code = max(scores.score, key=lambda c: (scores.score[c], -self._order.get(c, 0)))
        reasons.append(say.category([heard(h, text) for h in scores.hits[code]], self.categories[code].name))
        return code

    def _tier(self, text: str, category: str | None, danger: Danger | None, reasons: list[str]) -> Tier:
        """No emergency here (the detector heard none): a hazard filed as a hazard is general, else as heard or
        the leaf's — a worry about a lift filed under the lift's leaf has that leaf's tier, as an operator sets."""
        hazard_leaf = category in (None, self._hazard_leaf) or self.categories[category].tier == Tier.EMERGENCY
        if (danger and danger.level == HAZARD_LEVEL and hazard_leaf) or category == self._hazard_leaf:
            reasons.append(say.tier_hazard())
            return Tier.GENERAL
        complex_hits = self._complex.find(text)
        if complex_hits:
            reasons.append(say.tier_complex([heard(h, text) for h in complex_hits]))
            return Tier.COMPLEX
        if category and self.categories[category].tier != Tier.EMERGENCY:
            tier = self.categories[category].tier
            reasons.append(say.tier_default(tier.value, self.categories[category].name))
            return tier
        reasons.append(say.tier_nothing_urgent())
        return Tier.GENERAL

    def _route(self, category: str | None, place: Place | None, reasons: list[str],
               model: RoutingModel | None) -> tuple[dict | None, list[dict]]:
        if category is None:
            return None, []
        office = _office(place)
        route = self.router.route(category, place.name if place else None, office=office)
        code, why = department_for(model, self.router, category, place.name if place else None, office)
        reasons.extend(route.reasons if code == route.lead else why)
        return self._department(code), [{"code": c, "name": self.departments.get(c, c)} for c in route.co]

    def _choices(self, decided: Combined, place: Place | None, model: RoutingModel | None) -> list[dict]:
        out = []
        for code, confidence in decided.choices:
            lead, _ = department_for(model, self.router, code, place.name if place else None, _office(place))
            out.append({"code": code, "name": self.categories[code].name, "confidence": confidence,
                        "department": self._department(lead)})
        return out

    def _department(self, code: str | None) -> dict | None:
        """A suggested lead department; `direct` when it is the centre itself (answered, not dispatched)."""
        if code is None:
            return None
        return {"code": code, "name": self.departments.get(code, code), "direct": code == self.router.hotline}

    def _kind(self, text: str):
        """(hit, rule) of the first kind rule heard (rules are in priority order), or None."""
        hits = self._kinds.find(text)
        if not hits:
            return None
        first = min(hits, key=lambda h: h.payload)
        return first, self.config.intake.kinds[first.payload]


def _office(place: Place | None) -> tuple[str, str] | None:
    """(street office / township, reason) when the gazetteer placed the caller's place."""
    return (place.department, f"地点在{place.department_name}") if place and place.department else None
