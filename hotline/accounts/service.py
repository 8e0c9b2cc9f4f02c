"""Accounts: create staff and API clients, log in, refresh, and turn a token into an Actor."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.accounts.ports import AccountsEnv
from hotline.accounts.repository import ApiClientRepository, RefreshTokenRepository, UserRepository
from hotline.core import security
from hotline.core.actor import Actor
from hotline.core.enums import Channel, Role
from hotline.core.errors import AuthenticationError, ConflictError, InvalidInputError
from hotline.dispatch.repository import DepartmentRepository
from hotline.models import ApiClient, RefreshToken, User

NEEDS_DEPARTMENT = {Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN}
STAFF_ROLES = [r for r in Role if r not in (Role.CITIZEN, Role.SYSTEM)]
FAILED_LOGIN = "wrong username or password"
EXTENSION = re.compile(r"[A-Za-z0-9]+/[A-Za-z0-9@._;:/-]+")


def check_extension(extension: str) -> str:
    """An Asterisk interface: TECH/resource (PJSIP/1001, Local/1001@agents/n)."""
    value = extension.strip()
    if not EXTENSION.fullmatch(value) or len(value) > 128:
        raise InvalidInputError(f"{extension!r} is not an interface such as PJSIP/1001", error_id="extension_invalid")
    return value


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


class AccountService:
    def __init__(self, session: Session, ctx: AccountsEnv):
        self.session = session
        self.ctx = ctx
        self.users = UserRepository(session)
        self.tokens = RefreshTokenRepository(session)
        self.clients = ApiClientRepository(session)

    def create_user(self, username: str, password: str, role: Role, display_name: str,
                    department_code: str | None = None, extension: str | None = None) -> User:
        """`hotline users create` and the admin API; department roles must name their department."""
        if not re.fullmatch(r"[A-Za-z0-9_.-]{3,64}", username):
            raise InvalidInputError("a username is 3–64 letters, digits, '_', '.' or '-'", error_id="invalid_username")
        if len(password) < 10:
            raise InvalidInputError("a password has at least 10 characters", error_id="password_too_short")
        if Role(role) not in STAFF_ROLES:
            raise InvalidInputError(f"{role} is not a staff role", error_id="invalid_role")
        department = None
        if department_code:
            department = DepartmentRepository(self.session).by_code(department_code)
            if department is None:
                raise InvalidInputError(f"no department with code {department_code}", error_id="department_not_found")
        elif role in NEEDS_DEPARTMENT:
            raise InvalidInputError(f"a {role} account needs a department", error_id="department_required")
        if self.users.by_username(username) is not None:
            raise ConflictError(f"username {username} is taken", error_id="username_taken")
        user = User(username=username, display_name=display_name, role=Role(role),
                    department_id=department.id if department else None,
                    password_hash=security.hash_password(password), active=True, created_at=self.ctx.clock.now(),
                    extension=check_extension(extension) if extension else None)
        return self.users.add(user)

    def ensure_user(self, username: str, password: str, role: Role, display_name: str,
                    department_code: str | None = None, extension: str | None = None) -> bool:
        """Create the account unless the username exists (seeding); True when it was created."""
        if self.users.by_username(username) is not None:
            return False
        self.create_user(username, password, role, display_name, department_code, extension)
        return True

    def bind_extension(self, user_id: int, extension: str) -> User:
        """The phone this person works at (an Asterisk interface such as PJSIP/1001), remembered on the account."""
        user = self.users.get(user_id)
        if user is None or not user.active:
            raise AuthenticationError("this account no longer exists or is disabled")
        user.extension = check_extension(extension)
        return user

    def login(self, username: str, password: str) -> Tokens:
        """Tokens for a valid login; the same answer, after the same work, for any failure."""
        user = self.users.by_username(username)
        ok = security.verify_password(user.password_hash if user else None, password)
        if not ok or user is None or not user.active:
            raise AuthenticationError(FAILED_LOGIN, error_id="login_failed")
        return self._issue(user.id)

    def refresh(self, refresh_token: str) -> Tokens:
        """Rotate: the old refresh token is spent. A spent token presented again was copied (by whoever
        holds it now, or by the owner after a thief rotated first): every token of its login is revoked,
        so neither side keeps a session. The caller commits that revocation with the 401."""
        now = self.ctx.clock.now()
        claims = security.verify(self.ctx.secret, refresh_token, "refresh", now)
        family = self.tokens.family_of(claims.jti)
        spent = self.tokens.spend(claims.jti, now)
        if family is not None and not spent:
            self.tokens.revoke_family(family, now)
            raise AuthenticationError("this refresh token was already used; every session of this login is "
                                      "ended, log in again", error_id="refresh_token_reused")
        user = self.users.get(claims.user_id)
        if not spent or family is None or user is None or not user.active:
            raise AuthenticationError("the refresh token is no longer valid; log in again")
        return self._issue(user.id, family)

    def _issue(self, user_id: int, family: str | None = None) -> Tokens:
        now = self.ctx.clock.now()
        access, claims = security.issue(self.ctx.secret, user_id, "access", now)
        refresh, r_claims = security.issue(self.ctx.secret, user_id, "refresh", now)
        self.tokens.add(RefreshToken(jti=r_claims.jti, user_id=user_id, family=family or r_claims.jti, issued_at=now,
                                     expires_at=r_claims.expires_at))
        return Tokens(access, refresh, int((claims.expires_at - now).total_seconds()))

    def actor_for(self, access_token: str) -> Actor:
        """The acting user behind a bearer token, checked on every request."""
        claims = security.verify(self.ctx.secret, access_token, "access", self.ctx.clock.now())
        return self.actor_of(claims.user_id)

    def actor_of(self, user_id: int) -> Actor:
        """The account as an actor; a missing or disabled account is refused."""
        row = self.users.actor_row(user_id)
        if row is None or not row.active:
            raise AuthenticationError("this account no longer exists or is disabled")
        subtree = DepartmentRepository(self.session).subtree(row.path) if row.path else ()
        return Actor(Role(row.role), user_id=row.id, department_id=row.department_id, name=row.username,
                     department_path=row.path, department_ids=subtree)

    def create_api_client(self, name: str, channel: Channel) -> tuple[ApiClient, str]:
        """A key for a channel gateway; the key itself is shown once and stored only as a hash."""
        if self.clients.by_name(name) is not None:
            raise ConflictError(f"an API client named {name} exists", error_id="client_name_taken")
        key = security.new_api_key()
        client = self.clients.add(ApiClient(name=name, channel=Channel(channel), key_hash=security.api_key_hash(key),
                                            active=True, created_at=self.ctx.clock.now()))
        return client, key

    def api_client(self, key: str | None) -> ApiClient:
        client = self.clients.by_key_hash(security.api_key_hash(key)) if key else None
        if not client or not client.active:
            raise AuthenticationError("a valid API key is required", error_id="invalid_api_key")
        return client

