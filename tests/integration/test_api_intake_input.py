"""Whatever an operator pastes into intake, the answer is a draft or a clear Chinese error — never a 500."""

from __future__ import annotations

import pytest

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


@pytest.mark.parametrize("text,reason", [
    ("", "没有内容"),
    ("   \n\t ", "没有内容"),
    ("13806351234", "没有中文内容"),  # only digits: no suggestion, but the number is found
    ("my water is off since yesterday", "没有中文内容"),
    ("😀😡🔥🔥", "没有中文内容"),
    ("\x00\x07\x1b[2J\u200b", "没有中文内容"),
])
def test_text_with_nothing_to_analyse_gets_an_empty_draft_with_its_reason(api, people, text, reason):
    r = api.post("/api/v1/intake/analyze", json={"text": text}, headers={**people["operator"].headers, **ZH})
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["category"] is None and draft["department"] is None and draft["danger"] is None
    assert draft["reasons"][0].startswith(reason)
    if text == "13806351234":
        assert draft["numbers"]["phones"] == ["13806351234"]


def test_ten_thousand_characters_are_refused_in_chinese(api, people):
    r = api.post("/api/v1/intake/analyze", json={"text": "楼道里一股煤气味" * 1250},
                 headers={**people["operator"].headers, **ZH})
    assert r.status_code == 422
    assert r.json()["error_id"] == "text_too_long" and r.json()["message"] == "内容太长，无法智能识别，请精简后再试"


@pytest.mark.parametrize("body", [{}, {"text": None}, {"text": 12345}, {"text": ["停水"]}, {"text": "停" * 100_001}])
def test_a_body_that_is_not_text_is_a_chinese_422(api, people, body):
    r = api.post("/api/v1/intake/analyze", json=body, headers={**people["operator"].headers, **ZH})
    assert r.status_code == 422, r.text
    assert r.json()["message"].startswith("填写的内容不符合要求"), r.json()


def test_chinese_mixed_with_noise_is_still_analysed(api, people):
    text = "喂 😡 我 爸 在 厕所 跌 倒 了 喊 他 不 答应 \x07 在 闸口 小区 电话 幺 三 八 零 六 三 五 幺 二 三 四"
    r = api.post("/api/v1/intake/analyze", json={"text": text}, headers={**people["operator"].headers, **ZH})
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["tier"] == "emergency" and draft["danger"]["service"] == "120"
    assert draft["category"]["code"] == "safety.rescue.injury" and draft["department"]["code"] == "371500-WJW"
    assert draft["place_detail"]["department"] == "371502001" and draft["numbers"]["phones"] == ["13806351234"]
    assert all(not any(c.isascii() and c.isalpha() for c in reason) for reason in draft["reasons"])
