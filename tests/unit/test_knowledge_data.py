"""The knowledge-base benchmark data holds together: articles, owners, categories and labelled questions."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data" / "knowledge"
CONFIG = ROOT / "config"
# The labels describe what an operator should see on this day; the benchmark evaluates as of it.
AS_OF = date(2026, 12, 1)
STATUSES = {"draft", "in_review", "published", "expired", "withdrawn"}
ARTICLE_KEYS = {"id", "title", "questions", "answer", "category", "department", "source", "valid_from", "valid_until",
                "tags", "status"}
QUESTION_KEYS = {"id", "text", "expected", "also", "inactive", "note", "slip"}
HAN = re.compile(r"[\u4e00-\u9fff]")
SPOKEN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+( [\u4e00-\u9fffA-Za-z0-9]+)*")
NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
# A shorter question form ("低保怎么办") is a phrase any caller may say; longer ones are wording of their own.
COPY_LENGTH = 6

Row = dict[str, Any]


def read_jsonl(name: str) -> list[Row]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def articles() -> tuple[Row, ...]:
    return tuple(read_jsonl("articles.jsonl"))


@cache
def questions() -> tuple[Row, ...]:
    return tuple(read_jsonl("questions.jsonl"))


@cache
def by_id() -> dict[str, Row]:
    return {article["id"]: article for article in articles()}


@cache
def leaf_codes() -> frozenset[str]:
    catalogue = yaml.safe_load((CONFIG / "catalogue.yaml").read_text(encoding="utf-8"))["catalogue"]
    return frozenset(leaf["code"] for top in catalogue for mid in top["children"] for leaf in mid["children"])


@cache
def department_codes() -> frozenset[str]:
    found: set[str] = set()
    stack = list(yaml.safe_load((CONFIG / "departments.yaml").read_text(encoding="utf-8"))["departments"])
    while stack:
        node = stack.pop()
        found.add(node["code"])
        stack.extend(node.get("children", []))
    return frozenset(found)


def reaches_operators(article: Row) -> bool:
    """Published and inside its validity window on the labelling day."""
    if article["status"] != "published" or date.fromisoformat(article["valid_from"]) > AS_OF:
        return False
    return article["valid_until"] is None or date.fromisoformat(article["valid_until"]) >= AS_OF


def normalised(text: str) -> str:
    return NOT_WORD.sub("", text)


def labelled() -> list[Row]:
    return [question for question in questions() if question["expected"] is not None]


def unanswerable() -> list[Row]:
    return [question for question in questions() if question["expected"] is None]


def test_there_are_at_least_320_articles_and_300_reach_operators():
    assert len(articles()) >= 320
    assert sum(reaches_operators(article) for article in articles()) >= 300


def test_articles_carry_every_field_in_the_right_shape():
    for article in articles():
        assert set(article) == ARTICLE_KEYS, article["id"]
        assert all(HAN.search(article[key]) for key in ("title", "answer", "source")), article["id"]
        assert article["status"] in STATUSES, article["id"]
        assert 3 <= len(article["questions"]) <= 6, article["id"]
        assert len(set(article["questions"])) == len(article["questions"]), article["id"]
        assert article["tags"] and all(isinstance(tag, str) and tag for tag in article["tags"]), article["id"]


def test_article_ids_are_unique_and_numbered():
    ids = [article["id"] for article in articles()]
    assert all(re.fullmatch(r"KB\d{4}", article_id) for article_id in ids)
    assert len(ids) == len(set(ids))


def test_articles_file_under_leaves_of_the_catalogue():
    assert [a["id"] for a in articles() if a["category"] not in leaf_codes()] == []


def test_articles_are_owned_by_departments_of_the_tree():
    assert [a["id"] for a in articles() if a["department"] not in department_codes()] == []


def test_validity_dates_are_iso_and_in_order():
    for article in articles():
        start = date.fromisoformat(article["valid_from"])
        if article["valid_until"] is not None:
            assert date.fromisoformat(article["valid_until"]) >= start, article["id"]


def test_answers_are_markdown_with_practical_detail():
    for article in articles():
        answer = article["answer"]
        assert len(answer) >= 120 and "**" in answer, article["id"]
        assert re.search(r"\d", answer), article["id"]


def test_sources_cite_a_document():
    assert [a["id"] for a in articles() if not re.search(r"《.+》|〔\d{4}〕", a["source"])] == []


def test_articles_are_distinct():
    for field in ("title", "answer"):
        counts = Counter(normalised(article[field]) for article in articles())
        assert [text for text, count in counts.items() if count > 1] == [], field
    forms = Counter(normalised(form) for article in articles() for form in article["questions"])
    assert [form for form, count in forms.items() if count > 1] == []


def test_about_fifteen_articles_do_not_reach_operators_in_every_way_they_can_fail():
    hidden = [article for article in articles() if not reaches_operators(article)]
    assert 12 <= len(hidden) <= 25
    kinds = {article["status"] for article in hidden}
    assert {"draft", "in_review", "withdrawn", "expired", "published"} <= kinds
    lapsed = [a for a in hidden if a["status"] == "published"]
    assert lapsed and all(a["valid_until"] is not None for a in lapsed)


def test_articles_cover_most_top_level_categories_and_many_departments():
    tops = {article["category"].split(".")[0] for article in articles() if reaches_operators(article)}
    owners = {article["department"] for article in articles() if reaches_operators(article)}
    assert len(tops) >= 17
    assert len(owners) >= 25


def test_there_are_at_least_240_questions_and_200_with_an_answer():
    assert len(questions()) >= 240
    assert len(labelled()) >= 200
    assert 15 <= len(unanswerable()) <= 30


def test_questions_carry_known_fields_and_unique_ids():
    ids = [question["id"] for question in questions()]
    assert all(re.fullmatch(r"Q\d{4}", question_id) for question_id in ids)
    assert len(ids) == len(set(ids))
    for question in questions():
        assert set(question) <= QUESTION_KEYS and {"id", "text", "expected", "slip"} <= set(question), question["id"]
        assert question["slip"] in (True, False), question["id"]


def test_questions_read_like_recogniser_output():
    wrong = [q["id"] for q in questions() if not SPOKEN.fullmatch(q["text"]) or len(q["text"].split()) < 5]
    assert wrong == []


def test_about_a_third_of_questions_carry_recognition_slips():
    share = sum(question["slip"] for question in questions()) / len(questions())
    assert 0.25 <= share <= 0.45


def test_every_expected_and_also_article_exists_and_reaches_operators():
    for question in labelled():
        named = [question["expected"], *question.get("also", [])]
        assert all(name in by_id() and reaches_operators(by_id()[name]) for name in named), question["id"]
        assert question["expected"] not in question.get("also", []), question["id"]
        assert "inactive" not in question, question["id"]


def test_unanswerable_questions_name_the_hidden_article_and_say_why():
    for question in unanswerable():
        hidden = by_id().get(question.get("inactive", ""))
        assert hidden is not None and not reaches_operators(hidden), question["id"]
        assert HAN.search(question.get("note", "")) and "also" not in question, question["id"]


def test_labelled_questions_spread_over_most_answerable_articles():
    answered = {question["expected"] for question in labelled()}
    reachable = [article["id"] for article in articles() if reaches_operators(article)]
    assert len(answered) >= 0.9 * len(reachable)


def test_questions_do_not_copy_an_articles_wording():
    forms = {normalised(form) for article in articles() for form in article["questions"]}
    forms = {form for form in forms if len(form) >= COPY_LENGTH}
    titles = {normalised(article["title"]) for article in articles()}
    copied = [q["id"] for q in questions() if any(form in normalised(q["text"]) for form in forms | titles)]
    assert copied == []
