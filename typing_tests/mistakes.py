"""User code with mistakes the type checkers must catch: a float amount, a bare string
where a tuple of strings is expected, a currency that is not a code.

Type-checked in CI by ``mypy --strict`` and pyright (strict); runs with
``python typing_tests/mistakes.py``, which checks that each mistake is refused at run
time as well (for callers whose code no checker reads).

Each expected error carries ``# type: ignore[arg-type]``, the one comment both checkers
read. mypy matches the code in brackets and, under ``--strict`` (``warn_unused_ignores``),
fails on an ignore that suppresses nothing. pyright takes any ``# type: ignore`` as an
ignore of its whole line (``enableTypeIgnoreComments``, on by default) and, with
``reportUnnecessaryTypeIgnoreComment = "error"`` in pyproject.toml, fails on one that
suppresses nothing. So a mistake below that either checker stops catching fails it.
(``# pyright: ignore[reportArgumentType]`` would be read by pyright alone: mypy would
report the error it leaves.) Both report an argument's error on that argument's line,
so the comment goes on the line of the mistaken argument.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

from tradeassure import Money
from tradeassure.errors import InvalidInput
from tradeassure.escrow import DisputeOpened, DisputeReason, EvidenceSubmitted, OrderPlaced, Party
from tradeassure.verification import Decision, Membership, SupplierRecord


@contextmanager
def refused(error: type[Exception]) -> Generator[None]:
    """Fail unless the block raises ``error``: the mistake is refused at run time too."""
    try:
        yield
    except error:
        return
    raise AssertionError(f"expected {error.__name__}")


AT = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)

# What the constructors take: an amount as a Decimal, an int or a decimal string.
assert Money(Decimal("12.50"), "USD") == Money("12.50", "USD")
assert Money(12, "USD") == Money("12", "USD")

# A float loses cents: a checker refuses it, and so does Money at run time.
with refused(TypeError):
    Money(1.5, "USD")  # type: ignore[arg-type]
with refused(TypeError):
    Money(Decimal(1), 840)  # type: ignore[arg-type]

# A collection of strings is a tuple or a list of them, never one string (a str is
# itself a Sequence[str], so those types would let it through).
opened = DisputeOpened(
    at=AT, reason=DisputeReason.DAMAGED, claim=Money(100, "USD"), evidence=["a.jpg"]
)
assert opened.evidence == ("a.jpg",)
with refused(InvalidInput):
    DisputeOpened(
        at=AT,
        reason=DisputeReason.DAMAGED,
        claim=Money(100, "USD"),
        evidence="photo.jpg",  # type: ignore[arg-type]
    )
with refused(InvalidInput):
    EvidenceSubmitted(at=AT, by=Party.BUYER, items="inspection-report.pdf")  # type: ignore[arg-type]
with refused(InvalidInput):
    OrderPlaced(
        at=AT,
        order_id="PO-7",
        buyer="Acme Ltd",
        supplier="Shenzhen Co",
        total=Money(10_000, "USD"),
        ship_by=date(2025, 10, 20),
        specifications="PP, 2 mm wall",  # type: ignore[arg-type]
    )
with refused(InvalidInput):
    Decision(allowed=False, rule="SEC-PASSWORD", reasons="too short")  # type: ignore[arg-type]

# A currency is an ISO 4217 code string.
with refused(InvalidInput):
    SupplierRecord(Membership.GOLD_SUPPLIER, currency=None)  # type: ignore[arg-type]
