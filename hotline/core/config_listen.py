"""Live listening (config/listen.yaml): how `hotline listen` searches and feeds each call side's recogniser.

Only the live path: the after-call transcription (the call's record, with no real-time limit) keeps the
model's own search."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hotline.asr.decoder import DecoderSettings


class ListenFile(BaseModel):
    """The decoder's search settings, the rate the recogniser is fed and how often a partial is asked for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decoder: DecoderSettings = DecoderSettings()
    feed_rate: int | None = None  # None: the model's own rate (soxr resamples the 8 kHz line to it)
    partial_every_s: float = Field(default=0.25, ge=0.1, le=2.0)

    @field_validator("feed_rate")
    @classmethod
    def _telephone_or_wideband(cls, value: int | None) -> int | None:
        if value is not None and value not in (8000, 16000):
            raise ValueError("feed_rate must be 8000 (the line's own rate), 16000, or left out (the model's rate)")
        return value
