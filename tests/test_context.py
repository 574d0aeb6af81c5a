"""The library computes in its own decimal context, whatever the caller's.

A caller's context (its precision, rounding, traps, exponent range, letter case), a
history whose iterator changes that context between events, threads each with a
context of its own, and an import under a hostile context: none of them changes a
result, and the caller's context is left as the caller set it (no setting changed, no
flag raised: the library computed nothing in it).
"""

from __future__ import annotations

import decimal
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal

import pytest

from tradeassure import _example, views
from tradeassure import credit as credit_
from tradeassure import escrow as escrow_
from tradeassure.credit import (
    AU_PARTNER_FINANCING,
    CreditLine,
    Drawdown,
    Repayment,
    interest,
    quote,
    repayment_schedule,
)
from tradeassure.escrow import (
    Event,
    PaymentMethod,
    PaymentReceived,
    allowed_events,
    covered_amount,
    due_events,
    replay,
    steps,
)
from tradeassure.money import Money
from tradeassure.serialization import from_json, to_json
from tradeassure.verification import (
    Inquiry,
    Membership,
    SupplierRecord,
    protection_eligible,
    storefront,
)
from tradeassure.verification.standing import response_hours

#: Every signal decimal has: a context trapping them all raises on any rounding at all,
#: even one that only drops zeros.
SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.FloatOperation,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
]

#: Contexts a caller may have set for its own reasons, each hostile to a library that
#: would compute in it.
HOSTILE: dict[str, Callable[[], decimal.Context]] = {
    "prec=3": lambda: decimal.Context(prec=3),
    "every trap": lambda: decimal.Context(prec=3, traps=SIGNALS),
    "ROUND_FLOOR": lambda: decimal.Context(rounding=ROUND_FLOOR),
    "Emax=9": lambda: decimal.Context(Emax=9, Emin=-9),
    "capitals=0": lambda: decimal.Context(capitals=0, clamp=1),
}


def usd(amount: int | str) -> Money:
    return Money(amount, "USD")


def aud(amount: int | str) -> Money:
    return Money(amount, "AUD")


def _money() -> dict[str, Callable[[], object]]:
    """Money's operations, its text and its refusals."""
    a, b = usd("1234567.885"), usd("0.015")
    return {
        "sum": lambda: a + b,
        "difference": lambda: b - a,
        "negation": lambda: -a,
        "negated zero": lambda: -Money.zero("USD"),
        "product": lambda: a * Decimal("0.3"),
        "integer product": lambda: 7 * a,
        "comparisons": lambda: (a < b, a <= b, a > b, a >= b, a <= a, a < a, a == usd(a.amount)),
        "rounded half-up": lambda: a.rounded(),
        "rounded down": lambda: a.rounded(ROUND_DOWN),
        "rounded yen and dinar": lambda: (
            Money("2.5", "JPY").rounded(),
            Money("1.0005", "BHD").rounded(ROUND_FLOOR),
        ),
        "whole minor units": lambda: (
            a.is_whole_minor_units(),
            usd("12.30").is_whole_minor_units(),
        ),
        "text": lambda: (
            str(usd("123456")),
            str(a),
            f"{Money(5, 'EUR'):>14}",
            str(usd("0.0000001")),
            str(Money("1E+3", "JPY")),
        ),
        "repr": lambda: (repr(usd("1E+3")), repr(usd("-0.50"))),
        "the bounds": lambda: (usd(10**15), usd("-1000000000000000")),
        "beyond the bound": lambda: usd("1000000000000004"),
        "a sum beyond the bound": lambda: usd(10**15) + usd("0.01"),
        "too many places": lambda: usd("0." + "0" * 30 + "1"),
        "an exponent": lambda: usd("12.5E+2"),
        "a huge exponent": lambda: usd("1e999999"),
        "a million digits": lambda: usd("9" * 10**6),
        "an inexact product": lambda: usd("123.45") * Decimal("0." + "3" * 59),
        "JSON": lambda: (
            to_json(usd("1234.50")),
            from_json('{"amount": "123456.789", "currency": "USD"}', Money),
        ),
    }


