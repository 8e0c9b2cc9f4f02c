"""Personal data hidden where it leaves for someone who may not see it (departments, the public, logs).

One module, one rule for every number: any run of seven or more digits a person wrote — a mobile,
a landline with or without its area code, an ID number, written with spaces, dashes, brackets,
+86/0086 or full-width digits — keeps at most its first three and last four digits; shorter ones keep
only their last two. Dates and ticket numbers are left as they are: a department needs them.
Names: the citizen's own name wherever it appears, and a name introduced as one (我叫…, 姓名：…).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_DIGIT = "0-9\uff10-\uff19"  # ASCII and full-width digits
_SEP = r"[ \t\u3000\-\uff0d\u2010-\u2015()\uff08\uff09/]{1,3}"  # spaces, dashes, brackets between groups
# Tried first at each place: a date, a ticket number, a time of day — kept as they are.
_KEEP = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|\d{8}-\d{4,}|\d{1,2}:\d{2}(?::\d{2})?"
_RUN = re.compile(
    rf"(?<![{_DIGIT}A-Za-z])(?:(?P<keep>{_KEEP})|(?:(?:\+|\uff0b)\s?)?[(\uff08]?[{_DIGIT}]+(?:{_SEP}[{_DIGIT}]+)*"
    rf"(?:[Xx\uff38\uff58](?![A-Za-z]))?(?![{_DIGIT}]))")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ＋", "0123456789xX+")
_INTRODUCED = re.compile(r"(我叫|我的名字[叫是]|名字[叫是]|名叫|(?:姓名|联系人|来电人|报告人)[:：是为]?)"
                         r"\s*([\u4e00-\u9fff·]{2,4})")
_ANY_DIGIT = re.compile(f"[{_DIGIT}]")
_INTRODUCING = ("叫", "名", "人")  # every introduction _INTRODUCED knows holds one of these
SHORTEST = 7  # digits: below this a number is a house number, an amount, a count


def mask_digits(digits: str) -> str:
    """138****8000 for eleven digits or more; ****78 for seven to ten."""
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * (len(digits) - 2) + digits[-2:]


def mask_phone(phone: str | None) -> str | None:
    """A stored phone number (already canonical digits) as a department may see it."""
    if not phone:
        return phone
    return mask_digits(phone) if len(phone) >= SHORTEST else "*" * len(phone)


def mask_name(name: str) -> str:
    """张三 → 张*: the surname stays so a department can still say 张先生."""
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def _number(match: re.Match[str]) -> str:
    run = match[0]
    if match["keep"]:
        return run
    plain = run.translate(_FULL_WIDTH)
    digits = "".join(c for c in plain if c.isdigit() or c in "xX")
    count = sum(c.isdigit() for c in digits)
    if count < SHORTEST:
        return run
    prefix = ""
    if plain.startswith("+"):
        country, digits = digits[:2], digits[2:]
        prefix = "+" + country + " "
    elif digits.startswith("0086"):
        prefix, digits = "+86 ", digits[4:]
    return prefix + mask_digits(digits)


def redact(text: str | None, names: Iterable[str | None] = ()) -> str | None:
    """`text` with every phone or ID number masked, and the given names and introduced names hidden."""
    if not text:
        return text
    # Most titles and places hold no digit and introduce nobody: two scans decide that before the patterns run.
    masked = _RUN.sub(_number, text) if _ANY_DIGIT.search(text) else text
    if any(mark in masked for mark in _INTRODUCING):
        masked = _INTRODUCED.sub(lambda m: m[1] + mask_name(m[2]), masked)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        masked = masked.replace(name, mask_name(name))
    return masked


def redact_data(value: Any, names: Iterable[str | None] = ()) -> Any:
    """Every string inside a JSON-like value redacted (event data, audit details)."""
    names = tuple(names)
    if isinstance(value, str):
        return redact(value, names)
    if isinstance(value, dict):
        return {k: redact_data(v, names) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(v, names) for v in value]
    return value


def mask_address(address: str) -> str:
    """A message's recipient for logs: 138****5678 for phone numbers, a***@example.cn for e-mail, the first
    and last characters otherwise."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if address.startswith("+86"):
        return "+86" + mask_address(address[3:])
    digits = address.lstrip("+")
    if digits.isdigit() and len(digits) >= SHORTEST:
        return f"{address[: len(address) - len(digits)]}{digits[:3]}****{digits[-4:]}"
    if len(address) <= 4:
        return "*" * len(address)
    return f"{address[:2]}***{address[-2:]}"


mask_numbers_in_text = redact  # the name earlier callers know; the same function
