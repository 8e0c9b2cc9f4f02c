"""Every digit string a caller reads out (号码识别): phones, ticket numbers, building/unit/room, ID numbers.

Callers read digits one by one (幺三八…, 洞 and 零 for 0, 两 and 二 for 2, 拐 for 7, 勾 for 9), in
groups, or as a number (三百零一, 二十三); a recogniser writes them as characters between other words.
What a string is follows from its shape and the words around it: 工单/单号 before a ticket number
read in part, 号楼/单元/室 after a house number, 11 digits from 13…19 for a mobile, 17 digits and
叉 for an ID number. ID numbers are returned masked (first six and last four digits): a suggestion
is shown to people who need to know that one was said, not what it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hotline.text.normalize import join_tokens
from hotline.text.numerals import DIGITS, numeral_value

_DIGIT = {name: str(value) for name, value in DIGITS.items()}
_DIGITS = "".join(_DIGIT) + "0-9０-９"
# A run of digits, possibly with 十/百/千 (a number read as a number) and 杠 between groups.
_RUN = re.compile(rf"[{_DIGITS}十百千]+(?:(?:杠|横杠|-)[{_DIGITS}]+)*(?:[叉xX](?![a-zA-Z]))?")
# The last of these within a few characters before a number says what it is.
_CUE = re.compile(r"(?P<ticket>工单|单号|编号|受理号|回执|流水号|单子|(?<!手机)(?<!号码)尾号)"
                  r"|(?P<phone>电话|手机|座机|号码|联系方式|打给|拨打)|(?P<id>身份证|证件号)")
_CUE_REACH = 12
_PLATE_BEFORE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z]?$|[A-Za-z]$")
_SERVICE = {"110", "119", "120", "122", "12345", "12315", "12333", "12369", "95598", "96777", "12320", "12328"}
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
_TICKET_FULL = re.compile(r"(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\d{4,})")
_ID = re.compile(r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")
_BUILDING, _UNIT, _ROOM = ("号楼", "栋", "幢", "号院"), ("单元",), ("室", "号房", "房间", "户")
_SMALL_WORDS = re.compile(r"^[一两二]$")  # 一 / 两 alone is a word (一直, 两个) unless an address follows


@dataclass
class Numbers:
    phones: list[str] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    house: str | None = None
    id_numbers: list[str] = field(default_factory=list)  # masked: 371502********123X
    other: list[str] = field(default_factory=list)  # digit strings said but not understood

    def as_dict(self) -> dict:
        return {"phones": self.phones, "tickets": self.tickets, "house": self.house,
                "id_numbers": self.id_numbers, "other": self.other}


def digits_of(spoken: str) -> str | None:
    """「幺三八洞」→ 1380, 「三百零一」→ 301, 「八杠二」→ 8-2; None when it is not a number."""
    spoken = spoken.replace("横杠", "-").replace("杠", "-")
    if any(c in spoken for c in "十百千"):
        value = numeral_value(spoken)
        return None if value is None else str(value)
    out = []
    for char in spoken:
        if char in _DIGIT:
            out.append(_DIGIT[char])
        elif char.isdigit():
            out.append(str(int(char)))  # full-width digits
        elif char in "xX叉":
            out.append("X")
        elif char == "-":
            out.append("-")
    return "".join(out) or None


def extract_numbers(text: str) -> Numbers:
    """The numbers in `text` (recogniser tokens or typed), each sorted into what it is."""
    text = join_tokens(text or "")
    found = Numbers()
    house: dict[str, str] = {}
    for match in _RUN.finditer(text):
        spoken, after = match.group(0), text[match.end():]
        before = text[max(0, match.start() - _CUE_REACH):match.start()]
        if _SMALL_WORDS.match(spoken) and not after.startswith(_BUILDING + _UNIT + _ROOM):
            continue
        value = digits_of(spoken)
        if value is None:
            continue
        _sort(found, house, value, spoken, before, after)
    found.house = _house(house)
    for key in ("phones", "tickets", "id_numbers", "other"):
        setattr(found, key, list(dict.fromkeys(getattr(found, key))))
    return found


def _sort(found: Numbers, house: dict[str, str], value: str, spoken: str, before: str, after: str) -> None:
    plain = value.replace("-", "")
    cue = _cue(before)
    if after.startswith(_BUILDING):
        house.setdefault("building", plain)
    elif after.startswith(_UNIT):
        house.setdefault("unit", plain)
    elif after.startswith(_ROOM) or (_room_after(house, plain, spoken) and cue != "ticket"):
        house.setdefault("room", plain)
    elif _ID.fullmatch(plain):
        found.id_numbers.append(mask_id(plain))
    elif _MOBILE.fullmatch(plain):  # a mobile is a mobile whatever was said before it
        found.phones.append(plain)
    elif (cue == "ticket" and _ours(plain)) or _TICKET_FULL.fullmatch(plain):
        found.tickets.append(_ticket(plain))
    elif plain in _SERVICE or _PLATE_BEFORE.search(before):
        return
    elif _is_phone(plain, cue):
        found.phones.append(plain)
    elif len(plain) >= 3 and not any(c in spoken for c in "十百千"):
        found.other.append(plain)


def _room_after(house: dict[str, str], plain: str, spoken: str) -> bool:
    """Digits read after the unit (2–4 of them) or straight after the building (3–4, read digit by digit: 五 号 楼
    三 零 二) are the room."""
    if "room" in house or ("building" not in house and "unit" not in house):
        return False
    if "unit" in house:
        return 2 <= len(plain) <= 4
    return 3 <= len(plain) <= 4 and not any(c in spoken for c in "十百千")


def _ours(plain: str) -> bool:
    """A ticket number of this hotline as a caller reads it: a part (0057, 1102-0057) or the whole from the year;
    a longer number after 单号 is someone else's (a parcel's, an order's)."""
    return 3 <= len(plain) <= 8 or (len(plain) <= 12 and plain.startswith("20"))


def _cue(before: str) -> str | None:
    cues = list(_CUE.finditer(before))
    return cues[-1].lastgroup if cues else None


def _is_phone(plain: str, cue: str | None) -> bool:
    if _MOBILE.fullmatch(plain) or _LANDLINE.fullmatch(plain) or (plain.startswith("00") and len(plain) >= 9):
        return True
    return 7 <= len(plain) <= 8 and plain[0] in "2345678" and cue == "phone"


def _ticket(plain: str) -> str:
    """A whole ticket number as the system writes it (20261102-0057); a part as read (0057)."""
    full = _TICKET_FULL.fullmatch(plain)
    return f"{''.join(full.groups()[:3])}-{full.group(4)}" if full else plain


def _house(parts: dict[str, str]) -> str | None:
    if not parts:
        return None
    return (f"{parts['building']}号楼" if "building" in parts else "") + \
        (f"{parts['unit']}单元" if "unit" in parts else "") + parts.get("room", "")


def mask_id(number: str) -> str:
    """371502198501011234 → 371502********1234: enough to tell two apart, not enough to use."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
