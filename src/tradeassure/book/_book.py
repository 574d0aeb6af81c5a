"""The book: every order's row, built part by part (each part whole orders) and joined
in the parts' order, so any engine gives the same rows; and the sums, counted as each
part's rows are made and merged in the same order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, final

import attrs

from tradeassure._checks import count_field, currency_code, money_field, text_field, validator
from tradeassure.book._read import Group, groups
from tradeassure.book._rows import Rows
from tradeassure.book._summary import BookError, OrderSummary, summarize_order
from tradeassure.errors import InvalidInput
from tradeassure.escrow import DisputeReason, EscrowPolicy, Event, Party
from tradeassure.money import MAX_AMOUNT, Money

__all__ = ["AGES", "Book", "Exposure", "Totals", "summarize_groups"]

#: The ages of held money, as (label, days held at most); the last has no bound.
AGES: Final = (("0-7 days", 7), ("8-30 days", 30), ("31-90 days", 90), ("over 90 days", None))


def _age(held_since: datetime, as_of: datetime) -> str:
    days = (as_of - held_since) / timedelta(days=1)
    for label, most in AGES:
        if most is None or days <= most:
            return label
    raise AssertionError("the last age has no bound")  # pragma: no cover


@final
@attrs.frozen
class Exposure:
    """The money a supplier holds in one currency, beside its protection limit.

    Attributes:
        supplier: whose money it is.
        currency: the currency it is in.
        orders: its orders in that currency.
        held: the money held in escrow on them (ESC-HOLD).
        covered: what protection covers of it (TA-LIMIT and the rest).
        limit: the supplier's protection limit as its latest order states it (the
            contract's, else the policy's default), or None for none.
    """

    supplier: str = attrs.field(validator=text_field)
    currency: str = attrs.field(validator=validator(currency_code))
    orders: int = attrs.field(validator=count_field)
    held: Money = attrs.field(validator=money_field)
    covered: Money = attrs.field(validator=money_field)
    limit: Money | None = attrs.field(validator=attrs.validators.optional(money_field))


def _add(sums: dict[Any, Decimal], key: Any, amount: Money | None) -> None:
    if amount is not None:
        sums[key] = sums.get(key, Decimal(0)) + amount.amount


@attrs.define
class Totals:
    """The sums over a book's rows, counted row by row (a private working copy)."""

    held: dict[tuple[str, str], Decimal] = attrs.Factory(dict)
    covered: dict[tuple[str, str], Decimal] = attrs.Factory(dict)
    orders: Counter[tuple[str, str]] = attrs.Factory(Counter)
    limits: dict[tuple[str, str], Money | None] = attrs.Factory(dict)
    ages: dict[tuple[str, str], Decimal] = attrs.Factory(dict)
    disputes: Counter[tuple[DisputeReason, str]] = attrs.Factory(Counter)
    due: Counter[str] = attrs.Factory(Counter)
    platform_overdue: Counter[str] = attrs.Factory(Counter)
    platform_waiting: Counter[str] = attrs.Factory(Counter)

    def count(self, row: OrderSummary, as_of: datetime) -> None:
        if row.supplier is None or row.currency is None:
            return
        key = (row.supplier, row.currency)
        self.orders[key] += 1
        _add(self.held, key, row.held)
        _add(self.covered, key, row.covered)
        self.limits[key] = row.limit
        if row.held is not None and row.held.amount and row.held_since is not None:
            _add(self.ages, (row.currency, _age(row.held_since, as_of)), row.held)
        if row.dispute_reason is not None and row.dispute_stage is not None:
            self.disputes[row.dispute_reason, row.dispute_stage] += 1
        self.due.update(row.due)
        if row.next_party is Party.PLATFORM and row.next_rule is not None:
            if row.next_deadline is None:
                self.platform_waiting[row.next_rule] += 1
            elif row.next_deadline <= as_of:
                self.platform_overdue[row.next_rule] += 1

    def merge(self, later: Totals) -> None:
        """Add the sums of the rows after these (a later part's): the latest order's
        limit stays the one kept, as when counted row by row."""
        for mine, theirs in (
            (self.held, later.held),
            (self.covered, later.covered),
            (self.ages, later.ages),
        ):
            for key, amount in theirs.items():
                mine[key] = mine.get(key, Decimal(0)) + amount
        self.limits.update(later.limits)
        self.orders.update(later.orders)
        self.disputes.update(later.disputes)
        self.due.update(later.due)
        self.platform_overdue.update(later.platform_overdue)
        self.platform_waiting.update(later.platform_waiting)


def summarize_groups(
    found: Iterable[Group], policy: EscrowPolicy, as_of: datetime
) -> tuple[Rows, Totals]:
    """Every group's row, each kept compact as soon as it is made and counted in the
    sums then, so that no row is built twice."""
    rows, totals = Rows(), Totals()
    for group in found:
        row = summarize_order(group.order_id, group.items, policy, as_of)
        rows.append(row)
        if row.error is None:
            totals.count(row, as_of)
    return rows, totals


def summarize_records(
    records: Iterable[tuple[str | None, Event | BookError, str]],
    policy: EscrowPolicy,
    as_of: datetime,
) -> tuple[Rows, Totals]:
    """:func:`summarize_groups` of the records' groups."""
    return summarize_groups(groups(records), policy, as_of)


