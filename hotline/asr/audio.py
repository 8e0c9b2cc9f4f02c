"""Recordings in, 16-bit mono PCM blocks at the model's rate out: checked, resampled, silence marked.

Reads RIFF/WAV (PCM 16-bit; stereo is mixed down) and Asterisk's headerless signed-linear files
(.sln 8 kHz, .sln16, .sln32, .sln48). Blocks are streamed, so an hour of audio never sits in
memory; `soxr` converts telephone 8 kHz to the model's 16 kHz.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from hotline.core.errors import InvalidInputError

SLN_RATES = {".sln": 8000, ".sln12": 12000, ".sln16": 16000, ".sln24": 24000, ".sln32": 32000,
             ".sln44": 44100, ".sln48": 48000, ".sln96": 96000, ".sln192": 192000}
BLOCK_SECONDS = 0.25
SILENCE_RMS = 60.0  # int16 RMS below this (about -55 dBFS) is silence, well under quiet speech on a phone line


class AudioError(InvalidInputError):
    """A recording that cannot be transcribed as it is: the reason is kept with the recording."""


@dataclass(frozen=True)
class AudioInfo:
    sample_rate: int
    channels: int
    frames: int  # what the header promises

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


class AudioSource:
    """One recording, opened and checked; `blocks()` streams it at `rate`."""

    def __init__(self, path: Path, *, max_seconds: float | None = None):
        self.path = Path(path)
        if not self.path.is_file():
            raise AudioError(f"{self.path}: no such recording")
        self._wav: wave.Wave_read | None = None
        suffix = self.path.suffix.lower()
        if suffix in SLN_RATES:
            size = self.path.stat().st_size
            if size % 2:
                raise AudioError(f"{self.path}: signed-linear audio must hold whole 16-bit samples ({size} bytes)")
            self.info = AudioInfo(SLN_RATES[suffix], 1, size // 2)
        else:
            self.info = self._open_wav()
        self.frames_read = 0
        if max_seconds and self.info.duration_s > max_seconds:
            raise AudioError(f"{self.path}: recording is {self.info.duration_s / 60:.0f} min long; "
                             f"the limit is {max_seconds / 60:.0f} min (HOTLINE_ASR_MAX_SECONDS)")

    def _open_wav(self) -> AudioInfo:
        try:
            self._wav = wave.open(str(self.path), "rb")  # noqa: SIM115 (kept open while the file is streamed)
        except (EOFError, wave.Error) as exc:
            with self.path.open("rb") as f:
                head = f.read(4)
            if not head:
                raise AudioError(f"{self.path}: empty file") from None
            if head == b"RIFF" and (isinstance(exc, EOFError) or self.path.stat().st_size < 44):
                raise AudioError(f"{self.path}: truncated WAV header") from None
            raise AudioError(f"{self.path}: not a PCM WAV file ({exc or 'too short'})") from None
        w = self._wav
        if w.getsampwidth() != 2:
            raise AudioError(f"{self.path}: {8 * w.getsampwidth()}-bit samples; hotline reads 16-bit PCM")
        if w.getnchannels() not in (1, 2):
            raise AudioError(f"{self.path}: {w.getnchannels()} channels; hotline reads mono or stereo")
        if not 4000 <= w.getframerate() <= 192000:
            raise AudioError(f"{self.path}: sample rate {w.getframerate()} Hz is not a speech recording")
        return AudioInfo(w.getframerate(), w.getnchannels(), w.getnframes())

    @property
    def truncated(self) -> bool:
        """The file ended before the frames its header promised (a recording cut off)."""
        return self.frames_read < self.info.frames

    def blocks(self, rate: int) -> Iterator[np.ndarray]:
        """int16 mono blocks of about BLOCK_SECONDS at `rate` Hz."""
        source_rate = self.info.sample_rate
        step = max(1, int(source_rate * BLOCK_SECONDS))
        resampler = soxr.ResampleStream(source_rate, rate, 1, dtype="int16") if source_rate != rate else None
        for block in self._read(step):
            if resampler is not None:
                block = resampler.resample_chunk(block)
            if len(block):
                yield block
        if resampler is not None:
            tail = resampler.resample_chunk(np.zeros(0, dtype=np.int16), last=True)
            if len(tail):
                yield tail

    def _read(self, step: int) -> Iterator[np.ndarray]:
        channels = self.info.channels
        if self._wav is not None:
            try:
                while True:
                    data = self._wav.readframes(step)
                    if not data:
                        return
                    usable = len(data) - len(data) % (2 * channels)
                    samples = np.frombuffer(data[:usable], dtype="<i2")
                    self.frames_read += len(samples) // channels
                    if channels == 2:
                        samples = samples.reshape(-1, 2).mean(axis=1).astype(np.int16)
                    yield samples
            finally:
                self._wav.close()
        with self.path.open("rb") as f:
            while data := f.read(step * 2):
                samples = np.frombuffer(data, dtype="<i2")
                self.frames_read += len(samples)
                yield samples


def rms(block: np.ndarray) -> float:
    if not len(block):
        return 0.0
    return float(np.sqrt(np.mean(block.astype(np.float32) ** 2)))


FRAME_SECONDS = 0.02
SPEECH_RMS = 300.0  # int16 RMS (about -40 dBFS): a voice on a phone line is louder, line hiss and comfort noise quieter


def voiced_seconds(path: Path) -> float:
    """How long a recording holds sound clearly above its own noise floor, in 20 ms frames: speech,
    not hiss. A frame counts when it is louder than SPEECH_RMS and three times the quietest fifth."""
    source = AudioSource(path)
    rate = source.info.sample_rate
    frame = max(1, int(rate * FRAME_SECONDS))
    levels, carry = [], np.zeros(0, dtype=np.int16)
    for block in source.blocks(rate):
        data = np.concatenate([carry, block])
        whole = len(data) // frame * frame
        if whole:
            frames = data[:whole].reshape(-1, frame).astype(np.float32)
            levels.append(np.sqrt(np.mean(frames ** 2, axis=1)))
        carry = data[whole:]
    if not levels:
        return 0.0
    level = np.concatenate(levels)
    threshold = max(SPEECH_RMS, 3 * float(np.percentile(level, 20)))
    return float(np.count_nonzero(level > threshold)) * frame / rate
