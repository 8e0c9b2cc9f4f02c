"""Places in what a citizen said (地点识别): the most specific place named, and its street office / township.

The gazetteer joins config/places.yaml (roads, 小区, 村, landmarks, with aliases callers use) and
the department tree (streets, townships, communities, villages). A caller names places in passing
(「就是 那个 幸福 小区 三 号楼」): the most specific one wins (a 小区 over the road it is on, a road
over the street office), fillers never become part of a name, and a name filed under several
street offices (幸福小区, 王庄村) is settled by the caller's other words (冠县, 侯营镇) or left
open. A place that is not in the gazetteer is still taken from its place word (…小区, …路, …村).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from hotline.core.config import DepartmentNode, walk_departments
from hotline.core.config_places import PlaceEntry, PlacesFile
from hotline.text.normalize import join_tokens

_OFFICE_KINDS = ("street", "township")
_RANK = {"compound": 4, "village": 4, "landmark": 4, "road": 3}
# Place words a name not in the gazetteer ends with, most specific first; ranked like the kinds above.
_SUFFIX_RANK = ((("小区", "花园", "家园", "公寓", "新村", "苑", "大厦", "村", "广场", "市场", "中学", "小学", "学校",
                  "医院", "公园", "车站", "西站", "东站", "商场", "超市"), 4),
                (("大道", "大街", "路", "街", "巷", "胡同"), 3))
_NAME_CHAR = r"[^\s\W了的是在有没不很都也就还和跟被把让给我你他她它们这那哪吗呢吧啊呀嗯呃喂要想说已经请帮看去来住个]"
_FALLBACK = re.compile(rf"{_NAME_CHAR}{{2,8}}?(?:{'|'.join(s for group, _ in _SUFFIX_RANK for s in group)})")
_NOT_A_NAME = {"小区", "马路", "大路", "村里", "街上", "路上", "公路", "道路", "马路上", "这条路", "那条路",
               "一条路", "门口大路", "农村", "本村", "我们村", "俺村", "全村", "村子",
               "市场", "超市", "学校", "医院", "公园", "广场", "大街"}
_SPEAKER = ("俺们", "我们", "咱们", "俺", "咱", "我家", "家门口", "门口", "前面", "后面", "对面", "旁边", "附近",
            "隔壁", "上个", "那个", "这个", "哪个", "就是", "然后", "一个", "一条", "这条", "那条", "个")
# Words inside a would-be name that show it is a phrase, not a name: 门口大路, 整条街, 走马路, 十字路口.
_GENERIC = re.compile(r"门口|大路|马路|条|全|整|半|些|种|这|那|俺|咱|用|事|走|修|过|开|车|里|上|下|"
                      r"中间|十字|口|打|说|快|沿街|小巷|背街|农村|保障房|一|二|三|几|多|每|各|别|得|着|"
                      r"情况|政策|读|到|从|带|拉|喘|再|任|边|对门|飘|堆|"
                      r"学校|医院|商场|市场|超市|小区|困难|比|在|家|然后|问|想")
_COMMON_HEADS = {"孩子", "孩紫", "还子", "老年", "私立", "公立", "小吃", "电话", "课外", "健身", "水泥", "老人",
                 "小区", "我们", "步行", "商业", "农贸", "菜", "停车", "加油", "汽车", "火车", "公交", "高速",
                 "乡村", "城中", "附近"}
_STEM = re.compile(r"(?:街道办事处|街道|办事处|镇|乡|区|县|市)$")


@dataclass(frozen=True)
class Place:
    name: str  # the gazetteer name, or the words said when the gazetteer does not know it
    said: str  # the words the caller used
    kind: str  # road | compound | village | landmark | area | unknown
    department: str | None  # street office / township (or district / county) code; None when undecided
    department_name: str | None
    known: bool  # in the gazetteer
    candidates: tuple[str, ...] = ()  # department codes a name filed under several could mean
    reason: str = ""

    def as_dict(self) -> dict:
        return asdict(self) | {"candidates": list(self.candidates)}


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: str
    department: str
    rank: int


class Gazetteer:
    """Every name and alias of the gazetteer, and what each department is called (for settling names)."""

    def __init__(self, places: PlacesFile, departments: Sequence[DepartmentNode] = ()):
        self.names: dict[str, str] = {}
        self._context: dict[str, tuple[str, ...]] = {}
        self._by_word: dict[str, list[_Entry]] = {}
        self._tree(list(departments))
        for entry in places.places:
            self._add(entry)
        self._first: dict[str, list[str]] = {}
        for word in sorted(self._by_word, key=len, reverse=True):
            self._first.setdefault(word[0], []).append(word)

    @classmethod
    def from_config(cls, config) -> Gazetteer:
        return cls(config.places, config.departments.departments)

    def _tree(self, roots: list[DepartmentNode]) -> None:
        chain: dict[str, tuple[str, ...]] = {}
        for node, parent, _ in walk_departments(roots):
            self.names[node.code] = node.name
            above = chain.get(parent.code, ()) if parent else ()
            words = (node.name, _STEM.sub("", node.name)) if node.kind in (*_OFFICE_KINDS, "county", "district") else ()
            chain[node.code] = above + tuple(w for w in words if len(w) >= 2)
            self._context[node.code] = chain[node.code]
            if node.kind in _OFFICE_KINDS or (node.kind in ("community", "village") and parent is not None):
                office = node.code if node.kind in _OFFICE_KINDS else parent.code
                kind = "village" if node.kind == "village" else "area"
                rank = 4 if kind == "village" else 2 if node.kind == "community" else 1
                self._put(node.name, _Entry(node.name, kind, office, rank))

    def _add(self, entry: PlaceEntry) -> None:
        rank = _RANK.get(entry.kind) or (2 if entry.name.endswith(("社区", "村")) else
                                         1 if len(entry.department) > 6 else 0)
        item = _Entry(entry.name, entry.kind, entry.department, rank)
        for word in (entry.name, *entry.aliases):
            if len(word) >= 2:
                self._put(word, item)

    def _put(self, word: str, item: _Entry) -> None:
        found = self._by_word.setdefault(word, [])
        if not any(e.name == item.name and e.department == item.department for e in found):
            found.append(item)

    def find(self, text: str) -> list[tuple[int, str, list[_Entry]]]:
        """(position, word said, entries) for every name heard, longest first, not overlapping."""
        out: list[tuple[int, str, list[_Entry]]] = []
        i = 0
        while i < len(text):
            word = next((w for w in self._first.get(text[i], ()) if text.startswith(w, i)), None)
            if word:
                out.append((i, word, self._by_word[word]))
                i += len(word)
            else:
                i += 1
        return out

    def context(self, code: str) -> tuple[str, ...]:
        return self._context.get(code, ())


def extract_place(text: str, gazetteer: Gazetteer) -> Place | None:
    """The most specific place named in `text` (recogniser tokens or typed), or None."""
    starts = _token_starts(text or "")
    text = join_tokens(text or "")
    heard = gazetteer.find(text)
    best = max(heard, key=lambda h: (max(e.rank for e in h[2]), -h[0]), default=None)
    guess = _unlisted(text, heard, starts)
    if guess and (best is None or (guess[1] > max(e.rank for e in best[2]) and max(e.rank for e in best[2]) <= 2)):
        return _unknown(guess[0], heard, gazetteer)
    if best is None:
        return None
    return _known(best[1], best[2], text, heard, gazetteer)


def _known(said: str, entries: list[_Entry], text: str, heard, gazetteer: Gazetteer) -> Place:
    entries = [e for e in entries if e.rank == max(x.rank for x in entries)]
    names = {e.name for e in entries}
    offices = sorted({e.department for e in entries})
    chosen, why = _settle(offices, text, heard, gazetteer)
    entry = next((e for e in entries if e.department == chosen), entries[0])
    name = entry.name if len(names) == 1 or chosen else said
    office_name = gazetteer.names.get(chosen) if chosen else None
    if chosen and len(offices) > 1:
        reason = f"听到“{said}”，地名库里有{len(offices)}处同名，{why}，定为{office_name}的{name}"
    elif chosen:
        via = "" if said == name else f"（即{name}）"
        reason = f"听到“{said}”{via}，属{office_name}"
    else:
        reason = f"听到“{said}”，地名库里有{len(offices)}处同名，来电没有说是哪个街道或乡镇，请话务员确认"
    return Place(name, said, entry.kind, chosen, office_name, True, tuple(offices) if len(offices) > 1 else (),
                 reason)


def _settle(offices: list[str], text: str, heard, gazetteer: Gazetteer) -> tuple[str | None, str]:
    """One office when the name has one, or when the caller's other words point to one of several."""
    if len(offices) == 1:
        return offices[0], ""
    others = {e.department for _, _, entries in heard for e in entries if len(entries) == 1}
    score: dict[str, int] = {}
    for code in offices:
        words = [w for w in gazetteer.context(code) if w in text]
        score[code] = len(words) + 2 * (code in others)
    top = max(score.values())
    winners = [c for c, s in score.items() if s == top]
    if top == 0 or len(winners) > 1:
        return None, ""
    said = next((w for w in gazetteer.context(winners[0]) if w in text), None)
    return winners[0], f"来电还说了“{said}”" if said else "来电说的其他地点在那里"


