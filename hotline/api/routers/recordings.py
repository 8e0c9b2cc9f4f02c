"""Recordings as personal data: a short-lived signed link per listen or download (each one audited), the
audio by that link with range requests for the browser's player; departments hear nothing unless
config/recordings.yaml allows it, and a recording deleted by retention is gone (410)."""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response

from hotline.api import links
from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, roles
from hotline.api.ranges import check_range
from hotline.api.routers.work_orders import RowId, visible
from hotline.api.schemas.desk import LinkOut
from hotline.api.uow import UnitOfWorkRoute
from hotline.asr.repository import RecordingRepository
from hotline.core.actor import Actor
from hotline.core.errors import NotFoundError
from hotline.dispatch.repository import WorkOrderRepository
from hotline.voice.listening import CENTRE_LISTENERS, DEPARTMENT_ROLES, RecordingGoneError, check_listener

router = APIRouter(prefix="/api/v1", tags=["recordings"], route_class=UnitOfWorkRoute)
Listener = Annotated[Actor, Depends(roles(*CENTRE_LISTENERS, *DEPARTMENT_ROLES))]
Purpose = Literal["listen", "download"]
GONE: dict[int | str, dict[str, Any]] = {410: {"description": "deleted when its retention ran out"},
        416: {"description": "the range asked for is not in the file"}}


@router.get("/recordings/{recording_id}/link", response_model=LinkOut, responses=GONE,
            summary="A signed link to a recording's audio, valid for ten minutes; every link is audited")
def recording_link(recording_id: RowId, request: Request, actor: Listener, session: DbSession, ctx: Ctx,
                   purpose: Purpose = "listen"):
    recording = RecordingRepository(session).require(recording_id)
    check_listener(actor, ctx.config.recordings, recording)
    if recording.work_order_id is not None:
        order = WorkOrderRepository(session).get(recording.work_order_id)
        if order is not None:
            visible(session, actor, order.ticket_no)  # 404 outside the listener's scope
    expires = int(ctx.clock.now().timestamp()) + links.LIFETIME_SECONDS
    sig = links.signature(ctx.secret, f"recording:{recording_id}:{purpose}", actor.user_id or 0, expires)
    audit(session, request, actor, f"recording.{purpose}", "recording", str(recording_id),
          {"kind": recording.kind, "linkedid": recording.linkedid, "work_order_id": recording.work_order_id})
    params = urlencode({"u": actor.user_id or 0, "exp": expires, "p": purpose, "sig": sig})
    return LinkOut(url=f"/api/v1/recordings/{recording_id}/audio?{params}",
                   expires_at=dt.datetime.fromtimestamp(expires, dt.UTC))


@router.get("/recordings/{recording_id}/audio", response_class=FileResponse, responses=GONE,
            summary="A recording's audio by its signed link: range requests (206, Accept-Ranges, 416)")
def audio(recording_id: RowId, request: Request, session: DbSession, ctx: Ctx, u: Annotated[int, Query(ge=0)],
          exp: Annotated[int, Query(ge=0)], sig: Annotated[str, Query(max_length=128)],
          p: Purpose = "listen") -> Response:
    links.check(ctx.secret, f"recording:{recording_id}:{p}", u, exp, sig, ctx.clock.now().timestamp())
    recording = RecordingRepository(session).require(recording_id)
    if recording.deleted_at is not None:  # retention ran out after the link was made
        raise RecordingGoneError(f"recording {recording_id} was deleted when its retention ran out")
    path = Path(recording.path)
    if not path.is_file():
        raise NotFoundError(f"recording {recording_id} has no file at {path}", error_id="recording_file_missing")
    refused = check_range(request, path.stat().st_size)
    if refused is not None:
        return refused
    return FileResponse(path, media_type=mimetypes.guess_type(path.name)[0] or "audio/wav",
                        filename=path.name if p == "download" else None,
                        content_disposition_type="attachment" if p == "download" else "inline")
