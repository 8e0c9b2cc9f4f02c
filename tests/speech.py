"""Test audio: speech from espeak-ng (Chinese or Korean), tones, silence, and WAV files of any shape; and the
speech model with its dither off, so the same audio always gives the same text."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import soxr


def espeak(text: str, voice: str, rate: int, path: Path) -> Path:
    """Speech synthesised by espeak-ng, resampled to `rate` Hz, 16-bit mono WAV."""
    exe = shutil.which("espeak-ng")
    assert exe, "espeak-ng is needed for test speech (`make test` installs it with apt-get)"
    raw = path.with_suffix(".espeak.wav")
    subprocess.run([exe, "-v", voice, "-w", str(raw), text], check=True, capture_output=True)
    samples, source_rate = read(raw)
    raw.unlink()
    return write(path, samples if source_rate == rate else soxr.resample(samples, source_rate, rate), rate)


def read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"), w.getframerate()


def write(path: Path, samples: np.ndarray, rate: int, *, channels: int = 1, width: int = 2) -> Path:
    data = np.asarray(samples)
    if width == 2:
        payload = data.astype("<i2").tobytes()
    elif width == 1:
        payload = ((data.astype(np.int32) >> 8) + 128).astype(np.uint8).tobytes()
    else:
        payload = b"".join(int(v).to_bytes(width, "little", signed=True) for v in data)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(payload)
    return path


def tone(seconds: float, rate: int, hz: float = 440.0, level: int = 8000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.int16)


def silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.int16)


def undithered(model_dir: Path, folder: Path) -> Path:
    """The model with Kaldi's dither off (conf/mfcc.conf --dither=0): the same audio then always gives the
    same text, so a difference between two settings is the settings' and not chance's."""
    target = folder / "undithered"
    if not target.exists():
        (target / "conf").mkdir(parents=True)
        for entry in Path(model_dir).iterdir():
            if entry.name != "conf":
                (target / entry.name).symlink_to(entry.resolve())
        (target / "conf" / "model.conf").symlink_to((Path(model_dir) / "conf" / "model.conf").resolve())
        mfcc = (Path(model_dir) / "conf" / "mfcc.conf").read_text(encoding="utf-8")
        (target / "conf" / "mfcc.conf").write_text(mfcc.rstrip("\n") + "\n--dither=0\n", encoding="utf-8")
    return target
