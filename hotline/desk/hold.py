"""保持 from the operator's screen: the citizen hears music on hold while the operator looks something up,
then is taken back to the same operator on the same call.

Asterisk 22 has no AMI Hold action (hold is a phone's re-INVITE). Of what AMI offers, a dual Redirect
out of the queue's bridge and a Bridge back keep both legs and the call's Linkedid (see AmiPbx.hold):
Park would hang the operator's leg up and bring the citizen back only on a new call with a new Linkedid.
The dialplan's [hotline-hold] plays the music, [hotline-holding] keeps the operator's leg waiting
(config/asterisk/extensions.conf). Each hold is a `held` stint of the operator on the call's Linkedid, so
the time on hold is counted per call and per operator's day."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.clock import Clock
from hotline.core.errors import ConflictError
from hotline.core.labels import AgentStatus
from hotline.desk.agents import AgentDesk
from hotline.models import AgentState
from hotline.telephony.pbx import HOLD_CONTEXT, HOLDING_CONTEXT, PbxUnavailableError
from hotline.telephony.ports import Pbx

CITIZEN_CONTEXT, OPERATOR_CONTEXT = HOLD_CONTEXT, HOLDING_CONTEXT
# What Asterisk 22 answers when it will not (main/manager.c action_redirect, main/features.c action_bridge).
REFUSALS = {
    "Channel does not exist": "hold_call_gone",
    "ExtraChannel does not exist": "hold_call_gone",
    "Channel1 does not exist": "hold_call_gone",
    "Channel2 does not exist": "hold_call_gone",
    "Redirect failed, channel not up": "hold_call_gone",
    "Redirect failed, extra channel not up": "hold_call_gone",
}


class HoldRefusedError(ConflictError):
    error_id = "hold_refused"


class Holds:
    def __init__(self, session: Session, clock: Clock, pbx: Pbx) -> None:
        self.session, self.clock, self.pbx = session, clock, pbx
        self.desk = AgentDesk(session, clock)

    def hold(self, actor: Actor, linkedid: str) -> AgentState:
        """Put the citizen of my call `linkedid` on hold; refused unless I am talking on that very call."""
        state = self._mine(actor, linkedid)
        if state.state == AgentStatus.HELD:
            raise ConflictError("the caller is already on hold", error_id="hold_already")
        if state.state != AgentStatus.TALKING or not state.channel:
            raise ConflictError("you are not talking to a caller", error_id="hold_no_call")
        self._ask(lambda: self.pbx.hold(_action_id(), linkedid, state.channel or "", CITIZEN_CONTEXT,
                                        OPERATOR_CONTEXT))
        return self.desk.move(actor.user_id or 0, AgentStatus.HELD, linkedid=linkedid)

    def take_back(self, actor: Actor, linkedid: str) -> AgentState:
        """Take the citizen back from hold: bridged with my leg again, the call goes on."""
        state = self._mine(actor, linkedid)
        if state.state != AgentStatus.HELD or not state.channel:
            raise ConflictError("the caller is not on hold", error_id="hold_not_held")
        self._ask(lambda: self.pbx.take_back(_action_id(), state.channel or "", state.peer_channel or linkedid))
        return self.desk.move(actor.user_id or 0, AgentStatus.TALKING, linkedid=linkedid)

    def _mine(self, actor: Actor, linkedid: str) -> AgentState:
        state = self.desk.states.get(actor.user_id or 0, lock=True)
        if state is None or not state.linkedid or state.state not in (AgentStatus.TALKING, AgentStatus.HELD):
            raise ConflictError("you are not talking to a caller", error_id="hold_no_call")
        if state.linkedid != linkedid:
            raise ConflictError(f"call {linkedid} is not the one you are on", error_id="hold_not_your_call")
        return state

    @staticmethod
    def _ask(send) -> None:
        """Asterisk's refusal, in Chinese; nothing is recorded as held or taken back."""
        try:
            send()
        except PbxUnavailableError:
            raise
        except ConflictError as exc:
            said = (exc.details or {}).get("message", "") if isinstance(exc.details, dict) else ""
            error_id = next((e for prefix, e in REFUSALS.items() if said.startswith(prefix)), "hold_refused")
            raise HoldRefusedError(f"Asterisk refused: {said or exc.message}", details={"asterisk": said},
                                   error_id=error_id) from None


def _action_id() -> str:
    return f"hold-{uuid.uuid4().hex[:24]}"

