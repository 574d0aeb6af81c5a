"""The contract every public value shares, stated once over every public attrs class:
frozen, slotted, hashable, equal by value, and pickling, JSON-round-tripping or evolving
to an equal value."""

from __future__ import annotations

import copy
import importlib
import pickle
import pkgutil

import attrs
import pytest

import tradeassure
import value_examples
from tradeassure.serialization import from_json
from wire import as_json

# Modules whose public names are not values (entry points, strategies).
_NOT_VALUE_MODULES = {"tradeassure.cli", "tradeassure.testing", "tradeassure.__main__"}


def _public_attrs_classes() -> set[type]:
    found: set[type] = set()
    for info in pkgutil.iter_modules(tradeassure.__path__, "tradeassure."):
        if info.name in _NOT_VALUE_MODULES or info.name.rsplit(".", 1)[1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, type) and attrs.has(obj):
                found.add(obj)
    return found


def _examples() -> list[object]:
    out: list[object] = []
    for info in pkgutil.iter_modules(value_examples.__path__, "value_examples."):
        out.extend(importlib.import_module(info.name).EXAMPLES)
    return out


EXAMPLES = _examples()
PUBLIC_CLASSES = _public_attrs_classes()


def _id(value: object) -> str:
    return type(value).__name__


def test_every_public_value_class_has_an_example() -> None:
    covered = {type(v) for v in EXAMPLES}
    missing = sorted(c.__qualname__ for c in PUBLIC_CLASSES - covered)
    assert not missing, f"add examples to tests/value_examples for: {missing}"


@pytest.mark.parametrize("value", EXAMPLES, ids=_id)
def test_values_are_frozen(value: object) -> None:
    field = attrs.fields(type(value))[0].name  # type: ignore[arg-type]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, field, getattr(value, field))


@pytest.mark.parametrize("value", EXAMPLES, ids=_id)
def test_values_are_slotted(value: object) -> None:
    assert not hasattr(value, "__dict__")
    assert "__slots__" in type(value).__dict__


@pytest.mark.parametrize("value", EXAMPLES, ids=_id)
def test_values_are_equal_by_value_and_hash_alike(value: object) -> None:
    twin = copy.deepcopy(value)
    assert twin is not value or type(value).__hash__ is not None
    assert twin == value
    assert hash(twin) == hash(value)


@pytest.mark.parametrize("value", EXAMPLES, ids=_id)
def test_values_pickle_to_an_equal_value(value: object) -> None:
    assert pickle.loads(pickle.dumps(value)) == value


@pytest.mark.parametrize("value", EXAMPLES, ids=_id)
def test_values_round_trip_through_json_to_an_equal_value(value: object) -> None:
    text = as_json(value)
    assert from_json(text, type(value)) == value
    assert as_json(from_json(text, type(value))) == text


@pytest.mark.parametrize("value", EXAMPLES, ids=_id)
def test_evolve_without_changes_gives_an_equal_value(value: object) -> None:
    assert attrs.evolve(value) == value  # type: ignore[misc]


def test_distinct_examples_of_a_class_are_unequal() -> None:
    by_class: dict[type, list[object]] = {}
    for v in EXAMPLES:
        by_class.setdefault(type(v), []).append(v)
    for values in by_class.values():
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                assert a != b, f"two examples of {type(a).__name__} compare equal"
