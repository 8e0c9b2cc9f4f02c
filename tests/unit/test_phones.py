"""Every way a number reaches hotline reads as one canonical number."""

from __future__ import annotations

import pytest

from hotline.text.phones import PhoneError, dial_parts, normalise_phone, parse_phone


@pytest.mark.parametrize("given, canonical", [
    ("13800138077", "13800138077"),
    ("+8613800138077", "13800138077"),  # Asterisk passes the E.164 caller ID through untouched
    ("008613800138078", "13800138078"),
    ("8613800138077", "13800138077"),
    ("013800138077", "13800138077"),  # a mobile dialled with the long-distance 0
    ("138 0013 8077", "13800138077"),
    ("138-0013-8077", "13800138077"),
    ("(138) 0013.8077", "13800138077"),
    ("１３８００１３８０７７", "13800138077"),  # full-width digits from an input method
    ("＋８６　１３８－００１３－８０７７", "13800138077"),
    ("+86 10 1234 5678", "01012345678"),  # a Beijing landline: the area code regains its 0
    ("+86-635-8123-4567", "063581234567"),
    ("0086 21 87654321", "02187654321"),
    ("010-12345678", "01012345678"),
    ("0635-8123456", "06358123456"),
    ("12345", "12345"),
    ("95598", "95598"),
    ("+852 2123 4567", "0085221234567"),
])
def test_formats_read_as_one_number(given, canonical):
    assert normalise_phone(given) == canonical
    assert str(parse_phone(given)) == canonical


@pytest.mark.parametrize("given, number, extension", [
    ("010-12345678转8001", "01012345678", "8001"),
    ("010 1234 5678 分机 8001", "01012345678", "8001"),
    ("01012345678 ext. 8001", "01012345678", "8001"),
    ("01012345678#8001", "01012345678", "8001"),
    ("+86 10 12345678,8001", "01012345678", "8001"),
    ("010-12345678-8001", "01012345678", "8001"),
])
def test_extensions_are_kept_apart_for_dialling(given, number, extension):
    assert dial_parts(given) == (number, extension)
    assert normalise_phone(given) == f"{number}转{extension}"
    assert dial_parts(normalise_phone(given)) == (number, extension)  # the stored form reads back the same


@pytest.mark.parametrize("caller_id", [None, "", "<unknown>", "unknown", "anonymous", "Restricted", "abc", "12",
                                       "+86 1", "1" * 25])
def test_withheld_or_unreadable_caller_ids_are_no_citizen(caller_id):
    assert normalise_phone(caller_id) is None


@pytest.mark.parametrize("typed", ["12ab345", "1234", "+86", "phone: 13800138000"])
def test_a_typed_number_that_is_none_says_why(typed):
    with pytest.raises(PhoneError):
        parse_phone(typed)
