"""Online channels: WeChat, app, web and the provincial platform (省转件) submit through their gateway."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from hotline.accounts.service import AccountService
from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession
from hotline.api.schemas.orders import CreatedOrder
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.enums import Channel, Role
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService
from hotline.dispatch.submissions import SubmissionReplies

router = APIRouter(prefix="/api/v1/submissions", tags=["channels"], route_class=UnitOfWorkRoute)


class SubmissionIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=20000)
    category_code: str | None = Field(default=None, max_length=32)
    place: str | None = Field(default=None, max_length=200)
    citizen_phone: str | None = Field(default=None, max_length=30)
    citizen_name: str | None = Field(default=None, max_length=100)


@router.post("", response_model=CreatedOrder, status_code=201,
             summary="A citizen's submission from a channel gateway; a retried Idempotency-Key returns the first "
                     "answer, extraction code included (a different body under the same key: 409)",
             responses={401: {"description": "missing or invalid API key"},
                        409: {"description": "the Idempotency-Key was used for a different submission"}})
def submit(body: SubmissionIn, request: Request, session: DbSession, ctx: Ctx,
           x_api_key: Annotated[str | None, Header()] = None,
           idempotency_key: Annotated[str | None, Header(min_length=1, max_length=48)] = None):
    client = AccountService(session, ctx).api_client(x_api_key)
    actor = Actor(Role.SYSTEM, name=f"api:{client.name}")
    draft = WorkOrderDraft(**body.model_dump(), channel=Channel(client.channel),
                           source_id=f"{client.id}:{idempotency_key}" if idempotency_key else None)
    created = WorkOrderService(session, ctx).create(draft, actor)
    answer = CreatedOrder(ticket_no=created.ticket_no, extraction_code=created.extraction_code, state=created.state)
    if idempotency_key is None:
        audit(session, request, actor, "work_order.create", "work_order", created.ticket_no,
              {"channel": client.channel})
        return answer
    replies = SubmissionReplies(session, ctx)
    fingerprint = replies.fingerprint(client.id, body.model_dump())
    if created.extraction_code is None:  # a retry: the first answer, as it was sent
        first = replies.replay(created.order_id, fingerprint)
        return CreatedOrder.model_validate(first) if first is not None else answer
    replies.remember(created.order_id, fingerprint, answer.model_dump(mode="json"))
    audit(session, request, actor, "work_order.create", "work_order", created.ticket_no, {"channel": client.channel})
    return answer
