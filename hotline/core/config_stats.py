"""config/stats.yaml: how departments are ranked, what counts as a hotspot, the roll-ups and the agent board."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


RANKED_RATES = ("reply_on_time_rate", "complete_on_time_rate", "satisfaction_rate", "redo_rate", "return_rate",
                "acceptance_rate", "completion_rate", "process_satisfaction_rate")


class Ranking(_Strict):
    min_volume: int = Field(ge=1)
    weights: dict[str, float]

    @model_validator(mode="after")
    def _known_rates(self) -> Ranking:
        unknown = [k for k in self.weights if k not in RANKED_RATES]
        if unknown:
            raise ValueError(f"unknown rates {', '.join(unknown)} (known: {', '.join(RANKED_RATES)})")
        if not self.weights or any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("weights must be non-negative and add up to more than 0")
        return self


class Hotspots(_Strict):
    window_days: int = Field(default=7, ge=1, le=31)
    baseline_weeks: int = Field(default=4, ge=1, le=26)
    min_count: int = Field(default=5, ge=1)
    factor: float = Field(default=2.0, gt=1)
    examples: int = Field(default=3, ge=0, le=20)


class Rollup(_Strict):
    recompute_days: int = Field(default=16, ge=1, le=400)


class Board(_Strict):
    service_level_seconds: int = Field(default=20, ge=1, le=600)  # answered within N s counts as in time
    refresh_seconds: int = Field(default=5, ge=2, le=120)  # how often the agent board asks again
    wall_rotate_seconds: int = Field(default=15, ge=5, le=300)  # wall mode: each panel this long


class StatsFile(_Strict):
    ranking: Ranking
    hotspots: Hotspots = Hotspots()
    rollup: Rollup = Rollup()
    board: Board = Board()
