"""The rates, written once: each is a sum of counters over a sum of counters (README "Statistics").

Counters are counted on the local day their event happened (received, accepted, dispatched, …),
deadline counters on the day the deadline fell due, callback counters on the day of the attempt.
Department counters belong to the lead department (主办); the hotline centre's own counters
(received, accepted, 直办, callbacks of 直办 orders) belong to no department.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from hotline.core.errors import InvalidInputError

COUNTERS: dict[str, str] = {
    "received": "来件量",
    "accepted": "受理量",
    "answered_directly": "直办量",
    "dispatched": "交办量（主办）",
    "returned": "回退量",
    "sign_due": "到期签收时限",
    "sign_on_time": "按时签收",
    "reply_due": "到期反馈时限",
    "reply_on_time": "按时反馈",
    "complete_due": "到期办结时限",
    "complete_on_time": "按时办结",
    "completed": "办结量（主办）",
    "handling_seconds": "办理用时合计（秒）",
    "callbacks_reached": "回访接通",
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意（重办）",
    "unreachable": "未接通",
    "process_asked": "过程满意度已问",
    "process_satisfied": "过程满意",
    "reached_staff": "人工回访接通",
    "reached_auto": "自动语音回访接通",
    "reached_sms": "短信回复评价",
    "reached_link": "链接评价",
    "content_staff": "人工回访满意（含基本满意）",
    "content_auto": "自动语音回访满意（含基本满意）",
    "content_sms": "短信回复满意（含基本满意）",
    "content_link": "链接评价满意（含基本满意）",
}


@dataclass(frozen=True)
class Rate:
    name: str
    label: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    lower_is_better: bool = False

    def of(self, counts: Counter) -> float | None:
        below = sum(counts[c] for c in self.denominator)
        return None if below == 0 else sum(counts[c] for c in self.numerator) / below

    def formula(self) -> str:
        def terms(names: tuple[str, ...]) -> str:
            return " + ".join(names) if len(names) == 1 else f"({' + '.join(names)})"

        return f"{terms(self.numerator)} ÷ {terms(self.denominator)}"


RATES: tuple[Rate, ...] = (
    Rate("acceptance_rate", "受理率", ("accepted",), ("received",)),
    Rate("sign_on_time_rate", "按时签收率", ("sign_on_time",), ("sign_due",)),
    Rate("reply_on_time_rate", "按时回复率", ("reply_on_time",), ("reply_due",)),
    Rate("completion_rate", "办结率", ("completed", "answered_directly"), ("dispatched", "answered_directly")),
    Rate("complete_on_time_rate", "按时办结率", ("complete_on_time",), ("complete_due",)),
    Rate("satisfaction_rate", "满意率", ("satisfied", "basically_satisfied"), ("callbacks_reached",)),
    Rate("process_satisfaction_rate", "过程满意率", ("process_satisfied",), ("process_asked",)),
    Rate("satisfaction_rate_staff", "满意率（人工回访）", ("content_staff",), ("reached_staff",)),
    Rate("satisfaction_rate_auto", "满意率（自动语音）", ("content_auto",), ("reached_auto",)),
    Rate("satisfaction_rate_sms", "满意率（短信回复）", ("content_sms",), ("reached_sms",)),
    Rate("satisfaction_rate_link", "满意率（链接评价）", ("content_link",), ("reached_link",)),
    Rate("message_share", "短信/链接评价占比", ("reached_sms", "reached_link"), ("callbacks_reached",)),
    Rate("redo_rate", "重办率", ("unsatisfied",), ("completed", "answered_directly"), lower_is_better=True),
    Rate("return_rate", "回退率", ("returned",), ("dispatched",), lower_is_better=True),
)
RATE_BY_NAME = {r.name: r for r in RATES}


def rates(counts: Counter) -> dict[str, float | None]:
    out: dict[str, float | None] = {r.name: _round(r.of(counts)) for r in RATES}
    out["avg_handling_hours"] = (round(counts["handling_seconds"] / counts["completed"] / 3600, 2)
                                 if counts["completed"] else None)
    return out


def composite(counts: Counter, weights: dict[str, float]) -> tuple[float | None, list[dict]]:
    """The published ranking score: 100 × Σ(weight × rate') / Σ(weight) over the rates this unit has,
    where rate' is the rate, or 1 − rate for rates where fewer is better."""
    parts, total, weight_sum = [], 0.0, 0.0
    for name, weight in weights.items():
        rate = RATE_BY_NAME[name]
        value = rate.of(counts)
        if value is None:
            parts.append({"rate": name, "label": rate.label, "value": None, "weight": weight, "points": None})
            continue
        good = 1 - value if rate.lower_is_better else value
        total += weight * good
        weight_sum += weight
        parts.append({"rate": name, "label": rate.label, "value": _round(value), "weight": weight,
                      "points": round(100 * weight * good / sum(weights.values()), 2)})
    return (round(100 * total / weight_sum, 2) if weight_sum else None), parts


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(frozen=True)
class Period:
    """Local days, both ends included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInputError(f"the period ends ({self.end}) before it starts ({self.start})",
                                    error_id="invalid_period")
        if (self.end - self.start).days > 3660:
            raise InvalidInputError("a period covers at most ten years", error_id="invalid_period")
        if self.start.year < 2000 or self.end.year > 2099:
            raise InvalidInputError("statistics cover 2000–2099", error_id="invalid_period")

    @classmethod
    def month(cls, text: str) -> Period:
        try:
            first = dt.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise InvalidInputError(f"{text!r} is not a month like 2026-11", error_id="invalid_period") from None
        if not 2000 <= first.year <= 2099:  # before the month's end is computed: 9999-12 has no next month
            raise InvalidInputError("statistics cover 2000–2099", error_id="invalid_period")
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return cls(first, following - dt.timedelta(days=1))

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}
