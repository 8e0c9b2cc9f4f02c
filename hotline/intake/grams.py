"""What the router reads in a text: characters and pairs, the recogniser's words, and toneless syllables.

A model file says which of these it was trained on (its description names the character lengths; a syllable
part travels with its own character → reading table), so an older model reads text as it was trained to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

Analyzer = Callable[[str], list[str]]

CHAR_GRAMS = (1, 2)  # characters and pairs; a model trained before syllables says (1, 2, 3) in its description


def char_grams_of(sizes: tuple[int, ...]) -> Callable[[str], list[str]]:
    """Runs of these lengths of the text without the recogniser's spaces: a slip changes one character and
    leaves most of the pairs around it. (Triples were dropped: with the syllable part beside them the router
    read the four development sets better without them, leave-one-set-out; bench/README.md.)"""

    def grams(text: str) -> list[str]:
        s = "".join(text.lower().split())
        return [s[i:i + n] for n in sizes for i in range(len(s) - n + 1)]

    return grams


char_grams = char_grams_of(CHAR_GRAMS)


def word_tokens(text: str) -> list[str]:
    """The recogniser's words, as it cut them."""
    return text.lower().split()


ANALYZERS = {"c": char_grams, "w": word_tokens}
SOUNDS = "p"  # the part of toneless syllables, when a model has one (its char → syllable table travels with it)


def sound_grams(sounds: Mapping[str, str]) -> Callable[[str], list[str]]:
    """Single syllables and pairs of the syllables said, by the model's own table (toneless pinyin): a same-sound slip
    (停睡 for 停水, 点题 for 电梯, 胡口 for 户口) keeps its syllables though it changes the characters. A character
    the table does not know ends a run."""

    def grams(text: str) -> list[str]:
        said = [sounds.get(c, "") for c in "".join(text.split())]
        out = []
        for n in (1, 2):
            for i in range(len(said) - n + 1):
                run = said[i:i + n]
                if all(run):
                    out.append(" ".join(run))
        return out

    return grams


def analyzers_for(meta: Mapping, a: Mapping[str, np.ndarray]) -> dict[str, Analyzer]:
    """The model's analysers: characters (of the lengths it was trained with) and words, and syllables when it
    has them (a model from before syllables keeps its character triples and reads as it was trained)."""
    sizes = tuple(meta.get("char_grams", (1, 2, 3)))
    analyzers: dict[str, Analyzer] = {**ANALYZERS, "c": char_grams_of(sizes)}
    if f"{SOUNDS}_vocab" in a:
        table = dict(zip(a["sound_chars"].tolist(), a["sound_readings"].tolist(), strict=True))
        analyzers[SOUNDS] = sound_grams(table)
    return analyzers
