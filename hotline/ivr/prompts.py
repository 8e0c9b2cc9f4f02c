"""The prompts the IVR plays: which sounds the flow needs, which Asterisk lacks, and speaking them into
Asterisk's sounds directory in its own layout (`<sounds>/<language>/custom/…`, `<language>/digits/0-9`)
as μ-law and A-law at 8 kHz, which Asterisk plays to G.711 callers without transcoding (lab
c-sound-formats: a `.wav` is transcoded on every play).

A recording the centre put in place is never overwritten: a manifest remembers what this command wrote,
and any other file of a prompt's name, in any format, wins (the generated ones are removed, or Asterisk
would prefer a cheaper generated format over the centre's recording).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from hotline.core.config_ivr import IvrFile

DIGITS = "零幺二三四五六七八九"  # read one by one, 1 is 幺 as in phone and ticket numbers
HOLD = "moh/hold"  # music on hold for the queue (config/asterisk/musiconhold.conf plays this directory)
HOLD_TEXT = "您的来电正在排队，话务员马上为您服务，请稍候。"
HOLD_PAUSE_SECONDS = 8.0
GENERATED = {".ulaw": "mu-law", ".alaw": "a-law"}
FORMATS = {".ulaw", ".ul", ".mu", ".pcm", ".alaw", ".al", ".wav", ".WAV", ".wav16", ".gsm", ".g722", ".g729",
           ".g723", ".sln", ".sln12", ".sln16", ".sln24", ".sln32", ".sln44", ".sln48", ".sln96", ".sln192",
           ".raw", ".siren7", ".siren14", ".ogg", ".mp3", ".ilbc", ".vox"}  # what Asterisk's format modules read
MANIFEST = ".hotline-prompts.json"


class Synthesizer(Protocol):
    """Text to speech: `path` gets raw G.711 (`encoding` mu-law or a-law), 8 kHz mono."""

    signature: str  # the voice and its settings: another signature speaks every generated prompt again

    def speak(self, text: str, path: Path, encoding: str, pause_after: float = 0.0) -> None: ...


@dataclass
class PromptReport:
    made: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)  # generated before, text unchanged
    kept: list[str] = field(default_factory=list)  # the centre's own recording


def wanted(ivr: IvrFile) -> dict[str, str]:
    """Sound name → what it says: every prompt of the flow, the ten digits, the hold message."""
    sounds = {name: ivr.texts[name] for name in ivr.sounds()}
    sounds.update({f"digits/{n}": word for n, word in enumerate(DIGITS)})
    sounds[HOLD] = HOLD_TEXT
    return sounds


def missing(sounds_dir: Path, ivr: IvrFile) -> list[str]:
    """The sounds Asterisk would not find in any format (looked up under <language>/, then without one)."""
    return [name for name in wanted(ivr)
            if not _files(sounds_dir / ivr.language, name) and (name == HOLD or not _files(sounds_dir, name))]


def make_prompts(sounds_dir: Path, ivr: IvrFile, synth: Synthesizer) -> PromptReport:
    """Speak every wanted sound that is missing or whose text changed; leave the centre's recordings be."""
    folder = sounds_dir / ivr.language
    manifest = _read_manifest(folder)
    report = PromptReport()
    for name, text in wanted(ivr).items():
        ours = manifest.get(name, {"text": None, "voice": None, "files": {}})
        theirs = [f for f in _files(folder, name) if ours["files"].get(f.name) != _digest(f)]
        if theirs:
            for generated in _files(folder, name):
                if generated not in theirs:
                    generated.unlink()
            manifest.pop(name, None)
            report.kept.append(name)
        elif (ours["text"], ours.get("voice")) == (text, synth.signature) and len(ours["files"]) == len(GENERATED):
            report.current.append(name)
        else:
            manifest[name] = {"text": text, "voice": synth.signature, "files": _speak(synth, folder, name, text)}
            report.made.append(name)
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return report


def _speak(synth: Synthesizer, folder: Path, name: str, text: str) -> dict[str, str]:
    files = {}
    pause = HOLD_PAUSE_SECONDS if name == HOLD else 0.0
    for suffix, encoding in GENERATED.items():
        target = folder / f"{name}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")  # Asterisk never plays half a file
        synth.speak(text, partial, encoding, pause)
        partial.replace(target)
        files[target.name] = _digest(target)
    return files


def _files(folder: Path, name: str) -> list[Path]:
    where = (folder / name).parent
    stem = Path(name).name
    if not where.is_dir():
        return []
    return sorted(p for p in where.iterdir() if p.is_file() and p.stem == stem and p.suffix in FORMATS)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        folder.mkdir(parents=True, exist_ok=True)
        return {}


def health(sounds_dir: Path | None, ivr: IvrFile) -> dict:
    """The /healthz slot: prompts Asterisk would not find (callers then go to the queue without them)."""
    if sounds_dir is None:
        return {"status": "not_configured", "message": "HOTLINE_ASTERISK_SOUNDS_DIR is unset: prompts unchecked"}
    absent = missing(sounds_dir, ivr)
    if absent:
        return {"status": "missing", "missing": absent, "message": "run `hotline ivr prompts`"}
    return {"status": "ok", "sounds": len(wanted(ivr))}
