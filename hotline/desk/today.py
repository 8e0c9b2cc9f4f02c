"""A person's own counts for today (local day): calls, talk and wrap-up time, orders taken, callbacks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.desk.repository import AgentStateRepository, CallbackQueueRepository, DeskCountRepository
from hotline.dispatch.sla import SlaPolicy


def today_counts(session: Session, sla: SlaPolicy, actor: Actor, now: dt.datetime) -> dict:
    day = sla.local_day(now)
    lo = dt.datetime.combine(day, dt.time(), tzinfo=sla.tz)
    hi = lo + dt.timedelta(days=1)
    user_id = actor.user_id or 0
    stints = AgentStateRepository(session).seconds_by_state(user_id, lo, hi)
    steps = DeskCountRepository(session).steps_by(user_id, lo, hi)
    callbacks = CallbackQueueRepository(session)
    verdicts = callbacks.attempts_today(user_id, lo, hi)
    talk = stints.get("talking", (0, 0))[1]
    calls = AgentStateRepository(session).calls_taken(user_id, lo, hi)
    wrapups, wrapup = stints.get("wrapup", (0, 0))
    return {
        "day": day.isoformat(),
        "calls": calls, "talk_seconds": talk, "wrapups": wrapups, "wrapup_seconds": wrapup,
        "hold_seconds": stints.get("held", (0, 0))[1],
        "average_wrapup_seconds": round(wrapup / wrapups) if wrapups else None,
        "pause_seconds": stints.get("paused", (0, 0))[1],
        "registered": steps.get("create", 0), "accepted": steps.get("accept", 0),
        "dispatched": steps.get("dispatch", 0), "answered_directly": steps.get("answer_directly", 0),
        "duplicates": steps.get("merge_duplicate", 0), "incidents": steps.get("attach_incident", 0),
        "invalid": steps.get("mark_invalid", 0),
        "callbacks": sum(n for v, n in verdicts.items() if v), "callback_dials": callbacks.dials_today(user_id, lo, hi),
        "satisfied": verdicts.get("satisfied", 0) + verdicts.get("basically_satisfied", 0),
        "unsatisfied": verdicts.get("unsatisfied", 0), "unreachable": verdicts.get("unreachable", 0),
    }
