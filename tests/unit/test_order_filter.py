"""Whether a work list's filter asks for more than the reader's scope: what decides if its total may be counted
from the shares alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

import pytest

from hotline.dispatch.filters import OrderFilter

SET = {"states": ["signed"], "channels": ["web"], "category": "water.outage",
       "received_from": dt.datetime(2026, 11, 30, tzinfo=dt.UTC), "received_to": dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
       "words": "停水", "phone": "8000", "created_by": 3}


def test_every_field_but_the_order_is_named_here():
    assert {f.name for f in fields(OrderFilter)} == set(SET) | {"sort"}


@pytest.mark.parametrize("name", sorted(SET))
def test_any_one_field_narrows(name):
    assert OrderFilter(**{name: SET[name]}).narrows()


def test_nothing_asked_and_the_order_of_the_list_do_not_narrow():
    assert not OrderFilter().narrows()
    assert not OrderFilter(states=[], channels=[], sort="due").narrows()  # what the list endpoint passes
