"""Spoken Chinese numerals: the project's own reader against cn2an's "smart" mode, which it replaces."""

from __future__ import annotations

import itertools
import random

import pytest

from hotline.intake.numbers import digits_of
from hotline.text.normalize import spoken_numbers
from hotline.text.numerals import numeral_value

ALPHABET = "零〇幺一二两三五十百千万亿7"


def cn2an_value(text: str) -> int | None:
    import cn2an  # the reference, installed for the tests only

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError):
        return None
    assert isinstance(value, int), (text, value)
    return value


def written(numbers: list[int]) -> list[str]:
    import cn2an

    return [cn2an.an2cn(n) for n in numbers]


@pytest.mark.parametrize("text, value", [
    ("三百零一", 301), ("一百二", 120), ("三千五", 3500), ("两万五", 25000), ("十一万三", 113000), ("一百零二", 102),
    ("十五", 15), ("一千零十", 1010), ("二零二六", 2026), ("幺三八", 138), ("二两", 22), ("零", 0), ("一亿", 100_000_000),
    ("一千二百三十四万五千六百七十八", 12_345_678), ("3百", 300), ("1万2", 12000), ("１２十", 120),
    ("三百洞幺", 301), ("拐百勾十", 790), ("幺洞洞", 100),
])
def test_numerals_callers_say(text, value):
    assert numeral_value(text) == value


@pytest.mark.parametrize("text", ["", "百", "万", "三十二五", "十十", "千五", "一二三十", "三百-二", "三百X", "二十十五", "三号"])
def test_what_is_not_a_numeral_gives_none(text):
    assert numeral_value(text) is None


def test_every_written_numeral_up_to_twenty_thousand_and_a_sample_above_reads_as_cn2an_reads_it():
    numbers = list(range(20_001)) + random.Random(7).sample(range(20_001, 10**12), 5000)
    forms = written(numbers)
    forms += [f.replace("二", "两") for f in forms[:3000]] + [f.replace("一", "幺") for f in forms[:3000]]
    differ = [(f, cn2an_value(f), numeral_value(f)) for f in forms if cn2an_value(f) != numeral_value(f)]
    assert differ == []


def test_every_string_of_up_to_four_numeral_characters_reads_as_cn2an_reads_it():
    forms = ["".join(p) for n in range(1, 5) for p in itertools.product(ALPHABET, repeat=n)]
    forms = [f for f in forms if not f.isascii()]  # Arabic digits alone never reach it (cn2an gives a float)
    differ = [(f, cn2an_value(f), numeral_value(f)) for f in forms if cn2an_value(f) != numeral_value(f)]
    assert len(forms) > 40_000 and differ == []


def test_the_two_readers_of_numbers_use_it():
    assert digits_of("三百零一") == "301" and digits_of("八杠二") == "8-2" and digits_of("三百杠二") is None
    assert spoken_numbers("一百二十号楼") == "120号楼" and spoken_numbers("一直") == "一直"
    assert spoken_numbers("两天") == "2天" and spoken_numbers("百号楼") == "百号楼"
