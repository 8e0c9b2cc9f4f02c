"""Operator-edited YAML under config/, validated at start; errors name the file, the key and the problem."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hotline.core.config_catalogue import CatalogueFile, CatalogueLeaf, catalogue_problems
from hotline.core.config_handover import HandoverFile, handover_problems
from hotline.core.config_intake_model import IntakeModelFile
from hotline.core.config_knowledge import KnowledgeFile
from hotline.core.config_listen import ListenFile
from hotline.core.config_places import PlacesFile, places_problems
from hotline.core.config_recordings import RecordingsFile
from hotline.core.config_replies import ReplyTemplatesFile, replies_problems
from hotline.core.enums import State, Tier
from hotline.core.errors import ConfigError
from hotline.core.notice_config import NoticesFile, template_problems
from hotline.core.yamlfile import SAFE_LOADER


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DepartmentNode(_Strict):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z_.-]+$")
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(pattern=r"^(city|county|district|township|street|village|community|agency|utility)$")
    active: bool = True
    children: list[DepartmentNode] = []


class DepartmentsFile(_Strict):
    departments: list[DepartmentNode] = Field(min_length=1)


class Category(_Strict):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[0-9a-z_.-]+$")
    name: str = Field(min_length=1, max_length=100)
    tier: Tier = Tier.GENERAL
    department: str | None = None
    keywords: list[str] = []


class CategoriesFile(_Strict):
    categories: list[Category] = Field(min_length=1)


class Duration(_Strict):
    """Exactly one unit: minutes/hours (calendar time), days (calendar days) or working_days."""

    minutes: int | None = Field(default=None, gt=0)
    hours: int | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, gt=0)
    working_days: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_unit(self) -> Duration:
        given = [k for k in ("minutes", "hours", "days", "working_days") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of minutes, hours, days, working_days")
        return self

    @property
    def unit(self) -> str:
        return next(k for k in ("minutes", "hours", "days", "working_days") if getattr(self, k))

    @property
    def amount(self) -> int:
        return getattr(self, self.unit)


class TierPolicy(_Strict):
    label: str
    sign: Duration = Field(default_factory=lambda: Duration(hours=24))  # 签收时限 from dispatch
    reply: Duration
    complete: Duration


class SupervisionTrigger(_Strict):
    due: Duration  # the 督办's own deadline, counted from when it opens


class RepeatTrigger(SupervisionTrigger):
    """重复诉求: the same caller about the same leaf or place within this many days after 办结."""

    window_days: int = Field(default=30, ge=1, le=365)


class AttitudeTrigger(SupervisionTrigger):
    """服务态度: a 投诉 filed under one of these leaves (or flagged by the operator)."""

    categories: list[str] = Field(default_factory=lambda: ["gov.conduct.staff"])


class SupervisionPolicy(_Strict):
    """The Liaocheng 督办 triggers that belong to no deadline, each with its own deadline."""

    emergency: SupervisionTrigger = Field(default_factory=lambda: SupervisionTrigger(due=Duration(hours=24)))
    repeat: RepeatTrigger = Field(default_factory=lambda: RepeatTrigger(due=Duration(working_days=3)))
    attitude: AttitudeTrigger = Field(default_factory=lambda: AttitudeTrigger(due=Duration(working_days=3)))


class SlaFile(_Strict):
    acceptance: Duration
    return_window: Duration
    extension_limit: Duration
    warn_fraction: float = Field(default=0.8, gt=0, lt=1)
    # The yellow light N working days before a deadline (the Shandong rules' yellow card: one working day);
    # a clock too short for that warns at warn_fraction instead.
    warn_working_days_before: int | None = Field(default=None, ge=1, le=10)
    tiers: dict[Tier, TierPolicy]
    supervision: SupervisionPolicy = Field(default_factory=SupervisionPolicy)

    @model_validator(mode="after")
    def _every_tier(self) -> SlaFile:
        missing = [t.value for t in Tier if t not in self.tiers]
        if missing:
            raise ValueError(f"tiers missing: {', '.join(missing)}")
        return self


class CalendarYear(_Strict):
    holidays: list[dt.date] = []  # statutory days off (放假), weekdays included
    workdays: list[dt.date] = []  # 调休 make-up working days on weekends


class CalendarFile(_Strict):
    years: dict[int, CalendarYear] = {}


class RoutingRule(_Strict):
    category: str = Field(min_length=1)
    lead: str = Field(min_length=1)  # a department code, or "place"
    fallback: str | None = None
    co: list[str] = []
    co_place: bool = False

    def matches(self, category_code: str) -> bool:
        if self.category.endswith(".*"):
            return category_code.startswith(self.category[:-1])
        return category_code == self.category


class RoutingFile(_Strict):
    rules: list[RoutingRule] = []


class LightCallback(_Strict):
    due: Duration
    attempts: int = Field(ge=1, le=10)


class AutomatedCallback(_Strict):
    enabled: bool = False
    keys: dict[str, str] = {"1": "satisfied", "2": "basically_satisfied", "3": "unsatisfied"}

    @model_validator(mode="after")
    def _known(self) -> AutomatedCallback:
        allowed = {"satisfied", "basically_satisfied", "unsatisfied"}
        for key, verdict in self.keys.items():
            if key not in "0123456789*#" or len(key) != 1:
                raise ValueError(f"key {key!r} is not one keypad digit")
            if verdict not in allowed:
                raise ValueError(f"key {key}: {verdict!r} is not one of {', '.join(sorted(allowed))}")
        return self


class CallbacksFile(_Strict):
    due: Duration
    attempts: int = Field(ge=1, le=10)
    retry_at_hour: int = Field(default=9, ge=0, le=23)
    claim_minutes: int = Field(default=15, ge=1, le=240)
    redo_supervision_after: int = Field(default=2, ge=1)
    light: LightCallback
    automated: AutomatedCallback = AutomatedCallback()


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


class IvrRecord(_Strict):
    dir: str = "/var/spool/asterisk/monitor"
    max_seconds: int = Field(default=120, ge=5, le=600)
    silence_seconds: int = Field(default=3, ge=0, le=30)


class IvrHours(_Strict):
    open: str = Field(default="00:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    close: str = Field(default="24:00", pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")


PROMPTS = ("privacy", "leave_message", "ticket_is", "code_is", "thanks", "apology", "enter_ticket", "enter_code",
           "not_found", "status_prefix", "survey")


QUEUE_ROLES = ("operator", "callback_staff", "hotline_admin")  # the roles that may sit at a queue


class IvrFile(_Strict):
    queue: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    language: str = Field(default="zh", pattern=r"^[a-z]{2}(_[A-Z]{2})?$")
    queues_by_role: dict[str, list[str]] = {"operator": ["hotline-queue"], "callback_staff": ["callback-queue"],
                                            "hotline_admin": ["hotline-queue", "callback-queue"]}
    hours: IvrHours = IvrHours()
    status_key: str = Field(default="2", pattern=r"^[0-9*#]$")
    digit_timeout_ms: int = Field(default=8000, ge=1000, le=30000)
    record: IvrRecord = IvrRecord()
    prompts: dict[str, str]
    texts: dict[str, str] = {}  # sound name → what it says (`hotline ivr prompts` speaks it)

    @model_validator(mode="after")
    def _all_prompts(self) -> IvrFile:
        missing = [p for p in PROMPTS if p not in self.prompts]
        if missing:
            raise ValueError(f"prompts missing: {', '.join(missing)}")
        unsaid = [s for s in self.sounds() if not self.texts.get(s)]
        if unsaid:
            raise ValueError(f"texts missing for: {', '.join(unsaid)}")
        for role, queues in self.queues_by_role.items():
            if role not in QUEUE_ROLES:
                raise ValueError(f"queues_by_role: {role!r} cannot sit at a queue (roles: {', '.join(QUEUE_ROLES)})")
            if not queues or any(not re.fullmatch(r"[A-Za-z0-9_.-]+", q) for q in queues):
                raise ValueError(f"queues_by_role.{role}: give one or more queue names")
        return self


    def sounds(self) -> list[str]:
        """Every sound the flow may play (the status prompt once per state); digits come apart."""
        fixed = [name for key, name in self.prompts.items() if key != "status_prefix"]
        return fixed + [f"{self.prompts['status_prefix']}{state.value}" for state in State]


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


class HotlineConfig(_Strict):
    departments: DepartmentsFile
    categories: CategoriesFile
    sla: SlaFile
    calendar: CalendarFile
    routing: RoutingFile
    callbacks: CallbacksFile
    stats: StatsFile
    ivr: IvrFile
    intake: IntakeFile
    desk: DeskFile
    catalogue: CatalogueFile
    knowledge: KnowledgeFile
    notices: NoticesFile
    places: PlacesFile = PlacesFile()
    handover: HandoverFile
    reply_templates: ReplyTemplatesFile = ReplyTemplatesFile()
    recordings: RecordingsFile
    intake_model: IntakeModelFile
    listen: ListenFile = ListenFile()

    def category(self, code: str) -> CatalogueLeaf | None:
        """The catalogue leaf (小类) with this code, or the leaf a retired code maps to."""
        return self.catalogue.leaf(self.catalogue.legacy.get(code, code))


FILES: dict[str, type[BaseModel]] = {
    "departments": DepartmentsFile,
    "categories": CategoriesFile,
    "sla": SlaFile,
    "calendar": CalendarFile,
    "routing": RoutingFile,
    "callbacks": CallbacksFile,
    "stats": StatsFile,
    "ivr": IvrFile,
    "intake": IntakeFile,
    "desk": DeskFile,
    "catalogue": CatalogueFile,
    "knowledge": KnowledgeFile,
    "notices": NoticesFile,
    "places": PlacesFile,
    "handover": HandoverFile,
    "reply_templates": ReplyTemplatesFile,
    "recordings": RecordingsFile,
    "intake_model": IntakeModelFile,
    "listen": ListenFile,
}


def load_file(config_dir: Path, name: str) -> Any:
    """One file of config/ (a key of FILES), checked as load_config checks it; ConfigError if it is wrong."""
    problems: list[str] = []
    parsed = _load_file(Path(config_dir) / f"{name}.yaml", FILES[name], problems)
    if problems:
        raise ConfigError(problems)
    return parsed


def load_config(config_dir: Path) -> HotlineConfig:
    """Read and check every file; raise ConfigError listing all problems at once."""
    problems: list[str] = []
    parts: dict[str, Any] = {}
    for name, model in FILES.items():
        path = config_dir / f"{name}.yaml"
        parsed = _load_file(path, model, problems)
        if parsed is not None:
            parts[name] = parsed
    if problems:
        raise ConfigError(problems)
    config = HotlineConfig(**parts)
    problems.extend(_cross_checks(config, config_dir))
    if problems:
        raise ConfigError(problems)
    return config


def _load_file(path: Path, model: type[BaseModel], problems: list[str]) -> BaseModel | None:
    if not path.is_file():
        problems.append(f"{path}: file is missing")
        return None
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        problems.append(f"{path}: not valid YAML: {exc}".replace("\n", " "))
        return None
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        problems.extend(f"{path}: {_key(err['loc'])}: {err['msg']}" for err in exc.errors())
        return None


def _key(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def walk_departments(nodes: list[DepartmentNode], key: str = "departments"):
    """Yield (node, parent, yaml key) depth-first."""
    stack: list[tuple[DepartmentNode, DepartmentNode | None, str]] = [
        (n, None, f"{key}[{i}]") for i, n in reversed(list(enumerate(nodes)))]
    while stack:
        node, parent, where = stack.pop()
        yield node, parent, where
        stack.extend((c, node, f"{where}.children[{i}]") for i, c in reversed(list(enumerate(node.children))))


def _cross_checks(config: HotlineConfig, config_dir: Path) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for node, _parent, where in walk_departments(config.departments.departments):
        if node.code in seen:
            problems.append(f"{config_dir / 'departments.yaml'}: {where}.code: '{node.code}' is used twice "
                            f"(first at {seen[node.code]})")
        seen.setdefault(node.code, where)
    legacy_codes: set[str] = set()
    for i, cat in enumerate(config.categories.categories):
        where = f"{config_dir / 'categories.yaml'}: categories[{i}]"
        if cat.code in legacy_codes:
            problems.append(f"{where}.code: '{cat.code}' is used twice")
        legacy_codes.add(cat.code)
        if cat.department is not None and cat.department not in seen:
            problems.append(f"{where}.department: no department with code '{cat.department}' in departments.yaml")
    category_codes = {leaf.code for leaf in config.catalogue.leaves()}
    for i, rule in enumerate(config.routing.rules):
        where = f"{config_dir / 'routing.yaml'}: rules[{i}]"
        if not any(rule.matches(c) for c in category_codes):
            problems.append(f"{where}.category: '{rule.category}' matches no leaf in catalogue.yaml")
        named = [("lead", rule.lead)] if rule.lead != "place" else []
        named += [("fallback", rule.fallback)] if rule.fallback else []
        named += [(f"co[{j}]", code) for j, code in enumerate(rule.co)]
        problems.extend(f"{where}.{key}: no department with code '{code}' in departments.yaml"
                        for key, code in named if code not in seen)
    problems.extend(f"{config_dir / 'sla.yaml'}: supervision.attitude.categories: no leaf '{code}' in catalogue.yaml"
                    for code in config.sla.supervision.attitude.categories if config.category(code) is None)
    for key, code in (("emergency.category", config.intake.emergency.category),
                      ("hazard.category", config.intake.hazard.category)):
        if config.category(code) is None:
            problems.append(f"{config_dir / 'intake.yaml'}: {key}: no leaf '{code}' in catalogue.yaml")
    for i, kind in enumerate(config.intake.kinds):
        if kind.category and config.category(kind.category) is None:
            problems.append(f"{config_dir / 'intake.yaml'}: kinds[{i}].category: no leaf '{kind.category}' "
                            "in catalogue.yaml")
    for key in config.desk.scripts:
        if key != "default" and not any(c == key or c.startswith(key + ".") for c in category_codes | legacy_codes):
            problems.append(f"{config_dir / 'desk.yaml'}: scripts.{key}: matches no category in categories.yaml")
    problems.extend(catalogue_problems(config.catalogue, set(seen), str(config_dir / "catalogue.yaml")))
    problems.extend(places_problems(config.places, set(seen), str(config_dir / "places.yaml")))
    problems.extend(handover_problems(config.handover, set(seen), str(config_dir / "handover.yaml")))
    problems.extend(replies_problems(config.reply_templates, category_codes | legacy_codes,
                                     str(config_dir / "reply_templates.yaml")))
    notices = config_dir / "notices.yaml"
    problems += [f"{notices}: {problem}" for problem in template_problems(config.notices)]
    problems += [f"{notices}: staff.departments.{code}: no department with that code in departments.yaml"
                 for code in config.notices.staff.departments if code not in seen]
    for year, spec in config.calendar.years.items():
        where = f"{config_dir / 'calendar.yaml'}: years.{year}"
        for field in ("holidays", "workdays"):
            for day in getattr(spec, field):
                if day.year != year:
                    problems.append(f"{where}.{field}: {day.isoformat()} is not in {year}")
        both = set(spec.holidays) & set(spec.workdays)
        if both:
            problems.append(f"{where}: {', '.join(sorted(d.isoformat() for d in both))} listed as holiday and workday")
    return problems
