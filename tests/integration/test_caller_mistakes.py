"""A caller's mistake is a 4xx with a message a person can act on, never a 500; an outage is a JSON 503."""

from __future__ import annotations

import socket
import threading
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from hotline.models import Evidence, WorkOrder
from hotline.runtime.api import create_app
from hotline.runtime.context import build_context
from tests.integration.api_workers import at_once, bearer, two_workers  # noqa: F401 (fixture)

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
NAIVE, YEAR_1, YEAR_9999 = "2026-11-23T09:00:00", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00"
FILTERS = [("operator", "/api/v1/work-orders", "received_from"), ("operator", "/api/v1/work-orders", "received_to"),
           ("supervisor", "/api/v1/audit", "since"), (None, "/open311/v2/requests.json", "start_date"),
           (None, "/open311/v2/requests.json", "end_date")]


@pytest.mark.parametrize("who,path,name", FILTERS)
@pytest.mark.parametrize("value,problem", [(NAIVE, "须带时区"), (YEAR_1, "2000 年至 2099 年"),
                                           (YEAR_9999, "2000 年至 2099 年")])
def test_odd_times_in_filters_are_refused_in_chinese(api, people, who, path, name, value, problem):
    headers = {**ZH, **(people[who].headers if who else {})}
    r = api.get(path, params={name: value}, headers=headers)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error_id"] == "invalid_input" and problem in body["message"]
    assert body["details"][0]["where"] == f"query.{name}"


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2100-01"])
def test_a_month_outside_the_century_is_refused(api, people, month):
    for path in ("/api/v1/stats/ranking", "/api/v1/stats/ranking.csv"):
        r = api.get(path, params={"month": month}, headers={**ZH, **people["supervisor"].headers})
        assert r.status_code == 422, r.text
        assert r.json()["error_id"] == "invalid_period" and r.json()["message"] == "统计时间段不正确"


@pytest.mark.parametrize("path,params", [
    ("/api/v1/knowledge/stats", {"from": "9999-12-31", "to": "9999-12-31"}),
    ("/api/v1/knowledge/stats", {"from": "0001-01-01", "to": "0001-01-02"}),
    ("/api/v1/stats/rates", {"from": "9999-12-01", "to": "9999-12-31"}),
    ("/api/v1/stats/hotspots", {"as_of": "0001-01-01"}),
    ("/api/v1/calls/stats", {"from": "9999-12-31", "to": "9999-12-31"}),
])
def test_statistics_for_year_1_or_9999_are_refused(api, people, path, params):
    r = api.get(path, params=params, headers={**ZH, **people["supervisor"].headers})
    assert r.status_code == 422 and r.json()["error_id"] == "invalid_period", r.text


def test_a_good_window_still_filters(api, people):
    r = api.get("/api/v1/work-orders", params={"received_from": "2026-11-23T00:00:00+08:00",
                                               "received_to": "2026-11-24T00:00:00Z"},
                headers=people["operator"].headers)
    assert r.status_code == 200 and r.json()["total"] == 0


