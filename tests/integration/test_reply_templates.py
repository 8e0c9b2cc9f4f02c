"""答复模板 by category: the server fills the templates of the order's category (then the default ones);
a key naming no category is a configuration error; scoped like the order."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.config import ConfigError, load_config
from tests.integration.test_department_steps import dispatched

CONFIG = Path(__file__).parents[2] / "config"


def test_a_water_order_gets_the_water_templates_first_filled_in(api, people):
    ticket = dispatched(api, people)
    r = api.get(f"/api/v1/work-orders/{ticket}/reply-templates", headers=people["water"].headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["key"] == "utility.water"
    assert body["reply"][0]["name"] == "停水抢修" and "东昌府区古楼街道东关社区停水" in body["reply"][0]["text"]
    assert [t["name"] for t in body["reply"][1:]] == ["已收悉并安排", "需要上门核实"]
    assert "聊城市水务集团有限公司已于今日处理完毕" in body["result"][-2]["text"]
    assert all("{" not in t["text"] for t in body["reply"] + body["result"])


def test_a_category_without_its_own_gets_the_default_and_others_get_404(api, people):
    ticket = dispatched(api, people, category_code="city.sanitation", title="垃圾未清运")
    body = api.get(f"/api/v1/work-orders/{ticket}/reply-templates", headers=people["operator"].headers).json()
    assert body["key"] == "default" and [t["name"] for t in body["reply"]] == ["已收悉并安排", "需要上门核实"]
    assert api.get(f"/api/v1/work-orders/{ticket}/reply-templates",
                   headers=people["housing"].headers).status_code == 404


def test_a_template_key_or_placeholder_that_matches_nothing_is_a_config_error(tmp_path):
    for name in CONFIG.iterdir():
        if name.suffix == ".yaml":
            (tmp_path / name.name).write_text(name.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "reply_templates.yaml").write_text(
        "templates:\n  default: {reply: [{name: a, text: '{title}'}]}\n  nosuch.thing: {reply: []}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert "templates.nosuch.thing: matches no category" in str(err.value)
    (tmp_path / "reply_templates.yaml").write_text(
        "templates:\n  default: {reply: [{name: a, text: '{phone}'}]}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert "unknown placeholder {phone}" in str(err.value)
