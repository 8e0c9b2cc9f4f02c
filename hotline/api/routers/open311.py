"""Open311 GeoReport v2, so existing 311 apps can file and follow requests. A keyed app reads its own
submissions in full; anything else is read only if the centre publishes (HOTLINE_OPEN311_PUBLIC_READS), and then
only the fields it chose, with the place coarsened to the street office and text masked. Reads never carry names
or phone numbers; errors use the spec's [{code, description}] shape, which 311 clients parse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any, Literal
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from hotline.accounts.service import AccountService
from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession
from hotline.api.env import ApiEnv
from hotline.api.schemas.instants import Instant
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.enums import AssignmentRole, Channel, Role
from hotline.core.errors import AuthenticationError, HotlineError, InvalidInputError, NotFoundError
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService
from hotline.models import WorkOrder
from hotline.text.masking import mask_numbers_in_text

router = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"], route_class=UnitOfWorkRoute)
Fmt = Literal["json", "xml"]
_BOTH: dict[str, dict] = {"application/json": {}, "text/xml": {}}
DOCS: dict[int | str, dict[str, Any]] = {code: {"description": text, "content": _BOTH} for code, text in (
    (200, "JSON or XML, as the path's extension says"), (401, "invalid api_key"),
    (404, "no such service or request"), (422, "invalid request"))}
TIER_NOTICE = {"emergency": "紧急：2小时内反馈", "livelihood": "民生：24小时内反馈", "general": "一般：3个工作日内反馈",
               "complex": "复杂：15日内办结"}


def render(fmt: str, root: str, item: str, rows: list[dict], status_code: int = 200) -> Response:
    if fmt == "json":
        return JSONResponse(rows, status_code=status_code)
    top = ET.Element(root)
    for row in rows:
        node = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(node, key)
            child.text = "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return Response(body, status_code=status_code, media_type="text/xml; charset=utf-8")


def spec_error(fmt: str, exc: HotlineError) -> Response:
    return render(fmt, "errors", "error", [{"code": exc.status_code, "description": exc.message}], exc.status_code)


@router.get("/services.{fmt}", responses=DOCS, summary="Service list: the hotline's request categories")
def services(fmt: Fmt, ctx: Ctx):
    rows = [{"service_code": c.code, "service_name": c.name, "description": f"{c.name}（{TIER_NOTICE[c.tier]}）",
             "metadata": False, "type": "realtime", "keywords": ",".join(c.keywords), "group": c.code.split(".")[0]}
            for c in ctx.config.catalogue.leaves()]
    return render(fmt, "services", "service", rows)


@router.get("/services/{service_code}.{fmt}", responses=DOCS, summary="Service definition (no extra attributes)")
def service_definition(service_code: str, fmt: Fmt, ctx: Ctx):
    if ctx.config.category(service_code) is None:
        return spec_error(fmt, NotFoundError(f"no service {service_code}"))
    if fmt == "json":
        return JSONResponse({"service_code": service_code, "attributes": []})
    return render(fmt, "service_definition", "attributes", [])


@router.post("/requests.{fmt}", responses=DOCS, summary="Create a service request (form-encoded, api_key required)")
def create_request(fmt: Fmt, request: Request, session: DbSession, ctx: Ctx, api_key: Annotated[str, Form()] = "",
                   service_code: Annotated[str, Form()] = "", description: Annotated[str, Form(max_length=4000)] = "",
                   address_string: Annotated[str, Form(max_length=200)] = "", lat: Annotated[str, Form()] = "",
                   long: Annotated[str, Form()] = "", first_name: Annotated[str, Form(max_length=50)] = "",
                   last_name: Annotated[str, Form(max_length=50)] = "",
                   phone: Annotated[str, Form(max_length=30)] = "", media_url: Annotated[str, Form()] = ""):
    try:
        client = AccountService(session, ctx).api_client(api_key)
        category = ctx.config.category(service_code)
        if category is None:
            raise InvalidInputError(f"service_code {service_code or '(missing)'} is not a service",
                                    error_id="unknown_category")
        text = description.strip() or category.name
        draft = WorkOrderDraft(title=text[:40], content=text, channel=Channel(client.channel),
                               place=address_string or None, category_code=category.code,
                               citizen_phone=phone or None, citizen_name=(last_name + first_name) or None,
                               latitude=lat or None, longitude=long or None, media_url=media_url or None)
        actor = Actor(Role.SYSTEM, name=f"api:{client.name}")
        created = WorkOrderService(session, ctx).create(draft, actor)
        WorkOrderRepository(session).submitted_by(created.order_id, client.id)
    except ValidationError as exc:
        session.rollback()
        return spec_error(fmt, InvalidInputError("; ".join(e["msg"] for e in exc.errors())))
    except HotlineError as exc:
        session.rollback()
        return spec_error(fmt, exc)
    audit(session, request, actor, "work_order.create", "work_order", created.ticket_no, {"via": "open311"})
    row = {"service_request_id": created.ticket_no, "service_notice": TIER_NOTICE[created.order.tier],
           "account_id": None}
    return render(fmt, "service_requests", "request", [row])


@router.get("/requests.{fmt}", responses=DOCS,
            summary="Service requests, filtered: an app's own in full (api_key), others only as the centre publishes")
def list_requests(fmt: Fmt, session: DbSession, ctx: Ctx, api_key: str | None = None,
                  service_request_id: str | None = None, service_code: str | None = None,
                  start_date: Instant | None = None, end_date: Instant | None = None,
                  status: str | None = Query(default=None, pattern=r"^(open|closed)(,(open|closed))*$")):
    try:
        reader = _reader(session, ctx, api_key)
    except HotlineError as exc:
        return spec_error(fmt, exc)
    window: dict = {}
    if service_request_id:
        window["tickets"] = service_request_id.split(",")
    else:  # the spec's default window: the last 90 days, at most 1000 requests
        end = end_date or ctx.clock.now()
        window.update(received_from=start_date or end - dt.timedelta(days=90), received_to=end)
    statuses = set(status.split(",")) if status else {"open", "closed"}
    closed = None if statuses == {"open", "closed"} else statuses == {"closed"}
    own_only = reader if not ctx.settings.open311_public_reads else None
    codes = [(leaf.code if (leaf := ctx.config.category(c)) else c) for c in service_code.split(",")] \
        if service_code else []  # a retired code asks for the leaf it became
    orders = WorkOrderRepository(session).listing(categories=codes, closed=closed, api_client_id=own_only, **window)
    return render(fmt, "service_requests", "request", _requests(session, ctx, orders, reader))


@router.get("/requests/{service_request_id}.{fmt}", responses=DOCS,
            summary="One service request: in full for the app that submitted it, else as the centre publishes")
def get_request(service_request_id: str, fmt: Fmt, session: DbSession, ctx: Ctx, api_key: str | None = None):
    try:
        reader = _reader(session, ctx, api_key)
    except HotlineError as exc:
        return spec_error(fmt, exc)
    own_only = reader if not ctx.settings.open311_public_reads else None
    orders = WorkOrderRepository(session).listing(tickets=[service_request_id], api_client_id=own_only)
    if not orders:
        return spec_error(fmt, NotFoundError(f"no service request {service_request_id}"))
    return render(fmt, "service_requests", "request", _requests(session, ctx, orders, reader))


def _reader(session: Session, ctx: ApiEnv, api_key: str | None) -> int | None:
    """The reading app's client id; None for an anonymous reader, who is refused unless the centre publishes."""
    if api_key:
        return AccountService(session, ctx).api_client(api_key).id
    if not ctx.settings.open311_public_reads:
        raise AuthenticationError("an api_key is required: this centre does not publish service requests",
                                  error_id="open311_key_required")
    return None


