"""The recogniser port and the Vosk adapter (real, offline); the scripted fake is in asr/fake.py.

An engine holds the model (loaded once per process, before a Celery worker forks, and shared by
its children); each job or stream gets a recogniser of its own while it runs, and gives it back with
`close()` when it is done. Results use Vosk's shape:
`{"text": "我 家 小区 停水 了", "result": [{"word", "start", "end", "conf"}, …]}`, word times in seconds
from the start of this use.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

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

    def close(self) -> None:
        """Done with it: an engine may keep it for the next use (only if `final()` was the last thing asked)."""


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

RETIRE_AFTER_S = 2 * 3600.0  # a recogniser that has heard this much audio is not kept for another use


@dataclass
class _Kept:
    """A Kaldi recogniser and how many samples it has been fed over all its uses (Vosk's clock for it)."""

    kaldi: object
    samples: int = 0


class VoskEngine:
    """A Vosk model, searched with `decoder` (the model's own conf/model.conf when None) and fed at `feed_rate`
    (the model's rate when None; Kaldi resamples any other rate itself, e.g. 8000 for telephone audio).

    Recognisers are kept for the next use (at most `keep_warm` of them waiting). A model with a lookahead
    graph (HCLr + Gr, as the small models ship) has its search graph composed by each recogniser as the
    search reaches it, and cached in that recogniser: a new one composes again everything the first words
    need. Measured on the packaged model with the live search, a kept recogniser decodes a 21 s call at 0.6
    of a new one's CPU after one earlier call and about 0.4 once it has served a few (bench/README.md,
    "Recognisers kept warm between calls"). Nothing of a call is carried to the next: Vosk starts a new
    feature pipeline and decoder after a final result; only the composed graph — the model's, not the
    audio's — is kept."""

    name = "vosk"

    def __init__(self, model_dir: Path, decoder: DecoderSettings | None = None, *, feed_rate: int | None = None,
                 derived_root: Path | None = None, keep_warm: int = 16):
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
        self.keep_warm = keep_warm
        self.built = self.reused = 0  # recognisers made new, and taken warm
        self._kept: list[_Kept] = []
        self._lock = threading.Lock()

    def recognizer(self) -> VoskRecognizer:
        """A kept recogniser if one waits (the most recently used), else a new one."""
        with self._lock:
            kept = self._kept.pop() if self._kept else None
            if kept is None:
                self.built += 1
            else:
                self.reused += 1
        if kept is None:
            kaldi = self._vosk.KaldiRecognizer(self._model, self.sample_rate)
            kaldi.SetWords(True)
            kept = _Kept(kaldi)
        return VoskRecognizer(kept, self.sample_rate, self._give_back)

    def keep(self, count: int) -> None:
        """Keep at most `count` from now on; those waiting now are let go (a new recogniser for the next use)."""
        with self._lock:
            self.keep_warm = count
            self._kept.clear()

    @property
    def waiting(self) -> int:
        """Recognisers kept for the next use."""
        return len(self._kept)

    def _give_back(self, kept: _Kept) -> None:
        if kept.samples / self.sample_rate >= RETIRE_AFTER_S:
            return  # the composed graph's state table only grows: start a new one now and then
        with self._lock:
            if len(self._kept) < self.keep_warm:
                self._kept.append(kept)


class VoskRecognizer:
    """One use of a Kaldi recogniser. Vosk's word times run on over all uses of a recogniser (it counts every
    sample it was ever fed), so they are taken back to this use's start."""

    def __init__(self, kept: _Kept, rate: int, give_back) -> None:
        self._kept, self._give_back = kept, give_back
        self._kaldi: Any = kept.kaldi
        self._origin_s = kept.samples / rate
        self._settled = True  # nothing fed since the last final result: the recogniser may serve another use
        self._closed = False

    def accept(self, pcm: bytes) -> dict | None:
        if self._closed:
            raise RuntimeError("this recogniser was closed (it may be serving another use)")
        self._settled = False
        self._kept.samples += len(pcm) // 2
        if self._kaldi.AcceptWaveform(pcm):
            return self._from_origin(json.loads(self._kaldi.Result()))
        return None

    def partial(self) -> str:
        return json.loads(self._kaldi.PartialResult()).get("partial", "")

    def final(self) -> dict:
        result = self._from_origin(json.loads(self._kaldi.FinalResult()))
        self._settled = True
        return result

    def close(self) -> None:
        """Give the recogniser back if its last utterance was closed by `final()`; otherwise (a stream or job
        that failed part-way) it is dropped, and with it whatever it was in the middle of."""
        if self._closed:
            return
        self._closed = True
        if self._settled:
            self._give_back(self._kept)

    def _from_origin(self, result: dict) -> dict:
        if self._origin_s:
            for word in result.get("result", []):
                word["start"] = round(float(word["start"]) - self._origin_s, 6)
                word["end"] = round(float(word["end"]) - self._origin_s, 6)
        return result
