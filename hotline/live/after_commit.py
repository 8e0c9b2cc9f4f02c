"""Live events that describe database changes leave only after the change commits, so a console that
reloads on the event reads what the event announced (and a rolled-back change announces nothing)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from hotline.live.events import LiveEvent
from hotline.live.notifier import Notifier

_KEY = "hotline_live_events"


def publish_after_commit(session: Session, live_event: LiveEvent) -> None:
    """Queue `live_event` on this session; sessions from a factory without a notifier drop it."""
    session.info.setdefault(_KEY, []).append(live_event)


def install_live_after_commit(factory: sessionmaker[Session], notifier: Notifier) -> None:
    @event.listens_for(factory, "after_commit")
    def _publish(session: Session) -> None:
        for queued in session.info.pop(_KEY, []):
            notifier.publish(queued)  # best effort by contract: never raises

    @event.listens_for(factory, "after_rollback")
    def _drop(session: Session) -> None:
        session.info.pop(_KEY, None)
