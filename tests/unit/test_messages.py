"""Every error a person can meet has a Chinese message, and the client's language decides which one it gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.api.messages import MESSAGES, chinese, chinese_validation, prefers_chinese

ROOT = Path(__file__).resolve().parents[2] / "hotline"
ERROR_IDS = re.compile(r'error_id"?\s*[=:]\s*"([a-z0-9_]+)"')
CJK = re.compile(r"[\u4e00-\u9fff]")


def error_ids_in_code() -> set[str]:
    return {m.group(1) for path in ROOT.rglob("*.py") for m in ERROR_IDS.finditer(path.read_text(encoding="utf-8"))}


def test_the_scan_finds_the_error_ids_it_should():
    found = error_ids_in_code()
    assert {"order_not_found", "reason_required", "login_failed", "invalid_input", "pbx_unavailable"} <= found
    assert len(found) > 60


def test_every_error_id_in_the_code_has_a_chinese_message():
    missing = sorted(i for i in error_ids_in_code() if i not in MESSAGES)
    assert missing == []


def test_every_message_is_chinese():
    assert [k for k, v in MESSAGES.items() if not CJK.search(v)] == []


def test_http_level_errors_are_named_by_their_status():
    assert chinese("http_404", 404) == "没有这个页面或接口"
    assert "418" in chinese("http_418", 418)


@pytest.mark.parametrize(("header", "chinese_wanted"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", True), ("en-US,en;q=0.9,zh-CN;q=0.8", False), ("zh", True), (None, False),
    ("en;q=0.5, zh-TW;q=0.7", True), ("*", False)])
def test_the_preferred_language_decides(header, chinese_wanted):
    assert prefers_chinese(header) is chinese_wanted


def test_validation_problems_name_the_fields_as_the_console_labels_them():
    text = chinese_validation([{"loc": ("body", "reason"), "type": "missing"},
                               {"loc": ("body", "interface"), "type": "string_pattern_mismatch"}])
    assert text == "填写的内容不符合要求：理由：必须填写；分机：格式不正确"
