"""Reply templates (config/reply_templates.yaml): wording a department starts its 反馈 or 办理结果 from, by
category. A key is a catalogue code or the start of codes ("utility.water" covers its leaves); the longest
matching key's templates come first, then the default ones."""

from __future__ import annotations

import string

from pydantic import BaseModel, ConfigDict, Field, model_validator

PLACEHOLDERS = ("title", "place", "department", "received")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReplyTemplate(_Strict):
    name: str = Field(min_length=1, max_length=30)
    text: str = Field(min_length=1, max_length=2000)


class TemplateSet(_Strict):
    reply: list[ReplyTemplate] = Field(default=[], max_length=20)
    result: list[ReplyTemplate] = Field(default=[], max_length=20)


class ReplyTemplatesFile(_Strict):
    templates: dict[str, TemplateSet] = {"default": TemplateSet()}

    @model_validator(mode="after")
    def _default_and_placeholders(self) -> ReplyTemplatesFile:
        if "default" not in self.templates:
            raise ValueError("templates: a 'default' set is required")
        for key, found in self.templates.items():
            for kind, items in (("reply", found.reply), ("result", found.result)):
                for i, t in enumerate(items):
                    unknown = _fields(t.text) - set(PLACEHOLDERS)
                    if unknown:
                        raise ValueError(f"templates.{key}.{kind}[{i}]: unknown placeholder "
                                         f"{{{sorted(unknown)[0]}}} (known: {', '.join(PLACEHOLDERS)})")
        return self

    def matching(self, codes: list[str]) -> tuple[str, TemplateSet]:
        """(key, templates) for the first of `codes` with a matching key — the longest key wins."""
        keys = [k for k in self.templates if k != "default"
                and any(c == k or c.startswith(k + ".") for c in codes if c)]
        key = max(keys, key=len) if keys else "default"
        return key, self.templates[key]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def replies_problems(replies: ReplyTemplatesFile, codes: set[str], where: str) -> list[str]:
    return [f"{where}: templates.{key}: matches no category in catalogue.yaml or categories.yaml"
            for key in replies.templates if key != "default" and not any(c == key or c.startswith(key + ".")
                                                                         for c in codes)]
