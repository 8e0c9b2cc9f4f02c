"""One masking rule for every number and name a department or the public must not read."""

from __future__ import annotations

import pytest

from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.dispatch.scope import disclosure
from hotline.text.masking import mask_address, mask_phone, redact, redact_data


@pytest.mark.parametrize(("text", "masked"), [
    ("电话13800138000", "电话138****8000"),
    ("电话 138 0013 8000。", "电话 138****8000。"),
    ("138-0013-8000", "138****8000"),
    ("+86 138 0013 8000", "+86 138****8000"),
    ("+8613800138000", "+86 138****8000"),
    ("＋８６１３８００１３８０００", "+86 138****8000"),
    ("008613800138000", "+86 138****8000"),
    ("１３８００１３８０００", "138****8000"),
    ("座机0635-8123456", "座机063****3456"),
    ("（0635）8123456", "063****3456"),
    ("拨8123456", "拨*****56"),
    ("身份证371502199001011234", "身份证371***********1234"),
    ("身份证37150219900101123X", "身份证371***********123X"),
    ("身份证37150219900101123x", "身份证371***********123x"),
    ("请拨13800138000转8001", "请拨138****8000转8001"),
])
def test_numbers_in_every_common_format_are_masked(text, masked):
    assert redact(text) == masked


@pytest.mark.parametrize("text", ["工单20261123-0001于2026-11-23 09:30受理", "2026年11月23日", "3号楼2单元501室",
                                  "罚款12000元", "电话123456"])
def test_dates_tickets_times_and_short_numbers_stay(text):
    assert redact(text) == text


def test_names_given_and_names_introduced_are_hidden():
    assert redact("王建国反映，王建国的邻居也是", ["王建国"]) == "王**反映，王**的邻居也是"
    assert redact("我叫张三丰，住在东昌府区") == "我叫张**，住在东昌府区"
    assert redact("联系人：李四") == "联系人：李*"
    assert redact("报告人赵钱孙，反映") == "报告人赵**，反映" and redact("来电人：周八。") == "来电人：周*。"
    assert redact("名叫吴九，") == "名叫吴*，" and redact("姓名是郑十一") == "姓名是郑**"
    assert redact("我叫王小明，是个名人") == "我叫王**，是个名人"  # every mark of an introduction in one text
    assert redact_data({"reason": ["找王建国", 3]}, ["王建国"]) == {"reason": ["找王**", 3]}
    assert redact("小王建国来电", ["王建国", "小王建国"]) == "小***来电"  # the longest name first
    assert redact("王建国来电", [" ", None, ""]) == "王建国来电"
    assert redact("张", ["张"]) == "*"


def test_stored_phones_and_message_addresses():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("06358123456") == "063****3456"
    assert mask_phone("12345") == "*****" and mask_phone("123456") == "******"
    assert mask_phone("1234567") == "*****67" and mask_phone("06358123") == "******23"
    assert mask_phone("") == "" and mask_phone(None) is None
    assert mask_address("+8613912345678") == "+86139****5678"
    assert mask_address("+442012345678") == "+442****5678"  # another country keeps its plus
    assert mask_address("8123456") == "812****3456" and mask_address("812345") == "81***45"
    assert (mask_address("abcd"), mask_address("abcde")) == ("****", "ab***de")


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN])
def test_department_staff_and_admins_both_get_masked_views(role):
    shown = disclosure(Actor(role, department_path="/1/"), ["王建国"])
    assert shown.phone("13800138000") == "138****8000" and shown.name("王建国") is None
    assert shown.text("王建国 13800138000") == "王** 138****8000"
    assert shown.data({"note": "王建国"}) == {"note": "王**"}


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.HOTLINE_ADMIN, Role.CALLBACK_STAFF, Role.SUPERVISOR])
def test_the_centre_sees_in_full(role):
    shown = disclosure(Actor(role), ["王建国"])
    assert shown.text("王建国 13800138000") == "王建国 13800138000" and shown.name("王建国") == "王建国"
    assert shown.phone("13800138000") == "13800138000"
    assert shown.data({"note": "王建国 13800138000"}) == {"note": "王建国 13800138000"}
