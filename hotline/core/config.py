"""Operator-edited YAML under config/, validated at start; errors name the file, the key and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hotline.core.config_catalogue import CatalogueFile, CatalogueLeaf, catalogue_problems
from hotline.core.config_desk import DeskFile, IntakeFile
from hotline.core.config_handover import HandoverFile, handover_problems
from hotline.core.config_intake_model import IntakeModelFile
from hotline.core.config_ivr import IvrFile
from hotline.core.config_knowledge import KnowledgeFile
from hotline.core.config_listen import ListenFile
from hotline.core.config_places import PlacesFile, places_problems
from hotline.core.config_recordings import RecordingsFile
from hotline.core.config_replies import ReplyTemplatesFile, replies_problems
from hotline.core.config_sla import CalendarFile, Duration, SlaFile
from hotline.core.config_stats import StatsFile
from hotline.core.enums import Tier
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
