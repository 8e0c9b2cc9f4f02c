"""The prompts' voice: espeak-ng's Mandarin (`-v cmn`), converted by sox to raw G.711 at 8 kHz.

A centre that prefers another TTS (or a recorded voice) puts its own files in place; they are kept.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from hotline.core.errors import HotlineError


class SpeechToolsMissingError(HotlineError):
    status_code = 503
    error_id = "speech_tools_missing"


class EspeakSynthesizer:
    """espeak-ng + sox, run as programs (Debian packages espeak-ng and sox)."""

    def __init__(self, voice: str = "cmn", words_per_minute: int = 180) -> None:
        self.voice, self.speed = voice, words_per_minute
        found = {tool: shutil.which(tool) for tool in ("espeak-ng", "sox")}
        absent = [tool for tool, path in found.items() if path is None]
        if absent:
            raise SpeechToolsMissingError(f"{' and '.join(absent)} not found: install the Debian packages "
                                          "espeak-ng and sox (the hotline image has them)")
        self.espeak, self.sox = str(found["espeak-ng"]), str(found["sox"])
        self.signature = f"espeak-ng -v {voice} -s {words_per_minute}, trimmed, -3 dBFS"

    def speak(self, text: str, path: Path, encoding: str, pause_after: float = 0.0) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            spoken = Path(tmp) / "spoken.wav"
            self._run([self.espeak, "-v", self.voice, "-s", str(self.speed), "-w", str(spoken), text])
            kind = {"mu-law": "ul", "a-law": "al"}[encoding]
            # espeak's own leading and trailing silence trimmed (digits follow each other closely), loud
            # enough on a phone line without clipping, a breath of silence before the next sound
            self._run([self.sox, str(spoken), "-r", "8000", "-c", "1", "-e", encoding, "-t", kind, str(path),
                       "silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse",
                       "gain", "-n", "-3", "pad", "0.05", f"{0.15 + pause_after:.2f}"])

    @staticmethod
    def _run(command: list[str]) -> None:
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)
        if done.returncode != 0:
            raise HotlineError(f"{Path(command[0]).name} failed: {done.stderr.decode(errors='replace')[:200]}",
                               error_id="speech_synthesis_failed")