def _token_starts(raw: str) -> set[int] | None:
    """Where the recogniser's words begin in the joined text; None for typed text without spaces."""
    tokens = raw.split()
    if len(tokens) < 3:
        return None
    starts, at = set(), 0
    for token in tokens:
        starts.add(at)
        at += len(token)
    return starts | {-at}  # the end of the last word, negated: ends and starts are told apart by sign


def _unlisted(text: str, heard, starts: set[int] | None) -> tuple[str, int] | None:
    """The most specific place word the gazetteer does not know (人民广场, 昌润北路), fillers cut off.

    A name begins where the recogniser began a word, and holds none of the words callers put
    before a place (那条, 门口, 俺村 …): with no punctuation, anything else is a guess."""
    spans = [(i, i + len(w)) for i, w, _ in heard]
    best: tuple[str, int] | None = None
    for match in _FALLBACK.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in spans):
            continue
        name = _trim(match.group(0))
        start = end - len(name)
        if starts is not None and (start not in starts or (end not in starts and -end not in starts)):
            continue
        rank = next((r for group, r in _SUFFIX_RANK if name.endswith(group)), 0)
        head = next((name[:-len(s)] for group, _ in _SUFFIX_RANK for s in group if name.endswith(s)), name)
        if (len(head) >= 2 and name not in _NOT_A_NAME and head not in _COMMON_HEADS and not _GENERIC.search(head)
                and (best is None or rank > best[1])):
            best = (name, rank)
    return best


def _trim(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in _SPEAKER:
            if name.startswith(word) and len(name) > len(word) + 1:
                name, changed = name[len(word):], True
    return name


def _unknown(name: str, heard, gazetteer: Gazetteer) -> Place:
    areas = sorted({e.department for _, _, entries in heard for e in entries if len(entries) == 1})
    office = areas[0] if len(areas) == 1 else None
    office_name = gazetteer.names.get(office) if office else None
    where = f"，在{office_name}" if office_name else "，请话务员确认属地"
    return Place(name, name, "unknown", office, office_name, False,
                 reason=f"听到“{name}”，地名库里没有这个地方{where}")
