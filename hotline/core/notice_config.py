"""config/notices.yaml: what citizens are told and when, rating by message, and where staff read their messages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.templating import NOTICE_EVENTS, check_template

TEMPLATE_PROVIDERS = ("aliyun_sms", "tencent_sms")  # providers that send registered templates, not free text
STAFF_CHANNELS = ("wecom", "dingtalk", "email", "log")
VERDICTS = ("satisfied", "basically_satisfied", "unsatisfied")
_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Links(_Strict):
    status: str = Field(min_length=8, pattern=r"^https?://")  # the status page (ticket + extraction code)
    rate: str | None = Field(default=None, pattern=r"^https?://")  # the rating page; the signed token is appended


class QuietHours(_Strict):
    start: str = Field(default="21:00", pattern=_CLOCK)
    end: str = Field(default="08:00", pattern=_CLOCK)

    def bounds(self) -> tuple[dt.time, dt.time]:
        return dt.time.fromisoformat(self.start), dt.time.fromisoformat(self.end)


class CitizenSide(_Strict):
    channels: list[Literal["sms"]] = ["sms"]
    quiet_hours: QuietHours | None = QuietHours()  # no SMS at night except emergencies: delayed, not dropped
    hotline: str = Field(default="12345", min_length=3, max_length=20)
    result_chars: int = Field(default=40, ge=0, le=200)  # how much of the result the 办结 notice quotes
    max_chars: int = Field(default=300, ge=70, le=500)  # a long SMS is split by the carrier; keep it bounded


class Template(_Strict):
    text: str = Field(min_length=1)
    # The template registered with each SMS platform (same variable names; Tencent's order in its settings).
    providers: dict[str, str] = {}

    @model_validator(mode="after")
    def _known_providers(self) -> Template:
        unknown = sorted(set(self.providers) - set(TEMPLATE_PROVIDERS))
        if unknown:
            raise ValueError(f"providers: unknown {', '.join(unknown)} (known: {', '.join(TEMPLATE_PROVIDERS)})")
        return self


class Satisfaction(_Strict):
    by_message: bool = True  # the 办结 notice asks for a rating; staff call only when none came
    reply_window_hours: int = Field(default=24, ge=1, le=24 * 14)
    link_valid_days: int = Field(default=7, ge=1, le=60)
    replies: dict[str, Literal["satisfied", "basically_satisfied", "unsatisfied"]] = {
        "1": "satisfied", "2": "basically_satisfied", "3": "unsatisfied"}
    opt_out: list[str] = ["TD", "T", "N", "退订"]  # a reply of exactly one of these stops notices to that number

    @model_validator(mode="after")
    def _one_character_keys(self) -> Satisfaction:
        bad = [key for key in self.replies if len(key) != 1 or not key.isdigit()]
        if bad:
            raise ValueError(f"replies: keys must be one digit ({', '.join(bad)})")
        return self


class StaffAddress(_Strict):
    channel: Literal["wecom", "dingtalk", "email", "log"]
    to: str | None = Field(default=None, min_length=1, max_length=120)  # robot name, e-mail address; log: none

    @model_validator(mode="after")
    def _addressed(self) -> StaffAddress:
        if self.channel != "log" and not self.to:
            raise ValueError(f"{self.channel}: give `to` (a robot name or e-mail address)")
        if self.channel == "email" and self.to and "@" not in self.to:
            raise ValueError(f"email: {self.to!r} is not an e-mail address")
        return self


class StaffRouting(_Strict):
    fallback: list[StaffAddress] = [StaffAddress(channel="log")]  # a department that chose nothing
    departments: dict[str, list[StaffAddress]] = {}  # department code → its channels
    roles: dict[Literal["supervisor", "operator"], list[StaffAddress]] = {}


class NoticesFile(_Strict):
    links: Links
    citizen: CitizenSide = CitizenSide()
    templates: dict[str, Template]
    satisfaction: Satisfaction = Satisfaction()
    staff: StaffRouting = StaffRouting()


def template_problems(notices: NoticesFile) -> list[str]:
    """`templates.<event>.text: problem` for every missing or unrenderable template (config.py prefixes the file)."""
    problems = [f"templates.{event}: missing" for event in NOTICE_EVENTS if event not in notices.templates]
    for event, template in notices.templates.items():
        problems += [f"templates.{event}.text: {problem}"
                     for problem in check_template(event, template.text, notices.citizen.max_chars)]
    return problems
