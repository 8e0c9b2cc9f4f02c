"""config/ivr.yaml: the IVR's menu, hours, recording limits and prompts."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.enums import State


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IvrRecord(_Strict):
    dir: str = "/var/spool/asterisk/monitor"
    max_seconds: int = Field(default=120, ge=5, le=600)
    silence_seconds: int = Field(default=3, ge=0, le=30)


class IvrHours(_Strict):
    open: str = Field(default="00:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    close: str = Field(default="24:00", pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")


PROMPTS = ("privacy", "leave_message", "ticket_is", "code_is", "thanks", "apology", "enter_ticket", "enter_code",
           "not_found", "status_prefix", "survey")


QUEUE_ROLES = ("operator", "callback_staff", "hotline_admin")  # the roles that may sit at a queue


class IvrFile(_Strict):
    queue: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    language: str = Field(default="zh", pattern=r"^[a-z]{2}(_[A-Z]{2})?$")
    queues_by_role: dict[str, list[str]] = {"operator": ["hotline-queue"], "callback_staff": ["callback-queue"],
                                            "hotline_admin": ["hotline-queue", "callback-queue"]}
    hours: IvrHours = IvrHours()
    status_key: str = Field(default="2", pattern=r"^[0-9*#]$")
    digit_timeout_ms: int = Field(default=8000, ge=1000, le=30000)
    record: IvrRecord = IvrRecord()
    prompts: dict[str, str]
    texts: dict[str, str] = {}  # sound name → what it says (`hotline ivr prompts` speaks it)

    @model_validator(mode="after")
    def _all_prompts(self) -> IvrFile:
        missing = [p for p in PROMPTS if p not in self.prompts]
        if missing:
            raise ValueError(f"prompts missing: {', '.join(missing)}")
        unsaid = [s for s in self.sounds() if not self.texts.get(s)]
        if unsaid:
            raise ValueError(f"texts missing for: {', '.join(unsaid)}")
        for role, queues in self.queues_by_role.items():
            if role not in QUEUE_ROLES:
                raise ValueError(f"queues_by_role: {role!r} cannot sit at a queue (roles: {', '.join(QUEUE_ROLES)})")
            if not queues or any(not re.fullmatch(r"[A-Za-z0-9_.-]+", q) for q in queues):
                raise ValueError(f"queues_by_role.{role}: give one or more queue names")
        return self


    def sounds(self) -> list[str]:
        """Every sound the flow may play (the status prompt once per state); digits come apart."""
        fixed = [name for key, name in self.prompts.items() if key != "status_prefix"]
        return fixed + [f"{self.prompts['status_prefix']}{state.value}" for state in State]
