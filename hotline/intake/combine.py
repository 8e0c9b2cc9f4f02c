"""Rules and the learned model together. Danger comes first: an emergency heard overrides the model (the
emergency leaf is the model's best emergency leaf, else the rules'). When the model is unsure, a phrase of
the catalogue heard exactly is explicit and decides. Otherwise the model decides, and below the configured
confidence the operator must choose among its best leaves. Without a model the rules decide alone.
(On a split of the seed corpus an explicit phrase overrode a confident model wrongly far more often than
rightly, so it decides only where the model is unsure.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hotline.core.config_intake_model import IntakeModelFile
from hotline.intake.model import RoutingModel, Suggestion

EXPLICIT_CHARS = 4  # an exact catalogue phrase at least this long is what the caller asked about
DANGER_CANDIDATES = 5  # how far down its list the model is asked which emergency it is


@dataclass
class Combined:
    category: str | None
    confidence: float | None = None
    must_choose: bool = False
    choices: list[tuple[str, float | None]] = field(default_factory=list)
    why: dict | None = None
    source: str = "rules"


def combine(text: str, scores: Any, danger: str | None, model: RoutingModel | None, settings: IntakeModelFile,
            reasons: list[str], best_rule: Callable[[str, Any, list[str]], str | None],
            emergency: frozenset[str] = frozenset()) -> Combined:
    rule = best_rule(text, scores, reasons)
    suggestion = model.suggest(text, settings.choices) if model is not None else None
    if suggestion is None:
        return Combined(rule, None, rule is None, [(rule, None)] if rule else [], None, "rules")
    assert model is not None
    why = _why(suggestion, model)
    offered: list[tuple[str, float | None]] = [(c.code, c.confidence) for c in suggestion.choices]
    top = suggestion.choices[0]
    must_choose = top.confidence < settings.must_choose_below
    if danger:
        # The rules heard danger; which emergency it is, the model (trained on how emergencies are told) knows
        # better when one of its best leaves is an emergency leaf.
        urgent = next((c.code for c in model.suggest(text, DANGER_CANDIDATES).choices if c.code in emergency), None)
        leaf = urgent or danger
        reasons.append(f"听到危及生命财产的情况，按紧急诉求「{_name(model, leaf)}」处理"
                       + ("" if leaf == top.code else f"（优先于模型建议的「{_name(model, top.code)}」）"))
        return Combined(leaf, _confidence(offered, leaf), False, _first(leaf, offered, settings), why, "danger")
    explicit = _explicit(scores, rule)
    if explicit and explicit != top.code and must_choose:
        heard = "、".join(f"“{h.heard(text)}”" for h in scores.hits[explicit] if h.exact)
        reasons.append(f"模型把握不足，听到 {heard}，明确属于本类，优先于模型建议的「{_name(model, top.code)}」")
        return Combined(explicit, _confidence(offered, explicit), False, _first(explicit, offered, settings),
                        why, "keyword")
    reasons.append(why["sentence"])
    if must_choose:
        names = "、".join(f"「{_name(model, code)}」{conf:.0%}" for code, conf in offered)
        reasons.append(f"把握不足（{top.confidence:.0%}，低于 {settings.must_choose_below:.0%}），"
                       f"请话务员在 {names} 中选择")
    return Combined(top.code, top.confidence, must_choose, offered, why, "model")


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
    words = "".join(f"“{w}”" for w in suggestion.words)
    sentence = (f"听到 {words} 等词，与本中心以往「{_name(model, top.code)}」工单最相近（模型 {suggestion.version}，"
                f"把握 {top.confidence:.0%}）" if words else
                f"模型 {suggestion.version} 建议「{_name(model, top.code)}」（把握 {top.confidence:.0%}）")
    if suggestion.similar:
        sentence += f"；相似的以往工单：{'、'.join(suggestion.similar)}"
    return {"words": suggestion.words, "similar": suggestion.similar, "sentence": sentence,
            "model": suggestion.version}
