"""Numbers as callers read them: any spoken form, sorted into phones, tickets, house numbers and ID numbers."""

from __future__ import annotations

import pytest

from hotline.intake.numbers import digits_of, extract_numbers, mask_id


@pytest.mark.parametrize("spoken,digits", [
    ("幺三八", "138"), ("洞洞幺", "001"), ("两零两六", "2026"), ("拐勾", "79"),
    ("三百零一", "301"), ("二十三", "23"), ("八杠二", "8-2"), ("１２３", "123"),
])
def test_every_spoken_form_becomes_digits(spoken, digits):
    assert digits_of(spoken) == digits


@pytest.mark.parametrize("text,phones", [
    ("我 的 电话 是 幺 三 八 零 六 三 五 幺 二 三 四", ["13806351234"]),  # digit by digit
    ("手机 幺三八 零六三五 幺二三四", ["13806351234"]),  # in groups
    ("座机 零六三五 八二一二 三四五六", ["063582123456"]),  # landline with area code
    ("电话 是 八二一二 三四五六", ["82123456"]),  # landline without, after 电话
    ("国外 的 号码 洞洞 八五二 幺二三四 五六七八", ["0085212345678"]),
    ("打 幺 二 三 四 五 没人 接", []),  # a service number is no citizen's phone
    ("车牌 鲁 P 幺 二 三 四 五", []),  # nor a licence plate
])
def test_phones(text, phones):
    assert extract_numbers(text).phones == phones


@pytest.mark.parametrize("text,tickets", [
    ("工单 号 是 二零二六 幺幺 零二 零零 五七", ["20261102-0057"]),  # whole
    ("单号 最后 四 位 是 洞 洞 三 幺", ["0031"]),  # only the last four digits
    ("上次 那个 单子 是 幺 二 三 四 五 六 七", ["1234567"]),  # any length after 单子/单号
    ("我 查 一下 二零二六 幺幺 二一 零零 幺二 这个", ["20261121-0012"]),  # a whole number needs no cue
    ("俺 是 来 催 的 尾号 三 七 八 幺 那个 事", ["3781"]),  # 尾号 of a follow-up: the ticket's last digits
    ("俺 手机 尾号 三 七 八 幺", []),  # … but a phone's tail is not a ticket
    ("快递 单号 是 幺 二 三 四 五 六 七 八 九 零 一 二 三", []),  # a parcel's number is not one of ours
])
def test_ticket_numbers_in_any_length(text, tickets):
    assert extract_numbers(text).tickets == tickets


def test_a_mobile_after_a_ticket_cue_is_still_a_phone():
    got = extract_numbers("工单 号 二零二六 幺幺 零二 零零 五七 有 事 打 我 幺 三 九 零 六 三 五 八 八 八 八")
    assert got.tickets == ["20261102-0057"] and got.phones == ["13906358888"]


@pytest.mark.parametrize("text,house", [
    ("住 在 八 号楼 两 单元 三 零 幺", "8号楼2单元301"),  # room read after the unit, without 室
    ("三 号楼 二 单元 五零一 室", "3号楼2单元501"),
    ("十二 栋 三百零一 室", "12号楼301"),  # 栋 is 号楼; the room read as a number
    ("阎寺新苑 五 号 楼 三 零 二", "5号楼302"),  # a room read straight after the building
    ("十一 号 楼 五 零 二 是 楼上 六 零 二", "11号楼502"),  # the first room said is the caller's
    ("三 号楼 住 了 二十 年", "3号楼"),  # two digits after a building are not a room
    ("我 家 五 楼 漏水", None),  # a bare floor is not a house number
    ("两个 人 一起 去 的", None),  # 两 that is a word stays a word
])
def test_house_numbers(text, house):
    assert extract_numbers(text).house == house


def test_id_numbers_are_recognised_and_masked():
    got = extract_numbers("身份证 三七一五零二 一九八五 零三 二一 二三 四 叉")
    assert got.id_numbers == ["371502********234X"]
    assert got.phones == [] and got.other == []
    assert "19850321" not in str(got.as_dict())  # the birth date never leaves


def test_masking_keeps_region_and_last_four():
    assert mask_id("37150219850321234X") == "371502********234X"


@pytest.mark.parametrize("text", ["", "  ", "没有 数字", "hello", "😀", "\x00\x1b[2J"])
def test_nothing_to_find_is_empty_not_an_error(text):
    got = extract_numbers(text)
    assert got.as_dict() == {"phones": [], "tickets": [], "house": None, "id_numbers": [], "other": []}


def test_typed_digits_are_sorted_like_spoken_ones():
    got = extract_numbers("电话13806351234，工单20261102-0057，3号楼2单元501室")
    assert (got.phones, got.tickets, got.house) == (["13806351234"], ["20261102-0057"], "3号楼2单元501")
    assert extract_numbers("13806351234").phones == ["13806351234"]  # only digits