def _credit() -> dict[str, Callable[[], object]]:
    """Quotes, draws, interest and a repayment schedule (CR-*)."""
    line = CreditLine(limit=usd(2_000_000), outstanding=usd(900_000), drawn_total=usd(900_000))
    jan_1 = date(2025, 1, 1)
    return {
        "quote": lambda: quote(line, usd(200_000)),
        "quote on the partner line": lambda: quote(
            CreditLine(limit=aud(300_000)), aud("123456.789"), AU_PARTNER_FINANCING
        ),
        "check": lambda: credit_.check(line, usd(155_000), usd(200_000)),
        "draw": lambda: credit_.apply(line, usd(50_000), usd(200_000)),
        "interest": lambda: (
            interest(usd(100_000), days=30),
            interest(usd("123456.78"), days=17),
            interest(aud(10_000), 365, AU_PARTNER_FINANCING),
        ),
        "repayment schedule": lambda: repayment_schedule(
            [Drawdown("PO-7", jan_1, usd(100_000)), Drawdown("PO-8", jan_1, usd("12.50"))],
            [Repayment("PO-7", jan_1 + timedelta(days=30), usd(40_000))],
            as_of=jan_1 + timedelta(days=89),
        ),
    }


def _escrow() -> dict[str, Callable[[], object]]:
    """The example order's fold, and questions asked of it on the way."""
    history = _example.history()
    deposit_paid = history[:3]
    overpaid = PaymentReceived(
        at=history[2].at + timedelta(hours=1), amount=usd("9000.00"), method=PaymentMethod.TT
    )
    return {
        # The order's whole state, every amount with its digits, as JSON.
        "replay": lambda: to_json(replay(history)),
        "amounts": lambda: [
            str(getattr(replay(history), name))
            for name in ("paid", "held", "released", "refunded", "shipped")
        ],
        "steps": lambda: [repr(step.after.held) for step in steps(history)],
        "apply": lambda: to_json(escrow_.apply(replay(history[:-1]), history[-1])),
        "read back from JSON": lambda: to_json(from_json(to_json(replay(history)), escrow_.Order)),
        "check": lambda: escrow_.check(replay(deposit_paid), overpaid),
        "covered amount": lambda: covered_amount(replay(history[:8])),
        "allowed events": lambda: sorted(t.__name__ for t in allowed_events(replay(history[:5]))),
        "due events": lambda: due_events(replay(history[:6]), history[5].at + timedelta(days=90)),
        # A decided refund still to be paid out: its start and the next move are counted.
        "deadlines": lambda: escrow_.deadlines(replay(history[:9])),
        "deadline rows": lambda: views.deadline_rows(replay(history[:9])),
    }


def _standing() -> dict[str, Callable[[], object]]:
    """A supplier's storefront figures: its response rate, hours and their refusal."""
    on = date(2025, 3, 3)
    record = SupplierRecord(
        Membership.GOLD_SUPPLIER,
        inquiries=[
            Inquiry(on, timedelta(minutes=63)),
            Inquiry(on, timedelta(hours=30)),
            Inquiry(on, None),
        ],
    )
    as_of = date(2025, 6, 30)
    return {
        "response hours": lambda: response_hours(timedelta(minutes=63)),
        "response rate": lambda: storefront(record, as_of).response_rate,
        "storefront rows": lambda: views.storefront_rows(storefront(record, as_of)),
        "refusals": lambda: [v.message for v in protection_eligible(record, as_of).violations],
    }


def _workload() -> dict[str, Callable[[], object]]:
    return {
        **{f"money: {k}": v for k, v in _money().items()},
        **{f"credit: {k}": v for k, v in _credit().items()},
        **{f"escrow: {k}": v for k, v in _escrow().items()},
        **{f"standing: {k}": v for k, v in _standing().items()},
    }


