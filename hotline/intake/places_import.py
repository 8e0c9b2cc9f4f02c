"""Gazetteer entries from a CSV a centre keeps of its roads, 小区, villages and landmarks (地名导入).

Columns: name, kind (road/compound/village/landmark/area or 道路/小区/村/地标/片区), department (a
code of departments.yaml or the street office / township name), aliases (separated by ; 、 or |),
ambiguous (optional: 是/true/1). New entries are appended to config/places.yaml, so the comments
and the entries already there stay as they are; a name already filed under the same department
only gains the aliases it lacks being reported, never a second entry.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from hotline.core.config import HotlineConfig, walk_departments
from hotline.core.config_places import PlaceEntry
from hotline.core.errors import InvalidInputError

KIND_WORDS = {"道路": "road", "路": "road", "街": "road", "小区": "compound", "村": "village", "村庄": "village",
              "地标": "landmark", "单位": "landmark", "片区": "area", "区域": "area", "社区": "area"}
_ALIAS_SPLIT = re.compile(r"[;；、|]")
_YES = {"是", "true", "1", "yes", "y"}


@dataclass
class ImportResult:
    added: list[PlaceEntry] = field(default_factory=list)
    known: list[str] = field(default_factory=list)  # already in the gazetteer under that department
    problems: list[str] = field(default_factory=list)  # rows refused, each with its line number


def read_places_csv(text: str, config: HotlineConfig) -> ImportResult:
    """Parse and check every row; a row with a problem is refused and named, the others are kept."""
    by_name = {node.name: node.code for node, _, _ in walk_departments(config.departments.departments)}
    codes = set(by_name.values())
    existing = {(p.name, p.department) for p in config.places.places}
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise InvalidInputError("the CSV file is empty", error_id="places_csv_empty")
    header = [h.strip().lower() for h in rows[0]]
    if "name" not in header or "department" not in header:
        raise InvalidInputError("the first line must name the columns: name, kind, department, aliases, ambiguous",
                                error_id="places_csv_header")
    result = ImportResult()
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        entry, problem = _entry(cells, by_name, codes)
        if problem:
            result.problems.append(f"line {number}: {problem}")
        elif entry and ((entry.name, entry.department) in existing or (entry.name, entry.department) in seen):
            result.known.append(entry.name)
        elif entry:
            seen.add((entry.name, entry.department))
            result.added.append(entry)
    return result


def _entry(cells: dict[str, str], by_name: dict[str, str], codes: set[str]) -> tuple[PlaceEntry | None, str | None]:
    name, department = cells.get("name", ""), cells.get("department", "")
    kind = cells.get("kind", "") or "landmark"
    kind = KIND_WORDS.get(kind, kind)
    code = department if department in codes else by_name.get(department)
    if len(name) < 2:
        return None, f"name '{name}' is too short"
    if code is None:
        return None, f"'{department}' is neither a department code nor a department name in departments.yaml"
    if kind not in ("road", "compound", "village", "landmark", "area"):
        return None, f"kind '{kind}' is not road, compound, village, landmark or area"
    aliases = [a.strip() for a in _ALIAS_SPLIT.split(cells.get("aliases", "")) if len(a.strip()) >= 2]
    ambiguous = cells.get("ambiguous", "").lower() in _YES
    return PlaceEntry(name=name, kind=kind, department=code, aliases=aliases, ambiguous=ambiguous), None


def append_places(path: Path, entries: list[PlaceEntry], source: str) -> None:
    """Append entries to places.yaml in the file's own one-line style."""
    lines = [f"  # imported from {source}"]
    for entry in entries:
        aliases = ", ".join(json.dumps(a, ensure_ascii=False) for a in entry.aliases)
        extra = ", ambiguous: true" if entry.ambiguous else ""
        lines.append(f"  - {{name: {json.dumps(entry.name, ensure_ascii=False)}, kind: {entry.kind}, "
                     f"department: '{entry.department}', aliases: [{aliases}]{extra}}}")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
