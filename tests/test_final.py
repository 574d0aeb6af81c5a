"""Values cannot be subclassed: every public attrs class is marked ``typing.final``.

A subclass of a value could add mutable state or change equality, and every function
that takes the value would accept it; ``@final`` lets a type checker refuse it at the
user's desk.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil

import attrs

import tradeassure

# Modules whose public names are not the library's values (strategies, entry points).
_NOT_VALUE_MODULES = ("tradeassure.testing", "tradeassure.cli", "tradeassure.__main__")


def _is_private(module: str) -> bool:
    # A module under a private package is private too, whatever its own name.
    return any(part.startswith("_") for part in module.split(".")[1:])


def _skipped(module: str) -> bool:
    return _is_private(module) or any(
        module == name or module.startswith(name + ".") for name in _NOT_VALUE_MODULES
    )


def public_classes() -> list[type]:
    """Every class named in the ``__all__`` of a public module or subpackage, at any
    depth, each once (a class re-exported elsewhere is the same object)."""
    found: dict[int, type] = {}
    for info in pkgutil.walk_packages(tradeassure.__path__, "tradeassure."):
        if _skipped(info.name):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, type):
                found.setdefault(id(obj), obj)
    return sorted(found.values(), key=lambda c: (c.__module__, c.__qualname__))


PUBLIC_CLASSES = public_classes()


def test_the_discovery_finds_the_library_classes() -> None:
    # An empty or broken walk would make the test below pass silently.
    assert len(PUBLIC_CLASSES) >= 20, [c.__qualname__ for c in PUBLIC_CLASSES]


def test_every_public_value_class_is_final() -> None:
    # A class the library itself extends (events.Event, the base of every event) is a
    # base, not a leaf value: final would refuse the library's own subclasses.
    bases = {base for cls in PUBLIC_CLASSES for base in cls.__mro__[1:]}
    values = [
        cls
        for cls in PUBLIC_CLASSES
        if attrs.has(cls)
        and cls not in bases
        # An enum with members cannot be subclassed at all (Python refuses it).
        and not issubclass(cls, enum.Enum)
        # The error tree is meant to be extended: users subclass TradeAssureError & co.
        and not issubclass(cls, BaseException)
    ]
    not_final = [
        f"{c.__module__}.{c.__qualname__}" for c in values if not getattr(c, "__final__", False)
    ]
    assert not not_final, "mark these public attrs classes @typing.final:\n" + "\n".join(not_final)
