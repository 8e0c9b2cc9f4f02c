"""Routing learned from history (config/intake_model.yaml): where model files live, how a new model is
trained and judged, and below which confidence the operator must choose."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IntakeModelFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    nightly_hour: int = Field(default=2, ge=0, le=23)
    must_choose_below: float = Field(default=0.5, ge=0, le=1)
    choices: int = Field(default=3, ge=2, le=5)
    holdout_fraction: float = Field(default=0.1, gt=0, lt=0.5)
    holdout_min: int = Field(default=50, ge=1)
    holdout_max: int = Field(default=20_000, ge=1)
    max_training_orders: int = Field(default=1_000_000, ge=1000)
    seed_weight: float = Field(default=1.0, ge=0, le=10)
    phrase_weight: float = Field(default=1.0, ge=0, le=10)
    seed_min_share: float = Field(default=0.0, ge=0, lt=1)  # seed and catalogue lines keep this share of the weight
    similar_per_leaf: int = Field(default=20, ge=0, le=200)
    keep_versions: int = Field(default=5, ge=1, le=100)
    department_min_orders: int = Field(default=3, ge=1)
    department_min_share: float = Field(default=0.6, gt=0, le=1)
