"""Notice templates as operators write them in config/notices.yaml: {variable} is replaced by its value, and a part
in [ ] is optional — it is left out when a variable inside it has no value. Each event says which variables
exist; one that may be missing must stand inside [ ], so every template renders with and without optional data."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

COMMON = frozenset({"ticket", "status_url", "ivr_key", "hotline"})


@dataclass(frozen=True)
class EventVariables:
    required: frozenset[str]  # always given by the code
    optional: frozenset[str] = frozenset()  # given when known: only inside [ ]
    must_use: frozenset[str] = frozenset({"ticket"})  # the template has to tell these

    @property
    def allowed(self) -> frozenset[str]:
        return COMMON | self.required | self.optional


NOTICE_EVENTS: dict[str, EventVariables] = {
    "accepted": EventVariables(frozenset({"code"}), must_use=frozenset({"ticket", "code"})),
    "dispatched": EventVariables(frozenset({"department", "due"}), frozenset({"co_departments"})),
    "extended": EventVariables(frozenset({"due", "days"})),
    "completed": EventVariables(frozenset(), frozenset({"result", "department", "rate_url"})),
    "redone": EventVariables(frozenset(), frozenset({"department"})),
}
# Plausible values of full length, to check the rendered size at start-up.
SAMPLES = {"ticket": "20261123-0001", "code": "123456", "status_url": "https://12345.example.gov.cn/status",
           "ivr_key": "2", "hotline": "12345", "department": "聊城市住房和城乡建设局", "due": "11月27日 17:00",
           "co_departments": "东昌府区古楼街道办事处、聊城市城市管理局", "days": "5",
           "result": "管道已修复，供水已恢复正常，感谢您的反映。", "rate_url": "https://12345.example.gov.cn/m/r/AbCdEfGhIjKl"}


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class _Part:
    text: str
    optional: bool
    fields: tuple[str, ...]


class NoticeTemplate:
    """A parsed template; `render` leaves out optional parts whose variables have no value."""

    def __init__(self, text: str):
        self.text = text
        self.parts = tuple(_part(chunk, optional) for chunk, optional in _split(text))

    @property
    def variables(self) -> set[str]:
        return {name for part in self.parts for name in part.fields}

    def problems(self, event: str) -> list[str]:
        """What is wrong with this template for `event` (empty when it is fine)."""
        spec = NOTICE_EVENTS[event]
        out = [f"unknown variable {{{name}}} (this notice may use: {', '.join(sorted(spec.allowed))})"
               for name in sorted(self.variables - spec.allowed)]
        outside = {name for part in self.parts if not part.optional for name in part.fields}
        out += [f"{{{name}}} may have no value: put it inside [ ]" for name in sorted(outside & spec.optional)]
        out += [f"the notice must tell {{{name}}}" for name in sorted(spec.must_use - self.variables)]
        return out

    def render(self, values: Mapping[str, str | None]) -> str:
        out = []
        for part in self.parts:
            given = {name: values.get(name) for name in part.fields}
            if part.optional and not all(given.values()):
                continue
            missing = [name for name, value in given.items() if value is None]
            if missing:
                raise KeyError(f"no value for {', '.join(missing)}")
            out.append(part.text.format(**given))
        return "".join(out)


def _split(text: str) -> list[tuple[str, bool]]:
    chunks: list[tuple[str, bool]] = []
    rest = text
    while rest:
        start = rest.find("[")
        end = rest.find("]")
        if end != -1 and (start == -1 or end < start):
            raise TemplateError("']' without '['")
        if start == -1:
            chunks.append((rest, False))
            break
        close = rest.find("]", start)
        if close == -1:
            raise TemplateError("'[' without ']'")
        if "[" in rest[start + 1:close]:
            raise TemplateError("optional parts cannot nest")
        chunks += [(rest[:start], False), (rest[start + 1:close], True)]
        rest = rest[close + 1:]
    return [(chunk, optional) for chunk, optional in chunks if chunk]


def _part(text: str, optional: bool) -> _Part:
    fields = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(f"braces: {exc}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(f"{{{name}}} is not a plain variable name")
        fields.append(name)
    return _Part(text, optional, tuple(fields))


def check_template(event: str, text: str, max_chars: int) -> list[str]:
    """Every problem of one event's template, rendered with and without its optional data."""
    if event not in NOTICE_EVENTS:
        return [f"no such notice (known: {', '.join(NOTICE_EVENTS)})"]
    try:
        template = NoticeTemplate(text)
    except TemplateError as exc:
        return [str(exc)]
    problems = template.problems(event)
    if problems:
        return problems
    spec = NOTICE_EVENTS[event]
    full = {name: SAMPLES[name] for name in spec.allowed}
    bare = {name: SAMPLES[name] for name in COMMON | spec.required}
    for values in (full, bare):
        rendered = template.render(values)
        if not rendered.strip():
            problems.append("renders as empty text")
        if len(rendered) > max_chars:
            problems.append(f"renders to {len(rendered)} characters with sample values (at most {max_chars})")
    return problems
