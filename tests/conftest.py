"""Hypothesis profiles: ``dev`` is quick, ``ci`` (selected by CI=true) tries more but is
bounded, ``soak`` (``HYPOTHESIS_PROFILE=soak``) runs the escrow state machine for over a
million steps and says how many it ran, ``mutation`` is what scripts/mutation.sh uses.
And the event store tests' fixtures: ``store_url`` and ``store``, on every backend."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from store_backends import BACKENDS, url_for
from tradeassure.store import EventStore, open

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
# About 32 steps per run on average (measured over 6,671 runs): 40,000 runs make over a
# million steps.
settings.register_profile(
    "soak",
    max_examples=40_000,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
# For scripts/mutation.sh: mutmut calls test methods through its own trampolines (which
# trips the differing-executors check), and each mutant's run should be reproducible.
# 20 examples, not the dev profile's 60: every mutant of the escrow package runs the
# escrow suite's properties, and the example tests kill what the properties would.
settings.register_profile(
    "mutation",
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many state-machine steps the escrow properties ran (the soak's figure)."""
    module = sys.modules.get("test_escrow_properties")
    steps = getattr(module, "STEPS", None)
    if steps is not None and steps.runs:
        # The invariants run once after the initial rules and once after every step.
        taken = steps.count - steps.runs
        terminalreporter.write_line(f"EscrowMachine: {taken:,} steps in {steps.runs:,} runs")


# -- the databases of the store tests (tests/store_backends.py) ---------------------------


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL with empty tables, on each backend in turn."""
    return url_for(request.param, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    """An open event store on each backend in turn."""
    with open(store_url) as opened:
        yield opened
