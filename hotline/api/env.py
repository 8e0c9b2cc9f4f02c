"""Everything the API hands to the domains, as one Protocol (the runtime's context satisfies it)."""

from __future__ import annotations

from typing import Protocol

from hotline.callbacks.ports import CallbacksEnv
from hotline.knowledge.ports import KnowledgeEnv
from hotline.notifications.ports import DeliveryEnv
from hotline.telephony.ports import Pbx, TelephonyEnv
from hotline.voice.ports import VoiceEnv


class ApiEnv(VoiceEnv, CallbacksEnv, TelephonyEnv, KnowledgeEnv, DeliveryEnv, Protocol):
    @property
    def pbx(self) -> Pbx: ...
