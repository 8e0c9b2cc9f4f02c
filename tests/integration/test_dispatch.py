"""Dispatch by rules, override with a reason, 退单 arbitration, evidence and department notices."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline.core.enums import State
from hotline.core.errors import InvalidInputError, PermissionDeniedError
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.evidence import EvidenceUpload
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.service import WorkOrderService
from hotline.dispatch.supervision_repository import SupervisionRepository
from hotline.models import Evidence, OutboxMessage
from tests.factories import HOUSING, OPERATOR, SUPERVISOR, WATER, order_in, staff_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def outbox(session):
    """Messages to staff (citizens' notices are tested in test_citizen_notices.py)."""
    return session.scalars(select(OutboxMessage).where(OutboxMessage.audience == "staff")
                           .order_by(OutboxMessage.id)).all()


def test_dispatch_without_a_department_follows_the_rules_and_records_why(session, ctx):
    order = order_in(State.ACCEPTED, session, ctx, category_code="gas.leak", place="古楼街道东关社区")
    WorkOrderService(session, ctx).dispatch(order.id, OPERATOR)
    session.flush()
    codes = {a.role: [] for a in order.assignments}
    for a in order.assignments:
        codes[a.role].append(WorkOrderService(session, ctx).departments.get(a.department_id).code)
    assert codes == {"lead": ["371500-GAS"], "co": ["371500-YJJ", "371502001"]}
    event = WorkOrderRepository(session).events(order.id)[-1]
    assert event.data["suggested"] == "371500-GAS" and event.data["overridden"] is False
    recipients = [m.recipient for m in outbox(session)]
    # the gas company reads its 钉钉 robot; departments that chose no channel get the fallback (the log)
    assert recipients == ["gas", "department:371500-YJJ", "department:371502001"]
    assert order.ticket_no in outbox(session)[0].body and "前签收并反馈" in outbox(session)[0].body


def test_overriding_the_rules_needs_a_reason(session, ctx):
    order = order_in(State.ACCEPTED, session, ctx)
    service = WorkOrderService(session, ctx)
    with pytest.raises(InvalidInputError, match="suggest 371500-WATER"):
        service.dispatch(order.id, OPERATOR, HOUSING)
    service.dispatch(order.id, OPERATOR, HOUSING, reason="二次供水设施归物业，由住建局督促")
    event = WorkOrderRepository(session).events(order.id)[-1]
    assert event.data["overridden"] is True and event.note.startswith("二次供水")


def test_order_with_no_rule_and_no_choice_is_refused(session, ctx):
    order = order_in(State.ACCEPTED, session, ctx, category_code="consult.policy")
    with pytest.raises(InvalidInputError, match="choose a department"):
        WorkOrderService(session, ctx).dispatch(order.id, OPERATOR)
    assert order.state == State.ACCEPTED


def test_second_return_goes_to_a_supervisor_who_alone_redispatches(session, ctx):
    order = order_in(State.RETURNED, session, ctx)  # returned once by the water company
    service, dept = WorkOrderService(session, ctx), DepartmentService(session, ctx)
    service.dispatch(order.id, OPERATOR, HOUSING, reason="改派住建局")
    dept.return_order(order.id, staff_of(session, HOUSING), "属于供水企业职责")
    session.flush()
    [arbitration] = SupervisionRepository(session).open_for(order.id, "arbitration")
    assert arbitration.note == "属于供水企业职责"
    assert arbitration.department_id == staff_of(session, HOUSING).department_id  # the 督办 names who returned it
    assert outbox(session)[-1].recipient == "supervisors" and "退回 2 次" in outbox(session)[-1].body
    with pytest.raises(PermissionDeniedError, match="awaits a supervisor"):
        service.dispatch(order.id, OPERATOR, WATER)
    service.dispatch(order.id, SUPERVISOR, WATER, reason="经裁定，供水管网由水务集团负责")
    assert order.state == State.DISPATCHED
    assert SupervisionRepository(session).open_for(order.id, "arbitration") == []


def test_completion_keeps_evidence_files_by_content_hash(session, ctx):
    order = order_in(State.REPLIED, session, ctx)
    DepartmentService(session, ctx).complete(order.id, staff_of(session, WATER), "已修复",
                                             [EvidenceUpload("../../现场照片.png", "image/png", PNG)])
    session.flush()
    [evidence] = session.scalars(select(Evidence)).all()
    assert evidence.filename == "现场照片.png" and evidence.size == len(PNG)
    stored = ctx.settings.var_dir / "evidence" / evidence.sha256[:2] / evidence.sha256
    assert stored.read_bytes() == PNG


@pytest.mark.parametrize("upload,problem", [
    (EvidenceUpload("a.exe", "application/x-msdownload", b"MZ"), "only JPEG, PNG and PDF"),
    (EvidenceUpload("a.png", "image/png", b"GIF89a"), "content is not image/png"),
    (EvidenceUpload("a.pdf", "application/pdf", b""), "empty"),
])
def test_bad_evidence_refuses_the_completion_and_changes_nothing(session, ctx, upload, problem):
    order = order_in(State.REPLIED, session, ctx)
    with pytest.raises(InvalidInputError, match=problem):
        DepartmentService(session, ctx).complete(order.id, staff_of(session, WATER), "已修复", [upload])
    assert order.state == State.REPLIED
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
