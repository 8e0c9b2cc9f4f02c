"""The supervisor's live agent board."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class BoardMember(BaseModel):
    queue: str
    interface: str
    member_name: str | None
    name: str = Field(description="the operator's name, else the queue member's")
    state: str = Field(description="talking | ringing | wrapup | paused | idle (labels: agent_statuses)")
    since: dt.datetime | None
    pause_reason: str | None = Field(description="why paused (or wrapping up), as the operator gave it")
    calls_taken: int


class WaitingCaller(BaseModel):
    queue: str
    joined_at: dt.datetime
    wait_seconds: int


class BoardToday(BaseModel):
    calls: int = Field(description="citizens' calls to the hotline today")
    offered: int = Field(description="of these, offered to a queue")
    answered: int
    abandoned: int
    answered_in_time: int
    average_wait_seconds: float | None
    service_level: float | None = Field(description="answered within service_level_seconds ÷ offered")


class AgentBoardOut(BaseModel):
    now: dt.datetime
    service_level_seconds: int
    refresh_seconds: int
    members: list[BoardMember]
    waiting: list[WaitingCaller]
    summary: dict[str, int]
    today: BoardToday
