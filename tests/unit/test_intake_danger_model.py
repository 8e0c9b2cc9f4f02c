"""The learned danger model beside the danger patterns: its numpy export, the fallback to the patterns when its
files are missing or damaged, and what the shipped model adds — fresh emergencies the patterns miss, each with
its hand-over service and a reason in Chinese, while calls that only sound alarming stay ordinary."""

from __future__ import annotations

import shutil

import pytest

from hotline.intake.analyzer import Analyzer
from hotline.intake.danger import DangerDetector
from hotline.intake.danger_judge import DangerJudge, Joining, shipped, shipped_status
from hotline.intake.danger_model import (
    DangerModelError,
    load_danger_model,
    paths,
    shipped_directory,
    write_danger_model,
)
from hotline.intake.danger_training import Line, fit, fitted

# Written for these tests, in no data file. The first four are told in shapes the patterns do not know.
BEYOND_PATTERNS = [
    ("喂 俺 家 孩子 把 洗 衣 液 那 个 小 珠 子 咬 破 了 咽 下去 了 一直 吐", "120"),
    ("喂 隧 道 里 一 辆 车 撞 墙 上 了 车 里 的 人 趴 着 不 动 后 边 车 都 堵 了", "120"),
    ("俺 奶奶 坐 着 看 电视 脑袋 一 耷拉 就 没 声 了 手 冰凉", "120"),
    ("俺 闺女 一 个 人 在 家 说 有 人 一直 在 拧 门 把 手 她 吓 得 躲 床 底 下 了", "110"),
]
WITH_PATTERNS = [
    ("那 个 菜 市 场 里 一 个 卖 肉 的 让 人 捅 了 一 刀 血 流 了 一 地", "110"),
    ("俺 们 这 养 鸡 场 那 个 锅 炉 房 往 外 窜 火 苗 子", "119"),
    ("俺 兄弟 开 着 三 轮 掉 到 河 沟 里 了 车 扣 着 人 在 底 下", "119"),
]
SOUNDS_ALARMING = [
    "去 年 俺 家 着 过 火 保 险 公 司 到 现在 不 给 赔",
    "那 个 河 边 的 护 栏 坏 了 俺 怕 哪 天 有 孩 子 掉 下 去",
    "俺 爹 前 年 让 车 撞 了 那 个 司 机 到 现在 还 欠 着 俺 们 医 药 费",
    "喂 俺 想 问 问 电 动 车 在 楼 道 充 电 着 火 了 谁 负 责",
    "俺 们 小 区 的 消 防 栓 让 人 拿 去 卖 废 品 了 就 剩 个 空 壳 子",
    "俺 家 的 狗 丢 了 三 天 了 急 死 俺 了 有 没 有 人 捡 着",
    "那 个 工 地 半 夜 还 在 打 桩 咣 咣 的 吵 得 孩 子 睡 不 着",
]

SMALL = [Line(t, True, leaf) for t, leaf in [
    ("俺 爹 倒 在 地 上 叫 不 醒", "safety.rescue.injury"), ("老 人 摔 倒 了 不 动 了", "safety.rescue.injury"),
    ("厨房 着 火 了 烟 好 大", "safety.fire.fire"), ("楼 上 冒 黑 烟 火 苗 往 外 窜", "safety.fire.fire")]] + \
    [Line(t, False, None) for t in ["小区 停 水 了", "路灯 不 亮 了", "想 问 问 社保 咋 交", "楼 上 装修 太 吵",
                                    "物业 不 管 垃圾", "公交 车 不 来"]]


@pytest.fixture(scope="module")
def joined(config):
    return Analyzer(config)


@pytest.fixture(scope="module")
def alone(config):
    return Analyzer(config, learned_danger=False)


def test_the_exported_model_scores_as_scikit_learn_did(tmp_path):
    arrays, meta = fit(SMALL * 2)
    meta.update(threshold=0.5, version="t1")
    write_danger_model(tmp_path, arrays, meta)
    read = load_danger_model(tmp_path)
    in_memory = fitted(SMALL * 2)
    for line in SMALL:
        assert read.hear(line.text).probability == pytest.approx(in_memory.hear(line.text).probability, abs=1e-5)
    assert read.hear("俺 娘 倒 在 厨房 叫 不 醒").probability > 0.5 > read.hear("俺 们 小区 停 水 了").probability
    assert read.hear("厨房 着 火 了").leaf == "safety.fire.fire"
    assert read.version == "t1" and read.threshold == 0.5


