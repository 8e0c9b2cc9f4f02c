"""The baseline for bench_api.py: a bare FastAPI app doing the same single INSERT and SELECT with no
auth, scope, audit or lifecycle. Run by the benchmark under uvicorn; not part of the product."""

from __future__ import annotations

import datetime as dt
import os
import secrets

from fastapi import FastAPI
from sqlalchemy import insert, select, update

from hotline.core.db import make_engine
from hotline.models import WorkOrder

engine = make_engine(os.environ["HOTLINE_DATABASE_URL"], pool_size=10)
app = FastAPI()


@app.post("/orders", status_code=201)
def create(body: dict):
    with engine.begin() as conn:
        conn.execute(insert(WorkOrder).values(
            ticket_no="X" + secrets.token_hex(8), extraction_code_hash="x", state="received", tier="general",
            channel="phone", title=body["title"], content=body["content"], received_at=dt.datetime.now(dt.UTC),
            redo_count=0, return_count=0, version=1))
    return {"ok": True}


@app.get("/orders")
def list_orders():
    with engine.connect() as conn:
        rows = conn.execute(select(WorkOrder.ticket_no, WorkOrder.state, WorkOrder.title, WorkOrder.received_at)
                            .order_by(WorkOrder.received_at.desc()).limit(50)).all()
    return [{"ticket_no": r[0], "state": r[1], "title": r[2], "received_at": r[3]} for r in rows]


@app.post("/orders/{ticket}/{step}")
def step(ticket: str, step: str):
    """The bare form of a lifecycle step: one UPDATE of the order by its ticket."""
    with engine.begin() as conn:
        found = conn.execute(update(WorkOrder).where(WorkOrder.ticket_no == ticket)
                             .values(version=WorkOrder.version + 1).returning(WorkOrder.id)).first()
    return {"ok": found is not None, "step": step}
