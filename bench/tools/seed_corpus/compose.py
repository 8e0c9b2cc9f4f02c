"""One utterance from one hand-written situation: speaker frame, place, numbers, fillers, slips, tokens.

The result reads as Vosk's Chinese model writes a phone call: space-separated words, no
punctuation, the caller's fillers and repetitions, and now and then a word heard wrong.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

import jieba

from .fragments import PLACE_KINDS, Situation, expand_alternatives, split_slots
from .gazetteer import Gazetteer, Place, unnamed
from .slips import slip
from .speech import (
    CHILDREN,
    CLOSERS,
    EXTRAS,
    FILLERS,
    OPENERS,
    PERSONS,
    PLACE_CLOSERS,
    PLACE_OPENERS,
    building,
    persona,
    phone,
    room,
)

jieba.setLogLevel(logging.WARNING)

MAX_TOKENS = 60
MIN_TOKENS = 5
SLIP_RATE = 0.36
PARTICLES = {"了", "的", "得", "地", "着", "过", "吗", "呢", "吧", "啊", "呀", "嘛", "们", "里", "上", "下"}


@dataclass(frozen=True)
class Leaf:
    """What the corpus needs of a catalogue leaf."""

    code: str
    name: str
    department: str
    tier: str
    lead_by_place: bool
    place_kind: str

    @property
    def emergency(self) -> bool:
        return self.tier == "emergency"


@dataclass(frozen=True)
class Utterance:
    """One corpus line."""

    text: str
    category: str
    department: str
    tier: str
    emergency: bool
    kind: str
    place: str | None
    slip: bool


# A part of an utterance: ("say", text) the caller's words, ("place", text) a place name,
# ("tokens", "a b c") already tokenised numbers. Only "say" parts take slips.
Part = tuple[str, str]


class Composer:
    """Builds utterances for one leaf from its situations with a seeded random stream."""

    def __init__(self, gazetteer: Gazetteer, rng: random.Random) -> None:
        self.gazetteer = gazetteer
        self.rng = rng

    def compose(self, leaf: Leaf, situation: Situation) -> Utterance:
        """A fresh rendering of `situation`; retried in short form if it came out too long or short."""
        for short in (self.rng.random() < 0.15, True):
            utterance = self._render(leaf, situation, short)
            if MIN_TOKENS <= len(utterance.text.split()) <= MAX_TOKENS:
                return utterance
        return utterance

    def _render(self, leaf: Leaf, situation: Situation, short: bool) -> Utterance:
        rng = self.rng
        template = expand_alternatives(situation.template, rng.choice)
        slots = [name for kind, name in split_slots(template) if kind == "slot" and name in PLACE_KINDS]
        wants_place = rng.random() < (0.55 if slots else 0.4)
        core, place = self._core(leaf, template, wants_place)
        opener, closer = self._frame(leaf, situation.kind, short)
        if wants_place and place is None:
            place = self._frame_place(leaf, opener, closer)
        parts = opener + core + closer
        slipped = rng.random() < SLIP_RATE and self._slip(parts)
        tokens = self._tokens(parts)
        department = place.department if (place and leaf.lead_by_place) else leaf.department
        return Utterance(" ".join(tokens), leaf.code, department, leaf.tier, leaf.emergency, situation.kind,
                         place.name if place else None, slipped)

    def _frame_place(self, leaf: Leaf, opener: list[Part], closer: list[Part]) -> Place:
        """Name a place in the speaker frame when the situation itself names none."""
        rng = self.rng
        place = self.gazetteer.pick("home" if leaf.place_kind == "spot" else leaf.place_kind, rng, leaf.lead_by_place)
        said = ("place", self.gazetteer.spoken(place, rng))
        where, frame = _place_frame(place.kind, rng)
        if where == "opener":
            opener += _fill_frame(frame, said)  # after the greeting: 「喂 你好 我 是 东关新村 的」
        else:
            closer[0:0] = _fill_frame(frame, said)
        return place

    def _core(self, leaf: Leaf, template: str, wants_place: bool) -> tuple[list[Part], Place | None]:
        rng = self.rng
        parts: list[Part] = []
        place: Place | None = None
        for kind, value in split_slots(template):
            if kind == "text":
                parts.append(("say", value))
            elif value in PLACE_KINDS and wants_place and place is None:
                place = self.gazetteer.pick(value, rng, leaf.lead_by_place)
                parts.append(("place", self.gazetteer.spoken(place, rng)))
                if place.kind == "compound" and "{bld}" not in template and rng.random() < 0.3:
                    parts.append(("tokens", " ".join(building(rng))))
            elif value in PLACE_KINDS:
                parts.append(("say", unnamed(value, rng)))
            elif value in ("bld", "room", "phone"):
                parts.append(("tokens", " ".join({"bld": building, "room": room, "phone": phone}[value](rng))))
            else:
                parts.append(("say", rng.choice(PERSONS if value == "who" else CHILDREN)))
        return parts, place

    def _frame(self, leaf: Leaf, kind: str, short: bool) -> tuple[list[Part], list[Part]]:
        rng = self.rng
        if short:
            return [], []
        speaker = persona(kind, leaf.emergency, rng)
        opener: list[Part] = [("say", rng.choice(OPENERS[speaker]))] if rng.random() < 0.65 else []
        closer: list[Part] = []
        if not leaf.emergency and kind in ("投诉", "求助") and rng.random() < 0.18:
            closer.append(("say", rng.choice(EXTRAS["time"])))
        if rng.random() < 0.55:
            closer.append(("say", rng.choice(CLOSERS["urgent" if leaf.emergency else kind])))
        if rng.random() < (0.05 if leaf.emergency else 0.15):
            closer += _fill_frame(rng.choice(EXTRAS["phone"]), ("tokens", " ".join(phone(rng))))
        return opener, closer

    def _slip(self, parts: list[Part]) -> bool:
        """Slip one of the caller's own stretches (twice now and then); True if the text changed."""
        said = [index for index, (kind, text) in enumerate(parts) if kind == "say" and len(text.strip()) > 1]
        changed = False
        for _ in range(2 if self.rng.random() < 0.2 else 1):
            if not said:
                break
            index = self.rng.choice(said)
            before = parts[index][1]
            parts[index] = ("say", slip(before, self.rng))
            changed = changed or parts[index][1] != before
        return changed

    def _tokens(self, parts: list[Part]) -> list[str]:
        rng = self.rng
        tokens: list[str] = []
        movable: list[int] = []  # positions of the caller's own words, where fillers and repeats may go
        for kind, text in parts:
            if kind == "tokens":
                tokens += text.split()
                continue
            for word in _segment(text, hmm=kind == "place"):
                if kind == "say" and len(word) == 2 and rng.random() < 0.05:
                    tokens += list(word)
                else:
                    tokens.append(word)
                if kind == "say":
                    movable.append(len(tokens))
        return _disfluent(tokens, movable, rng)


