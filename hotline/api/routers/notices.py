"""Notices: the pushes providers send us (delivery receipts, citizens' replies — each checked as its provider
documents, or by our callback token), an order's messages with their delivery status, and a citizen's opt-out."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, HotlineDesk, Staff
from hotline.api.env import ApiEnv
from hotline.api.routers.work_orders import ERRORS, Ticket, visible
from hotline.api.schemas.notices import NoticeOut, OptOutIn, OptOutOut, OrderNotices, ReceiptOut, ReplyOut
from hotline.api.uow import UnitOfWorkRoute
from hotline.callbacks.messages import MessageRatings
from hotline.core.errors import HotlineError, NotFoundError
from hotline.models import WorkOrder
from hotline.notifications.citizen import CitizenNotices
from hotline.notifications.ports import DeliveryEnv
from hotline.notifications.providers.base import CallbackRequest, ReceiptSource, ReplySource, mask_address
from hotline.notifications.providers.wechat_mp import WeChatOfficialAccountProvider
from hotline.notifications.receipts import callback_ack, record_receipts, shown
from hotline.notifications.repository import (
    CitizenContactRepository,
    InboundRepository,
    OutboxRepository,
    ReceiptRepository,
)

router = APIRouter(prefix="/api/v1/notices", tags=["notices"], route_class=UnitOfWorkRoute)
MAX_PUSH_BYTES = 256 * 1024
Channel = Literal["sms", "wechat"]
REJECTED: dict[int | str, dict[str, Any]] = {403: {"description": "authenticity check failed: nothing was read"},
                                             404: {"description": "the channel's provider takes no such push"}}


class PushTooLargeError(HotlineError):
    status_code = 413
    error_id = "push_too_large"


async def pushed(request: Request) -> CallbackRequest:
    """The push as received — query, headers, raw body — read up to a bound before anything parses it."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_PUSH_BYTES:
            raise PushTooLargeError(f"a push is at most {MAX_PUSH_BYTES} bytes")
    return CallbackRequest(dict(request.query_params), {k.lower(): v for k, v in request.headers.items()}, body)


Push = Annotated[CallbackRequest, Depends(pushed)]


def _source(ctx: DeliveryEnv, channel: str, kind: type) -> Any:
    provider = ctx.providers.get(channel)
    if not isinstance(provider, kind):
        raise NotFoundError(f"the {channel} provider sends no such push", error_id="no_push_source")
    return provider


def _ack(provider: str) -> Response:
    media_type, body = callback_ack(provider)
    if media_type == "text/plain":
        return PlainTextResponse(str(body))
    return JSONResponse(body)


def _receipts(session: Session, ctx: DeliveryEnv, provider: Any, push: CallbackRequest) -> None:
    record_receipts(session, provider.name, provider.parse_receipts(push), ctx.clock.now())


def _replies(session: Session, ctx: ApiEnv, provider: Any, push: CallbackRequest) -> None:
    ratings = MessageRatings(session, ctx)
    for reply in provider.parse_replies(push):
        ratings.reply(provider.name, reply)


@router.post("/receipts/{channel}", summary="Delivery receipts pushed by the channel's provider", responses=REJECTED)
def receipts(channel: Channel, push: Push, session: DbSession, ctx: Ctx):
    provider = _source(ctx, channel, ReceiptSource)
    _receipts(session, ctx, provider, push)
    return _ack(provider.name)


@router.post("/replies/{channel}", summary="Citizens' replies (上行短信): ratings 1/2/3, TD to opt out",
             responses=REJECTED)
def replies(channel: Channel, push: Push, session: DbSession, ctx: Ctx):
    provider = _source(ctx, channel, ReplySource)
    _replies(session, ctx, provider, push)
    return _ack(provider.name)


@router.get("/wechat", summary="WeChat's server check when the push URL is saved", responses=REJECTED)
def wechat_check(request: Request, ctx: Ctx):
    provider = _source(ctx, "wechat", WeChatOfficialAccountProvider)
    return PlainTextResponse(provider.verify_server(dict(request.query_params)))


@router.post("/wechat", summary="WeChat pushes: template send results and citizens' messages", responses=REJECTED)
def wechat_push(push: Push, session: DbSession, ctx: Ctx):
    provider = _source(ctx, "wechat", WeChatOfficialAccountProvider)
    _receipts(session, ctx, provider, push)
    _replies(session, ctx, provider, push)
    return _ack(provider.name)


@router.get("/orders/{ticket}", response_model=OrderNotices, responses=ERRORS,
            summary="What the order's citizen and departments were sent, delivery status and receipts, replies")
def of_order(ticket: Ticket, actor: Staff, session: DbSession):
    order = visible(session, actor, ticket)
    messages = OutboxRepository(session).of_order(order.id)
    by_message: dict[int, list[ReceiptOut]] = {}
    for r in ReceiptRepository(session).of_messages([m.id for m in messages]):
        by_message.setdefault(r.outbox_id, []).append(ReceiptOut(
            delivered=r.delivered, status=r.status, description=r.description, reported_at=r.reported_at,
            received_at=r.received_at))
    notices = [NoticeOut(
        id=m.id, audience=m.audience, notice=m.notice, channel=m.channel, recipient=mask_address(m.recipient),
        subject=m.subject, body=shown(m.body), status=m.status, attempts=m.attempts, created_at=m.created_at,
        not_before=m.not_before, sent_at=m.sent_at, last_error=m.last_error, delivery=m.delivery,
        delivery_at=m.delivery_at, receipts=by_message.get(m.id, [])) for m in messages]
    replies = [ReplyOut(sender=r.sender_masked, text=r.text, outcome=r.outcome, received_at=r.received_at)
               for r in InboundRepository(session).of_order(order.id)]
    return OrderNotices(ticket_no=order.ticket_no, citizen_opted_out=_opted_out(session, order),
                        notices=notices, replies=replies)


@router.put("/orders/{ticket}/opt-out", response_model=OptOutOut, responses=ERRORS,
            summary="Record that the order's citizen wants no more notices (or wants them again)")
def opt_out(ticket: Ticket, body: OptOutIn, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    citizen = CitizenContactRepository(session).get(order.citizen_id)
    if citizen is None:
        raise NotFoundError(f"work order {ticket} has no citizen to notify", error_id="no_citizen")
    notices = CitizenNotices(session, ctx)
    cancelled = notices.opt_out(citizen) if body.opted_out else 0
    if not body.opted_out:
        notices.opt_in(citizen)
    audit(session, request, actor, "citizen.notices", "work_order", order.ticket_no, body.model_dump())
    return OptOutOut(ticket_no=order.ticket_no, opted_out=body.opted_out, cancelled=cancelled)


def _opted_out(session: Session, order: WorkOrder) -> bool:
    citizen = CitizenContactRepository(session).get(order.citizen_id)
    return citizen is not None and citizen.notices_opted_out_at is not None
