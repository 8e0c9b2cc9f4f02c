"""Decoder search settings for a Vosk model, applied through a derived model directory.

Vosk reads its search settings only from the model directory's conf/model.conf (vosk-api
src/model.cc, Model::ConfigureV2: Kaldi's ParseOptions over the lattice decoder's options — beam,
max-active, min-active, lattice-beam … —, the endpoint rules and the looped nnet's options such as
frames-per-chunk); there is no API to change them on a loaded model. So a setting different from the
model's own is applied by a derived directory: symlinks to every file of the model, and a
conf/model.conf that is the model's with the chosen options replaced. The directory is named by a
hash of the model path and the settings, written once and reused, and left alone when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from hotline.core.config_listen import OPTIONS, DecoderSettings

__all__ = ["OPTIONS", "DecoderSettings", "derived_model", "model_conf", "read_conf"]


def model_conf(text: str, settings: DecoderSettings) -> str:
    """The model's conf/model.conf text with the given options replaced (or added)."""
    given = settings.given()
    lines = [line for line in text.splitlines() if _option(line) not in given]
    return "\n".join(lines + [f"{option}={value}" for option, value in given.items()]) + "\n"


def read_conf(model_dir: Path) -> dict[str, str]:
    """The options a model directory's conf/model.conf sets, as Vosk will read them."""
    text = (Path(model_dir) / "conf" / "model.conf").read_text(encoding="utf-8", errors="replace")
    found = (re.match(r"^\s*(--[\w.-]+)\s*=\s*(\S+)", line) for line in text.splitlines())
    return {m.group(1): m.group(2) for m in found if m}


def _option(line: str) -> str:
    return line.split("=", 1)[0].strip()


def derived_model(model_dir: Path, settings: DecoderSettings, root: Path) -> Path:
    """The model directory Vosk should load for `settings`: the model itself when they change nothing,
    else a directory under `root` of links to the model's files with the adjusted conf/model.conf."""
    model_dir = Path(model_dir).resolve()
    if not settings.given():
        return model_dir
    conf = model_conf((model_dir / "conf" / "model.conf").read_text(encoding="utf-8"), settings)
    key = hashlib.sha256(f"{model_dir}\n{conf}".encode()).hexdigest()[:12]
    target = Path(root) / f"{model_dir.name}-{key}"
    if (target / "conf" / "model.conf").is_file():
        return target
    Path(root).mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=root))
    try:
        for entry in model_dir.iterdir():
            if entry.name != "conf":
                (building / entry.name).symlink_to(entry)
        (building / "conf").mkdir()
        for entry in (model_dir / "conf").iterdir():
            if entry.name != "model.conf":
                (building / "conf" / entry.name).symlink_to(entry)
        (building / "conf" / "model.conf").write_text(conf, encoding="utf-8")
        os.rename(building, target)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        if not (target / "conf" / "model.conf").is_file():  # not another process finishing first
            raise
    return target