def totals_of(rows: Iterable[OrderSummary], as_of: datetime) -> Totals:
    """The sums over the rows without an error."""
    totals = Totals()
    for row in rows:
        if row.error is None:
            totals.count(row, as_of)
    return totals


def _money(sums: Mapping[Any, Decimal], currency_of: Any) -> Mapping[Any, Money]:
    too_large = next(((k, a) for k, a in sums.items() if abs(a) > MAX_AMOUNT), None)
    if too_large is not None:
        key, amount = too_large
        raise InvalidInput(
            f"the book's sum for {key!r} is {amount}, beyond the {MAX_AMOUNT:,} units a "
            "Money holds: summarize the book in smaller parts (by supplier or currency)"
        )
    return MappingProxyType(
        {key: Money(amount, currency_of(key)) for key, amount in sorted(sums.items())}
    )


@final
class Book:
    """Every order of a book summarized at one instant, and the sums over them.

    Attributes:
        as_of: the instant due timers and ages are counted at.
        orders: one row per order, in the book's order (a second row for an order whose
            events came again after other orders': it carries that error).
        errors: the rows that carry an error (a refused or unreadable event).
        held_by_supplier: held money by (supplier, currency).
        exposure: held and covered money by supplier and currency, beside the
            supplier's protection limit, the most held first.
        aging: held money by (currency, age since it was first held: ``AGES``).
        disputes: orders by their latest dispute's (reason, stage).
        due: orders by the timers due at ``as_of`` and not yet run.
        platform_overdue: orders waiting on the platform past a deadline, by rule.
        platform_waiting: orders waiting on the platform with no deadline, by rule
            (an escalated dispute's ruling; a refund without a bank account).
    Rows with an error are left out of the sums.
    """

    def __init__(self, as_of: datetime, rows: Rows, totals: Totals) -> None:
        self.as_of = as_of
        self.orders: Sequence[OrderSummary] = rows
        self.errors: tuple[OrderSummary, ...] = tuple(rows.with_errors())
        self.held_by_supplier: Mapping[tuple[str, str], Money] = _money(
            totals.held, lambda key: key[1]
        )
        covered = _money(totals.covered, lambda key: key[1])
        self.exposure: tuple[Exposure, ...] = tuple(
            sorted(
                (
                    Exposure(
                        supplier,
                        currency,
                        totals.orders[supplier, currency],
                        held,
                        covered.get((supplier, currency), Money(0, currency)),
                        totals.limits.get((supplier, currency)),
                    )
                    for (supplier, currency), held in self.held_by_supplier.items()
                ),
                key=lambda e: (e.currency, -e.held.amount, e.supplier),
            )
        )
        self.aging: Mapping[tuple[str, str], Money] = _money(totals.ages, lambda key: key[0])
        self.disputes: Mapping[tuple[DisputeReason, str], int] = MappingProxyType(
            dict(sorted(totals.disputes.items(), key=lambda kv: (kv[0][0].name, kv[0][1])))
        )
        self.due: Mapping[str, int] = MappingProxyType(dict(sorted(totals.due.items())))
        self.platform_overdue: Mapping[str, int] = MappingProxyType(
            dict(sorted(totals.platform_overdue.items()))
        )
        self.platform_waiting: Mapping[str, int] = MappingProxyType(
            dict(sorted(totals.platform_waiting.items()))
        )

    def _key(self) -> tuple[Any, ...]:
        return (
            self.as_of,
            self.orders,
            dict(self.held_by_supplier),
            self.exposure,
            dict(self.aging),
            dict(self.disputes),
            dict(self.due),
            dict(self.platform_overdue),
            dict(self.platform_waiting),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Book):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Book as of {self.as_of.isoformat()}: {len(self.orders):,} orders, "
            f"{len(self.errors):,} with errors>"
        )

    def __iter__(self) -> Iterator[OrderSummary]:
        return iter(self.orders)

    def to_arrow(self) -> Any:
        """The rows as a ``pyarrow.Table``: exact ``decimal128`` money, UTC timestamps
        (the ``book`` extra)."""
        from tradeassure.book._frames import to_arrow

        return to_arrow(self.orders, self.as_of)

    def to_pandas(self) -> Any:
        """The rows as a pandas ``DataFrame`` on Arrow types: money stays exact."""
        from tradeassure.book._frames import to_pandas

        return to_pandas(self.orders)

    def to_polars(self) -> Any:
        """The rows as a polars ``DataFrame``: ``Decimal`` money, UTC datetimes."""
        from tradeassure.book._frames import to_polars

        return to_polars(self.orders)

    def write_parquet(self, path: str) -> None:
        """The rows written to a Parquet file at ``path``."""
        from tradeassure.book._frames import write_parquet

        write_parquet(self.orders, path, self.as_of)


def mark_strays(rows: Rows) -> int:
    """Mark in ``rows`` every row after an order's first one with the error that its
    events came again after other orders' (a book needs each order's events
    together); returns how many it marked."""
    found = rows.repeats()
    for index, earlier in found:
        row = rows[index]
        message = (
            f"events of order {row.order_id} come again after other orders' (its first "
            f"began at {rows[earlier].source}): a book needs each order's events "
            "together, in time order; `tradeassure sort` (tradeassure.book.sort_book) "
            "puts them together"
        )
        rows.replace(index, attrs.evolve(row, error=BookError(None, message, 1, row.source)))
    return len(found)
