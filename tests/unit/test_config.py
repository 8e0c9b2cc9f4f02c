"""Config validation: every problem names the file, the key and what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hotline.core.config import load_config, walk_departments
from hotline.core.errors import ConfigError

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture
def cfg(tmp_path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    return target


def problems(cfg: Path) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    return err.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_config_is_valid_and_realistic():
    config = load_config(CONFIG)
    names = {n.name for n, _, _ in walk_departments(config.departments.departments)}
    for expected in ("国网聊城供电公司", "聊城市城市管理局", "聊城市医疗保障局", "东昌府区", "古楼街道"):
        assert expected in names
    kinds = {n.kind for n, _, _ in walk_departments(config.departments.departments)}
    assert {"county", "district", "street", "township", "village", "community", "agency", "utility"} <= kinds


def test_missing_file_is_named(cfg):
    (cfg / "sla.yaml").unlink()
    assert problems(cfg) == [f"{cfg / 'sla.yaml'}: file is missing"]


def test_broken_yaml_is_reported_with_its_file(cfg):
    (cfg / "categories.yaml").write_text("categories: [unclosed", encoding="utf-8")
    [problem] = problems(cfg)
    assert problem.startswith(f"{cfg / 'categories.yaml'}: not valid YAML")


def test_duration_with_two_units_names_the_key(cfg):
    edit(cfg / "sla.yaml", "reply: {hours: 2}", "reply: {hours: 2, days: 1}")
    [problem] = problems(cfg)
    assert problem.startswith(f"{cfg / 'sla.yaml'}: tiers.emergency.reply: ")
    assert "exactly one of minutes, hours, days, working_days" in problem


def test_missing_tier_is_named(cfg):
    text = (cfg / "sla.yaml").read_text(encoding="utf-8")
    (cfg / "sla.yaml").write_text(text.split("  complex:")[0], encoding="utf-8")
    assert any("tiers missing: complex" in p for p in problems(cfg))


def test_unknown_key_is_refused_not_ignored(cfg):
    edit(cfg / "sla.yaml", "warn_fraction: 0.8", "warn_fraction: 0.8\nwarn_fracton: 0.9")
    [problem] = problems(cfg)
    assert problem.startswith(f"{cfg / 'sla.yaml'}: warn_fracton: ")


def test_category_pointing_at_unknown_department(cfg):
    edit(cfg / "categories.yaml", "department: 371500-WATER", "department: 371500-NOPE")
    [problem] = problems(cfg)
    assert problem == (f"{cfg / 'categories.yaml'}: categories[0].department: "
                       "no department with code '371500-NOPE' in departments.yaml")


def test_duplicate_department_code_names_both_places(cfg):
    edit(cfg / "departments.yaml", "code: 371500-POWER", "code: 371500-WATER")
    found = problems(cfg)
    assert (f"{cfg / 'departments.yaml'}: departments[0].children[1].code: '371500-WATER' is used twice "
            "(first at departments[0].children[0])") in found
    # The power category now points nowhere, and that is reported too.
    assert any("no department with code '371500-POWER'" in p for p in found)


def test_bad_department_kind_names_its_path(cfg):
    edit(cfg / "departments.yaml", "kind: utility", "kind: company")
    [problem] = problems(cfg)
    assert problem.startswith(f"{cfg / 'departments.yaml'}: departments[0].children[0].kind: ")


def test_calendar_day_outside_its_year_and_double_listed(cfg):
    (cfg / "calendar.yaml").write_text(
        "years:\n  2027:\n    holidays: [2027-01-01, 2028-01-01]\n    workdays: [2027-01-01]\n", encoding="utf-8")
    found = problems(cfg)
    assert f"{cfg / 'calendar.yaml'}: years.2027.holidays: 2028-01-01 is not in 2027" in found
    assert f"{cfg / 'calendar.yaml'}: years.2027: 2027-01-01 listed as holiday and workday" in found


def test_all_problems_are_reported_at_once(cfg):
    (cfg / "sla.yaml").unlink()
    edit(cfg / "departments.yaml", "kind: utility", "kind: company")
    assert len(problems(cfg)) == 2
