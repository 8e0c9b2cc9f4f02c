"""`hotline intake places-import`: roads, 小区, villages and landmarks from a CSV into the gazetteer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import fail
from hotline.cli.speech import intake_app
from hotline.core.errors import HotlineError


@intake_app.command("places-import")
def places_import(
    file: Annotated[Path, typer.Argument(help="CSV: name, kind, department, aliases, ambiguous")],
    dry_run: Annotated[bool, typer.Option(help="check and report, change nothing")] = False,
) -> None:
    """Add the CSV's places to config/places.yaml; rows with a problem are named and left out."""
    from hotline.core.config import load_config
    from hotline.core.settings import get_settings
    from hotline.intake.places_import import append_places, read_places_csv

    config_dir = get_settings().config_dir
    target = config_dir / "places.yaml"
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: cannot read {file} as UTF-8 text: {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        result = read_places_csv(text, load_config(config_dir))
    except HotlineError as exc:
        fail(exc)
    for problem in result.problems:
        typer.echo(problem, err=True)
    verb = "would add" if dry_run else "added"
    typer.echo(f"{verb} {len(result.added)}, already known {len(result.known)}, refused {len(result.problems)}")
    if dry_run or not result.added:
        return
    before = target.read_text(encoding="utf-8")
    append_places(target, result.added, file.name)
    try:
        load_config(config_dir)  # the file as written must still load; otherwise put it back
    except HotlineError as exc:
        target.write_text(before, encoding="utf-8")
        fail(exc)
