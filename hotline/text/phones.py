"""One reading of a phone number, wherever a number enters hotline: a caller ID from Asterisk, a number
typed by an operator or sent by a channel, a number about to be dialled.

The canonical form is the number as dialled inside mainland China: mobiles as 11 digits
(13800138000), landlines with their area code and its leading 0 (01012345678), short service
numbers as they are (12345, 95598), other countries with the 00 prefix (0085212345678); an
extension follows 转, as people write it (01012345678转8001). So `+8613800138077`, `008613800138077`,
`138 0013 8077` and `１３８００１３８０７７` are one citizen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-.()/]")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#|,|;|p|w)\s*(\d{1,6})$")
_UNKNOWN = {"", "unknown", "<unknown>", "anonymous", "restricted", "private", "unavailable"}


class PhoneError(ValueError):
    """Not a phone number hotline can store or dial."""


@dataclass(frozen=True)
class Phone:
    number: str  # digits as dialled inside China
    extension: str | None = None

    def __str__(self) -> str:
        return f"{self.number}转{self.extension}" if self.extension else self.number


def parse_phone(text: str) -> Phone:
    """The canonical number in `text`; PhoneError when there is none."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    extension = None
    marked = _EXTENSION.search(cleaned)
    if marked:
        cleaned, extension = cleaned[:marked.start()], marked.group(1)
    try:
        return Phone(_national(cleaned), extension)
    except PhoneError:
        if extension is None:
            groups = [g for g in re.split(r"[\s\-]+", cleaned) if g]
            if len(groups) >= 3 and groups[-1].isdigit() and len(groups[-1]) <= 6:  # 010-12345678-8001
                return Phone(_national(" ".join(groups[:-1])), groups[-1])
        raise


def normalise_phone(text: str | None) -> str | None:
    """The canonical number, or None for an empty, withheld or unreadable caller ID."""
    if text is None or text.strip().lower() in _UNKNOWN:
        return None
    try:
        return str(parse_phone(text))
    except PhoneError:
        return None


def dial_parts(text: str) -> tuple[str, str | None]:
    """(number for the trunk, extension to key in once answered)."""
    phone = parse_phone(text)
    return phone.number, phone.extension


def _national(text: str) -> str:
    digits = _SEPARATORS.sub("", text)
    plus = digits.startswith("+")
    digits = digits.lstrip("+")
    if not digits.isdigit():
        raise PhoneError(f"{text!r} is not a phone number: only digits, +, spaces, dashes and an extension")
    if plus or digits.startswith("00"):
        digits = digits[2:] if not plus else digits
        if not digits.startswith("86"):
            return _checked("00" + digits, 7, 20)  # another country, dialled with the international prefix
        return _after_country_code(digits[2:])
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return digits[2:]  # 86 + mobile without the plus
    if len(digits) == 12 and digits.startswith("0") and _MOBILE.fullmatch(digits[1:]):
        return digits[1:]  # a mobile dialled with the long-distance 0 from a landline
    if digits.startswith("0"):
        return _checked(digits, 10, 12)  # 0 + a 2-3 digit area code + a 7-8 digit local number
    return _checked(digits, 5, 20)


def _after_country_code(national: str) -> str:
    if _MOBILE.fullmatch(national):
        return national
    if national.startswith("0"):
        return _checked(national, 10, 12)
    if len(national) <= 6:
        return _checked(national, 3, 6)  # a short service number
    return _checked("0" + national, 10, 12)  # a landline: area code regains its 0


def _checked(digits: str, shortest: int, longest: int) -> str:
    if not shortest <= len(digits) <= longest:
        raise PhoneError(f"{digits} has {len(digits)} digits; a phone number has {shortest} to {longest}")
    return digits
