"""`hotline ivr prompts|check`, `hotline asterisk check`: the IVR's prompts and Asterisk's configuration."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotline.cli.common import fail, group, usage
from hotline.core.errors import HotlineError

if TYPE_CHECKING:
    from hotline.core.config_ivr import IvrFile

ivr_app = group("ivr", "The IVR's Chinese prompts: speak them into Asterisk's sounds, list what is missing")
asterisk_app = group("asterisk", "Asterisk's configuration and modules, checked against what hotline needs")
SoundsDir = Annotated[Path | None, typer.Option("--dir", help="Asterisk's sounds directory (default: "
                                                "HOTLINE_ASTERISK_SOUNDS_DIR)")]


def _sounds(directory: Path | None) -> tuple[Path, IvrFile]:
    from hotline.core.config import load_config
    from hotline.core.settings import get_settings

    settings = get_settings()
    folder = directory or settings.asterisk_sounds_dir
    if folder is None:
        usage("give --dir or set HOTLINE_ASTERISK_SOUNDS_DIR")
    return folder, load_config(settings.config_dir).ivr


@ivr_app.command("prompts")
def ivr_prompts(directory: SoundsDir = None) -> None:
    """Speak every prompt config/ivr.yaml names, digits 0-9 and the hold message (espeak-ng Mandarin, μ-law
    and A-law); a file the centre put in place is never overwritten."""
    from hotline.ivr.espeak import EspeakSynthesizer
    from hotline.ivr.prompts import make_prompts

    folder, ivr = _sounds(directory)
    try:
        report = make_prompts(folder, ivr, EspeakSynthesizer())
    except HotlineError as exc:
        fail(exc)
    typer.echo(f"{folder}: {len(report.made)} spoken, {len(report.current)} up to date, "
               f"{len(report.kept)} recorded by the centre and kept")
    for name in report.kept:
        typer.echo(f"  kept {name}")


@ivr_app.command("check")
def ivr_check(directory: SoundsDir = None) -> None:
    """List the prompts the IVR needs that Asterisk cannot find (exit 1 if any)."""
    from hotline.ivr.prompts import missing

    folder, ivr = _sounds(directory)
    absent = missing(folder, ivr)
    for name in absent:
        typer.echo(f"missing {name}")
    typer.echo(f"{folder}: {len(absent) or 'no'} prompt(s) missing")
    if absent:
        raise typer.Exit(1)


@asterisk_app.command("check")
def asterisk_check(
        config_dir: Annotated[Path | None, typer.Option(help="default: <HOTLINE_CONFIG_DIR>/asterisk")] = None,
        ami: Annotated[bool, typer.Option(help="also ask the running Asterisk which modules it has")] = False,
        wait: Annotated[float, typer.Option(help="with --ami: seconds to wait for Asterisk to come up")] = 0) -> None:
    """Read config/asterisk/ and say what is missing or wrong (exit 1 on errors; warnings are listed)."""
    from hotline.core.config import load_config
    from hotline.core.settings import get_settings
    from hotline.telephony.asterisk_check import check_config, check_modules
    from hotline.telephony.pbx import AmiPbx, PbxUnavailableError

    settings = get_settings()
    folder = config_dir or settings.config_dir / "asterisk"
    findings = check_config(folder, load_config(settings.config_dir).ivr, settings.ami_username,
                            settings.ami_secret.get_secret_value(), settings.cdr_file)
    if ami:
        pbx, deadline = AmiPbx.from_settings(settings), time.monotonic() + wait
        while True:
            try:
                findings += check_modules(pbx.module_loaded)
                break
            except PbxUnavailableError as exc:
                if time.monotonic() >= deadline:
                    fail(exc)
                time.sleep(2)
    for finding in findings:
        typer.echo(str(finding))
    errors = sum(1 for f in findings if f.level == "error")
    typer.echo(f"{folder}: {errors} error(s), {len(findings) - errors} warning(s)")
    if errors:
        raise typer.Exit(1)
