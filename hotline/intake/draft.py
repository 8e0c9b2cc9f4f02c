"""What intake hands the console: the draft (`Analysis`) and the pieces its reasons are built from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from hotline.intake import reasons as say
from hotline.intake.matcher import Hit
from hotline.intake.numbers import Numbers

EXACT, BY_SOUND = 1.0, 0.8  # a keyword heard by sound weighs a little less than one spelt right


@dataclass
class Analysis:
    text: str
    tier: str
    category: dict | None  # the catalogue leaf (小类)
    department: dict | None
    co_handlers: list[dict]
    place: str | None
    numbers: dict
    kind: str | None
    reasons: list[str]
    repeat: dict | None = None
    danger: dict | None = None  # level, category, service (110/119/120/gas/power/water), evidence, reason
    place_detail: dict | None = None  # gazetteer name, words said, kind, street office / township
    confidence: float | None = None  # of the category; None when no model spoke
    must_choose: bool = False  # below the configured confidence: the operator picks among `choices`
    choices: list[dict] = field(default_factory=list)  # the top leaves, best first, with confidence and department
    why: dict | None = None  # the words that weighed most and similar past orders by ticket
    source: str = "rules"  # danger | keyword | model | rules: what decided the category
    model: dict | None = None  # the live model's version and measured accuracy, or why there is none

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Scores:
    """Keyword evidence per leaf: how much was heard, and the hits themselves (for the reasons)."""

    score: dict[str, float] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=dict)

    def add(self, code: str, hit: Hit, weight: float = 1.0) -> None:
        self.score[code] = self.score.get(code, 0.0) + hit.length * (EXACT if hit.exact else BY_SOUND) * weight
        self.hits.setdefault(code, []).append(hit)


def heard(hit: Hit, text: str) -> str:
    return say.heard_as(hit.heard(text), None if hit.exact else hit.keyword)


def number_reasons(numbers: Numbers) -> list[str]:
    return ([say.phone(p) for p in numbers.phones] + [say.ticket(t) for t in numbers.tickets]
            + ([say.house(numbers.house)] if numbers.house else []) + [say.id_number(i) for i in numbers.id_numbers])
