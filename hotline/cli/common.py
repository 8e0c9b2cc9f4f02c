"""The Typer app and what every command group shares: errors, one committed unit of work, enum parsing."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

import typer

from hotline.core.errors import HotlineError

app = typer.Typer(help="hotline — backend of a 12345 citizen-service hotline", no_args_is_help=True,
                  pretty_exceptions_enable=False)
E = TypeVar("E", bound=StrEnum)


def group(name: str, help_text: str, **options: Any) -> typer.Typer:
    sub = typer.Typer(help=help_text, no_args_is_help=not options.get("invoke_without_command"), **options)
    app.add_typer(sub, name=name)
    return sub


@app.callback()
def _setup() -> None:
    from hotline.core.logging import setup_logging
    from hotline.core.settings import get_settings

    setup_logging(get_settings().log_level)


def fail(exc: HotlineError) -> NoReturn:
    typer.echo(f"error: {exc.message}", err=True)
    raise typer.Exit(1)


def usage(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def in_session(work: Callable[[Any, Any], Any]) -> Any:
    """Run work(session, ctx) as one committed unit; a domain error ends the command with its message."""
    from hotline.core.db import session_scope
    from hotline.runtime.boot import open_runtime
    from hotline.runtime.context import build_context

    try:
        ctx = build_context()
        with session_scope(open_runtime(ctx).session_factory) as session:
            return work(session, ctx)
    except HotlineError as exc:
        fail(exc)


def parse_enum(kind: type[E], value: str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        usage(f"{value} is not a {what}")
