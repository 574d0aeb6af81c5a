"""Values are final: a public class of money, shipping, credit and verification (and the
policies re-exported by ``tradeassure.policy``) is decorated ``@typing.final``, so a
subclass is a type error and an ``isinstance`` check means exactly that class."""

from __future__ import annotations

import enum
import importlib
import pkgutil

import attrs
import pytest

import tradeassure.verification

# EscrowPolicy moves with the escrow restructuring, in its own change.
_ELSEWHERE = {"EscrowPolicy"}


def _modules() -> list[str]:
    names = ["tradeassure.money", "tradeassure.shipping", "tradeassure.credit"]
    names += ["tradeassure.policy", "tradeassure.verification"]
    names += [
        info.name
        for info in pkgutil.iter_modules(
            tradeassure.verification.__path__, "tradeassure.verification."
        )
    ]
    return names


def _public_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for export in getattr(module, "__all__", ()):
            obj = getattr(module, export)
            if isinstance(obj, type) and export not in _ELSEWHERE:
                found[obj.__qualname__] = obj
    return found


CLASSES = _public_classes()


def test_the_walk_finds_the_values_and_the_enums() -> None:
    assert {"Money", "CreditLine", "WorkingCalendar", "IdentityPolicy", "Decision"} <= set(CLASSES)
    assert any(attrs.has(c) for c in CLASSES.values())
    assert any(issubclass(c, enum.Enum) for c in CLASSES.values())


@pytest.mark.parametrize("cls", sorted(CLASSES.values(), key=str), ids=lambda c: c.__qualname__)
def test_every_public_class_is_final(cls: type) -> None:
    assert getattr(cls, "__final__", False) is True, f"decorate {cls.__qualname__} @typing.final"
