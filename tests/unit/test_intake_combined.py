"""Danger and the learned router together: the danger judge alone decides whether a call is an emergency;
the router may only say which emergency leaf it is, only when it is sure and only when the danger patterns
decide alone (the danger model refines their leaf itself)."""

from __future__ import annotations

import pytest

from hotline.core.enums import Tier
from hotline.intake.analyzer import Analyzer
from hotline.intake.learning import seed_examples
from hotline.intake.model import set_live, write_model
from hotline.intake.slot import ModelSlot
from hotline.intake.training import Example, fit

GAS = "厨房 那 个 管子 一直 嘶嘶 的 响 一 股 臭 鸡蛋 味"
FEE = "物业 费 一 年 比 一 年 贵 了"


@pytest.fixture(scope="module")
def taught(config):
    """A model taught wrongly on purpose: a fee complaint as a gas leak, and the gas line as a fire."""
    seed = [e for e in seed_examples(config) if e.leaf.startswith(("utility.", "housing."))]
    wrong = [Example(FEE, "utility.gas.leak", ticket=f"20261101-{i:04d}") for i in range(30)]
    wrong += [Example(GAS, "safety.fire.fire", ticket=f"20261102-{i:04d}") for i in range(30)]
    names = {leaf.code: leaf.name for leaf in config.catalogue.leaves()}
    rows = seed + wrong
    return fit(rows, [1.0] * len(rows), config.intake_model, names=names)


@pytest.fixture
def slot(tmp_path, taught):
    write_model(tmp_path, "v0001", taught.arrays, {**taught.meta, "accuracy": {"category": 0.9}, "temperature": 8.0})
    set_live(tmp_path, "v0001")
    return ModelSlot(tmp_path)


def urgent(config) -> set[str]:
    return {leaf.code for leaf in config.catalogue.leaves() if leaf.tier == Tier.EMERGENCY}


def test_the_model_never_makes_a_call_an_emergency(config, slot):
    assert slot.get().suggest(FEE, 1).choices[0].code == "utility.gas.leak"  # the model would
    got = Analyzer(config, slot=slot).analyze(FEE)
    assert got.danger is None and got.tier != "emergency", got.reasons
    assert got.category["code"] not in urgent(config)
    assert got.choices and not {c["code"] for c in got.choices} & urgent(config)


def test_a_sure_model_refines_the_emergency_leaf_with_its_own_hand_over(config, slot):
    got = Analyzer(config, slot=slot, learned_danger=False).analyze(GAS)
    assert got.tier == "emergency" and got.source == "danger" and not got.must_choose
    assert got.category["code"] == "safety.fire.fire" and got.danger["category"] == "safety.fire.fire"
    assert got.danger["service"] == "119" and got.department["code"] == "371500-XFZD"
    assert any("险情识别初判为 燃气泄漏" in r for r in got.reasons), got.reasons


def test_with_the_danger_model_the_router_leaves_the_emergency_leaf_alone(config, slot):
    got = Analyzer(config, slot=slot).analyze(GAS)  # the router, taught wrongly, would say fire
    assert got.tier == "emergency" and got.category["code"] == "utility.gas.leak"
    assert got.danger["service"] == "gas" and not any("险情识别初判为" in r for r in got.reasons)


def test_an_unsure_model_leaves_the_detectors_leaf(config, slot):
    never_sure = config.model_copy(update={"intake_model": config.intake_model.model_copy(
        update={"must_choose_below": 1.0})})
    got = Analyzer(never_sure, slot=slot).analyze(GAS)
    assert got.tier == "emergency" and got.category["code"] == "utility.gas.leak"
    assert got.danger["service"] == "gas" and got.department["code"] == "371500-GAS"
    assert got.choices[0]["code"] == "utility.gas.leak"


def test_without_a_model_danger_and_rules_decide_alone(config):
    got = Analyzer(config).analyze(GAS)
    assert (got.tier, got.category["code"], got.source, got.confidence) == ("emergency", "utility.gas.leak",
                                                                            "danger", None)
    assert got.model is None and got.choices == [{"code": "utility.gas.leak", "name": "燃气泄漏", "confidence": None,
                                                   "department": {"code": "371500-GAS", "name": "聊城市燃气有限公司", "direct": False}}]


@pytest.mark.parametrize("text", [FEE, "那个 水 好像 有点 问题", "担心 楼道 电动车 充电 会 着火", "我们 小区 停水 了"])
def test_a_reason_never_files_the_call_under_a_leaf_it_is_not_filed_under(config, slot, text):
    got = Analyzer(config, slot=slot).analyze(text)
    filed = [r.split("归类为 ", 1)[1] for r in got.reasons if "归类为 " in r]
    assert all(name == got.category["name"] for name in filed), got.reasons
    assert not any(c.isascii() and c.isalpha() for r in got.reasons for c in r.replace(got.why["model"], ""))
