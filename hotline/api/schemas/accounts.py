"""Accounts, tokens, API clients and the audit log."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.api.schemas.intake import Named
from hotline.core.enums import Channel, Role


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    department: Named | None
    extension: str | None = None
    now: dt.datetime | None = Field(default=None, description="the server's clock: consoles count down by it")


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=2000)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class UserIn(BaseModel):
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=10, max_length=200)
    display_name: str = Field(min_length=1, max_length=100)
    role: Role
    department_code: str | None = Field(default=None, max_length=32)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    department_code: str | None
    active: bool


class ApiClientIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    channel: Channel


class ApiClientOut(BaseModel):
    id: int
    name: str
    channel: str
    api_key: str = Field(description="shown once; store it in the gateway's configuration")


class AuditOut(BaseModel):
    at: dt.datetime
    actor: str
    role: str
    action: str
    object_type: str
    object_id: str | None
    ip: str | None
    details: dict | None
