"""The simulated Asterisk's MixMonitor: a queue call as the shipped dialplan records it ([hotline-in]).

Asterisk writes three files per call — the mix, r() the citizen's own words and t() what the citizen
heard (IVR prompts, then the operator), kept in step with silence (the S option) — as 8 kHz 16-bit mono
WAV, names them in HOTLINE_REC_CITIZEN / HOTLINE_REC_OPERATOR before MixMonitor starts, and announces
MixMonitorStop from StopMixMonitor in `h` once the files are closed, before the citizen's channel is gone.
The demo writes the files before it sends that event, so the after-call path (dialogue, draft) runs."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np

from hotline.simulator.capture import CAPTURES

RATE = 8000
SAYS = CAPTURES / "agi-1795257454.2.wav"  # the citizen's words: the captured message (espeak-ng Mandarin)
LEAD_S, TAIL_S = 1.5, 1.0  # the citizen speaks after the operator answers, then a pause before hanging up
_VALUE = re.compile(rb"(?m)^Value: (.*?)\.wav(?=\r?$)")


def with_recording_events(events: list[bytes]) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """(up to the citizen's hang-up with the HOTLINE_REC_* VarSets after MIXMONITOR_FILENAME, [MixMonitorStop],
    the hang-up and after) — in the shapes Asterisk 22 sends: a VarSet, and MixMonitorStop is the
    MixMonitorStart channel event under the other name. Events without a MixMonitor come back unchanged."""
    varset = next((i for i, p in enumerate(events) if b"Variable: MIXMONITOR_FILENAME" in p), None)
    start = next((p for p in events if p.startswith(b"Event: MixMonitorStart")), None)
    if varset is None or start is None:
        return list(events), [], []
    named = [_VALUE.sub(rb"Value: \1-" + side + rb".wav",
                        events[varset].replace(b"Variable: MIXMONITOR_FILENAME", b"Variable: " + var))
             for var, side in ((b"HOTLINE_REC_CITIZEN", b"in"), (b"HOTLINE_REC_OPERATOR", b"out"))]
    root = _header(start, b"Linkedid")
    hangup = next(i for i, p in enumerate(events)
                  if p.startswith(b"Event: Hangup\r\n") and b"\r\nUniqueid: " + root + b"\r\n" in p)
    before = events[:varset + 1] + named + events[varset + 1:hangup]
    return before, [start.replace(b"Event: MixMonitorStart", b"Event: MixMonitorStop")], events[hangup:]


def recording_name(events: list[bytes]) -> str | None:
    """The mixed file's name as MixMonitor was given it (MIXMONITOR_FILENAME)."""
    varset = next((p for p in events if b"Variable: MIXMONITOR_FILENAME" in p), None)
    match = _VALUE.search(varset) if varset else None
    return Path(match.group(1).decode() + ".wav").name if match else None


def citizen_side() -> np.ndarray:
    """What r() hears: silence while the operator answers, the citizen's words, a pause."""
    with wave.open(str(SAYS), "rb") as w:
        words = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    silence = np.zeros(int(LEAD_S * RATE), dtype="<i2")
    return np.concatenate([silence, words, np.zeros(int(TAIL_S * RATE), dtype="<i2")])


def write_call(folder: Path, mixed_name: str) -> tuple[Path, Path, Path]:
    """The three files of one call in `folder` (HOTLINE_RECORDINGS_DIR: Asterisk's monitor directory, shared)."""
    folder.mkdir(parents=True, exist_ok=True)
    citizen = citizen_side()
    operator = np.zeros_like(citizen)  # the simulated operator says nothing the recogniser would hear
    stem = mixed_name.removesuffix(".wav")
    paths = folder / mixed_name, folder / f"{stem}-in.wav", folder / f"{stem}-out.wav"
    for path, samples in zip(paths, (citizen + operator, citizen, operator), strict=True):
        write_wav(path, samples)
    return paths


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def _header(packet: bytes, key: bytes) -> bytes:
    line = next((x for x in packet.split(b"\r\n") if x.startswith(key + b": ")), b"")
    return line[len(key) + 2:]
