"""The repository's pytest hook for the documentation: docs/cli.md's shell sessions run
as tests (tests/console_sessions.py, on sybil); the ``>>>`` examples of every page run
as doctests (pyproject's ``--doctest-glob``)."""

from pathlib import Path

from console_sessions import sybil

pytest_collect_file = sybil(Path(__file__).parent / "docs").pytest()