def _requests(session: Session, ctx: ApiEnv, orders: Sequence[WorkOrder], reader: int | None) -> list[dict]:
    leads, due, updated = WorkOrderRepository(session).public_facts([o.id for o in orders])
    published = ctx.settings.open311_public_field_set
    out = []
    for o in orders:
        category = ctx.config.category(o.category_code) if o.category_code else None
        replies = [a.reply_text for a in o.assignments if a.reply_text and a.role != AssignmentRole.SUB]
        notes = o.result or (replies[-1] if replies else None)
        row = {
            "service_request_id": o.ticket_no, "status": "closed" if o.state == "closed" else "open",
            "status_notes": mask_numbers_in_text(notes), "service_name": category.name if category else None,
            "service_code": o.category_code, "description": o.content,
            "agency_responsible": leads.get(o.id), "service_notice": TIER_NOTICE[o.tier],
            "requested_datetime": o.received_at.isoformat(),
            "updated_datetime": (updated.get(o.id) or o.received_at).isoformat(),
            "expected_datetime": due[o.id].isoformat() if o.id in due else None,
            "address": o.place, "address_id": None, "zipcode": None, "lat": o.latitude, "long": o.longitude,
            "media_url": o.media_url,
        }
        if reader is None or o.api_client_id != reader:  # someone else's: only what the centre publishes
            row.update(description=mask_numbers_in_text(o.content), address=ctx.router.places.coarse(o.place))
            row = {k: (v if k in published else None) for k, v in row.items()}
        out.append(row)
    return out
