"""Validated input for creating work orders, shared by the service, the API and the CLI."""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from hotline.core.enums import Channel, Tier
from hotline.text.phones import parse_phone


class Suggested(BaseModel):
    """Intake's suggestion as the operator saw it; recorded on the order to measure kept vs changed."""

    model_config = ConfigDict(extra="forbid")

    category_code: str = Field(min_length=1, max_length=32)
    confidence: float | None = Field(default=None, ge=0, le=1)
    model: str | None = Field(default=None, max_length=32, description="model version, or 'rules'")


class WorkOrderDraft(BaseModel):
    """What a citizen asked for, as an operator, a channel or a liaison hands it in."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=20000)
    channel: Channel = Channel.PHONE
    tier: Tier | None = None
    category_code: str | None = Field(default=None, max_length=32)
    place: str | None = Field(default=None, max_length=200)
    source_id: str | None = Field(default=None, min_length=1, max_length=64)
    citizen_phone: str | None = None
    citizen_name: str | None = Field(default=None, max_length=100)
    call_linkedid: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$",
                                      validation_alias=AliasChoices("call_linkedid", "linkedid"),
                                      description="the call during which it was registered (its Linkedid, "
                                                  "as the screen pop gave it; `linkedid` is accepted too)")
    latitude: float | None = Field(default=None, ge=-90, le=90, description="WGS-84, as a 311 app posts it")
    longitude: float | None = Field(default=None, ge=-180, le=180)
    media_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$",
                                  description="a link to the citizen's photo")
    kind: str | None = Field(default=None, max_length=16,
                             description="咨询/求助/投诉/举报/建议/表扬: a kind code or its Chinese name")
    suggestion: Suggested | None = Field(default=None, description="what intake suggested when the order was made")

    @field_validator("citizen_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return str(parse_phone(value))  # PhoneError is a ValueError: the API answers 422 with the reason
