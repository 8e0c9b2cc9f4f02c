"""The learned router on a real database: training from orders' final state with returns as negatives,
a new model only if it is not worse, CSV history, /healthz, must-choose over HTTP and the weekly
kept-vs-changed figure for supervisors."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.core.db import session_scope
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.schemas import Suggested
from hotline.dispatch.service import WorkOrderService
from hotline.intake import learning
from hotline.intake.history import HistoryRepository
from hotline.intake.importer import HistoryImporter
from hotline.intake.learning import Trainer, claim_first_build, seed_examples
from hotline.intake.model import BUILDING, live_version, load_model, model_paths, versions
from hotline.runtime.first_model import build_first_in_child
from tests.factories import OPERATOR, draft, staff_of

STREETLIGHT = "urban.facility.streetlight"
LEAVES = ("utility.water.", "utility.power.", "urban.facility.")


@pytest.fixture(scope="module")
def small_seed(config):
    return [e for e in seed_examples(config) if e.leaf.startswith(LEAVES)]


def trainer(session, ctx, seed, config=None) -> Trainer:
    return Trainer(session, config or ctx.config, ctx.router, ctx.settings.intake_models, ctx.clock.now(), seed)


def streetlight_order(session, ctx, text: str, returned_by_cgj: bool):
    """An order about a street light: dispatched to 城管 by the rules; returned and sent to the power
    company when `returned_by_cgj`."""
    service = WorkOrderService(session, ctx)
    order = service.create(draft(title=text[:20], content=text, category_code=STREETLIGHT, place=None), OPERATOR).order
    service.accept(order.id, OPERATOR)
    service.dispatch(order.id, OPERATOR)
    if returned_by_cgj:
        DepartmentService(session, ctx).return_order(order.id, staff_of(session, "371500-CGJ"), "路灯归供电公司管")
        service.dispatch(order.id, OPERATOR, "371500-POWER", reason="城管退回：此处路灯由供电公司维护")
    session.flush()
    return order


def test_history_is_read_in_its_final_state_with_returns_as_negatives(session, ctx):
    service = WorkOrderService(session, ctx)
    corrected = service.create(draft(content="小区 路灯 一 到 晚上 就 灭", category_code="utility.water.outage"),
                               OPERATOR).order
    service.accept(corrected.id, OPERATOR, category_code=STREETLIGHT)  # the operator's correction counts
    invalid = service.create(draft(content="打错 了 不 好意思"), OPERATOR).order
    service.mark_invalid(invalid.id, OPERATOR, "误拨")
    returned = streetlight_order(session, ctx, "路灯 坏 了 黑乎乎 的", returned_by_cgj=True)
    repo = HistoryRepository(session)
    by_ticket = {e.ticket: e for e in repo.final_orders(100)}
    assert by_ticket[corrected.ticket_no].leaf == STREETLIGHT
    assert invalid.ticket_no not in by_ticket  # an invalid order teaches nothing
    assert by_ticket[returned.ticket_no].department == "371500-POWER"  # the one that kept it, not the one that returned
    assert repo.returned() == {STREETLIGHT: {"371500-CGJ": 1}}


def test_a_leaf_returned_by_its_default_department_learns_where_it_belongs(session, ctx, small_seed, config):
    for i in range(4):
        streetlight_order(session, ctx, f"东 边 第 {i} 个 路灯 不 亮 了", returned_by_cgj=True)
    streetlight_order(session, ctx, "路灯 白天 还 亮 着", returned_by_cgj=False)
    result = trainer(session, ctx, small_seed).run()
    assert result.live and result.version == "v0001" and result.orders == 5
    model = load_model(ctx.settings.intake_models, "v0001")
    assert model.meta["returned"] == {STREETLIGHT: {"371500-CGJ": 4}}
    assert model.meta["departments"][STREETLIGHT]["department"] == "371500-POWER"
    ctx.intake_model.refresh()
    got = ctx.analyzer.analyze("我们 这 路灯 不 亮 了")
    assert got.category["code"] == STREETLIGHT and got.department["code"] == "371500-POWER"
    assert any("本中心以往" in r and got.department["name"] in r for r in got.reasons)  # named, not coded


def test_a_new_model_goes_live_only_if_it_is_not_worse(session, ctx, small_seed, monkeypatch):
    measured = iter([{"category": 0.80}, {"category": 0.70}, {"category": 0.80}, {"category": 0.80},
                     {"category": 0.80}])
    monkeypatch.setattr(learning, "evaluate", lambda model, held, department_of: {**next(measured), "orders": 9})
    directory = ctx.settings.intake_models
    first = trainer(session, ctx, small_seed).run()  # candidate 0.80, nothing live
    worse = trainer(session, ctx, small_seed).run()  # candidate 0.70 against live 0.80
    equal = trainer(session, ctx, small_seed).run()  # candidate 0.80 against live 0.80
    assert (first.live, worse.live, equal.live) == (True, False, True)
    assert versions(directory) == ["v0001", "v0002", "v0003"] and live_version(directory) == "v0003"
    assert "未上线" in worse.summary() and worse.previous_version == "v0001"
    assert load_model(directory, "v0002").meta["live"] is False


def test_a_corrupt_live_model_is_replaced_by_the_next_training(session, ctx, small_seed):
    trainer(session, ctx, small_seed).run()
    model_paths(ctx.settings.intake_models, "v0001")[0].write_bytes(b"broken")
    again = trainer(session, ctx, small_seed).run()
    assert again.live and again.previous is None  # an unreadable live model counts as none


def test_nightly_job_trains_once_in_its_hour(session_factory, ctx, clock, small_seed, monkeypatch):
    from hotline.core.jobs import Runtime
    from hotline.intake import tasks

    monkeypatch.setattr(learning, "seed_examples", lambda config: small_seed)
    runtime = Runtime(ctx, session_factory)
    _live_model(session_factory, ctx, small_seed)  # the first model, that Tuesday night
    clock.set(dt.datetime(2026, 11, 24, 17, 30, tzinfo=dt.UTC))  # Wednesday 01:30: not yet
    assert tasks.nightly(runtime) is None
    clock.set(dt.datetime(2026, 11, 24, 18, 10, tzinfo=dt.UTC))  # 02:10
    assert tasks.nightly(runtime) == "v0002"
    clock.set(dt.datetime(2026, 11, 24, 18, 50, tzinfo=dt.UTC))
    assert tasks.nightly(runtime) is None  # once a day


@pytest.fixture
def new_centre(ctx):
    """A centre as installed: the periodic job builds the first model (the test settings turn that off)."""
    from hotline.runtime.context import build_context

    return build_context(ctx.settings.model_copy(update={"intake_first_model": True}), clock=ctx.clock,
                         config=ctx.config)


def test_a_new_centre_gets_its_first_model_from_the_seed_at_the_first_job_run(session_factory, new_centre, clock,
                                                                              small_seed, monkeypatch):
    from hotline.core.jobs import Runtime
    from hotline.intake import tasks

    ctx = new_centre
    monkeypatch.setattr(learning, "seed_examples", lambda config: small_seed)
    runtime = Runtime(ctx, session_factory)
    clock.set(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC))  # 10:00 in Shanghai, far from the night hour
    assert ctx.intake_model.status()["status"] == "no_model"
    assert tasks.nightly(runtime) == "v0001"
    status = ctx.intake_model.status()
    assert status["status"] == "ok" and status["version"] == "v0001" and status["orders"] == 0
    assert not (ctx.settings.intake_models / BUILDING).exists()
    got = ctx.analyzer.analyze("喂 我们 小区 从 早上 就 没 水 了 做饭 都 做 不 了")
    assert got.source == "model" and got.category["code"] == "utility.water.outage"
    assert tasks.nightly(runtime) is None  # the rest of the day: the nightly hour's


def test_in_embedded_mode_the_first_model_is_built_by_a_child_process(session_factory, new_centre, monkeypatch):
    import threading

    from hotline.core.jobs import InProcessQueue, Runtime
    from hotline.intake import tasks

    ctx = new_centre
    children, gone = [], threading.Event()

    class Child:  # the spawned process, as far as the job sees it
        exitcode: int | None = None

        def __init__(self, target, args, name, daemon):
            self.target, self.args, self.daemon = target, args, daemon
            children.append(self)

        def start(self):
            pass

        def join(self):
            assert gone.wait(30)

    class Spawn:
        Process = Child

    monkeypatch.setattr(tasks.multiprocessing, "get_context", lambda method: Spawn)
    assert tasks.nightly(Runtime(ctx, session_factory, InProcessQueue())) is None  # returned at once
    [child] = children
    assert child.target is build_first_in_child and child.args == (ctx.settings,) and child.daemon
    assert ctx.intake_model.status()["status"] == "building"
    assert tasks.nightly(Runtime(ctx, session_factory, InProcessQueue())) is None and len(children) == 1
    child.exitcode = -9  # killed without a word
    gone.set()
    for _ in range(100):
        if ctx.intake_model.status()["status"] != "building":
            break
        threading.Event().wait(0.05)
    status = ctx.intake_model.status()
    assert status["status"] == "fallback" and "-9" in status["error"]


def test_the_child_process_builds_the_first_model_from_the_settings_alone(new_centre, small_seed, monkeypatch,
                                                                          session_factory):

    ctx = new_centre
    monkeypatch.setattr(learning, "seed_examples", lambda config: small_seed)
    assert claim_first_build(ctx.settings.intake_models, ctx.clock.now())  # as the parent does
    build_first_in_child(ctx.settings)
    assert live_version(ctx.settings.intake_models) == "v0001"
    assert not (ctx.settings.intake_models / BUILDING).exists()
    assert ctx.intake_model.status()["status"] == "ok"


def test_the_job_holds_no_database_transaction_while_it_fits(session_factory, new_centre, small_seed, monkeypatch):
    from hotline.core.jobs import Runtime
    from hotline.intake import tasks, training

    ctx = new_centre
    monkeypatch.setattr(learning, "seed_examples", lambda config: small_seed)
    seen: list[bool] = []
    real_fit = training.fit

    def fit(*args, **kwargs):
        seen.append(any(s.in_transaction() for s in sessions))
        return real_fit(*args, **kwargs)

    sessions: list = []
    real_factory = session_factory

    def factory(*args, **kwargs):
        sessions.append(real_factory(*args, **kwargs))
        return sessions[-1]

    monkeypatch.setattr(learning, "fit", fit)
    assert tasks.nightly(Runtime(ctx, factory)) == "v0001"
    assert sessions and seen == [False]  # read, transaction ended, then fitted


def test_a_centre_that_turned_the_first_model_off_gets_none_unasked(session_factory, ctx):
    from hotline.core.jobs import Runtime
    from hotline.intake import tasks

    assert not ctx.settings.intake_first_model  # the test settings' default
    assert tasks.nightly(Runtime(ctx, session_factory)) is None
    assert versions(ctx.settings.intake_models) == [] and ctx.intake_model.status()["status"] == "no_model"


def test_while_another_process_builds_the_first_model_the_job_leaves_it_be(session_factory, new_centre):
    from hotline.core.jobs import Runtime
    from hotline.intake import tasks

    ctx = new_centre
    assert claim_first_build(ctx.settings.intake_models, ctx.clock.now())
    assert tasks.nightly(Runtime(ctx, session_factory)) is None
    assert versions(ctx.settings.intake_models) == []
    assert ctx.intake_model.status()["status"] == "building"


def test_a_first_model_that_cannot_be_built_is_reported_and_not_retried_unasked(session_factory, new_centre,
                                                                                small_seed, monkeypatch):
    from hotline.core.jobs import Runtime
    from hotline.intake import tasks

    ctx = new_centre
    def broken(config):
        raise MemoryError("cannot allocate")

    monkeypatch.setattr(learning, "seed_examples", broken)
    runtime = Runtime(ctx, session_factory)
    assert tasks.nightly(runtime) is None
    status = ctx.intake_model.status()
    assert status["status"] == "fallback" and "MemoryError" in status["error"]
    monkeypatch.setattr(learning, "seed_examples", lambda config: small_seed)
    assert tasks.nightly(runtime) is None  # not again by itself …
    with session_scope(session_factory) as session:
        assert tasks.train_now(session, ctx).version == "v0001"  # … `hotline intake train` is the retry
    assert ctx.intake_model.status()["status"] == "ok"
    assert not learning.needs_first_model(ctx.settings.intake_models)


CSV = """工单编号,受理时间,诉求内容,小类,主办单位,地点,诉求类型
H-001,2025-03-01 08:15,小区 路灯 不 亮 了,路灯不亮,371500-POWER,,投诉
H-002,2025/03/02 09:00,家里 停电 了,utility.power.outage,国网聊城供电公司,古楼街道,求助
H-003,2025-03-03,楼下 停水 了,water.outage,,,
H-004,昨天,没 水,停水,,,
H-005,2025-03-04 10:00,,停水,,,
H-006,2025-03-04 10:00,下水道 堵 了,不知道的分类,没有的单位,,抱怨
H-001,2025-03-05 10:00,重复 的 编号,停水,,,
"""


def test_history_import_takes_good_rows_and_names_bad_ones_in_chinese(session, ctx):
    importer = HistoryImporter(session, ctx.config, "Asia/Shanghai", ctx.clock.now())
    report = importer.run(CSV, "old.csv")
    assert report.imported == 3 and report.known == 0
    assert report.problems == [
        "第 5 行：受理时间“昨天”无法识别（应为 2026-11-30 08:15 这样的格式）",
        "第 6 行：缺少诉求内容",
        "第 7 行：没有这个诉求分类“不知道的分类”（应为小类编码或名称）；没有这个承办单位“没有的单位”；"
        "诉求类型“抱怨”不是 咨询、求助、投诉、举报、建议、表扬 之一",
        "第 8 行：工单编号“H-001”在文件中重复",
    ]
    rows = {e.ticket: e for e in HistoryRepository(session).imported(10)}
    assert rows["H-001"].leaf == STREETLIGHT and rows["H-001"].department == "371500-POWER"
    assert rows["H-002"].department == "371500-POWER"  # a department by its name
    assert rows["H-003"].leaf == "utility.water.outage"  # a retired code files as its leaf
    assert rows["H-001"].received_at == dt.datetime(2025, 3, 1, 0, 15, tzinfo=dt.UTC)  # local time, stored UTC
    again = HistoryImporter(session, ctx.config, "Asia/Shanghai", ctx.clock.now()).run(CSV, "old.csv")
    assert again.imported == 0 and again.known == 3  # importing twice is harmless


def test_history_import_without_the_required_columns_says_which(session, ctx):
    report = HistoryImporter(session, ctx.config, "Asia/Shanghai", ctx.clock.now()).run("编号,内容\n1,停水\n", "x.csv")
    assert report.imported == 0
    assert report.problems == ["第 1 行：缺少必需的列 工单编号、受理时间、诉求内容、小类（表头须含 工单编号、受理时间、诉求内容、小类）"]


def _live_model(session_factory, ctx, seed):
    with session_scope(session_factory) as session:
        trainer(session, ctx, seed).run()


def test_healthz_names_the_live_model_and_says_when_it_falls_back(api, session_factory, small_seed):
    app_ctx = api.app.state.ctx
    assert api.get("/healthz").json()["checks"]["intake_model"]["status"] == "no_model"
    _live_model(session_factory, app_ctx, small_seed)
    app_ctx.intake_model.refresh()
    check = api.get("/healthz").json()["checks"]["intake_model"]
    assert check["status"] == "ok" and check["version"] == "v0001" and 0 < check["accuracy"]["category"] <= 1
    model_paths(app_ctx.settings.intake_models, "v0001")[0].write_bytes(b"broken")
    app_ctx.intake_model.refresh()
    body = api.get("/healthz").json()
    assert body["checks"]["intake_model"]["status"] == "fallback" and body["status"] == "degraded"
    assert "规则" in body["checks"]["intake_model"]["message"]


def test_operator_is_asked_to_choose_when_the_model_is_unsure(api, people, session_factory, small_seed, monkeypatch):
    app_ctx = api.app.state.ctx
    _live_model(session_factory, app_ctx, small_seed)
    app_ctx.intake_model.refresh()
    unsure = app_ctx.config.intake_model.model_copy(update={"must_choose_below": 1.0})
    monkeypatch.setattr(app_ctx.analyzer, "config", app_ctx.config.model_copy(update={"intake_model": unsure}))
    r = api.post("/api/v1/intake/analyze", json={"text": "那个 电 好像 有点 问题"}, headers=people["operator"].headers)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["must_choose"] is True and len(got["choices"]) == 3 and got["source"] == "model"
    assert all(c["confidence"] is not None and c["name"] for c in got["choices"])
    assert got["model"]["version"] == "v0001"


def test_supervisor_sees_per_week_and_category_how_often_suggestions_were_kept(api, people, session_factory, ctx):
    with session_scope(session_factory) as session:
        service = WorkOrderService(session, ctx)
        for content, suggested, final in [("停水 了", "water.outage", None), ("又 停水", "utility.water.outage", None),
                                          ("没 电 了", "utility.water.outage", "utility.power.outage")]:
            order = service.create(draft(content=content, category_code=suggested,
                                         suggestion=Suggested(category_code=suggested, confidence=0.7, model="v0001")),
                                   OPERATOR).order
            service.accept(order.id, OPERATOR, category_code=final)
        service.create(draft(content="无 建议 的 工单"), OPERATOR)  # made without a suggestion: not counted
    r = api.get("/api/v1/intake/suggestions/weekly?weeks=2", headers=people["supervisor"].headers)
    assert r.status_code == 200, r.text
    rows = {row["category_code"]: row for row in r.json()}
    assert set(rows) == {"utility.water.outage", "utility.power.outage"}
    assert (rows["utility.water.outage"]["kept"], rows["utility.water.outage"]["changed"]) == (2, 0)
    assert (rows["utility.power.outage"]["kept"], rows["utility.power.outage"]["changed"]) == (0, 1)
    assert rows["utility.power.outage"]["week"] == "2026-W48" and rows["utility.water.outage"]["kept_rate"] == 1.0
    assert api.get("/api/v1/intake/suggestions/weekly", headers=people["operator"].headers).status_code == 403
    # A district supervisor counts only the orders of its district (none of these were dispatched there).
    assert api.get("/api/v1/intake/suggestions/weekly", headers=people["district_supervisor"].headers).json() == []


def test_the_desk_records_the_suggestion_and_the_kind_on_the_new_order(api, people):
    op = people["operator"].headers
    body = {"outcome": "register", "content": "小区 停水 两 天 了 太 不像话", "category_code": "utility.water.pressure",
            "kind": "投诉", "suggestion": {"category_code": "water.outage", "confidence": 0.42, "model": "v0007"}}
    r = api.post("/api/v1/desk/intake", json=body, headers=op)
    assert r.status_code == 201, r.text
    order = api.get(f"/api/v1/work-orders/{r.json()['ticket_no']}", headers=op).json()
    assert (order["category_code"], order["kind"]) == ("utility.water.pressure", "complaint")
    assert (order["suggested_category_code"], order["suggestion_confidence"], order["suggestion_model"]) == \
        ("utility.water.outage", 0.42, "v0007")  # a retired code is recorded as its leaf
    bad = api.post("/api/v1/desk/intake", json={**body, "kind": "抱怨"}, headers={**op, "Accept-Language": "zh-CN"})
    assert bad.status_code == 422 and bad.json()["error_id"] == "unknown_kind" and "咨询" in bad.json()["message"]
