"""Chinese numerals as callers say them → integers: 三百零一 301, 一百二 120, 两万五 25000, 二零二六 2026.

Integers only (no sign, decimals or 元角分): what a hotline caller says for an address, a count or a sum.
Digits are Chinese (零〇一二两三…九, and 洞 幺 拐 勾 as digits are read out on the phone) or Arabic
(3百 300, 1万2 12000).
The reading is cn2an's "smart" mode for integers, which the project used before (its tests compare the
two over every numeral up to 20,000 and every short string of numeral characters): a numeral written
out (一千零一十) or spoken short (一百二 is 120, 三千五 3500, 十一万三 113000), or digits read one by one
(二零二六). Anything else (百, 三十二五, 十十) gives None. Kept here, in a few dozen lines, because importing
cn2an costs a short command a third of a second.
"""

from __future__ import annotations

import functools
import re

DIGITS = {"零": 0, "〇": 0, "洞": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "拐": 7, "八": 8, "九": 9, "勾": 9}  # 洞 幺 拐 勾: how digits are read out on the phone
_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_LOW = "零一二三四五六七八九"
_LOW_UNIT = {10: "十", 100: "百", 1000: "千", 10_000: "万", 100_000_000: "亿"}
_NUMS = "".join(DIGITS)
_ALLOWED = frozenset(_NUMS + "十百千万亿0123456789")


@functools.cache
def _strict_pattern() -> re.Pattern[str]:
    """A numeral written out in full; compiled when first needed (digits read one by one never need it)."""
    d0, d19 = "[零〇洞]", "[一幺二两三四五六七拐八九勾]"
    d10_99 = f"{d19}?[十]{d19}?"
    d10_99_one = f"{d19}[十]{d19}?"
    d1_99 = f"({d10_99}|{d19})"
    d100_999 = f"({d19}[百]({d0}{d19})?|{d19}[百]{d10_99_one})"
    d1_999 = f"({d100_999}|{d1_99})"
    d1000_9999 = f"({d19}[千]({d0}{d1_99})?|{d19}[千]{d100_999})"
    d1_9999 = f"({d1000_9999}|{d1_999})"
    d10000_up = f"({d1_9999}[万]({d0}{d1_999})?|{d1_9999}[万]{d1000_9999})"
    d1_99999999 = f"({d10000_up}|{d1_9999})"
    d100m_up = f"({d1_99999999}[亿]({d0}{d1_99999999})?|{d1_99999999}[亿]{d10000_up})"
    return re.compile(f"^({d0}|{d100m_up}|{d1_99999999})$")


_ALL_NUM = re.compile(f"^[{_NUMS}]+$")
_SPOKEN_SHORT = re.compile(f"^([{_NUMS}]{{0,2}}[十百千万亿])+[{_NUMS}]$")
_BIG_UNIT_MISSING_ZERO = re.compile(f"([万亿])([{_NUMS}][十百])")
_THOUSAND_MISSING_ZERO = re.compile(f"(千)([{_NUMS}]?十)")
_UNIT_MISSING_ONE = re.compile("(百)(十)")
_ZERO_BEFORE_THOUSAND = re.compile(f"(万)零(?=[{_NUMS}]千)")
_ARABIC = re.compile(r"[0-9]+")
_ARABIC_WITH_UNIT = re.compile(r"^[0-9]+[十百千万亿]$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _written(number: int) -> str:
    """An Arabic integer as a written Chinese numeral (12 → 十二, 1001 → 一千零一), as cn2an writes it."""
    text = _grouped(number)
    return text[1:] if text.startswith("一十") else text


def _grouped(number: int) -> str:
    for size, unit in ((100_000_000, "亿"), (10_000, "万")):
        if number >= size:
            high, low = divmod(number, size)
            gap = "零" if 0 < low < size // 10 else ""
            return _grouped(high) + unit + gap + (_grouped(low) if low else "")
    out = []
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // place % 10
        if digit:
            out.append(_LOW[digit] + unit)
        elif out and out[-1] != "零":
            out.append("零")
    return "".join(out).rstrip("零") or "零"


def _converted(numeral: str) -> int:
    """The value of a numeral that passed the checks, read from its end (cn2an's integer conversion)."""
    total, unit, group = 0, 1, 1
    for index, char in enumerate(reversed(numeral)):
        if char in DIGITS:
            total += DIGITS[char] * unit
            continue
        unit = _UNIT[char]
        if unit % 10_000 == 0:
            if unit > group:
                group = unit
            else:
                group, unit = unit * group, unit * group
        if unit < group:
            unit *= group
        if index == len(numeral) - 1:
            total += unit
    return total


def numeral_value(text: str) -> int | None:
    """The integer a spoken numeral says, or None when `text` is not one."""
    text = text.translate(_FULL_WIDTH).replace("零十", "零一十").replace("零百", "零一百")
    if not text or not set(text) <= _ALLOWED:
        return None
    if text.isascii():
        return int(text)
    if _ARABIC_WITH_UNIT.match(text):  # 77十, 3百: the Arabic number times the unit
        return int(text[:-1]) * _UNIT[text[-1]]
    text = _ARABIC.sub(lambda m: "".join(_LOW[int(c)] for c in m.group())
                       if len(m.group()) > 1 and m.group().startswith("0") else _written(int(m.group())), text)
    text = _ZERO_BEFORE_THOUSAND.sub(r"\1", text)
    text = _BIG_UNIT_MISSING_ZERO.sub(r"\1零\2", text)
    text = _THOUSAND_MISSING_ZERO.sub(r"\1零\2", text)
    text = _UNIT_MISSING_ONE.sub(r"\1一\2", text)
    text = text.replace("零十", "零一十")
    if _strict_pattern().match(text):
        return _converted(text)
    if _ALL_NUM.match(text):  # digits read one by one
        return int("".join(str(DIGITS[c]) for c in text))
    short = _SPOKEN_SHORT.match(text)
    lower = _UNIT[short.groups()[-1][-1]] // 10 if short else 0
    if len(text) >= 3 and lower in _LOW_UNIT:  # after 十 there is no lower unit to stand for
        return _converted(text + _LOW_UNIT[lower])
    return None
