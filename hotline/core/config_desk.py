"""config/intake.yaml's rules and config/desk.yaml: the operator desk's wrap-up, incidents, dialling, callback
scripts and return reasons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IntakeCategoryRule(_Strict):
    category: str
    keywords: list[str] = Field(default=[], max_length=500)


class IntakeHazard(_Strict):
    category: str
    markers: list[str] = Field(min_length=1)


class IntakeComplex(_Strict):
    keywords: list[str] = []


class IntakeKind(_Strict):
    kind: str = Field(min_length=1, max_length=8)
    keywords: list[str] = Field(min_length=1)
    category: str | None = None  # this kind of request is filed under this category whatever it is about


class IntakeFile(_Strict):
    max_chars: int = Field(default=2000, ge=50, le=100_000)
    repeat_window_days: int = Field(default=30, ge=1, le=366)
    fuzzy_pinyin: list[tuple[str, str]] = []
    emergency: IntakeCategoryRule
    hazard: IntakeHazard
    complex: IntakeComplex = IntakeComplex()
    kinds: list[IntakeKind] = []
    place_suffixes: list[str] = Field(min_length=1)
    place_starts: list[str] = []


class DeskWrapup(_Strict):
    reason: str = Field(default="话后处理", min_length=1, max_length=80)
    pause_in_asterisk: bool = True


class DeskIncident(_Strict):
    window_hours: int = Field(default=24, ge=1, le=24 * 14)
    limit: int = Field(default=5, ge=1, le=20)


class DeskDial(_Strict):
    context: str = Field(default="hotline-callback", pattern=r"^[A-Za-z0-9_.-]+$")
    caller_id: str = Field(default="12345", max_length=40)


class CallbackScript(_Strict):
    opening: str = Field(min_length=1)
    questions: list[str] = []
    closing: str = Field(min_length=1)


class ReturnReason(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    name: str = Field(min_length=1, max_length=40)


DEFAULT_RETURN_REASONS = [ReturnReason(code="not_our_duty", name="不属于本单位职责"),
                          ReturnReason(code="wrong_place", name="不在本单位辖区"),
                          ReturnReason(code="info_missing", name="诉求信息不全，无法办理"),
                          ReturnReason(code="other", name="其他原因")]


class DeskFile(_Strict):
    pause_reasons: list[str] = Field(min_length=1, max_length=20)
    return_reasons: list[ReturnReason] = Field(default=DEFAULT_RETURN_REASONS, min_length=1, max_length=30)
    wrapup: DeskWrapup = DeskWrapup()
    incident: DeskIncident = DeskIncident()
    callback_dial: DeskDial = DeskDial()
    scripts: dict[str, CallbackScript]

    @model_validator(mode="after")
    def _default_script(self) -> DeskFile:
        if "default" not in self.scripts:
            raise ValueError("scripts: a 'default' script is required")
        return self
