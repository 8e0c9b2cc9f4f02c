"""Callback jobs: completed orders enter the callback queue right after completion and periodically;
automated satisfaction calls are placed through the PBX."""

from __future__ import annotations

import logging

from hotline.callbacks.messages import MessageRatings
from hotline.callbacks.ports import CallbacksEnv
from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.errors import HotlineError
from hotline.core.jobs import Runtime, job
from hotline.notifications.delivery import NOTICE_FAILED
from hotline.text.phones import PhoneError, dial_parts

log = logging.getLogger(__name__)


@job("hotline.callbacks.schedule")
def schedule(runtime: Runtime, batch: int = 500) -> int:
    """Every completed order gets its callback; one committed batch at a time."""
    total = 0
    while True:
        with session_scope(runtime.session_factory) as session:
            moved = CallbackService(session, runtime.ctx).schedule(batch)
        total += moved
        if moved < batch:
            return total


@job(NOTICE_FAILED)
def notice_failed(runtime: Runtime, message_id: int) -> bool:
    """A citizen's notice could not be delivered: the order's history says so, and a rating that cannot come by
    message is asked by phone now."""
    with session_scope(runtime.session_factory) as session:
        return MessageRatings(session, runtime.ctx).notice_failed(message_id)


@job("hotline.callbacks.dial")
def dial(runtime: Runtime, batch: int = 20) -> int:
    """Automated satisfaction callbacks: Originate into the IVR survey (keys 1/2/3), once per attempt."""
    env: CallbacksEnv = runtime.ctx
    if not env.config.callbacks.automated.enabled or not env.settings.ami_host:
        return 0
    with session_scope(runtime.session_factory) as session:
        reserved = CallbackService(session, env).reserve_auto(batch)
    dialled = 0
    for callback_id, attempt, phone in reserved:
        try:
            number, extension = dial_parts(phone)
        except PhoneError:  # nothing to dial: this attempt is 未接通, people see why
            originate_failed(runtime, callback_id, attempt, f"号码无法拨打：{phone}")
            continue
        try:
            variables = {"HOTLINE_CALLBACK": str(callback_id), "HOTLINE_ATTEMPT": str(attempt),
                         **({"HOTLINE_EXTENSION": extension} if extension else {})}  # keyed in once answered
            env.pbx.originate(f"callback-{callback_id}-{attempt}", f"Local/{number}@hotline-out", "hotline-survey",
                              "s", "12345", variables)
            dialled += 1
        except HotlineError:  # Asterisk never got it: the attempt is given back for the next run
            with session_scope(runtime.session_factory) as session:
                CallbackService(session, env).release_auto(callback_id, attempt)
    return dialled


def originate_failed(runtime: Runtime, callback_id: int, attempt: int, reason: str) -> None:
    """An automated callback did not connect (Asterisk said so): that attempt counts as 未接通."""
    try:
        with session_scope(runtime.session_factory) as session:
            CallbackService(session, runtime.ctx).auto_unreachable(callback_id, attempt, reason)
    except HotlineError as exc:  # already answered or no longer pending: nothing to do
        log.info("originate failure for callback %s attempt %s ignored: %s", callback_id, attempt, exc.message)
