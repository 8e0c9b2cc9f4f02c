"""All SQL for staff accounts, refresh tokens and API clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.db import rowcount
from hotline.dispatch.scope import departments_readable, sees_everything
from hotline.models import ApiClient, Department, RefreshToken, User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def by_username(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(User.username == username)).first()

    def actor_row(self, user_id: int) -> Row | None:
        """(id, username, role, department_id, active, department path) — what a request needs to act."""
        return self.session.execute(
            select(User.id, User.username, User.role, User.department_id, User.active, Department.path)
            .outerjoin(Department, User.department_id == Department.id).where(User.id == user_id)).first()

    def readable_by(self, actor: Actor) -> list[Row]:
        """(user, department code) of the accounts `actor` may list: its subtree, or all for the centre."""
        stmt = select(User, Department.code).outerjoin(Department, User.department_id == Department.id)
        if not sees_everything(actor):
            stmt = stmt.where(departments_readable(actor))
        return list(self.session.execute(stmt.order_by(User.id)))

    def profile(self, user_id: int) -> Row | None:
        """(user, department code, department name)."""
        return self.session.execute(
            select(User, Department.code, Department.name).outerjoin(Department, User.department_id == Department.id)
            .where(User.id == user_id)).first()


class RefreshTokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token: RefreshToken) -> None:
        self.session.add(token)

    def spend(self, jti: str, at: dt.datetime) -> bool:
        """Revoke an unspent token; False when it was already spent (or never issued)."""
        return rowcount(self.session.execute(update(RefreshToken).where(
            RefreshToken.jti == jti, RefreshToken.revoked_at.is_(None)).values(revoked_at=at))) == 1

    def family_of(self, jti: str) -> str | None:
        """The login a token was rotated from (tokens issued before families existed are their own); None
        for a token never issued."""
        return self.session.scalar(select(func.coalesce(RefreshToken.family, RefreshToken.jti))
                                   .where(RefreshToken.jti == jti))

    def revoke_family(self, family: str, at: dt.datetime) -> int:
        """Revoke every still-valid token rotated from one login (a fresh statement: it sees a rotation
        committed while this request waited on the spent token's row)."""
        return rowcount(self.session.execute(update(RefreshToken).where(
            or_(RefreshToken.family == family, RefreshToken.jti == family), RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)))


class ApiClientRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, client: ApiClient) -> ApiClient:
        self.session.add(client)
        self.session.flush()
        return client

    def by_name(self, name: str) -> ApiClient | None:
        return self.session.scalars(select(ApiClient).where(ApiClient.name == name)).first()

    def by_key_hash(self, key_hash: str) -> ApiClient | None:
        return self.session.scalars(select(ApiClient).where(ApiClient.key_hash == key_hash)).first()

    def all(self) -> Sequence[ApiClient]:
        return self.session.scalars(select(ApiClient).order_by(ApiClient.id)).all()
