"""Decoder settings for live listening: what each costs in CPU and what it does to the text.

Every setting decodes the same speech — the sentences of one set in bench/data, spoken by espeak-ng
at 8 kHz with 0.6 s pauses, as one stream — through one recogniser in 100 ms chunks with a partial
every 250 ms, as `hotline listen` feeds it, on one thread as fast as it goes (its thread CPU time is
what is measured, so other load on the machine changes it little). Two measures of the text:

* CER against the sentences as written (character error rate, spaces ignored);
* CER against a wide search (Vosk's settings for models without a conf: max-active 7000, beam 13,
  lattice-beam 6) of the same audio — what the narrower search itself loses, whatever the model's
  fit to the speech. The default decoded twice against itself shows the run-to-run noise (Kaldi
  dithers its input).
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from hotline.asr.decoder import DecoderSettings, derived_model
from tests.speech import espeak, read, silence, undithered

DATA = Path(__file__).resolve().parent / "data"
WIDE = DecoderSettings(max_active=7000, beam=13.0, lattice_beam=6.0)


@dataclass(frozen=True)
class Candidate:
    name: str
    decoder: DecoderSettings
    rate: int = 16000  # what the recogniser is fed: 16000 resampled by soxr, 8000 as the line carries it
    chunk_s: float = 0.1  # audio given to AcceptWaveform at once
    partial_s: float | None = 0.25  # a PartialResult every this much audio (None: never)
    words: bool = True  # SetWords: word times and confidences in results
    partial_words: bool = False  # SetPartialWords: the same for partials


CANDIDATES = [
    Candidate("model's own (3000 / 10 / 2.0)", DecoderSettings()),
    Candidate("feed 8 kHz", DecoderSettings(), 8000),
    Candidate("max-active 1500", DecoderSettings(max_active=1500)),
    Candidate("max-active 1000", DecoderSettings(max_active=1000)),
    Candidate("max-active 500", DecoderSettings(max_active=500)),
    Candidate("beam 9", DecoderSettings(beam=9.0)),
    Candidate("beam 8", DecoderSettings(beam=8.0)),
    Candidate("beam 7", DecoderSettings(beam=7.0)),
    Candidate("lattice-beam 1.0", DecoderSettings(lattice_beam=1.0)),
    Candidate("beam 8, max-active 1000", DecoderSettings(beam=8.0, max_active=1000)),
    Candidate("beam 8, max-active 1000, 8 kHz", DecoderSettings(beam=8.0, max_active=1000), 8000),
    Candidate("beam 7, max-active 700, 8 kHz", DecoderSettings(beam=7.0, max_active=700), 8000),
    Candidate("partial every 1 s", DecoderSettings(), partial_s=1.0),
    Candidate("no partials", DecoderSettings(), partial_s=None),
    Candidate("partials with words", DecoderSettings(), partial_words=True),
    Candidate("no words in results", DecoderSettings(), words=False),
    Candidate("20 ms chunks", DecoderSettings(), chunk_s=0.02),
    Candidate("500 ms chunks", DecoderSettings(), chunk_s=0.5),
    Candidate("floor: beam 5, max-active 200", DecoderSettings(beam=5.0, max_active=200, min_active=50,
                                                               lattice_beam=1.0)),
]


def sentences(name: str) -> list[str]:
    return [line.strip() for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def spoken(lines: list[str], folder: Path) -> np.ndarray:
    """The sentences at 8 kHz, each followed by 0.6 s of silence, as one stream."""
    parts = []
    for i, line in enumerate(lines):
        parts += [read(espeak(line, "ko", 8000, folder / f"line{i}.wav"))[0], silence(0.6, 8000)]
    return np.concatenate(parts)


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate, spaces ignored: edits to turn the hypothesis into the reference, per character."""
    hyp, ref = hypothesis.replace(" ", ""), reference.replace(" ", "")
    previous = list(range(len(ref) + 1))
    for i, h in enumerate(hyp, 1):
        current = [i]
        for j, r in enumerate(ref, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (h != r)))
        previous = current
    return previous[-1] / max(1, len(ref))


def decode(model, samples: np.ndarray, cand: Candidate) -> tuple[float, str]:
    """One stream through one recogniser; (thread CPU-s per audio-s, the text)."""
    import vosk

    rate = cand.rate
    rec = vosk.KaldiRecognizer(model, rate)
    rec.SetWords(cand.words)
    rec.SetPartialWords(cand.partial_words)
    resampler = soxr.ResampleStream(8000, rate, 1, dtype="int16") if rate != 8000 else None
    texts, fed, partial_at, step = [], 0.0, -1.0, int(8000 * cand.chunk_s)
    started = time.thread_time()
    for at in range(0, len(samples), step):
        block = samples[at:at + step]
        fed += len(block) / 8000
        if rec.AcceptWaveform((resampler.resample_chunk(block) if resampler else block).tobytes()):
            texts.append(json.loads(rec.Result())["text"])
        elif cand.partial_s is not None and fed - partial_at >= cand.partial_s:
            json.loads(rec.PartialResult())
            partial_at = fed
    if resampler:
        rec.AcceptWaveform(resampler.resample_chunk(np.zeros(0, np.int16), last=True).tobytes())
    texts.append(json.loads(rec.FinalResult())["text"])
    return (time.thread_time() - started) / (len(samples) / 8000), " ".join(t for t in texts if t)


def load(model_dir: Path, decoder: DecoderSettings, folder: Path):
    import vosk

    vosk.SetLogLevel(-1)
    return vosk.Model(str(derived_model(model_dir, decoder, folder / "derived")))


def sweep(model_dir: Path, samples: np.ndarray, reference: str, folder: Path, candidates: list[Candidate],
          repeats: int = 2) -> list[dict]:
    """Each candidate: median CPU per audio-s of `repeats` decodes (one of them undithered), and the CER of the
    undithered decode against the text and against the wide search at the same feed rate."""
    plain = undithered(model_dir, folder)
    wide_model = load(plain, WIDE, folder)
    wide = {rate: decode(wide_model, samples, Candidate("wide", WIDE, rate))[1] for rate in (8000, 16000)}
    del wide_model
    rows = []
    for cand in candidates:
        model = load(model_dir, cand.decoder, folder)
        cpus = [decode(model, samples, cand)[0] for _ in range(repeats - 1)]
        del model
        model = load(plain, cand.decoder, folder)
        cpu, text = decode(model, samples, cand)
        del model
        cpu = statistics.median([*cpus, cpu])
        rows.append({"name": cand.name, "cpu": cpu, "cer_text": cer(text, reference),
                     "cer_wide": cer(text, wide[cand.rate]), "text": text})
        print(f"  {cand.name:34s} CPU {cpu:.3f} per audio-s  CER text {rows[-1]['cer_text']:.3f}  "
              f"against the wide search {rows[-1]['cer_wide']:.3f}", flush=True)
    return rows
