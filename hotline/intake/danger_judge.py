"""The danger detector's patterns and the danger model together: is this call an emergency (险情研判)?

Recall first. The model raises an emergency the patterns did not hear when its probability reaches the
threshold — unless the call has a shape the patterns know to be calm (a worry, something handled or unreal, a
past event or a follow-up, a habit: `DangerDetector.calm_shape`) and the model is not sure. The patterns'
emergency stands unless the model finds it very unlikely (slips that make a word alarming: 报站→爆炸, 出店→触电),
or finds it unlikely in a call of a calm shape (暖气片崩了 阀门已经关了). A second opinion checks the model
alone: unless it is sure, the learned router (another model, over other features, trained on every kind of
call) must give the emergency leaves a share of its confidence (`agree_floor`) — 后厨有老鼠 may sound like a
kitchen fire to the danger model, but the router hears food hygiene; and where both models hear an emergency
in a call of a calm shape (the router at least `agree_sure`), the calm words do not hold it back. The numbers
are chosen on the development sets' out-of-fold scores and shipped in the model's description
(`bench/tools/train_danger_model.py`). Without a usable model the patterns decide alone, and /healthz says so.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from hotline.intake import reasons as say
from hotline.intake.danger import EMERGENCY, Danger, DangerDetector
from hotline.intake.danger_model import DangerModel, DangerModelError, load_danger_model


@dataclass(frozen=True)
class Joining:
    threshold: float  # the model's probability that raises an emergency
    rules_floor: float  # below it, the model overrules the patterns' emergency
    sure: float  # at or above it, a calm shape does not hold the model back
    leaf_margin: float = math.inf  # the model's leaf replaces the patterns' when it leads theirs by this much
    calm_floor: float = 0.0  # with a calm shape heard, the patterns' emergency needs the model at least this sure
    agree_floor: float = 0.0  # the model alone, unless sure, needs the router to give emergency leaves this share
    agree_sure: float = 1.01  # … and in a call of a calm shape, the router this sure of an emergency leaf

    def emergency(self, by_rules: bool, probability: float, calm: str | None, agreement: float | None = None) -> bool:
        """`agreement`: the share of the learned router's confidence on emergency leaves (None: no router)."""
        if by_rules:
            return probability >= self.rules_floor and (calm is None or probability >= self.calm_floor)
        if probability >= self.sure:
            return True
        if probability < self.threshold:
            return False
        if agreement is None:
            return calm is None
        return agreement >= (self.agree_floor if calm is None else self.agree_sure)

    def as_dict(self) -> dict:
        return asdict(self)

    def leaf(self, rules_leaf: str | None, model_leaf: str, margin: float) -> str:
        """The emergency leaf: the patterns' unless the model's leads theirs clearly (or they heard none)."""
        return model_leaf if rules_leaf is None or margin >= self.leaf_margin else rules_leaf

    @classmethod
    def of(cls, meta: dict) -> Joining:
        return cls(float(meta["threshold"]), float(meta.get("rules_floor", 0.0)), float(meta.get("sure", 1.01)),
                   float(meta.get("leaf_margin", math.inf)), float(meta.get("calm_floor", 0.0)),
                   float(meta.get("agree_floor", 0.0)), float(meta.get("agree_sure", 1.01)))


VIOLENCE = "safety.violence."
MIN_CHARS = 8  # fewer characters said (fillers aside) tell the model too little: the patterns decide alone


class DangerJudge:
    def __init__(self, detector: DangerDetector, model: DangerModel | None, problem: str | None = None,
                 joining: Joining | None = None) -> None:
        self.detector, self.model, self.problem = detector, model, problem
        self.joining = joining or (Joining.of(model.meta) if model is not None else None)
        # Without a learned router (none built yet, or its file unreadable) there is no second opinion: the settings
        # chosen for the danger model alone apply.
        alone = model.meta.get("without_router") if model is not None and joining is None else None
        self.alone = Joining.of(alone) if alone else self.joining

    def judge(self, text: str, agreement: float | None = None) -> Danger | None:
        """The danger the caller describes, or None; an emergency names who raised it (`source`). `agreement` is
        the share the learned router gives the emergency leaves for the same words (None without a router)."""
        danger = self.detector.detect(text)
        if self.model is None or self.joining is None:
            return danger
        if self._too_short(text):
            return danger
        heard = self.model.hear(text)
        calm = self.detector.calm_shape(text)
        rules = danger is not None and danger.level == EMERGENCY
        joining = self.joining if agreement is not None else self.alone
        assert joining is not None
        if rules:
            assert danger is not None
            if not joining.emergency(True, heard.probability, calm):
                return None
            leaf = joining.leaf(danger.category, heard.leaf, heard.margin(danger.category))
            if leaf == danger.category:
                return danger
            refiled = self.detector.refile(danger, leaf, say.learned_leaf(danger.category_name, self.model.version))
            # violence the patterns heard stays the police's (a stabbing is an injury too, but 110 must come)
            return danger if danger.category.startswith(VIOLENCE) and refiled.service != danger.service else refiled
        if not joining.emergency(False, heard.probability, calm, agreement):
            return danger
        words = self.model.words(text, heard)
        sentence = say.learned_emergency(list(words), heard.probability, self.model.version)
        return self.detector.emergency_under(heard.leaf, words, sentence)

    def evidence(self, text: str) -> tuple[str | None, float, str, str | None, float]:
        """What the choice of the joining settings needs (the router's agreement is the caller's to add): the
        patterns' emergency leaf (None when they heard none), the model's probability and leaf, the calm shape
        heard, and by how much the model's leaf leads the patterns'."""
        assert self.model is not None
        danger = self.detector.detect(text)
        heard = self.model.hear(text)
        leaf = danger.category if danger is not None and danger.level == EMERGENCY else None
        margin = heard.margin(leaf) if leaf else 0.0
        if self._too_short(text):  # as judge(): the patterns' word alone, whatever the model says
            return leaf, (1.0 if leaf else 0.0), heard.leaf, None, -math.inf
        return leaf, heard.probability, heard.leaf, self.detector.calm_shape(text), margin

    def _too_short(self, text: str) -> bool:
        return len(self.detector.without_fillers(text)) < MIN_CHARS

    def status(self) -> dict:
        return status_of(self.model, self.problem)


def judge_for(detector: DangerDetector, directory: Path | None = None) -> DangerJudge:
    """A judge with the danger model of `directory` (the shipped one when None), or the patterns alone."""
    model, problem = shipped() if directory is None else _load(directory)
    return DangerJudge(detector, model, problem)


@cache
def shipped() -> tuple[DangerModel | None, str | None]:
    """The danger model shipped with hotline, read once per process."""
    return _load(None)


def _load(directory: Path | None) -> tuple[DangerModel | None, str | None]:
    try:
        return load_danger_model(directory), None
    except DangerModelError as exc:
        return None, str(exc)


def status_of(model: DangerModel | None, problem: str | None) -> dict:
    """What /healthz shows: the danger model in use, or why the patterns decide alone."""
    if model is not None:
        return {"status": "ok", "version": model.version, **Joining.of(model.meta).as_dict(),
                "without_router": model.meta.get("without_router"),
                "out_of_fold": model.meta.get("out_of_fold"),
                "message": f"险情模型 {model.version} 在用，与险情规则一同研判"}
    return {"status": "fallback", "error": problem,
            "message": "险情模型文件缺失或损坏，只按险情规则研判；请运行 bench/tools/train_danger_model.py 重新生成"}


def shipped_status() -> dict:
    return status_of(*shipped())
