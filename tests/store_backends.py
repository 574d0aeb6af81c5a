"""The databases the store tests run on: SQLite in memory and in a file always, and
PostgreSQL when ``TRADEASSURE_TEST_POSTGRESQL_URL`` names a server (CI always does:
``.ci/run`` starts one). Each test gets empty tables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import pytest

from tradeassure.store import open

#: The PostgreSQL server the tests may use, e.g. postgresql://ta:ta@127.0.0.1/ta_test.
#: Its store tables are emptied before every test: give the tests a database of their own.
POSTGRESQL_URL: Final = os.environ.get("TRADEASSURE_TEST_POSTGRESQL_URL", "")

BACKENDS: Final = [
    pytest.param("memory", id="sqlite-memory"),
    pytest.param("file", id="sqlite-file"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not POSTGRESQL_URL, reason="TRADEASSURE_TEST_POSTGRESQL_URL names no server"
        ),
    ),
]

#: The backends several processes can share (not an in-memory database).
SHARED_BACKENDS: Final = BACKENDS[1:]


def url_for(backend: str, tmp_path: Path) -> str:
    """A database URL of ``backend`` with empty tables."""
    if backend == "memory":
        return "sqlite://"
    if backend == "file":
        return f"sqlite:///{tmp_path / 'orders.db'}"
    _empty(POSTGRESQL_URL)
    return POSTGRESQL_URL


def _empty(url: str) -> None:
    """Delete every row of the store's tables at ``url``. The tests call this on the
    server TRADEASSURE_TEST_POSTGRESQL_URL names: point it at a database of its own."""
    from tradeassure.store._tables import METADATA

    with open(url) as store, store._transaction(write=True) as conn:
        for table in reversed(METADATA.sorted_tables):
            conn.execute(table.delete())
