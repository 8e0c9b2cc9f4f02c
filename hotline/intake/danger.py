"""Danger to life or property in what a caller says (险情识别), recall before precision.

A call is an emergency when it describes what is happening to whom — a person's state, a
situation, fire or smoke, gas by sound or smell, a structure giving way — not only when it says a
listed word. A worry (担心/隐患/万一 …) before the danger makes it a hazard report, and a danger
that is over (上个月, 赔偿 …) is not an emergency unless the caller is also urgent. Each
emergency names the service it is handed to (110/119/120, the gas, power or water emergency line)
from config/catalogue.yaml.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from hotline.core.config_catalogue import CatalogueFile
from hotline.intake.danger_signals import (
    FILLERS,
    HABIT,
    HAZARD,
    HAZARD_AFTER,
    HEATING,
    PANIC,
    PAST,
    SETTLED,
    SIGNALS,
    SMOKE_NUISANCE,
    STRONG,
    TODAY,
    URGENT,
)
from hotline.intake.danger_slips import SlipRepair
from hotline.intake.danger_structure import STRUCTURE
from hotline.text.normalize import join_tokens

EMERGENCY, HAZARD_LEVEL = "emergency", "hazard"
_WORRY_BEFORE, _WORRY_AFTER = 16, 8  # characters: 「万一烧起来」, 「快塌了是个大隐患」
_HABIT_BEFORE, _HABIT_AFTER = 10, 4  # 「老是 呲呲 的 响」, 「缠在一起 一刮风就」
_HAZARD_LEAF = "safety.hazard.other"


@dataclass(frozen=True)
class Danger:
    level: str  # emergency | hazard
    category: str  # the catalogue leaf
    category_name: str
    service: str | None  # key of emergency_services: '110', '119', '120', gas, power, water
    service_name: str | None
    phone: str | None
    evidence: tuple[str, ...]  # the words heard
    reason: str  # a Chinese sentence for the operator
    source: str = "rules"  # rules: the detector's patterns; model: the danger model (hotline.intake.danger_model)

    def as_dict(self) -> dict:
        return asdict(self) | {"evidence": list(self.evidence)}


@dataclass(frozen=True)
class _Hit:
    leaf: str
    weight: int
    start: int
    end: int
    words: str


class DangerDetector:
    def __init__(self, catalogue: CatalogueFile):
        self._catalogue = catalogue
        self._signals = [(leaf, re.compile(pattern), weight)
                         for leaf, patterns in SIGNALS.items() for pattern, weight in patterns + STRUCTURE.get(leaf, [])
                         if catalogue.leaf(leaf) is not None]
        self._slips = SlipRepair()
        self._rank = {leaf: i for i, leaf in enumerate(SIGNALS)}
        self._urgent, self._worry, self._past = re.compile(URGENT), re.compile(HAZARD), re.compile(PAST)
        self._panic, self._after, self._today = re.compile(PANIC), re.compile(HAZARD_AFTER), re.compile(TODAY)
        self._fillers, self._habit, self._settled = re.compile(FILLERS), re.compile(HABIT), re.compile(SETTLED)
        self._nuisance = {"safety.fire.fire": re.compile(SMOKE_NUISANCE), "utility.water.burst": re.compile(HEATING),
                          "safety.fire.hazmat": re.compile(_CHIMNEY), "safety.rescue.trapped": re.compile(_CARD)}

    def detect(self, text: str) -> Danger | None:
        """The danger the caller describes, or None. `text` may be recogniser tokens or joined text."""
        heard = self._fillers.sub("", join_tokens(text))
        text = self._slips.repair(heard)  # same positions: the evidence quoted is what was heard
        hits = self._without_nuisance(text, self._hits(text, heard))
        if not hits:
            return None
        worries = list(self._worry.finditer(text))
        urgent = [m.group(0) for m in self._urgent.finditer(text)]
        after = worries if not urgent else [m for m in worries if self._after.fullmatch(m.group(0))]
        panic = self._panic.search(text)
        live = hits if panic else [h for h in hits if not _worried(h, worries, after)]
        past = None if self._today.search(text) else self._past.search(text) or self._habitual(text, live)
        if live and self._is_emergency(live, urgent, bool(panic), past):
            return self._emergency(live, urgent)
        worried = [h for h in hits if h not in live] or (live if worries else [])
        if worried:
            marker = next((m.group(0) for m in worries), "")
            return self._hazard(worried, marker)
        return None

    def without_fillers(self, text: str) -> str:
        """The words said, joined, fillers (那个, 就是, 嗯 …) taken out."""
        return self._fillers.sub("", join_tokens(text))

    def calm_shape(self, text: str) -> str | None:
        """The words of a known false-alarm shape heard anywhere in the call — a worry (担心, 万一), something
        handled, harmless or unreal (已经关了, 没伤着人, 冒充), a past event or a follow-up (上个月, 赔偿, 想问), a
        habit (老是) — unless the caller panics, or, for a past event or a habit, says it is today's."""
        text = self.without_fillers(text)
        if self._panic.search(text):
            return None
        shape = self._worry.search(text) or self._settled.search(text)
        if shape:
            return shape.group(0)
        if self._today.search(text):
            return None
        shape = self._past.search(text) or self._habit.search(text)
        return shape.group(0) if shape else None

    def emergency_under(self, leaf: str, evidence: tuple[str, ...], reason: str) -> Danger:
        """An emergency under this leaf, its service and hand-over, explained by `reason` (what was heard)."""
        return self._emergency_under(leaf, evidence, "", said=reason, source="model")

    def _hits(self, text: str, heard: str) -> list[_Hit]:
        found: list[_Hit] = []
        for leaf, pattern, weight in self._signals:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    found.append(_Hit(leaf, weight, match.start(), match.end(), heard[match.start():match.end()]))
        return found

    def _habitual(self, text: str, live: list[_Hit]) -> re.Match | None:
        """A habit said before every sign heard (经常停电 冒火花): the call tells a habit, not an event."""
        habits = list(self._habit.finditer(text))
        near = [(h.start - _HABIT_BEFORE, h.end + _HABIT_AFTER) for h in live]
        if habits and all(any(a <= m.start() < b for m in habits) for a, b in near):
            return habits[0]
        return None

    def _without_nuisance(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Smoke from a chimney or a grill, water from the heating: only a strong sign still counts."""
        for leaf, context in self._nuisance.items():
            if context.search(text) and not any(h.leaf == leaf and h.weight >= STRONG and not _SMOKE.fullmatch(h.words)
                                                for h in hits):
                hits = [h for h in hits if h.leaf != leaf]
        return hits

    @staticmethod
    def _is_emergency(live: list[_Hit], urgent: list[str], panic: bool, past: re.Match | None) -> bool:
        """A strong sign, or a weak one with urgency or a second sign; a past event (上个月, 理赔) needs
        the caller's panic, not only 现在."""
        score = max(h.weight for h in live)
        if panic or (urgent and not past):
            score += 1
        if not past and _separate(live) >= 2:
            score += 1
        if past and not panic:
            score -= 1
        return score >= STRONG

    def _emergency(self, live: list[_Hit], urgent: list[str]) -> Danger:
        leaf = _combine(self._first(live), live, self._first)
        evidence = tuple(dict.fromkeys(h.words for h in sorted(live, key=lambda h: h.start)))
        urgency = f"，来电人很急（“{urgent[0]}”）" if urgent and all(h.weight < STRONG for h in live) else ""
        return self._emergency_under(leaf, evidence, urgency)

    def refile(self, danger: Danger, leaf: str, why: str = "") -> Danger:
        """The same emergency under another emergency leaf (its own service and hand-over), `why` said after."""
        if leaf == danger.category or self._catalogue.leaf(leaf) is None:
            return danger
        moved = self._emergency_under(leaf, danger.evidence, "", source=danger.source)
        return replace(moved, reason=moved.reason + why)

    def _emergency_under(self, leaf: str, evidence: tuple[str, ...], urgency: str, said: str | None = None,
                         source: str = "rules") -> Danger:
        node = self._catalogue.leaf(leaf)
        assert node is not None
        service = self._catalogue.emergency_services.get(node.service or "")
        heard = "、".join(f"“{w}”" for w in evidence[:4])
        hand_over = ""
        if service:
            hand_over = f"，请转{service.name}" + (f"（{service.phone}）" if service.phone else "（号码未配置）")
        reason = f"{said or f'听到{heard}{urgency}'}，判断为紧急险情：{node.name}{hand_over}"
        return Danger(EMERGENCY, leaf, node.name, node.service, service.name if service else None,
                      service.phone if service else None, evidence, reason, source)

    def _first(self, hits: list[_Hit]) -> str:
        """The leaf that comes first in precedence among the strongest specific signs; a bare cry for
        help (快来人, 救命) only decides when nothing else was heard."""
        specific = [h for h in hits if h.leaf != _OTHER]
        pool = [h for h in specific if h.weight >= STRONG] or specific or hits
        return min(pool, key=lambda h: (self._rank[h.leaf], h.start)).leaf

    def _hazard(self, worried: list[_Hit], marker: str) -> Danger:
        node = self._catalogue.leaf(_HAZARD_LEAF)
        name = node.name if node else "安全隐患"
        evidence = tuple(dict.fromkeys(h.words for h in worried))
        heard = "、".join(f"“{w}”" for w in evidence[:3])
        said = f"“{marker}”" if marker else "担心的话"
        reason = f"听到{said}和{heard}：是隐患，还没有发生，不按紧急处理"
        return Danger(HAZARD_LEVEL, _HAZARD_LEAF, name, None, None, None, evidence, reason)


def _worried(hit: _Hit, before: list[re.Match], after: list[re.Match]) -> bool:
    return any(hit.start - _WORRY_BEFORE <= m.start() < hit.start for m in before) or \
        any(hit.end <= m.start() < hit.end + _WORRY_AFTER for m in after)


def _combine(leaf: str, hits: list[_Hit], first) -> str:
    """Several dangers in one call. A person down from gas or a live wire goes to 120; sparks and
    smoke from a wire or a switchboard are the power line's; a bang is only a sign of what else is
    heard (a main bursting); a worker buried by a collapse is a work accident; people made ill by a
    chemical cloud are the hazmat team's; water from a burst main is the water line's."""
    strong = {h.leaf for h in hits if h.weight >= STRONG}
    leaves = {h.leaf for h in hits}
    person_down = leaf == _INJURY or _INJURY in strong
    if person_down and "utility.gas.leak" in leaves:
        return "safety.rescue.poisoning"
    if person_down and "utility.power.wire_down" in leaves:
        return "safety.rescue.electric"
    own = [h for h in hits if h.leaf == leaf]
    if leaf == "safety.fire.fire" and "utility.power.wire_down" in leaves and \
            all(_ELECTRIC_FIRE.fullmatch(h.words) for h in own):
        return "utility.power.wire_down"
    if leaf == "safety.fire.explosion" and all(_BANG.fullmatch(h.words) for h in own) and strong - {leaf, _OTHER}:
        return _combine(first([h for h in hits if h.leaf != leaf]), hits, first)
    if leaf == "safety.structure.collapse" and "safety.rescue.work_accident" in strong:
        return "safety.rescue.work_accident"
    if leaf == "safety.rescue.poisoning" and "safety.fire.hazmat" in leaves:
        return "safety.fire.hazmat"
    if leaf == "safety.fire.explosion" and "utility.water.burst" in strong:
        return "utility.water.burst"  # a main or a valve bursting, told as 炸开
    if leaf == "safety.structure.flood" and "utility.water.burst" in strong:
        return "utility.water.burst"
    return leaf


_INJURY, _OTHER = "safety.rescue.injury", "safety.other.incident"
# A card stuck in a meter or a machine: only a strong sign of being trapped is a person.
_CARD = "(?:电|水|气|燃气|饭|银行|社保|医保|公交|IC)卡"
_CHIMNEY = "烟囱|烟筒"  # coloured smoke from a chimney is a pollution complaint unless a strong sign says more
_SMOKE = re.compile(r"[^火]*[烟呛糊焦][^火]*")  # smoke or a smell of burning, no flame


def _separate(hits: list[_Hit]) -> int:
    """How many signs that do not overlap (一股怪味 and 怪味 are one)."""
    count, end = 0, -1
    for hit in sorted(hits, key=lambda h: h.end):  # earliest end first: the most signs that do not overlap
        if hit.start >= end:
            count, end = count + 1, hit.end
    return count
# What a wire or a switchboard does when it shorts: not a fire of its own.
_ELECTRIC_FIRE = re.compile(r"冒烟了?|冒火|噼里啪啦|噼噼啪啪|火花|火星|往外冒烟|着了|烧焦|焦糊|糊味")
_BANG = re.compile(r"[嘭砰轰咚]的?一[声下]|巨响|一声响|闷响|崩了|震碎|轰隆|爆开")


