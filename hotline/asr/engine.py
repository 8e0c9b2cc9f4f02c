"""The recogniser port and the Vosk adapter (real, offline); the scripted fake is in asr/fake.py.

An engine holds the model (loaded once per process, before a Celery worker forks, and shared by
its children); each job gets its own recogniser. Results use Vosk's shape:
`{"text": "我 家 小区 停水 了", "result": [{"word", "start", "end", "conf"}, …]}`.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from pathlib import Path
from typing import Protocol

from hotline.asr.decoder import DecoderSettings, derived_model
from hotline.core.errors import HotlineError

log = logging.getLogger(__name__)
KALDI_DEFAULT_RATE = 16000  # Kaldi's --sample-frequency default when mfcc.conf does not set it
PARTIAL_STEP_S = 0.3  # the fake reveals one more token per this much voiced audio
_RATE = re.compile(r"^\s*--sample-frequency\s*=\s*(\d+)", re.M)


class ModelError(HotlineError):
    status_code = 503


class Recognizer(Protocol):
    def accept(self, pcm: bytes) -> dict | None:
        """Feed 16-bit PCM; a dict when an utterance has ended, else None."""

    def partial(self) -> str:
        """The words of the utterance so far (may still change); for live streams."""

    def final(self) -> dict:
        """The last utterance once the audio is over."""


class Engine(Protocol):
    name: str
    model: str
    sample_rate: int

    def recognizer(self) -> Recognizer: ...


# -- model directories ---------------------------------------------------------------------

REQUIRED = {
    "am/final.mdl": "the acoustic model",
    "conf/mfcc.conf": "the feature settings (sample rate)",
    "conf/model.conf": "the decoder settings",
}
IVECTOR = ["final.dubm", "final.ie", "final.mat", "global_cmvn.stats", "online_cmvn.conf", "splice.conf"]


def check_model(model_dir: Path) -> list[str]:
    """What a Vosk model directory lacks, one line per problem; empty when Vosk can load it."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        return [f"{model_dir}: no such directory (install one with `hotline asr install-model`)"]
    problems = [f"{model_dir / rel}: missing ({what})" for rel, what in REQUIRED.items()
                if not _nonempty(model_dir / rel)]
    graph = model_dir / "graph"
    if not (_nonempty(graph / "HCLG.fst") or (_nonempty(graph / "HCLr.fst") and _nonempty(graph / "Gr.fst"))):
        problems.append(f"{graph}: missing the decoding graph (HCLG.fst, or HCLr.fst with Gr.fst)")
    if not _nonempty(graph / "phones" / "word_boundary.int"):
        problems.append(f"{graph / 'phones' / 'word_boundary.int'}: missing (word timings)")
    ivector = model_dir / "ivector"
    if ivector.exists():
        problems += [f"{ivector / name}: missing (speaker adaptation)" for name in IVECTOR
                     if not _nonempty(ivector / name)]
    if not problems:
        try:
            model_sample_rate(model_dir)
        except ModelError as exc:
            problems.append(exc.message)
    return problems


def _nonempty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def model_sample_rate(model_dir: Path) -> int:
    """The rate the model was trained at, from conf/mfcc.conf (Kaldi's default when unset)."""
    try:
        text = (Path(model_dir) / "conf" / "mfcc.conf").read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ModelError(f"{model_dir}/conf/mfcc.conf: cannot read ({exc.strerror})") from None
    found = _RATE.search(text)
    return int(found.group(1)) if found else KALDI_DEFAULT_RATE


def _check_feed_rate(model_dir: Path, rate: int) -> None:
    """Kaldi upsamples audio fed below the model's rate only where conf/mfcc.conf allows it (Vosk always allows
    downsampling); otherwise the recogniser fails at the first audio, mid-call."""
    own = model_sample_rate(model_dir)
    text = (model_dir / "conf" / "mfcc.conf").read_text(encoding="utf-8", errors="replace")
    if rate < own and not re.search(r"^\s*--allow-upsample\s*=\s*true\b", text, re.M):
        raise ModelError(f"{model_dir}: the model takes {own} Hz and its conf/mfcc.conf does not let Kaldi "
                         f"upsample {rate} Hz audio (--allow-upsample=true); leave feed_rate out")


# -- Vosk ----------------------------------------------------------------------------------

class VoskEngine:
    """A Vosk model, searched with `decoder` (the model's own conf/model.conf when None) and fed at `feed_rate`
    (the model's rate when None; Kaldi resamples any other rate itself, e.g. 8000 for telephone audio)."""

    name = "vosk"

    def __init__(self, model_dir: Path, decoder: DecoderSettings | None = None, *, feed_rate: int | None = None,
                 derived_root: Path | None = None):
        problems = check_model(model_dir)
        if problems:
            raise ModelError("speech model not usable: " + "; ".join(problems))
        import vosk

        vosk.SetLogLevel(-1)
        self.model_dir = Path(model_dir)
        self.model = self.model_dir.name
        self.sample_rate = feed_rate or model_sample_rate(model_dir)
        _check_feed_rate(self.model_dir, self.sample_rate)
        self.decoder = decoder or DecoderSettings()
        root = derived_root or Path(tempfile.gettempdir()) / "hotline-vosk-models"
        try:
            self.loaded_dir = derived_model(self.model_dir, self.decoder, root)
        except OSError as exc:
            raise ModelError(f"{root}: cannot write the model's decoder settings ({exc.strerror})") from None
        try:
            self._model = vosk.Model(str(self.loaded_dir))
        except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
            raise ModelError(f"{model_dir}: Vosk could not load the model ({exc})") from None
        self._vosk = vosk

    def recognizer(self) -> VoskRecognizer:
        return VoskRecognizer(self._vosk.KaldiRecognizer(self._model, self.sample_rate))


class VoskRecognizer:
    def __init__(self, kaldi) -> None:
        kaldi.SetWords(True)
        self._kaldi = kaldi

    def accept(self, pcm: bytes) -> dict | None:
        if self._kaldi.AcceptWaveform(pcm):
            return json.loads(self._kaldi.Result())
        return None

    def partial(self) -> str:
        return json.loads(self._kaldi.PartialResult()).get("partial", "")

    def final(self) -> dict:
        return json.loads(self._kaldi.FinalResult())
