"""Reading Asterisk's .conf files as Asterisk does: `[section](template)`, `key = value` and
`key => value`, `;` comments (`\\;` is a literal semicolon), repeated keys kept in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_SECTION = re.compile(r"^\[([^\]]+)\](?:\(([^)]*)\))?")


@dataclass(frozen=True)
class Line:
    key: str
    value: str
    number: int
    comment: str  # what followed `;` on the line


@dataclass
class Section:
    name: str
    options: str  # `(!)` for a template, `(agent-template)` for one that uses it
    lines: list[Line] = field(default_factory=list)

    def get(self, key: str) -> str | None:
        """The last value of `key` (Asterisk's own rule for single-valued options)."""
        values = self.all(key)
        return values[-1] if values else None

    def all(self, key: str) -> list[str]:
        return [line.value for line in self.lines if line.key.lower() == key.lower()]


@dataclass
class ConfFile:
    path: Path
    sections: list[Section]
    includes: list[str]

    def section(self, name: str, of_type: str | None = None) -> Section | None:
        """A section by name (and `type = …` for pjsip.conf, where several share a name)."""
        return next((s for s in self.sections if s.name == name and (of_type is None or s.get("type") == of_type)),
                    None)

    def lines(self) -> list[tuple[Section, Line]]:
        return [(s, line) for s in self.sections for line in s.lines]


def read_conf(path: Path) -> ConfFile:
    sections: list[Section] = [Section("", "")]
    includes: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        text, comment = _split_comment(raw)
        text = text.strip()
        if not text:
            continue
        if text.startswith("#include"):
            includes.append(text.split(None, 1)[1].strip('"<> ') if " " in text else "")
            continue
        match = _SECTION.match(text)
        if match:
            sections.append(Section(match.group(1).strip(), match.group(2) or ""))
            continue
        at = text.find("=")
        skip = 2 if text[at + 1:at + 2] == ">" else 1  # `exten => …` as `key = value`
        key, value = (text, "") if at < 0 else (text[:at], text[at + skip:])
        sections[-1].lines.append(Line(key.strip(), value.strip(), number, comment.strip()))
    return ConfFile(path, [s for s in sections if s.name or s.lines], includes)


def _split_comment(raw: str) -> tuple[str, str]:
    at = 0
    while True:
        at = raw.find(";", at)
        if at < 0:
            return raw.replace("\\;", ";"), ""
        if at > 0 and raw[at - 1] == "\\":
            at += 1
            continue
        return raw[:at].replace("\\;", ";"), raw[at + 1:]
