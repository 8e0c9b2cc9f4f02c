"""Knowledge-base text: answers render safely, spoken text and articles meet in the same terms, files are read
with the line of every record and field."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from hotline.core.config import load_config
from hotline.knowledge.analysis import TextAnalyzer
from hotline.knowledge.formats import read
from hotline.knowledge.markdown import render, unsafe_links
from hotline.knowledge.segmenter import JiebaSegmenter

CONFIG = Path(__file__).resolve().parents[2] / "config"


@cache
def analyzer() -> TextAnalyzer:
    policy = load_config(CONFIG).knowledge
    return TextAnalyzer(policy, JiebaSegmenter(policy.terms))


def test_answers_render_without_raw_html_or_script_links():
    html = render("**材料**\n\n<script>alert(1)</script>\n\n[指南](https://example.invalid/a) [x](javascript:alert(1))")
    assert "<strong>材料</strong>" in html and "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://example.invalid/a" target="_blank" rel="noopener noreferrer"' in html
    assert "href=\"javascript" not in html
    assert unsafe_links("[a](tel:12345) [b](data:text/html,x) [c](javascript:alert(1))") == \
        ["data:text/html,x", "javascript:alert(1)"]


def test_a_homophone_slip_shares_its_pinyin_pairs_with_the_word_meant():
    said = {t.term for t in analyzer().query("我 想 领 事业 金", 0.8) if t.pinyin}
    meant = set(analyzer().pinyin_pairs("失业金"))
    assert meant and meant <= said
    broken = {t.term for t in analyzer().query("伤 转 攻 要 啥 条件", 0.8) if t.pinyin}
    assert set(analyzer().pinyin_pairs("商转公")) <= broken


def test_fillers_and_stopwords_go_and_a_word_brings_its_synonyms():
    terms = {t.term: t.weight for t in analyzer().query("喂 你好 那个 我 想 问 一下 驾照 咋 换", 0.8) if not t.pinyin}
    assert "驾照" in terms and terms["驾驶证"] == 0.8
    assert not {"喂", "你好", "那个", "我", "咋", "一下"} & set(terms)


def test_records_and_fields_keep_the_lines_they_were_written_on():
    records, problems = read("编号,标题,答复\nA,低保,\"两行\n答复\"\nB,标准,答\n", "csv")
    assert [r.line for r in records] == [2, 4] and problems == []
    records, problems = read("前言\n# 低保申请\n分类：civil.aid.dibao\n## 问法\n- 怎么申请\n## 答复\n带身份证\n", "md")
    assert [str(p) for p in problems] == ["第 1 行：条目前的内容：每条知识以「# 标题」开始"]
    assert records[0].line == 2 and records[0].where("category") == 3 and records[0].where("answer") == 6
    assert records[0].fields["questions"] == ["怎么申请"] and records[0].fields["answer"] == "带身份证\n"


def test_a_csv_with_lone_carriage_returns_or_an_unreadable_row_is_a_problem_never_a_crash():
    records, problems = read("编号,标题,答复\rA,低保,答\r\nB,标准,答\r", "csv")  # an old spreadsheet's line ends
    assert [(r.line, r.fields["code"]) for r in records] == [(2, "A"), (3, "B")] and problems == []
    records, problems = read("\r0\r\n", "csv")
    assert records == [] and [(p.line, p.message[:6]) for p in problems] == [(1, "第一行应是表")]  # no header
    huge = "x" * (csv.field_size_limit() + 1)
    records, problems = read(f"编号,标题,答复\nA,低保,答\nB,{huge},答\n", "csv")
    assert [r.line for r in records] == [2]
    assert [p.line for p in problems] == [3] and "不是有效的 CSV" in problems[0].message
