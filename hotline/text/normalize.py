"""Recogniser text → readable Chinese: tokens joined, spoken numbers as digits, numbers pulled out.

Vosk's Chinese models answer with space-separated tokens (「我 家 小区 停水 了」). Spoken digit
strings (幺三八…, 二零二六…) and numerals before a measure word (三号楼, 两天) become digits;
other 一/两 stay words (一直, 统一, 一下), which a blanket numeral conversion would break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotline.text.numerals import DIGITS, numeral_value

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_JOIN = re.compile(rf"(?<=[{_CJK}0-9])\s+(?=[{_CJK}0-9])|(?<=[{_CJK}])\s+(?=\w)|(?<=\w)\s+(?=[{_CJK}])")
_DIGIT = {name: str(value) for name, value in DIGITS.items()}
_NUMERAL = re.compile(r"[零〇洞幺一二两三四五六七八九十百千万]+")
# Measure words after which a numeral is a quantity or an address part.
_UNITS = ("号楼", "单元", "栋", "幢", "层", "楼", "室", "号", "户", "天", "年", "月", "日", "点", "小时", "分钟",
          "个", "次", "元", "块", "岁", "米", "路", "人", "家", "辆", "周", "趟", "期")
_ADDRESS_UNITS = ("号楼", "单元", "栋", "幢", "层", "楼", "室", "号", "路")
_DASH = re.compile(r"(?<=\d)\s*(?:杠|横杠|减)\s*(?=\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:0\d{2,3}-?)?[2-8]\d{6,7}(?!\d)")
_TICKET = re.compile(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])-?(\d{4})(?!\d)")


def join_tokens(text: str) -> str:
    """「我 家 小区 停水 了」 → 「我家小区停水了」; spaces between Latin words stay."""
    return _JOIN.sub("", text.strip())


def spoken_numbers(text: str) -> str:
    """Digit strings read out one by one and numerals before measure words → Arabic digits."""

    def convert(match: re.Match) -> str:
        span = match.group(0)
        after = text[match.end():match.end() + 2]
        if len(span) >= 3 and all(c in _DIGIT for c in span):
            return "".join(_DIGIT[c] for c in span)
        units = _ADDRESS_UNITS if span == "一" else _UNITS  # 一个/一家 stay words, 一号楼 is an address
        if after.startswith(units):
            value = numeral_value(span)
            return span if value is None else str(value)
        return span

    return _DASH.sub("-", _NUMERAL.sub(convert, text))


def normalise(text: str) -> str:
    return spoken_numbers(join_tokens(text))


@dataclass(frozen=True)
class Numbers:
    phones: list[str]
    tickets: list[str]

    def as_dict(self) -> dict:
        return {"phones": self.phones, "tickets": self.tickets}


def find_numbers(text: str) -> Numbers:
    """Phone numbers (mobile, landline with or without area code) and ticket numbers in normalised text."""
    tickets = [f"{y}{m}{d}-{n}" for y, m, d, n in _TICKET.findall(text)]
    rest = _TICKET.sub(" ", text)
    phones = _MOBILE.findall(rest)
    rest = _MOBILE.sub(" ", rest)
    phones += _LANDLINE.findall(rest)
    return Numbers(list(dict.fromkeys(phones)), list(dict.fromkeys(tickets)))
