"""`hotline knowledge`: import an existing knowledge base (with a dry run), export it, run the review sweep."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import group, in_session, usage

knowledge_app = group("knowledge", "Knowledge base (知识库): import, export, review")


@knowledge_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="a .md, .csv or .jsonl file, UTF-8")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check every line and write nothing")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="md | csv | jsonl (default: from the file name)")] = None,
) -> None:
    """Import articles as the hotline's editor; any problem is printed with its line and nothing is written."""
    from hotline.core.actor import Actor
    from hotline.core.enums import Role
    from hotline.knowledge.formats import format_of
    from hotline.knowledge.importer import Importer

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        usage(f"{file} is not UTF-8 text")
    editor = Actor(Role.HOTLINE_ADMIN, name="cli")
    report = in_session(lambda session, ctx: Importer(session, ctx).run(
        text, fmt or format_of(file.name), editor, dry_run=dry_run, source=file.name))
    for problem in report.problems:
        typer.echo(str(problem), err=True)
    if report.problems:
        typer.echo(f"{len(report.problems)} 个问题，未导入任何内容", err=True)
        raise typer.Exit(1)
    verb = "可导入" if dry_run else "已导入"
    typer.echo(f"{verb} {report.records} 条：新建 {report.created}，更新 {report.updated}，发布 {report.published}")


@knowledge_app.command("export")
def export_file(
    out: Annotated[Path | None, typer.Option("--out", help="file to write (default: standard output)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json | csv")] = "json",
    everything: Annotated[bool, typer.Option("--all", help="also those outside their validity")] = False,
) -> None:
    """Published articles for the provincial platform."""
    from hotline.knowledge import export
    from hotline.knowledge.search import local_today

    if fmt not in export.FORMATS:
        usage(f"--format is json or csv, not {fmt}")
    body = in_session(lambda session, ctx: export.render(export.export_rows(
        session, ctx.config.catalogue, None if everything else local_today(ctx)), fmt))
    if out is None:
        typer.echo(body)
    else:
        out.write_text(body, encoding="utf-8")
        typer.echo(f"written to {out}")


@knowledge_app.command("review")
def review() -> None:
    """Run the review sweep now: expire lapsed articles, send due ones back to their departments."""
    from hotline.knowledge.review import ReviewSweep

    swept = in_session(lambda session, ctx: ReviewSweep(session, ctx).run())
    typer.echo(f"过期 {swept.expired} 条，送回复核 {swept.reminded} 条")
