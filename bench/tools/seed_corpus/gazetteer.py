"""Places from config/places.yaml for the corpus: what the caller says and what is recorded."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

# Which gazetteer kinds a template slot may name; `spot` is anywhere a caller stands. Landmarks
# are told apart by what their names say they are, so that a hospital complaint names a hospital.
SLOT_KINDS: dict[str, tuple[str, ...]] = {
    "road": ("road",),
    "compound": ("compound",),
    "village": ("village",),
    "landmark": ("landmark",),
    "area": ("area",),
    "spot": ("road", "compound", "landmark", "landmark", "area", "village"),
    "home": ("compound", "compound", "road", "area", "village"),  # where a caller says they live or stand
    "hospital": ("hospital",),
    "school": ("school",),
    "market": ("market",),
    "station": ("station",),
    "police": ("police",),
    "scenic": ("scenic",),
    "water": ("water",),
    "office": ("office",),
}
LANDMARK_KINDS = (
    ("hospital", re.compile("医院|卫生院|妇幼")),
    ("school", re.compile("小学|中学|一中|二中|学校|学院|大学")),
    ("market", re.compile("市场|大集|商厦|购物中心|广场")),
    ("station", re.compile("汽车站|汽车总站|聊城站")),
    ("police", re.compile("派出所")),
    ("office", re.compile("政府|政务|图书馆|集团|工业园|阿胶")),
    ("water", re.compile("河|湖|闸|湿地")),
)

# What a caller says instead when no place is named.
UNNAMED: dict[str, tuple[str, ...]] = {
    "road": ("我们这条路", "家门口那条路", "前面那条路", "小区外面那条路", "这条街", "我们这边的路", "门口大路"),
    "compound": ("我们小区", "我住的小区", "我们这个小区", "我们院里", "我们这个楼", "俺们小区"),
    "village": ("我们村", "俺村", "我们庄上", "俺庄里", "我们村里", "俺们那个村"),
    "landmark": ("那边", "前头那个地方", "那个路口", "那一块"),
    "area": ("我们这一片", "我们这片儿", "我们街道", "我们这块"),
    "spot": ("这边", "我们这一块", "我家附近", "我们这儿", "就在这附近"),
    "hospital": ("医院", "那个医院", "我们这卫生院", "县医院", "市里的医院"),
    "school": ("孩子学校", "我们这个学校", "那个学校", "孩子上的学校"),
    "market": ("菜市场", "大集上", "市场里", "商场里"),
    "station": ("汽车站", "车站", "车站那边"),
    "police": ("派出所", "那个派出所", "我们这的派出所"),
    "scenic": ("那个园子里", "那个公园里", "那个馆里", "那个旅游的地方"),
    "office": ("政务大厅", "办事大厅", "区里的大厅", "市民中心"),
    "water": ("那条河", "村边那条河", "那个湖", "大河", "公园那个湖", "那个河沟"),
}


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: its full name, the words a caller may use, its kind and its street/township."""

    name: str
    kind: str
    department: str
    spoken: tuple[str, ...]
    ambiguous: bool
    local: bool  # filed under a street office or township, not a whole district or county


class Gazetteer:
    """Places a generated utterance may name, by kind, for leaves routed by place and for the rest."""

    def __init__(self, places: list[dict[str, Any]], department_kinds: dict[str, str]) -> None:
        self.by_kind: dict[str, list[Place]] = {}
        for entry in places:
            department = str(entry["department"])
            place = Place(entry["name"], entry["kind"], department, (entry["name"], *entry.get("aliases", [])),
                          bool(entry.get("ambiguous")), department_kinds.get(department) in {"street", "township"})
            self.by_kind.setdefault(_kind(entry), []).append(place)
            if place.kind == "landmark":
                self.by_kind.setdefault("landmark", []).append(place)

    def pick(self, slot: str, rng: random.Random, routed_by_place: bool) -> Place:
        """A place for `slot`; one that routes to a single street office when the leaf is led by place."""
        kind = rng.choice(SLOT_KINDS[slot])
        options = self.by_kind[kind]
        if routed_by_place:
            options = [place for place in options if place.local and not place.ambiguous]
        return rng.choice(options)

    @staticmethod
    def spoken(place: Place, rng: random.Random) -> str:
        """The full name most of the time, otherwise an alias callers use."""
        if len(place.spoken) > 1 and rng.random() < 0.3:
            return rng.choice(place.spoken[1:])
        return place.name


def _kind(entry: dict[str, Any]) -> str:
    """Landmarks by what they are (hospital, school …, else a sight); other kinds as they are."""
    if entry["kind"] != "landmark":
        return entry["kind"]
    return next((kind for kind, pattern in LANDMARK_KINDS if pattern.search(entry["name"])), "scenic")


def unnamed(slot: str, rng: random.Random) -> str:
    """What the caller says for a place slot when naming no place."""
    return rng.choice(UNNAMED[slot])
