"""The one `hotline` command; each command group lives in a module of its own and only parses —
the processes are wired in hotline/runtime/."""

from __future__ import annotations

import sys

from hotline.cli import accounts, audit, database, knowledge, ops, places, processes, speech, telephony
from hotline.cli.common import app
from hotline.cli.processes import DEMO_ACCOUNTS, DEMO_PASSWORD
from hotline.core.errors import HotlineError

COMMAND_GROUPS = (accounts, audit, database, knowledge, ops, places, processes, speech, telephony)
__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "app", "main"]


def main() -> None:
    try:
        app()
    except HotlineError as exc:  # a domain error that escaped a command: say it, exit non-zero
        print(f"error: {exc.message}", file=sys.stderr)
        sys.exit(1)
