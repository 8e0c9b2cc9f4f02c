"""Training-row weights: orders 1, seed lines and catalogue phrases their configured weights, and the seed and
catalogue lines weighted up as history grows when a minimum share is configured."""

from __future__ import annotations

import pytest

from hotline.core.config_intake_model import IntakeModelFile
from hotline.intake.learning import row_weights
from hotline.intake.training import Example


def rows(seed: int, phrases: int, orders: int) -> list[Example]:
    return ([Example("s", "a", source="seed")] * seed + [Example("c", "a", source="catalogue")] * phrases
            + [Example("h", "a", source="history")] * orders + [Example("i", "a", source="imported")] * orders)


def test_without_a_minimum_share_the_configured_weights_stand():
    got = row_weights(rows(10, 5, 1000), IntakeModelFile(seed_weight=1.0, phrase_weight=3.0))
    assert got == [1.0] * 10 + [3.0] * 5 + [1.0] * 2000


def test_a_minimum_share_weights_seed_and_phrases_up_as_history_grows():
    settings = IntakeModelFile(seed_weight=1.0, phrase_weight=3.0, seed_min_share=0.2)
    got = row_weights(rows(10, 5, 1000), settings)
    starter, orders = sum(got[:15]), sum(got[15:])
    assert starter / (starter + orders) == pytest.approx(0.2)
    assert got[0] * 3 == pytest.approx(got[10])  # seed against phrases as configured
    assert got[15:] == [1.0] * 2000  # orders keep their weight


def test_a_share_already_met_changes_nothing():
    settings = IntakeModelFile(seed_weight=1.0, phrase_weight=3.0, seed_min_share=0.2)
    assert row_weights(rows(100, 10, 10), settings) == [1.0] * 100 + [3.0] * 10 + [1.0] * 20