def _outcomes() -> dict[str, str]:
    """What each call of the workload gives, in the current context: its value's repr
    (which shows every digit) or the error it raises. Inputs are built here too, so
    their construction runs in the context under test."""
    outcomes = {}
    for name, call in _workload().items():
        try:
            outcomes[name] = repr(call())
        except Exception as exc:  # recorded, so that every difference is reported at once
            outcomes[name] = f"raises {type(exc).__name__}: {exc}"
    return outcomes


def _in(context: decimal.Context) -> dict[str, str]:
    with decimal.localcontext(context):
        return _outcomes()


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    """The workload's outcomes in a fresh default context."""
    return _in(decimal.Context())


def _untouched(context: decimal.Context, fresh: decimal.Context) -> None:
    """``context`` still has ``fresh``'s settings, and no flag raised: nothing was
    computed in it."""
    assert repr(context) == repr(fresh)
    assert not any(context.flags.values())


@pytest.mark.parametrize("name", HOSTILE)
def test_every_result_is_the_default_contexts_whatever_the_callers_context(
    name: str, expected: dict[str, str]
) -> None:
    with decimal.localcontext(HOSTILE[name]()) as caller:
        got = _outcomes()
        assert decimal.getcontext() is caller
    assert got == expected
    _untouched(caller, HOSTILE[name]())


def test_a_history_that_changes_the_callers_context_between_events_replays_the_same(
    expected: dict[str, str],
) -> None:
    history = _example.history()

    def meddling() -> Iterator[Event]:
        # The caller's business, between two events: it must land in the caller's context.
        for precision, event in enumerate(history, start=3):
            decimal.getcontext().prec = precision
            yield event

    with decimal.localcontext(decimal.Context()) as caller:
        order = replay(meddling())
        assert decimal.getcontext() is caller
        assert caller.prec == len(history) + 2  # as the iterator last set it
    assert repr(order) == repr(replay(history))
    # The library's own context is as it was: every later call gives what it gave.
    assert _in(decimal.Context()) == expected


def test_threads_each_in_its_own_hostile_context_all_compute_the_same(
    expected: dict[str, str],
) -> None:
    names = [list(HOSTILE)[i % len(HOSTILE)] for i in range(8)]
    start = threading.Barrier(len(names))
    got: dict[int, list[dict[str, str]]] = {}
    left: dict[int, decimal.Context] = {}

    def run(i: int) -> None:
        decimal.setcontext(HOSTILE[names[i]]())
        start.wait()  # all at once
        got[i] = [_outcomes() for _ in range(3)]
        left[i] = decimal.getcontext()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(names))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == list(range(len(names)))
    for i, runs in got.items():
        assert runs == [expected] * 3, names[i]
        _untouched(left[i], HOSTILE[names[i]]())


def test_importing_the_library_in_a_hostile_context_builds_the_same_figures() -> None:
    # A fresh interpreter: the figures are built once, at import, in the importer's context.
    script = (
        "import decimal\n"
        "decimal.setcontext(decimal.Context(prec=3, traps=[getattr(decimal, s) for s in "
        f"{[s.__name__ for s in SIGNALS]!r}]))\n"
        "import tradeassure, tradeassure.testing, tradeassure.serialization, tradeassure.views\n"
        "from tradeassure.money import MAX_AMOUNT, Money\n"
        "from tradeassure.credit import DEFAULT_FINANCING\n"
        "print(repr(MAX_AMOUNT), repr(-Money(MAX_AMOUNT, 'USD')), DEFAULT_FINANCING.min_limit)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "Decimal('1000000000000000')",
        "Money('-1000000000000000.00',",  # at the minor unit, built in the hostile context
        "'USD')",
        "USD",
        "1,000,000.00",
    ]
