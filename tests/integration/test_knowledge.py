"""The knowledge base on both databases: import problems by line, search through recognition slips with the
clock deciding validity, the review sweep, and versions the database keeps as written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from hotline.core.actor import Actor
from hotline.core.db import session_scope
from hotline.core.enums import Role
from hotline.knowledge.importer import Importer
from hotline.knowledge.index_repository import Filters
from hotline.knowledge.review import ReviewSweep
from hotline.knowledge.search import Searcher
from hotline.knowledge.service import ArticleDraft, KnowledgeService
from hotline.models import ArticleVersion, OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
EDITOR = Actor(Role.HOTLINE_ADMIN, name="editor")
CST = dt.timezone(dt.timedelta(hours=8))
# A few real articles of the benchmark set: 低保, 失业金 (and its neighbours), a lapsed 家电 subsidy, a draft.
SAMPLE = {"KB0001", "KB0002", "KB0093", "KB0094", "KB0095", "KB0122", "KB0131", "KB0159", "KB0333", "KB0327"}


def sample_jsonl() -> str:
    lines = (ROOT / "bench" / "data" / "knowledge" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if json.loads(line)["id"] in SAMPLE)


def imported(session_factory, ctx):
    with session_scope(session_factory) as session:
        report = Importer(session, ctx).run(sample_jsonl(), "jsonl", EDITOR, dry_run=False)
    assert report.ok and report.created == len(SAMPLE) and report.published == len(SAMPLE) - 1


def found(session_factory, ctx, words: str, **filters) -> list[str]:
    today = ctx.clock.now().astimezone(CST).date()
    with session_factory() as session:
        return [h.code for h in Searcher(session, ctx).search(words, Filters(today=today, **filters), limit=3)]


def test_import_reports_every_problem_with_its_line_and_writes_nothing(session_factory, ctx):
    csv_text = ("编号,标题,问法,答复,分类,部门,政策依据,有效期起,有效期止,标签,状态\n"
                "A1,低保申请,低保怎么申请|去哪办,带身份证,civil.aid.dibao,371500-MZJ,聊民发〔2022〕9号,2026-01-01,,低保,published\n"
                "A2,低保标准,低保多少钱,\"见下：\n- 城市 1010 元\",civil.aid.nope,371500-MZJ,,2026-01-01,2025-01-01,,published\n"
                "A1,重复,问,答,civil.aid.dibao,NOPE,依据,2026-02-30,,,later\n")
    markdown = ("# 居民用电过户\n编号：M1\n分类：utility.power.bill\n部门：371500-POWER\n状态：published\n"
                "## 问法\n- 电表怎么改户名\n## 答复\n[指南](javascript:alert(1))\n有效期起：2026-01-01\n")
    with session_scope(session_factory) as session:
        importer = Importer(session, ctx)
        csv_report = importer.run(csv_text, "csv", EDITOR, dry_run=True)
        md_report = importer.run(markdown, "md", EDITOR, dry_run=True)
        bad_json = importer.run('{"title": "x", "department": "371500-MZJ"}\nnot json\n', "jsonl", EDITOR,
                                dry_run=False)
    problems = [str(p) for p in csv_report.problems]
    assert "第 3 行（分类）：分类 civil.aid.nope 不是诉求分类目录中的小类" in problems  # the record spans lines 3–4
    assert "第 3 行（有效期止）：有效期止 2025-01-01 早于起始日 2026-01-01" in problems
    assert "第 3 行（政策依据）：缺少政策依据（文件名称和文号）" in problems
    assert "第 5 行（编号）：编号 A1 与第 2 行重复" in problems
    assert "第 5 行（部门）：部门 NOPE 不存在或已撤销" in problems
    assert "第 5 行（有效期起）：日期 2026-02-30 应写作 YYYY-MM-DD" in problems
    assert any(p.startswith("第 5 行（状态）：状态 later 不是") for p in problems)
    assert not any(p.startswith(("第 1 行", "第 2 行", "第 4 行")) for p in problems) and len(problems) == 7
    assert {str(p) for p in md_report.problems} >= {
        "第 8 行（答复）：答复中的链接 javascript:alert(1) 不允许（只能是 http、https、mailto 或 tel）",
        "第 1 行（政策依据）：缺少政策依据（文件名称和文号）"}
    assert [str(p) for p in bad_json.problems] == ["第 2 行：不是有效的 JSON：Expecting value（第 1 列）"]
    with session_factory() as session:
        assert session.scalar(text("SELECT count(*) FROM kb_articles")) == 0


def test_search_finds_what_callers_mean_and_the_clock_decides_what_is_valid(session_factory, ctx, clock):
    clock.set(dt.datetime(2026, 12, 1, 10, tzinfo=CST))
    imported(session_factory, ctx)
    assert found(session_factory, ctx, "喂 我 被 单位 辞退 了 那个 事业 金 咋 领 啊")[0] == "KB0093"  # 事业金: a slip
    assert found(session_factory, ctx, "伤 转 攻 要 啥 条件")[0] == "KB0131"  # 伤转攻: 商转公 heard wrong
    assert found(session_factory, ctx, "买 新房 公积 能 取 出来 吗")[0] == "KB0122"  # 公积: a dropped character
    assert "KB0333" not in found(session_factory, ctx, "家电 以旧换新 补贴 在 哪 申请")  # published, lapsed in 2025
    assert "KB0327" not in found(session_factory, ctx, "老楼 加装 电梯 补贴")  # a draft never shows
    assert found(session_factory, ctx, "低保 怎么 申请", category="utility") == []
    assert found(session_factory, ctx, "低保 怎么 申请", category="civil.aid")[0] == "KB0001"
    with session_scope(session_factory) as session:
        service = KnowledgeService(session, ctx)
        later = service.create(ArticleDraft(
            title="2027年城乡低保标准", questions=["明年低保标准"], answer="每人每月 1060 元。", department="371500-MZJ",
            category_code="civil.aid.dibao", source="聊民发〔2026〕20号", valid_from=dt.date(2027, 1, 1)), EDITOR)
        service.submit(later.code, EDITOR)
        service.publish(later.code, EDITOR)
        code = later.code
    assert code not in found(session_factory, ctx, "明年 低保 标准")
    clock.set(dt.datetime(2027, 1, 1, 0, 5, tzinfo=CST))
    assert found(session_factory, ctx, "明年 低保 标准")[0] == code


def test_review_sweep_expires_lapsed_articles_and_sends_due_ones_back_once(session_factory, ctx, clock):
    clock.set(dt.datetime(2026, 12, 1, 10, tzinfo=CST))
    with session_scope(session_factory) as session:
        service = KnowledgeService(session, ctx)
        article = service.create(ArticleDraft(
            title="2026年冬季供暖缴费时间", questions=["暖气费什么时候交"], answer="11 月 30 日前。", department="371500-HEAT",
            category_code="utility.heat.fee", source="聊热发〔2026〕1号", valid_until=dt.date(2026, 12, 20)), EDITOR)
        service.submit(article.code, EDITOR)
        service.publish(article.code, EDITOR)
        code = article.code
    with session_scope(session_factory) as session:
        assert ReviewSweep(session, ctx).run().reminded == 1  # ends within 30 days
    with session_scope(session_factory) as session:
        assert ReviewSweep(session, ctx).run() == ReviewSweep(session, ctx).run()  # nothing more to do
    assert found(session_factory, ctx, "暖气费 什么 时候 交")[0] == code
    clock.set(dt.datetime(2026, 12, 21, 8, tzinfo=CST))
    assert found(session_factory, ctx, "暖气费 什么 时候 交") == []  # the clock hides it before any sweep
    with session_scope(session_factory) as session:
        swept = ReviewSweep(session, ctx).run()
        again = ReviewSweep(session, ctx).run()
    assert (swept.expired, again.expired, again.reminded) == (1, 0, 0)
    with session_factory() as session:
        versions = session.scalars(select(ArticleVersion.status).order_by(ArticleVersion.id)).all()
        notes = session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == "department:371500-HEAT")
                                .order_by(OutboxMessage.id)).all()
    assert versions == ["draft", "in_review", "published", "expired"]
    assert len(notes) == 2 and "即将到期（有效期至 2026-12-20）" in notes[0] and "已过有效期" in notes[1]


def test_a_version_once_written_cannot_be_changed_or_removed(session_factory, ctx):
    with session_scope(session_factory) as session:
        KnowledgeService(session, ctx).create(ArticleDraft(
            title="门牌证明", questions=["门牌证明找谁开"], answer="找派出所。", department="371500-GAJ"), EDITOR)
    for statement in ("UPDATE kb_article_versions SET answer = '改过'", "DELETE FROM kb_article_versions"):
        with pytest.raises(DBAPIError), session_scope(session_factory) as session:
            session.execute(text(statement))
    with session_factory() as session:
        assert session.scalar(text("SELECT answer FROM kb_article_versions")) == "找派出所。"


@pytest.mark.postgres_only
def test_a_search_on_postgresql_reads_the_index_directly_and_alone(session_factory, ctx, clock):
    """The GIN index keeps no pending list (each search would scan it), and a search does not start parallel
    workers: their start-up costs more than the few thousand entries a search reads."""
    clock.set(dt.datetime(2026, 12, 1, 10, tzinfo=CST))
    imported(session_factory, ctx)
    with session_factory() as session:
        options = session.scalar(text("SELECT reloptions FROM pg_class WHERE relname = 'ix_kb_search_vector'"))
        assert "fastupdate=off" in options
        today = dt.date(2026, 12, 1)
        assert Searcher(session, ctx).search("低保 怎么 申请", Filters(today=today), limit=3)[0].code == "KB0001"
        assert session.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
        session.rollback()  # the setting is the search's transaction's only
        assert session.scalar(text("SHOW max_parallel_workers_per_gather")) != "0"
