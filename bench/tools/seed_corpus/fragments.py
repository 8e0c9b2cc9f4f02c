"""Hand-written situation fragments per leaf category, read from the `fragments/*.txt` files.

File format, one situation per line:

    @ urban.road.damage road        leaf code, then optionally the place kind its frames name
    投 {road}上有个大坑[下雨天|一下雨]全是水   kind mark, then the caller's words

Kind marks: 咨 咨询, 求 求助, 投 投诉, 举 举报, 建 建议, 表 表扬. `[a|b|]` picks one alternative
(an empty one drops the part); `{slot}` is filled by the generator (places, numbers, persons).
Lines starting with `#` are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

KIND_MARKS = {"咨": "咨询", "求": "求助", "投": "投诉", "举": "举报", "建": "建议", "表": "表扬"}
PLACE_KINDS = ("road", "compound", "village", "spot", "area", "landmark", "hospital", "school", "market", "station",
               "police", "scenic", "water", "office")
SLOTS = set(PLACE_KINDS) | {"bld", "room", "phone", "who", "kid"}
_SLOT = re.compile(r"\{(\w+)\}")
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class Situation:
    """One hand-written situation: its request kind and its template."""

    kind: str
    template: str


@dataclass
class LeafFragments:
    """The situations written for one leaf and the place kind its speaker frames name."""

    code: str
    place_kind: str | None
    situations: list[Situation] = field(default_factory=list)


class FragmentError(ValueError):
    """A fragment file line that cannot be read."""


def read_fragments(directory: Path) -> dict[str, LeafFragments]:
    """All leaves' fragments from every `*.txt` file in `directory`, in file and line order."""
    found: dict[str, LeafFragments] = {}
    for path in sorted(directory.glob("*.txt")):
        current: LeafFragments | None = None
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path.name}:{number}"
            if line.startswith("@"):
                current = _header(line, where, found)
                found[current.code] = current
                continue
            if current is None:
                raise FragmentError(f"{where}: situation before any @ header")
            current.situations.append(_situation(line, where))
    return found


def _header(line: str, where: str, found: dict[str, LeafFragments]) -> LeafFragments:
    parts = line[1:].split()
    if not parts or len(parts) > 2:
        raise FragmentError(f"{where}: header is '@ code [place kind]'")
    if parts[0] in found:
        raise FragmentError(f"{where}: {parts[0]} written twice")
    kind = parts[1] if len(parts) == 2 else None
    if kind is not None and kind not in PLACE_KINDS:
        raise FragmentError(f"{where}: unknown place kind {kind}")
    return LeafFragments(parts[0], kind)


def _situation(line: str, where: str) -> Situation:
    mark, _, template = line.partition(" ")
    if mark not in KIND_MARKS or not template.strip():
        raise FragmentError(f"{where}: a situation starts with one of {''.join(KIND_MARKS)} and a space")
    unknown = [slot for slot in _SLOT.findall(template) if slot not in SLOTS]
    if unknown:
        raise FragmentError(f"{where}: unknown slot {unknown[0]}")
    return Situation(KIND_MARKS[mark], template.strip())


def expand_alternatives(template: str, choose) -> str:
    """Replace every `[a|b|…]` by one alternative picked with `choose(options)`."""
    return _ALTERNATIVES.sub(lambda match: choose(match.group(1).split("|")), template)


def split_slots(template: str) -> list[tuple[str, str]]:
    """`'在{road}上有坑'` → `[('text', '在'), ('slot', 'road'), ('text', '上有坑')]`."""
    parts: list[tuple[str, str]] = []
    position = 0
    for match in _SLOT.finditer(template):
        if match.start() > position:
            parts.append(("text", template[position:match.start()]))
        parts.append(("slot", match.group(1)))
        position = match.end()
    if position < len(template):
        parts.append(("text", template[position:]))
    return parts
