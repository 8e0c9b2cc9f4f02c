"""A gateway that retries a submission with its Idempotency-Key gets the first answer, extraction code and all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline.dispatch import tickets
from hotline.dispatch.submissions import SubmissionReplyRepository
from hotline.models import SubmissionReply, WorkOrder
from tests.integration.api_workers import at_once, bearer, two_workers  # noqa: F401 (fixture)

BODY = {"title": "楼道灯不亮", "content": "三号楼二单元楼道灯坏了一周，电话13900139000。", "place": "东昌府区古楼街道东关社区",
        "citizen_phone": "13900139000"}


def gateway_key(post, admin_headers) -> str:
    r = post("/api/v1/api-clients", json={"name": "微信公众号", "channel": "wechat"}, headers=admin_headers)
    assert r.status_code == 201, r.text
    return r.json()["api_key"]


def test_a_retry_gets_the_first_answer_and_a_changed_body_is_refused(api, people, session_factory, ctx, clock):
    key = gateway_key(api.post, people["admin"].headers)
    headers = {"X-API-Key": key, "Idempotency-Key": "msg-0001"}
    first = api.post("/api/v1/submissions", json=BODY, headers=headers)
    again = api.post("/api/v1/submissions", json=BODY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and first.json()["extraction_code"]

    changed = api.post("/api/v1/submissions", json={**BODY, "content": "另一件事"},
                       headers={**headers, "Accept-Language": "zh-CN"})
    assert changed.status_code == 409 and changed.json()["error_id"] == "idempotency_key_reused"
    assert "Idempotency-Key" in changed.json()["message"] and "不同" in changed.json()["message"]

    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrder)) == 1
        sealed = s.scalars(select(SubmissionReply.sealed_reply)).one()
        assert first.json()["extraction_code"] not in sealed  # kept encrypted, never in clear

    clock.advance(hours=ctx.settings.idempotency_window_hours, seconds=1)
    with session_factory() as s:  # the window passed: the code is forgotten, the body check stays
        assert SubmissionReplyRepository(s).forget_before(clock.now()) == 1
        s.commit()
    late = api.post("/api/v1/submissions", json=BODY, headers=headers)
    assert late.status_code == 201 and late.json()["ticket_no"] == first.json()["ticket_no"]
    assert late.json()["extraction_code"] is None
    assert api.post("/api/v1/submissions", json={**BODY, "title": "改了"}, headers=headers).status_code == 409


@pytest.mark.postgres_only
@pytest.mark.postgres_only
def test_parallel_retries_on_two_workers_all_get_the_same_code(two_workers, ctx, people, session_factory):  # noqa: F811
    import requests

    key = gateway_key(lambda path, **kw: requests.post(two_workers.url + path, timeout=60, **kw),
                      bearer(ctx, people["admin"].user_id))
    headers = {"X-API-Key": key, "Idempotency-Key": "wx-20261130-77"}

    answers = at_once(30, lambda c, i: c.post(two_workers.url + "/api/v1/submissions", json=BODY, headers=headers,
                                              timeout=60))

    assert [r.status_code for r in answers] == [201] * 30, two_workers.tail()
    bodies = {r.text for r in answers}
    assert len(bodies) == 1
    answer = answers[0].json()
    assert answer["extraction_code"] and answer["state"] == "received"
    with session_factory() as s:
        order = s.scalars(select(WorkOrder)).one()
        assert order.ticket_no == answer["ticket_no"]
        assert order.extraction_code_hash == tickets.hash_extraction_code(ctx.secret, order.ticket_no,
                                                                          answer["extraction_code"])
