"""What kind of call a record is: who placed it (direction), what for (purpose), how it ended for the
citizen (disposition), and which channels are no call at all but listen in on one."""

from __future__ import annotations

from hotline.core.enums import CallDirection, CallPurpose, Disposition
from hotline.telephony.records import CallRecord

SPY_TECHS = ("AudioSocket/", "Snoop/", "UnicastRTP/", "WebSocket/")
SPY_APPS = {"ChanSpy", "ExtenSpy"}
SPY_CONTEXT = "hotline-spy"
ROLE = "HOTLINE_ROLE"  # set to "spy" on any channel hotline originates to listen in
PURPOSES = {p.value for p in CallPurpose}


def kind_of(call: CallRecord, inbound: set[str], outbound: set[str]) -> tuple[str, str]:
    """(direction, purpose) from the contexts the call's first channel ran in and its HOTLINE_* variables."""
    if call.contexts & outbound:
        purpose = call.variables.get("HOTLINE_PURPOSE", "")
        if "HOTLINE_CALLBACK" in call.variables:
            purpose = CallPurpose.SURVEY_CALLBACK
        return CallDirection.OUTBOUND, purpose if purpose in PURPOSES else CallPurpose.OTHER
    if call.contexts & inbound:
        return CallDirection.INBOUND, CallPurpose.CITIZEN_CALL
    return CallDirection.INTERNAL, CallPurpose.INTERNAL


def disposition_of(call: CallRecord) -> str:
    """answered by a person, unanswered (a call out nobody picked up), abandoned in a queue, a message left,
    or the IVR only."""
    if call.agent:
        return Disposition.ANSWERED
    if call.direction == CallDirection.OUTBOUND:
        return Disposition.ANSWERED if call.answered_at else Disposition.UNANSWERED
    if call.queue_joined:
        return Disposition.ABANDONED
    return Disposition.MESSAGE_LEFT if call.message_recording else Disposition.IVR_ONLY


def listens_in(e: dict) -> bool:
    """A channel that exists only to hear (or stream) another call's audio."""
    return (e.get("Channel", "").startswith(SPY_TECHS) or e.get("Context") == SPY_CONTEXT
            or e.get("Application") in SPY_APPS or e.get(f"ChanVariable:{ROLE}") == "spy")
