"""Policies: every edition's figures are valid values, and importing stays light."""

from __future__ import annotations

import subprocess
import sys

import attrs
import pytest

from tradeassure.money import Money
from tradeassure.policy import (
    DEFAULT_IDENTITY,
    DEFAULT_SHIPPING,
    ESCROW_EDITIONS,
    FINANCING_EDITIONS,
)

EDITIONS = [*ESCROW_EDITIONS.values(), *FINANCING_EDITIONS.values(), DEFAULT_IDENTITY]


@pytest.mark.parametrize("policy", EDITIONS, ids=lambda p: getattr(p, "edition", "identity"))
def test_every_money_figure_of_an_edition_is_a_valid_money(policy: object) -> None:
    for field in attrs.fields(type(policy)):  # type: ignore[arg-type]
        value = getattr(policy, field.name)
        if isinstance(value, Money):
            assert Money(value.amount, value.currency) == value
            assert value.is_whole_minor_units()


def test_escrow_editions_share_the_shipping_figures() -> None:
    assert all(p.shipping == DEFAULT_SHIPPING for p in ESCROW_EDITIONS.values())


def test_importing_the_library_loads_no_heavy_dependency() -> None:
    heavy = ["cattrs", "holidays", "iso4217", "zxcvbn", "stdnum", "tradeassure.views"]
    code = f"import sys, tradeassure; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