def test_a_damaged_or_missing_model_leaves_the_patterns_deciding(config, tmp_path):
    source_npz, source_json = paths(shipped_directory())
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    shutil.copy(source_json, damaged / source_json.name)
    blob = bytearray(source_npz.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (damaged / source_npz.name).write_bytes(bytes(blob))
    with pytest.raises(DangerModelError, match="damaged"):
        load_danger_model(damaged)
    text, _ = BEYOND_PATTERNS[0]
    for directory in (damaged, tmp_path / "missing"):
        analyzer = Analyzer(config, danger_model=directory)
        status = analyzer.danger_status()
        assert status["status"] == "fallback" and "险情规则" in status["message"] and status["error"]
        assert analyzer.analyze(text).tier != "emergency"  # only the model heard this one
        assert analyzer.analyze(WITH_PATTERNS[0][0]).tier == "emergency"  # the patterns still do their part


def test_the_shipped_model_is_in_use():
    model, problem = shipped()
    assert model is not None and problem is None
    status = shipped_status()
    assert status["status"] == "ok" and 0 < status["threshold"] < 1


@pytest.mark.parametrize("text,service", BEYOND_PATTERNS)
def test_the_model_raises_emergencies_the_patterns_miss(joined, alone, text, service):
    assert alone.analyze(text).tier != "emergency"
    got = joined.analyze(text)
    assert got.tier == "emergency" and got.danger["source"] == "model"
    assert got.danger["service"] == service
    reason = got.danger["reason"]
    assert "险情模型" in reason and "请转" in reason and reason.startswith("听到“")
    assert got.reasons[0] == reason and got.category["code"] == got.danger["category"]


@pytest.mark.parametrize("text,service", WITH_PATTERNS)
def test_the_patterns_emergencies_stand_with_their_service(joined, text, service):
    got = joined.analyze(text)
    assert got.tier == "emergency" and got.danger["source"] == "rules" and got.danger["service"] == service


@pytest.mark.parametrize("text", SOUNDS_ALARMING)
def test_calls_that_only_sound_alarming_stay_ordinary(joined, text):
    assert joined.analyze(text).tier != "emergency"


def test_a_calm_shape_holds_back_an_unsure_model_but_not_a_sure_one():
    joining = Joining(threshold=0.4, rules_floor=0.2, sure=0.95)
    assert joining.emergency(False, 0.6, None)
    assert not joining.emergency(False, 0.6, "上个月")
    assert joining.emergency(False, 0.97, "上个月")
    assert not joining.emergency(False, 0.3, None)
    assert joining.emergency(True, 0.25, None) and not joining.emergency(True, 0.1, None)


def test_a_calm_shape_asks_more_of_the_model_before_a_patterns_emergency_stands():
    joining = Joining(threshold=0.4, rules_floor=0.05, sure=0.95, calm_floor=0.5)
    assert joining.emergency(True, 0.3, None)
    assert not joining.emergency(True, 0.3, "已经把阀门关了")
    assert joining.emergency(True, 0.6, "已经把阀门关了")
    assert not Joining(threshold=0.4, rules_floor=0.05, sure=0.95).emergency(True, 0.01, "上个月")
    assert Joining(threshold=0.4, rules_floor=0.05, sure=0.95).emergency(True, 0.3, "上个月")


def test_the_model_alone_needs_the_routers_second_opinion_unless_it_is_sure():
    joining = Joining(threshold=0.1, rules_floor=0.05, sure=0.9, agree_floor=0.05, agree_sure=0.8)
    assert not joining.emergency(False, 0.3, None, 0.01)  # the router hears an ordinary matter
    assert joining.emergency(False, 0.3, None, 0.2)
    assert joining.emergency(False, 0.95, None, 0.0)  # sure: no second opinion needed
    assert not joining.emergency(False, 0.08, None, 0.99)  # below the threshold the router alone raises nothing
    assert not joining.emergency(False, 0.3, "上个月", 0.5)  # a calm shape asks the router to be sure …
    assert joining.emergency(False, 0.3, "上个月", 0.85)  # … and both models hearing an emergency overrule it
    assert joining.emergency(True, 0.06, None, 0.0)  # the patterns' emergency does not ask the router


def test_without_a_router_the_model_alone_is_judged_by_its_own_settings(config):
    joining = Joining(threshold=0.1, rules_floor=0.05, sure=0.9, agree_floor=0.05, agree_sure=0.8)
    assert joining.emergency(False, 0.3, None, None)
    assert not joining.emergency(False, 0.3, "上个月", None)
    model, _ = shipped()
    assert model is not None
    judge = DangerJudge(DangerDetector(config.catalogue), model)
    assert judge.alone != judge.joining and judge.alone == Joining.of(model.meta["without_router"])
    assert shipped_status()["without_router"] == model.meta["without_router"]


def test_the_model_files_a_patterns_emergency_elsewhere_only_when_it_clearly_leads():
    joining = Joining(threshold=0.4, rules_floor=0.2, sure=0.95, leaf_margin=0.5)
    assert joining.leaf("safety.fire.fire", "utility.gas.leak", 0.7) == "utility.gas.leak"
    assert joining.leaf("safety.fire.fire", "utility.gas.leak", 0.3) == "safety.fire.fire"
    assert joining.leaf(None, "utility.gas.leak", 0.0) == "utility.gas.leak"


def test_the_detector_names_calm_shapes_unless_the_caller_panics(config):
    from hotline.intake.danger import DangerDetector

    detector = DangerDetector(config.catalogue)
    assert detector.calm_shape("俺 担心 万一 着 起 火 来") == "担心"
    assert detector.calm_shape("上 个 月 俺 家 门口 撞 了 人") == "上个月"
    assert detector.calm_shape("救命 啊 上 个 月 那 个 人 又 来 了 拿 着 刀") is None
    assert detector.calm_shape("俺 爹 倒 在 地 上 了") is None
    assert detector.calm_shape("暖气 片 崩 了 俺 已经 把 阀门 关 了") == "已经把阀门关了"
    assert detector.calm_shape("刚才 那个 电话 是 俺 孙子 按 错 了") == "按错了"
    assert detector.calm_shape("有 人 冒充 燃气 公司 上门 收钱") == "冒充"
    assert detector.calm_shape("刚才 有 条 狗 冲 俺 叫 没 咬 着 人") == "没咬着"
    assert detector.calm_shape("河 里 漂 着 个 东西 走 近 一 看 是 个 枕头") == "一看是"
    assert detector.calm_shape("上 个 礼拜 俺 家 隔壁 着 火 消防 车 来 得 太 慢") == "上个礼拜"
    assert detector.calm_shape("三 天 前 俺 在 路 上 让 车 刮 了") == "三天前"
