"""The danger detector: what is happening to whom, recall first, each emergency with its hand-over service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline.intake.danger import DangerDetector

DEV = Path(__file__).resolve().parents[1] / "data" / "intake_danger_dev.jsonl"


@pytest.fixture(scope="module")
def detector(config):
    return DangerDetector(config.catalogue)


@pytest.mark.parametrize("text,leaf,service", [
    # a person's state, said without any listed word
    ("我 爸 在 卫生间 跌 了 一跤 喊 他 也 不 答应", "safety.rescue.injury", "120"),
    ("我 对象 胸口 闷 得 说 不 出 话 脸 都 青 了", "safety.rescue.injury", "120"),
    ("孩子 从 滑梯 上 摔 下来 后脑勺 一直 冒 血", "safety.rescue.injury", "120"),
    # situations
    ("水库 边 上 有 个 小孩 滑 进 水 里 了", "safety.rescue.drowning", "119"),
    ("孩子 把 头 伸 进 栏杆 缝 里 卡 住 了 拔 不 出来", "safety.rescue.trapped", "119"),
    ("电梯 突然 停 在 半 空 里面 关 着 我 跟 孩子 出 不 去", "safety.rescue.elevator", "119"),
    ("车间 里 一个 工人 的 胳膊 被 机器 绞 进去 了", "safety.rescue.work_accident", "120"),
    ("我 家 孩子 把 奶奶 的 降压药 吃 了 半 瓶", "safety.rescue.poisoning", "120"),
    ("五 岁 的 孩子 在 超市 里 一 转眼 就 不见 了", "safety.rescue.missing", "110"),
    ("楼顶 上 站 着 一个 女孩 哭 着 说 要 跳 下去", "safety.rescue.suicide", "110"),
    # fire and smoke told loosely
    ("厨房 的 油锅 着 了 火 窜 到 抽油烟机 上 了", "safety.fire.fire", "119"),
    ("村 西头 的 麦秸 垛 烧 起来 了", "safety.fire.fire", "119"),
    # gas by sound or smell
    ("家里 的 燃气 管子 一直 呲呲 的 漏 气", "utility.gas.leak", "gas"),
    ("楼道 里 好 大 一股 煤气 味 不知道 哪家 漏 了", "utility.gas.leak", "gas"),
    # structures failing
    ("工地 旁边 那 栋 楼 墙 上 的 缝 越 裂 越 大 眼看 要 倒", "safety.structure.collapse", "119"),
    ("河 堤 冲 开 一个 大 口子 水 往 村 里 灌", "safety.structure.flood", "119"),
    # utilities and violence
    ("马路 中间 自来水 管 崩 了 水 喷 起来 好 几 米 高", "utility.water.burst", "water"),
    ("我们 楼 的 电线 让 大风 刮 断 了 耷拉 到 地 上 还 冒 火星", "utility.power.wire_down", "power"),
    ("有 人 拿 着 刀 在 菜市场 追 着 砍 人", "safety.violence.fight", "110"),
    ("我 家 门 被 人 撬 开 了 人 还 在 屋 里 翻 东西", "safety.violence.crime", "110"),
])
def test_emergency_is_recognised_from_what_happens_and_names_its_service(detector, text, leaf, service):
    got = detector.detect(text)
    assert got is not None and got.level == "emergency", got
    assert (got.category, got.service) == (leaf, service), got.reason
    assert got.evidence and all(word in text.replace(" ", "") for word in got.evidence)


@pytest.mark.parametrize("text,leaf", [
    ("屋里 烧 着 炉子 一家 人 都 头晕 还 有 一股 煤气 味", "safety.rescue.poisoning"),  # gas with people ill: 120
    ("外面 高压线 掉 下来 有 个 人 碰 到 了 倒 在 地上 抽", "safety.rescue.electric"),  # a wire and a person down
    ("小区 配电箱 冒 烟 了 里面 噼里啪啦 的 响", "utility.power.wire_down"),  # a switchboard shorting is not a fire
    ("楼 着火 了 三楼 还 有 人 困 在 里面", "safety.fire.fire"),  # fire with people trapped is the fire
])
def test_when_a_call_holds_several_dangers_the_one_that_threatens_life_first_decides(detector, text, leaf):
    got = detector.detect(text)
    assert got is not None and got.level == "emergency" and got.category == leaf, got


@pytest.mark.parametrize("text", [
    "楼道 里 堆 了 好多 纸箱 万一 着火 了 人 都 跑 不 出去",
    "我 担心 小区 那 个 燃气 管道 老化 哪天 会 漏 气",
    "这 个 井盖 坏 了 是 个 隐患 孩子 容易 掉 下去",
    "河 边 没 有 护栏 担心 有 人 掉 到 水 里",
    "那 棵 树 歪 得 厉害 随时 可能 倒",
])
def test_a_worry_is_a_hazard_not_an_emergency(detector, text):
    got = detector.detect(text)
    assert got is not None and got.level == "hazard", got
    assert got.service is None and "隐患" in got.reason


@pytest.mark.parametrize("text", [
    "上个月 我 家 着火 保险 公司 到 现在 不 理赔",  # over, and now about money
    "去年 出 车祸 撞 的 腿 医药费 谁 出",
    "我们 这 片 晚上 经常 有人 打架 治安 太 差",  # a habit, not something happening now
    "我 家 停水 了 两天 了 也 没 个 通知",
    "我 反映 了 好多 次 也 没 个 反应",  # 没反应 about an office, not a person
    "工厂 的 烟囱 一直 冒 黑烟 呛 得 慌",  # pollution, not a fire
    "暖气 管道 漏水 楼下 都 淹 了",  # heating is a livelihood matter
])
def test_what_is_not_happening_to_anyone_now_is_no_emergency(detector, text):
    got = detector.detect(text)
    assert got is None or got.level != "emergency", got


def test_panic_wins_over_a_worry_said_in_the_same_breath(detector):
    got = detector.detect("邻居 家 门 关 着 屋里 一股 煤气 味 敲门 不 开 我 怕 出事 求 你们 快点")
    assert got is not None and got.level == "emergency" and got.service == "gas"


def test_hand_over_line_comes_from_the_catalogue_and_says_when_it_is_not_set(detector, config):
    fire = detector.detect("对面 楼 窗户 里 往外 冒 黑 烟 还 有 火苗")
    assert fire is not None and (fire.service_name, fire.phone) == ("消防救援", "119")
    assert "请转消防救援（119）" in fire.reason
    gas = detector.detect("楼道 里 一股 煤气 味 越来越 重")
    assert gas is not None and gas.phone == config.catalogue.emergency_services["gas"].phone
    if gas.phone is None:
        assert "号码未配置" in gas.reason


def test_reason_is_a_chinese_sentence_with_the_words_heard(detector):
    got = detector.detect("我 妈 早上 起来 拍 她 也 不 睁眼")
    assert got is not None
    assert got.reason.startswith("听到“") and "判断为紧急险情：人员受伤急病" in got.reason
    assert not any(c.isascii() and c.isalpha() for c in got.reason)


def test_own_dev_examples_are_all_recognised(detector):
    """tests/data/intake_danger_dev.jsonl: varied wordings written for development, not the held-out set."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong = []
    for row in rows:
        got = detector.detect(row["text"])
        emergency = bool(got and got.level == "emergency")
        if emergency != row["emergency"] or (emergency and got.category != row["category"]):
            wrong.append((row["text"], row["category"], got and got.category))
    assert wrong == []


@pytest.mark.parametrize("text", ["", "   ", "12345", "hello", "😀😀", "\x00\x07"])
def test_nothing_said_is_no_danger(detector, text):
    assert detector.detect(text) is None
