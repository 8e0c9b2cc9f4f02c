"""`hotline asr`, `hotline intake`: the speech model, transcribing a file, analysing what was said."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import fail, group, in_session, usage
from hotline.core.errors import HotlineError

DEFAULT_MODEL = "vosk-model-small-cn-0.22"
asr_app = group("asr", "Speech recognition: the Vosk model and transcription")
intake_app = group("intake", "Intake analysis: text → tier, category, department, place")

ModelDir = Annotated[Path | None, typer.Option(help="Vosk model directory (default: HOTLINE_ASR_MODEL_DIR)")]


def _model_dir(model_dir: Path | None) -> Path:
    from hotline.core.settings import get_settings

    return model_dir or get_settings().asr_model_dir


@asr_app.command("check")
def asr_check(model_dir: ModelDir = None) -> None:
    """Say whether the speech model directory holds everything Vosk needs, and what is missing."""
    from hotline.asr.engine import check_model, model_sample_rate

    path = _model_dir(model_dir)
    problems = check_model(path)
    if problems:
        for line in problems:
            typer.echo(line, err=True)
        typer.echo("transcription jobs wait in status no_model until a model is installed", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: ok ({model_sample_rate(path)} Hz)")


@asr_app.command("install-model")
def asr_install_model(
    sha256: Annotated[str, typer.Option(help="the archive's SHA-256, from a copy you trust")],
    name: Annotated[str, typer.Argument(help="vosk-model-small-cn-0.22 or vosk-model-cn-0.22")] = DEFAULT_MODEL,
    url: Annotated[str | None, typer.Option(help="a mirror of the official zip")] = None,
    model_dir: ModelDir = None,
) -> None:
    """Download the model zip, verify its SHA-256, unpack and check it, then put it in place."""
    from hotline.asr.install import install_model

    target = model_dir or _model_dir(None).parent / name
    try:
        path = install_model(target, sha256, name=name, url=url)
    except HotlineError as exc:
        fail(exc)
    typer.echo(f"installed {name} in {path}")


@asr_app.command("transcribe")
def asr_transcribe(file: Annotated[Path, typer.Argument(help="WAV (16-bit PCM) or Asterisk .sln recording")],
                   model_dir: ModelDir = None) -> None:
    """Transcribe one file and print JSON: text, words, duration_s, elapsed_s."""
    from hotline.asr.engine import VoskEngine
    from hotline.asr.transcribe import transcribe
    from hotline.core.settings import get_settings

    try:
        engine = VoskEngine(_model_dir(model_dir))
        result = transcribe(engine, file, max_seconds=get_settings().asr_max_seconds)
    except HotlineError as exc:  # a model that is not usable, a file that is not a recording
        fail(exc)
    typer.echo(json.dumps({"text": result.text, "words": result.words, "duration_s": result.duration_s,
                           "elapsed_s": result.elapsed_s, "truncated": result.truncated}, ensure_ascii=False))


@intake_app.command("analyse", hidden=True)
@intake_app.command("analyze")
def intake_analyze(text: Annotated[str, typer.Argument(help="what the citizen said")],
                   phone: Annotated[str | None, typer.Option(help="the caller's number: checks repeat calls")] = None,
                   ) -> None:
    """Print the draft as JSON: text, tier, category, department, place, numbers, reasons."""
    try:
        if phone:  # the repeat-call check needs the database: the whole process wiring
            from hotline.intake.service import IntakeService
            from hotline.runtime.boot import open_runtime
            from hotline.runtime.context import build_context

            ctx = build_context()
            with open_runtime(ctx).session_factory() as session:
                analysis = IntakeService(session, ctx).analyze(text, phone)
        else:  # text alone: no database, PBX or notifiers to import (the command starts in about half the time)
            from hotline.runtime.intake_only import standalone_analyzer
            from hotline.text import pinyin_cache

            analysis = standalone_analyzer().analyze(text)
            pinyin_cache.save()  # the next run reads these readings instead of importing pypinyin
    except HotlineError as exc:
        fail(exc)
    typer.echo(json.dumps(analysis.as_dict(), ensure_ascii=False))



@intake_app.command("train")
def intake_train() -> None:
    """Train a new model on the seed corpus and this centre's orders; put it live only if it is not worse."""
    from hotline.intake.tasks import train_now

    result = in_session(lambda session, ctx: train_now(session, ctx))
    typer.echo(result.summary())


@intake_app.command("import")
def intake_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="historical orders, CSV")]
                  ) -> None:
    """Load a centre's historical orders (工单编号, 受理时间, 诉求内容, 小类 …) for training."""
    from hotline.intake.importer import HistoryImporter

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        usage(f"{file} 不是 UTF-8 编码的文本，请另存为 UTF-8 CSV")
    report = in_session(lambda session, ctx: HistoryImporter(
        session, ctx.config, ctx.settings.timezone, ctx.clock.now()).run(text, file.name))
    for problem in report.problems:
        typer.echo(problem, err=True)
    typer.echo(report.summary())
    if report.problems:
        raise typer.Exit(1)
