"""Reasons are Chinese sentences an operator reads at a glance: what was heard, then what follows."""

from __future__ import annotations

import re

import pytest

from hotline.intake import reasons as say
from hotline.intake.analyzer import Analyzer


def test_sentences_say_what_was_heard_and_what_follows():
    assert say.category([say.heard_as("没水", None)], "停水") == "听到“没水”，归类为 停水"
    assert say.category([say.heard_as("听水", "停水")], "停水") == "听到“听水”（音同“停水”），归类为 停水"
    assert say.tier_default("livelihood", "停水") == "时限按 停水 的默认：民生"
    assert say.ticket("20261102-0057") == "听到工单号 20261102-0057"
    assert say.ticket("0057") == "听到工单号的一部分 0057"
    assert say.repeat(2, "停水", "东关社区", 30, ["20261102-0057", "20261103-0001"]) == \
        "重复来电：这个号码30天内已就“东关社区”的停水反映过2次（20261102-0057、20261103-0001）"


@pytest.fixture(scope="module")
def analyzer(config):
    return Analyzer(config)


@pytest.mark.parametrize("text", [
    "东关 社区 停 水 了 电话 幺 三 八 零 六 三 五 幺 二 三 四",
    "我 爸 在 厕所 跌 倒 了 喊 他 不 答应 在 闸口 小区 八 号楼 两 单元 三 零 幺",
    "担心 楼道 电动车 充电 会 着火",
    "身份证 三七一五零二 一九八五 零三 二一 二三 四 叉 社保 怎么 办",
    "hello",
    "",
])
def test_no_reason_carries_a_rule_name_or_an_internal_code(analyzer, text):
    got = analyzer.analyze(text)
    assert got.reasons
    for reason in got.reasons:
        words = re.sub(r"[0-9X*-]{4,}", "", reason)  # numbers the caller said (an ID number may end in X)
        assert not any(c.isascii() and c.isalpha() for c in words), reason
        assert "_" not in reason and "." not in reason.replace("...", ""), reason
