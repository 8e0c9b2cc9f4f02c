"""`hotline users`, `hotline clients`: staff accounts and API clients."""

from __future__ import annotations

from typing import Annotated

import typer

from hotline.cli.common import group, in_session, parse_enum

users_app = group("users", "Staff accounts")
clients_app = group("clients", "API clients: channel gateways and Open311 apps")


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="operator | department_staff | department_admin | callback_staff | "
                                           "supervisor | hotline_admin | liaison")],
    display_name: Annotated[str, typer.Option(help="the name colleagues know")] = "",
    department: Annotated[str | None, typer.Option(help="department code (department roles, supervisors)")] = None,
    extension: Annotated[str | None, typer.Option(help="the operator's phone at the queue, e.g. PJSIP/1001")] = None,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a staff account (password asked for unless given)."""
    from hotline.accounts.service import AccountService
    from hotline.core.enums import Role

    role_value = parse_enum(Role, role, "role")
    user = in_session(lambda session, ctx: AccountService(session, ctx).create_user(
        username, password, role_value, display_name or username, department, extension))
    typer.echo(f"created {user.username} ({user.role}) id={user.id}")


@clients_app.command("create")
def clients_create(name: str, channel: Annotated[str, typer.Option(help="wechat | app | web | province")]) -> None:
    """Register a channel gateway or Open311 app; prints its API key once."""
    from hotline.accounts.service import AccountService
    from hotline.core.enums import Channel

    channel_value = parse_enum(Channel, channel, "channel")
    client, key = in_session(lambda session, ctx: AccountService(session, ctx).create_api_client(name, channel_value))
    typer.echo(f"created API client {client.name} ({client.channel}); key (shown once): {key}")
