"""The docs site as a reader sees it: docstrings that parse into one entry per name.

These need the docs extra (griffe, mkdocs), which CI installs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

griffe = pytest.importorskip("griffe")

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

_NAMED_SECTIONS = {"attributes", "parameters", "other parameters"}


def _package() -> griffe.Module:
    return griffe.load(
        "tradeassure", search_paths=[str(SRC)], docstring_parser="google", allow_inspection=False
    )


def _documented(obj: griffe.Object) -> set[str]:
    """The names a docstring may document for ``obj``: its parameters, or its members."""
    if isinstance(obj, griffe.Function):
        return {p.name for p in obj.parameters}
    names = set(obj.members)
    init = obj.members.get("__init__")
    if isinstance(init, griffe.Function):
        names |= {p.name for p in init.parameters}
    return names


def _entries(obj: griffe.Object) -> list[tuple[str, str]]:
    """Every (object path, documented name) under ``obj``, from its Google-style sections."""
    found = []
    for member in obj.members.values():
        if member.is_alias:
            continue
        if member.docstring is not None:
            for section in member.docstring.parsed:
                if section.kind.value in _NAMED_SECTIONS:
                    found += [(member.path, item.name) for item in section.value]
        if isinstance(member, griffe.Module | griffe.Class):
            found += _entries(member)
    return found


def _misnamed(package: griffe.Module) -> list[tuple[str, str]]:
    """Every documented name that is no field or parameter of the object documenting it."""
    return [
        (path, name)
        for path, name in _entries(package)
        if name not in _documented(package[path.partition(".")[2]])
    ]


class TestDocstringEntries:
    def test_there_are_entries_to_check(self) -> None:
        entries = _entries(_package())
        assert len(entries) > 100
        assert ("tradeassure.escrow.events.OrderPlaced", "order_id") in entries

    def test_every_documented_name_is_a_real_field_or_parameter(self) -> None:
        """``a, b: text`` would parse as one entry named ``a,``: one entry per name."""
        assert _misnamed(_package()) == []

    def test_a_grouped_or_stale_entry_is_caught(self) -> None:
        code = (
            "import attrs\n"
            "@attrs.frozen\n"
            "class Contract:\n"
            '    """Terms.\n\n'
            "    Attributes:\n"
            "        buyer, supplier: the parties.\n"
            "        total: the total.\n"
            '    """\n'
            "    buyer: str\n"
            "    supplier: str\n"
            "    total: int\n"
            "def pay(order: str) -> None:\n"
            '    """Pay.\n\n'
            "    Args:\n"
            "        order: the order.\n"
            "        amount: gone from the signature.\n"
            '    """\n'
        )
        with griffe.temporary_visited_package(
            "pkg", {"__init__.py": code}, docstring_parser="google"
        ) as package:
            assert _misnamed(package) == [("pkg.Contract", "buyer,"), ("pkg.pay", "amount")]