class Cable:
    """A TCP relay in front of PostgreSQL that can be cut: the database disappears as in an outage."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.open = True
        self.links: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.links += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while chunk := a.recv(65536):
                b.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.open = False
        for s in self.links:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self.cut()
        self.server.close()


@pytest.mark.postgres_only
def test_a_database_outage_is_a_json_503_with_retry_after(settings, clock, config, people, db_url):
    url = make_url(db_url)
    cable = Cable(url.host or "127.0.0.1", url.port or 5432)
    relayed = url.set(host="127.0.0.1", port=cable.port).render_as_string(hide_password=False)
    ctx = build_context(settings.model_copy(update={"database_url": relayed}), clock=clock, config=config)
    app = create_app(ctx)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/api/v1/work-orders", headers=people["operator"].headers).status_code == 200
            cable.cut()
            for _ in range(2):  # the pooled connection dies, then no new one can be opened
                r = client.get("/api/v1/work-orders", headers={**ZH, **people["operator"].headers})
                assert r.status_code == 503, r.text
                assert r.headers["content-type"].startswith("application/json")
                assert int(r.headers["Retry-After"]) > 0
                assert r.json()["error_id"] == "database_unavailable" and "数据库" in r.json()["message"]
    finally:
        cable.close()
        app.state.runtime.session_factory.kw["bind"].dispose()


def test_a_deadlock_victim_is_told_to_retry_not_that_the_database_is_down(ctx, session_factory):
    import psycopg
    from sqlalchemy.exc import OperationalError

    app = create_app(ctx)
    causes = {"/deadlock": psycopg.errors.DeadlockDetected("deadlock detected"),
              "/down": psycopg.OperationalError("connection refused")}
    for path, cause in causes.items():
        def fail(cause=cause):
            raise OperationalError("SELECT 1", {}, cause)
        app.add_api_route(path, fail)
    with TestClient(app, raise_server_exceptions=False) as client:
        deadlock, down = client.get("/deadlock", headers=ZH), client.get("/down")
    assert deadlock.status_code == 409 and deadlock.json()["error_id"] == "conflict"
    assert deadlock.headers["Retry-After"] == "1" and "刷新后重试" in deadlock.json()["message"]
    assert down.status_code == 503 and down.json()["error_id"] == "database_unavailable"


# -- races on two worker processes -------------------------------------------------------------

ORDER = {"title": "路灯不亮", "content": "小区门口路灯坏了好几天。", "category_code": "water.outage",
         "place": "东昌府区古楼街道东关社区", "citizen_phone": "13800138000"}


def create(server, headers, n: int) -> list[str]:
    answers = at_once(n, lambda c, i: c.post(server.url + "/api/v1/work-orders", json=ORDER, headers=headers,
                                             timeout=60))
    assert all(r.status_code == 201 for r in answers), [r.text for r in answers]
    return [r.json()["ticket_no"] for r in answers]


CROSSINGS = {  # how an operator closes order a into order b
    "duplicate": lambda a, b: (f"/api/v1/work-orders/{a}/duplicate", {"parent_ticket": b}),
    "desk_duplicate": lambda a, b: ("/api/v1/desk/intake", {"outcome": "duplicate", "ticket": a, "other_ticket": b}),
    "desk_incident": lambda a, b: ("/api/v1/desk/intake", {"outcome": "incident", "ticket": a, "other_ticket": b}),
}


@pytest.mark.postgres_only
@pytest.mark.postgres_only
@pytest.mark.parametrize("way", sorted(CROSSINGS))
def test_crossed_duplicate_merges_never_deadlock(two_workers, ctx, people, session_factory, way):  # noqa: F811
    operator = bearer(ctx, people["operator"].user_id)
    tickets = create(two_workers, operator, 24)
    if way == "desk_incident":  # an incident's master is an order already taken on
        accepted = at_once(len(tickets), lambda c, i: c.post(
            f"{two_workers.url}/api/v1/work-orders/{tickets[i]}/accept", json={}, headers=operator, timeout=60))
        assert all(r.status_code == 200 for r in accepted), [r.text for r in accepted]
    pairs = [(tickets[i], tickets[i + 1]) for i in range(0, len(tickets), 2)]
    moves = [(a, b) for a, b in pairs] + [(b, a) for a, b in pairs]
    requests_ = [CROSSINGS[way](a, b) for a, b in moves]

    answers = at_once(len(moves), lambda c, i: c.post(
        two_workers.url + requests_[i][0], json=requests_[i][1], headers=operator, timeout=60))

    assert max(r.status_code for r in answers) < 500, two_workers.tail()
    for a, b in pairs:  # of A into B and B into A exactly one happened; the other was told why not
        outcome = Counter(r.status_code for (src, _), r in zip(moves, answers, strict=True) if src in (a, b))
        assert outcome[200] + outcome[201] == 1 and sum(outcome.values()) == 2, outcome
    with session_factory() as s:
        merged = s.scalars(select(WorkOrder).where(WorkOrder.parent_id.is_not(None))).all()
        assert len(merged) == len(pairs)
        parents = {o.parent_id for o in merged}
        assert not parents & {o.id for o in merged}  # no order is both a duplicate and a parent


def png(seed: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes([seed % 256]) * 200_000


@pytest.mark.postgres_only
@pytest.mark.postgres_only
def test_completions_uploading_the_same_new_file_at_once_all_succeed(two_workers, ctx, people, session_factory,  # noqa: F811
                                                                     settings):
    operator, water = bearer(ctx, people["operator"].user_id), bearer(ctx, people["water"].user_id)
    tickets = create(two_workers, operator, 12)
    steps = [("accept", operator, {}), ("dispatch", operator, {"lead": "371500-WATER"}), ("sign", water, None),
             ("reply", water, {"text": "已安排"})]
    for path, headers, body in steps:
        answers = at_once(len(tickets), lambda c, i, path=path, body=body, headers=headers: c.post(
            f"{two_workers.url}/api/v1/work-orders/{tickets[i]}/{path}", json=body, headers=headers, timeout=60))
        assert all(r.status_code == 200 for r in answers), [r.text for r in answers]
    photo = png(7)

    answers = at_once(len(tickets), lambda c, i: c.post(
        f"{two_workers.url}/api/v1/work-orders/{tickets[i]}/complete", data={"result": "已修复"},
        files=[("files", ("现场.png", photo, "image/png"))], headers=water, timeout=60))

    assert [r.status_code for r in answers] == [200] * len(tickets), two_workers.tail()
    with session_factory() as s:
        digests = s.scalars(select(Evidence.sha256)).all()
        assert len(digests) == len(tickets) and len(set(digests)) == 1
        assert s.scalar(select(func.count()).select_from(Evidence)) == len(tickets)
    stored = settings.var_dir / "evidence" / digests[0][:2]
    assert (stored / digests[0]).read_bytes() == photo
    assert [p.name for p in stored.iterdir()] == [digests[0]]  # no temporary file left behind
