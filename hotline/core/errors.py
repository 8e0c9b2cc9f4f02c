"""One error family: every domain error carries a message, an HTTP status and a stable error_id."""

from __future__ import annotations

from typing import Any


class HotlineError(Exception):
    """Base of every error a user can act on; rendered as {"error_id", "message", "details"}."""

    status_code = 400
    error_id = "bad_request"

    def __init__(self, message: str, *, details: Any = None, error_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if error_id is not None:
            self.error_id = error_id

    def as_dict(self) -> dict[str, Any]:
        return {"error_id": self.error_id, "message": self.message, "details": self.details}


class InvalidInputError(HotlineError):
    status_code = 422
    error_id = "invalid_input"


class NotFoundError(HotlineError):
    status_code = 404
    error_id = "not_found"


class PermissionDeniedError(HotlineError):
    status_code = 403
    error_id = "permission_denied"


class ConflictError(HotlineError):
    status_code = 409
    error_id = "conflict"


class IllegalTransitionError(ConflictError):
    error_id = "illegal_transition"


class ConfigError(HotlineError):
    """A YAML file under config/ is missing or wrong; details lists 'file: key: problem' lines."""

    status_code = 500
    error_id = "config_invalid"

    def __init__(self, problems: list[str]):
        super().__init__("configuration is invalid:\n  " + "\n  ".join(problems), details=problems)
        self.problems = problems


class AuthenticationError(HotlineError):
    status_code = 401
    error_id = "not_authenticated"


class RateLimitedError(HotlineError):
    status_code = 429
    error_id = "rate_limited"
