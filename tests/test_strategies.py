"""tradeassure.testing as a user installs it: hypothesis alone, and ``st.from_type``
drawing valid values for each registered type, by import or by hypothesis's entry point."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradeassure
from tradeassure import Money, RuleViolation
from tradeassure.escrow import ESCROW_EDITIONS, EVENT_TYPES, EscrowPolicy, Event, Order, replay
from tradeassure.testing import TYPE_STRATEGIES, assert_sound

_SRC = Path(tradeassure.__file__).parents[1]
_PYPROJECT = _SRC.parent / "pyproject.toml"

#: What the other extras bring, none of which tradeassure.testing may need.
_BLOCKED = (
    "pytest",
    "_pytest",
    "stdnum",
    "zxcvbn",
    "nbformat",
    "jsonschema",
    "msgspec",
    "pyarrow",
    "pandas",
    "polars",
    "dask",
    "distributed",
    "sqlalchemy",
    "psycopg",
    "fastapi",
    "httpx",
    "uvicorn",
    "click",
    "rich",
)


def _run(code: str, extra_path: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this checkout's tradeassure."""
    paths = [str(_SRC)] + ([str(extra_path)] if extra_path else [])
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PYTHONPATH": ":".join(paths), "PATH": "/usr/bin:/bin", **env},
    )


# -- the testing extra: hypothesis alone ---------------------------------------------------


def test_the_testing_extra_is_hypothesis_alone_and_the_test_extra_includes_it() -> None:
    extras = tomllib.loads(_PYPROJECT.read_text())["project"]["optional-dependencies"]
    assert [d.split(">")[0] for d in extras["testing"]] == ["hypothesis"]
    assert "tradeassure[testing]" in extras["test"]


_BLOCKER = f"""
import importlib.abc, sys
BLOCKED = {_BLOCKED!r}
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"blocked: {{name}}")
        return None
sys.meta_path.insert(0, Refuse())
"""


def test_the_strategies_import_and_draw_with_every_other_extra_blocked() -> None:
    done = _run(
        _BLOCKER
        + """
        import warnings
        from hypothesis import strategies as st
        from hypothesis.errors import NonInteractiveExampleWarning
        import tradeassure.testing as t
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for kind in t.TYPE_STRATEGIES:
            assert isinstance(st.from_type(kind).example(), kind), kind
        print(len(t.TYPE_STRATEGIES))
        """.replace("\n        ", "\n")
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(TYPE_STRATEGIES)


def test_the_blocker_does_refuse_what_it_names() -> None:
    """The test above is only as good as its blocker."""
    done = _run(_BLOCKER + "\nimport zxcvbn\n")
    assert done.returncode != 0
    assert "blocked: zxcvbn" in done.stderr


# -- registered types ----------------------------------------------------------------------


def test_every_event_type_and_the_everyday_values_are_registered() -> None:
    wanted = {*EVENT_TYPES.values(), Event, Money, Order, tradeassure.CreditLine}
    assert wanted <= TYPE_STRATEGIES.keys()


def _valid(value: Any) -> None:
    """``value`` rebuilt through its constructor's converters and validators is equal."""
    fields = {f.name: getattr(value, f.name) for f in attrs.fields(type(value)) if f.init}
    init = {name.lstrip("_"): v for name, v in fields.items()}
    assert type(value)(**init) == value


def _replays(order: Order, policy: EscrowPolicy) -> bool:
    """Whether ``order``'s events replayed under ``policy`` give ``order`` back."""
    try:
        return replay(order.events, policy) == order
    except RuleViolation:
        return False


@pytest.mark.parametrize("kind", list(TYPE_STRATEGIES), ids=lambda k: k.__name__)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_from_type_draws_valid_values_of_each_registered_type(
    kind: type[Any], data: st.DataObject
) -> None:
    value = data.draw(st.from_type(kind))
    assert isinstance(value, kind)
    if kind is Event:
        assert type(value) in EVENT_TYPES.values()
    if isinstance(value, Order):
        assert_sound(value)
        assert any(_replays(value, p) for p in ESCROW_EDITIONS.values())
    else:
        _valid(value)


#: A user's own value with a Money field (made so that its field's type is the class, not
#: the string this module's ``from __future__ import annotations`` would make it).
_Quote = attrs.make_class("_Quote", {"price": attrs.field(type=Money)}, frozen=True)


@settings(max_examples=10, deadline=None)
@given(st.builds(_Quote))
def test_builds_fills_a_users_money_field_from_the_registered_strategy(q: Any) -> None:
    assert isinstance(q.price, Money)


# -- hypothesis's entry point --------------------------------------------------------------


def _plugin_site(tmp_path: Path) -> Path:
    """A site directory with a distribution that declares pyproject.toml's ``hypothesis``
    entry point (this checkout is not installed with it)."""
    declared = tomllib.loads(_PYPROJECT.read_text())["project"]["entry-points"]["hypothesis"]
    info = tmp_path / "tradeassure_plugin-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tradeassure-plugin\nVersion: 0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in declared.items())
    (info / "entry_points.txt").write_text("[hypothesis]\n" + lines)
    return tmp_path


_DRAW_MONEY = """
from hypothesis import given, strategies as st
from tradeassure import Money
from tradeassure.escrow import OrderPlaced
@given(st.from_type(Money), st.from_type(OrderPlaced))
def draw(m, placed):
    assert isinstance(m, Money) and isinstance(placed, OrderPlaced)
draw()
"""


@pytest.mark.parametrize(
    "first", ["import hypothesis", "import tradeassure.testing"], ids=["hypothesis", "testing"]
)
def test_the_entry_point_registers_the_strategies_when_hypothesis_loads(
    tmp_path: Path, first: str
) -> None:
    """Whichever is imported first, hypothesis or tradeassure.testing (which imports
    hypothesis while it is still loading), the hook leaves the strategies registered."""
    done = _run(
        f"import sys\n{first}\nassert 'tradeassure.testing' in sys.modules\n" + _DRAW_MONEY,
        _plugin_site(tmp_path),
    )
    assert done.returncode == 0, done.stderr


def test_without_the_entry_point_hypothesis_leaves_tradeassure_unloaded(tmp_path: Path) -> None:
    """HYPOTHESIS_NO_PLUGINS turns the hook off: the check above sees the hook's work."""
    done = _run(
        "import sys, hypothesis\nassert 'tradeassure.testing' not in sys.modules\n",
        _plugin_site(tmp_path),
        HYPOTHESIS_NO_PLUGINS="1",
    )
    assert done.returncode == 0, done.stderr
