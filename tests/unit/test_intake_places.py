"""Places: the gazetteer (places.yaml and the department tree), the most specific place, fillers cut, the
street office or township found, names filed under several offices settled or left open; CSV import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hotline.core.config import load_config
from hotline.core.errors import ConfigError, InvalidInputError
from hotline.intake.places import Gazetteer, extract_place
from hotline.intake.places_import import read_places_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gazetteer(config):
    return Gazetteer.from_config(config)


@pytest.mark.parametrize("text,name,office", [
    ("我 住 在 个 东昌府区 古楼 街道 那个 闸口 小区 三 号楼", "闸口小区", "371502001"),  # the 小区, not the street
    ("就是 那个 米市街 路面 坏 了", "米市街", "371502001"),  # no filler before the name
    ("古楼 街道 米市街 社区 后面 有 个 垃圾 堆", "米市街社区", "371502001"),
    ("环湖路 上 的 路灯 不 亮", "湖滨路", "371502001"),  # an alias gives the gazetteer name
    ("古楼 街道 这边 停水 了", "古楼街道", "371502001"),  # the street office when nothing finer is said
])
def test_most_specific_place_and_its_office(gazetteer, text, name, office):
    place = extract_place(text, gazetteer)
    assert place is not None and (place.name, place.department) == (name, office), place
    assert place.known and not place.name.startswith(("个", "那个", "就是"))


def test_a_name_filed_under_several_offices_is_settled_by_the_callers_other_words(gazetteer, config):
    offices = {p.department for p in config.places.places if p.name == "王庄村"}
    assert len(offices) > 1
    settled = extract_place("侯营 镇 王庄 村 的 路 坏 了", gazetteer)
    assert settled is not None and settled.name == "王庄村" and settled.department == "371502101"
    assert "侯营镇" in settled.reason
    open_ = extract_place("王庄 村 的 路 坏 了", gazetteer)
    assert open_ is not None and open_.department is None and set(open_.candidates) == offices
    assert "请话务员确认" in open_.reason


@pytest.mark.parametrize("text,name", [("就是 那个 昌润北路 路灯 不亮", "昌润北路"), ("人民 广场 有人 打架", "人民广场")])
def test_a_place_the_gazetteer_does_not_know_is_kept_as_said(gazetteer, text, name):
    place = extract_place(text, gazetteer)
    assert place is not None and (place.name, place.known, place.department) == (name, False, None)


@pytest.mark.parametrize("text", ["我 家 门口 路灯 坏 了", "前面 那条 路 有 个 坑", "俺 村 的 水 不 通", "", "hello", "😀"])
def test_no_place_is_made_up_from_fillers(gazetteer, text):
    assert extract_place(text, gazetteer) is None


def test_places_yaml_names_only_known_departments(tmp_path):
    target = tmp_path / "config"
    shutil.copytree(ROOT / "config", target)
    path = target / "places.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("department: '371502001'", "department: 'NOPE'", 1),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(target)
    assert any("places.yaml" in p and "NOPE" in p for p in raised.value.details)


CSV = """name,kind,department,aliases,ambiguous
新建小区,小区,古楼街道,新建;新建花园,
闸口小区,compound,371502001,,
坏地名,road,没有这个单位,,
"""


def test_csv_rows_are_checked_one_by_one(config):
    result = read_places_csv(CSV, config)
    assert [(e.name, e.kind, e.department, e.aliases) for e in result.added] == [
        ("新建小区", "compound", "371502001", ["新建", "新建花园"])]
    assert result.known == ["闸口小区"]
    assert len(result.problems) == 1 and result.problems[0].startswith("line 4:")


def test_csv_without_a_header_is_refused(config):
    with pytest.raises(InvalidInputError):
        read_places_csv("新建小区,小区,古楼街道\n", config)


def test_places_import_cli_appends_and_the_analyser_then_knows_the_place(tmp_path):
    target = tmp_path / "config"
    shutil.copytree(ROOT / "config", target)
    source = tmp_path / "places.csv"
    source.write_text(CSV, encoding="utf-8")
    env = {**os.environ, "HOTLINE_CONFIG_DIR": str(target), "HOTLINE_VAR_DIR": str(tmp_path / "var"),
           "HOTLINE_LOG_LEVEL": "WARNING"}
    run = subprocess.run([sys.executable, "-m", "hotline.cli", "intake", "places-import", str(source)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "added 1, already known 1, refused 1" in run.stdout and "line 4:" in run.stderr
    config = load_config(target)
    place = extract_place("新建 花园 停水 了", Gazetteer.from_config(config))
    assert place is not None and (place.name, place.department) == ("新建小区", "371502001")
    assert (target / "places.yaml").read_text(encoding="utf-8").startswith("# The gazetteer (地名库)")  # comments kept


def test_a_matter_led_by_place_goes_to_the_office_of_the_compound_the_tree_does_not_know(config):
    from hotline.intake.analyzer import Analyzer

    got = Analyzer(config).analyze("闸口 小区 门口 的 垃圾 堆 了 好几 天 没人 管")
    assert got.place == "闸口小区" and got.place_detail["kind"] == "compound"
    assert got.department == {"code": "371502001", "name": "古楼街道", "direct": False}  # 闸口小区 is only in places.yaml
    assert "地点在古楼街道，由古楼街道属地主办" in got.reasons
