"""Hand-over (转接) and the one-key emergency order."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hotline.desk.handover import Mode


class TargetOut(BaseModel):
    kind: str = Field(description="emergency | department")
    code: str
    name: str
    number: str | None = Field(description="null: not configured yet (the button is shown disabled)")
    department: str | None


class HandoverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(min_length=1, max_length=32, description="a code from GET /api/v1/desk/handover-targets")
    mode: Mode = Field(description="blind: the citizen goes at once; attended: talk to the other side first")


class HandoverOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    linkedid: str
    work_order_id: int | None
    target_kind: str
    target_code: str
    target_name: str
    number: str
    mode: str
    state: str = Field(description="requested | transferred | consulting | connected | failed | cancelled | refused")
    requested_by: int | None
    requested_at: str
    settled_at: str | None
    outcome: str | None


class EmergencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    linkedid: str = Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$")
    service: str = Field(min_length=1, max_length=32, description="110, 119, 120, gas, power …")
    content: str | None = Field(default=None, max_length=20000, description="the words on the operator's screen")
    citizen_phone: str | None = Field(default=None, max_length=32)
