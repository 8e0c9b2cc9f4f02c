"""Rating by link (扫码/短链评价), no login: the signed single-use token of a 办结 notice names one callback.
The API reads the case and takes one rating; /m/r/{token} is a minimal mobile page over the same two steps."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from hotline.api.deps import Ctx, DbSession
from hotline.api.limits import rate_limit
from hotline.api.schemas.ratings import RatingCase, RatingIn, RatingOut
from hotline.api.uow import UnitOfWorkRoute
from hotline.callbacks.messages import MessageRatings
from hotline.core.enums import CallbackStatus
from hotline.core.errors import HotlineError
from hotline.dispatch.repository import DepartmentRepository
from hotline.text.masking import mask_numbers_in_text

router = APIRouter(tags=["citizens"], route_class=UnitOfWorkRoute)
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,40}$")]
ERRORS: dict[int | str, dict[str, Any]] = {404: {"description": "no such link"}, 410: {"description": "expired"},
                                           409: {"description": "already rated"}, 429: {"description": "slow down"}}
WORDS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
THANKS = {"satisfied": "感谢您的评价！", "basically_satisfied": "感谢您的评价，我们会继续改进。",
          "unsatisfied": "已收到您的意见，工单将退回承办单位重新办理。"}


def _case(session: Session, ratings: MessageRatings, token: str) -> RatingCase:
    callback, order = ratings.case(token)
    department = DepartmentRepository(session).get(callback.department_id) if callback.department_id else None
    return RatingCase(ticket_no=order.ticket_no, title=mask_numbers_in_text(order.title) or "",
                      department=department.name if department else None,
                      result=mask_numbers_in_text(order.result), completed_at=order.completed_at,
                      can_rate=callback.status == CallbackStatus.PENDING, rated=callback.outcome)


@router.get("/api/v1/ratings/{token}", response_model=RatingCase, responses=ERRORS,
            summary="The case a rating link names (no login)")
def read(token: Token, request: Request, session: DbSession, ctx: Ctx):
    rate_limit(request, "rating", 30, 60)
    return _case(session, MessageRatings(session, ctx), token)


@router.post("/api/v1/ratings/{token}", response_model=RatingOut, responses=ERRORS,
             summary="Rate once: result satisfaction, and apart from it process satisfaction")
def rate(token: Token, body: RatingIn, request: Request, session: DbSession, ctx: Ctx):
    rate_limit(request, "rating", 30, 60)
    done = MessageRatings(session, ctx).rate(token, body.verdict, body.process, body.comment)
    return RatingOut(ticket_no=done.order.ticket_no, outcome=done.callback.outcome or "",
                     message=THANKS[done.attempt.verdict or "satisfied"])


@router.get("/m/r/{token}", response_class=HTMLResponse, include_in_schema=False)
def page(token: Token, request: Request, session: DbSession, ctx: Ctx):
    rate_limit(request, "rating", 30, 60)
    try:
        case = _case(session, MessageRatings(session, ctx), token)
    except HotlineError as exc:
        return HTMLResponse(_page("评价", f"<p>{html.escape(exc.message)}</p>"), status_code=exc.status_code)
    return HTMLResponse(_page(f"工单 {case.ticket_no}", _summary(case) + (_form() if case.can_rate else
                                                                          "<p>这件工单已经评价过了，谢谢！</p>")))


@router.post("/m/r/{token}", response_class=HTMLResponse, include_in_schema=False)
def page_rate(token: Token, request: Request, session: DbSession, ctx: Ctx,
              verdict: Annotated[str, Form(max_length=32)] = "", process: Annotated[str, Form(max_length=32)] = "",
              comment: Annotated[str, Form(max_length=1000)] = ""):
    rate_limit(request, "rating", 30, 60)
    try:
        done = MessageRatings(session, ctx).rate(token, verdict, process or None, comment)
    except HotlineError as exc:
        session.rollback()  # nothing of a refused rating stays
        message = "请先选择是否满意" if exc.error_id == "invalid_verdict" else exc.message
        return HTMLResponse(_page("评价", f"<p>{html.escape(message)}</p>"), status_code=exc.status_code)
    return HTMLResponse(_page(f"工单 {done.order.ticket_no}", f"<p>{THANKS[done.attempt.verdict or 'satisfied']}</p>"))


def _summary(case: RatingCase) -> str:
    rows = [("承办单位", case.department or "12345热线"), ("办理结果", case.result or "已办结")]
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{html.escape(v)}</dd>" for k, v in rows) + "</dl>"


def _choices(name: str) -> str:
    return "".join(f'<label><input type="radio" name="{name}" value="{value}"> {word}</label>'
                   for value, word in WORDS.items())


def _form() -> str:
    return ('<form method="post"><fieldset><legend>问题解决了吗？（结果满意度）</legend>' + _choices("verdict") +
            '</fieldset><fieldset><legend>办理是否及时、态度是否满意？（过程满意度，可不选）</legend>' +
            _choices("process") + '</fieldset><label>您的意见<textarea name="comment" rows="3" maxlength="1000">'
            '</textarea></label><button type="submit">提交评价</button></form>')


def _page(title: str, content: str) -> str:
    return ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>12345满意度评价</title></head><body><main><h1>{html.escape(title)}</h1>{content}'
            '<p><small>12345政务服务便民热线</small></p></main></body></html>')
