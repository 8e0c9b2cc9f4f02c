"""Live listening (config/listen.yaml): how `hotline listen` searches and feeds each call side's recogniser.

Only the live path: the after-call transcription (the call's record, with no real-time limit) keeps the
model's own search."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

OPTIONS = {"max_active": "--max-active", "min_active": "--min-active", "beam": "--beam",
           "lattice_beam": "--lattice-beam", "frames_per_chunk": "--frames-per-chunk"}


class DecoderSettings(BaseModel):
    """Search settings; None keeps the model's own (conf/model.conf)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_active: int | None = Field(default=None, ge=50, le=100_000)
    min_active: int | None = Field(default=None, ge=0, le=10_000)
    beam: float | None = Field(default=None, ge=4.0, le=30.0)
    lattice_beam: float | None = Field(default=None, gt=0.0, le=20.0)
    frames_per_chunk: int | None = Field(default=None, ge=6, le=300)

    @model_validator(mode="after")
    def _consistent(self) -> DecoderSettings:
        if self.max_active is not None and self.min_active is not None and self.min_active > self.max_active:
            raise ValueError("min_active must not exceed max_active")
        if self.beam is not None and self.lattice_beam is not None and self.lattice_beam > self.beam:
            raise ValueError("lattice_beam must not exceed beam")
        return self

    def given(self) -> dict[str, str]:
        """The model.conf options these settings set, e.g. {"--beam": "8.0"}."""
        return {OPTIONS[key]: str(value) for key, value in self.model_dump().items() if value is not None}




class ListenFile(BaseModel):
    """The decoder's search settings, the rate the recogniser is fed and how often a partial is asked for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decoder: DecoderSettings = DecoderSettings()
    feed_rate: int | None = None  # None: the model's own rate (soxr resamples the 8 kHz line to it)
    partial_every_s: float = Field(default=0.25, ge=0.1, le=2.0)
    keep_warm: int = Field(default=16, ge=0, le=256)  # recognisers kept for the next call (hotline.asr.engine)

    @field_validator("feed_rate")
    @classmethod
    def _telephone_or_wideband(cls, value: int | None) -> int | None:
        if value is not None and value not in (8000, 16000):
            raise ValueError("feed_rate must be 8000 (the line's own rate), 16000, or left out (the model's rate)")
        return value
