"""Hand-over settings (config/handover.yaml): the dialplan context, the three-way key and the departments'
duty phones. The emergency lines themselves live in catalogue.yaml (emergency_services)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DIALLED = r"^[0-9]{3,20}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DutyPhone(_Strict):
    name: str = Field(min_length=1, max_length=60)
    phone: str = Field(pattern=DIALLED)


class HandoverFile(_Strict):
    context: str = Field(default="hotline-handover", pattern=r"^[A-Za-z0-9_.-]+$")
    threeway_code: str = Field(default="*3", pattern=r"^[0-9*#]{1,8}$")
    duty_phones: dict[str, DutyPhone] = {}


def handover_problems(handover: HandoverFile, departments: set[str], where: str) -> list[str]:
    return [f"{where}: duty_phones.{code}: no department with that code in departments.yaml"
            for code in handover.duty_phones if code not in departments]