def _segment(text: str, hmm: bool = False) -> list[str]:
    """Words as the recogniser's lexicon would cut them; names it does not know often stay whole."""
    return [word for chunk in text.split() for word in jieba.lcut(chunk, HMM=hmm) if word.strip()]


def _disfluent(tokens: list[str], movable: list[int], rng: random.Random) -> list[str]:
    """Fillers at a few word boundaries and a repeated word, as people talk on the phone."""
    # A filler never comes between a word and the particle that closes it (「倒 就是 了」).
    movable = [at for at in movable if at >= len(tokens) or tokens[at] not in PARTICLES]
    inserts: dict[int, list[str]] = {}
    for _ in range(rng.choice((0, 0, 0, 1, 1, 1, 2, 3))):
        if movable:
            inserts.setdefault(rng.choice(movable), []).append(rng.choice(FILLERS))
    if movable and rng.random() < 0.3:
        position = rng.choice(movable)
        inserts.setdefault(position, []).append(tokens[position - 1])
    spoken: list[str] = []
    for position, token in enumerate(tokens, start=1):
        spoken.append(token)
        for extra in inserts.get(position, []):
            spoken += extra.split()
    return spoken


def _place_frame(place_kind: str, rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.6:
        group = place_kind if place_kind in PLACE_OPENERS else "other"
        return "opener", rng.choice(PLACE_OPENERS[group])
    return "closer", rng.choice(PLACE_CLOSERS)


def _fill_frame(frame: str, filler: Part) -> list[Part]:
    """`'我是{place}的'` with a place part → say/place/say parts."""
    key = "{place}" if "{place}" in frame else "{phone}"
    before, _, after = frame.partition(key)
    return [part for part in (("say", before), filler, ("say", after)) if part[1].strip()]
