"""Rules and the learned model together.

Danger comes first and is the danger judge's alone (`hotline.intake.danger_judge`: the danger patterns and the
danger model): the learned router never makes a call an emergency, and without danger its emergency leaves are
not offered. When the patterns hear an emergency, the router may refine which emergency leaf it is
(`refine_emergency`).
Otherwise (`combine`): when the model is unsure, a phrase of the catalogue heard exactly is explicit and
decides; else the model decides, and below the configured confidence the operator must choose among its
best leaves. Without a model the rules decide alone. (On a split of the seed corpus an explicit phrase
overrode a confident model wrongly far more often than rightly, so it decides only where the model is unsure.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hotline.core.config_intake_model import IntakeModelFile
from hotline.dispatch.routing import Router
from hotline.intake import reasons as say
from hotline.intake.model import RoutingModel, Suggestion

EXPLICIT_CHARS = 4  # an exact catalogue phrase at least this long is what the caller asked about


@dataclass
class Combined:
    category: str | None
    confidence: float | None = None
    must_choose: bool = False
    choices: list[tuple[str, float | None]] = field(default_factory=list)
    why: dict | None = None
    source: str = "rules"


def combine(text: str, scores: Any, model: RoutingModel | None, settings: IntakeModelFile, reasons: list[str],
            best_rule: Callable[[str, Any, list[str]], str | None],
            emergency: frozenset[str] = frozenset()) -> Combined:
    """The leaf of a call the danger detector found no emergency in: its emergency leaves are not offered."""
    said: list[str] = []  # the rules' own reason: given only where the rules' leaf is the one filed
    rule = best_rule(text, scores, said)
    suggestion = model.suggest(text, settings.choices, exclude=emergency) if model is not None else None
    if suggestion is None or not suggestion.choices:
        reasons.extend(said)
        return Combined(rule, None, rule is None, [(rule, None)] if rule else [], None, "rules")
    assert model is not None
    why = _why(suggestion, model)
    offered: list[tuple[str, float | None]] = [(c.code, c.confidence) for c in suggestion.choices]
    top = suggestion.choices[0]
    must_choose = top.confidence < settings.must_choose_below
    explicit = _explicit(scores, rule)
    if explicit and explicit != top.code and must_choose:
        heard = [f"“{h.heard(text)}”" for h in scores.hits[explicit] if h.exact]
        reasons.append(say.explicit_over_model(list(dict.fromkeys(heard)), _name(model, explicit),
                                               _name(model, top.code)))
        return Combined(explicit, _confidence(offered, explicit), False, _first(explicit, offered, settings),
                        why, "keyword")
    if rule == top.code:
        reasons.extend(said)
    reasons.append(why["sentence"])
    if must_choose:
        reasons.append(say.must_choose(top.confidence, settings.must_choose_below,
                                       [(_name(model, code), conf or 0.0) for code, conf in offered]))
    return Combined(top.code, top.confidence, must_choose, offered, why, "model")


def refine_emergency(text: str, detected: str, model: RoutingModel | None, settings: IntakeModelFile,
                     emergency: frozenset[str]) -> Combined:
    """The emergency leaf of a call the detector found an emergency in: the detector's, unless the model's
    best leaf is another emergency leaf and the model is sure of it (it learnt how this centre's
    emergencies are told). On a split of the seed corpus this kept the detector's leaf right where it was
    and fixed a few; taking an emergency leaf from further down the model's list did more harm than good."""
    if model is None:
        return Combined(detected, None, False, [(detected, None)], None, "danger")
    suggestion = model.suggest(text, settings.choices)
    offered: list[tuple[str, float | None]] = [(c.code, c.confidence) for c in suggestion.choices]
    top = suggestion.choices[0]
    sure = top.code in emergency and top.confidence >= settings.must_choose_below
    leaf = top.code if sure else detected
    return Combined(leaf, _confidence(offered, leaf), False, _first(leaf, offered, settings),
                    _why(suggestion, model), "danger")


def department_for(model: RoutingModel | None, router: Router, leaf: str, place: str | None,
                   office: tuple[str, str] | None = None) -> tuple[str | None, list[str]]:
    """The lead department for a leaf, with its reasons: what this centre's history settled on, else the
    routing rules (`office` is the street office the intake gazetteer placed the caller's place under); the
    centre itself for a leaf it answers without dispatching."""
    learned = model.meta.get("departments", {}).get(leaf) if model is not None else None
    if learned:
        name = router.department_name(learned["department"])
        return learned["department"], [say.learned_department(learned["orders"], name, learned["share"])]
    route = router.route(leaf, place, office=office)
    if router.answered_here(leaf, route):
        return router.hotline, [say.answered_here(router.department_name(router.hotline))]
    return route.lead, route.reasons


def _explicit(scores: Any, rule: str | None) -> str | None:
    if rule is None:
        return None
    return rule if any(h.exact and h.length >= EXPLICIT_CHARS for h in scores.hits.get(rule, ())) else None


def _confidence(offered: list[tuple[str, float | None]], code: str) -> float | None:
    return next((conf for c, conf in offered if c == code), None)


def _first(code: str, offered: list[tuple[str, float | None]], settings: IntakeModelFile) -> list:
    return [(code, _confidence(offered, code)), *[o for o in offered if o[0] != code][:settings.choices - 1]]


def _name(model: RoutingModel, code: str) -> str:
    return model.meta.get("names", {}).get(code, code)


def _why(suggestion: Suggestion, model: RoutingModel) -> dict:
    top = suggestion.choices[0]
    sentence = say.model_why(suggestion.words, _name(model, top.code), suggestion.version, top.confidence)
    if suggestion.similar:
        sentence += say.similar_orders(suggestion.similar)
    return {"words": suggestion.words, "similar": suggestion.similar, "sentence": sentence,
            "model": suggestion.version}
