"""The two questions of ``bench_book.py`` answered by polars alone, as a reference: the
money held per supplier and currency, and the orders with a timer due at ``as_of``.

polars enforces no rule here. The money flow and the two timers an order can still
have pending at the book's end are written as expressions, with the policy's figures
as literals, leaning on what the generator promises (``tradeassure.book.sample``):
every order has closed by ``as_of`` except the ``open`` ones, which are paid (or their
deposit paid) and not shipped. On a book the rules accept in full the answers are
exact; on the rows the library refuses, polars counts what the lines say, which is why
the benchmark compares the answers over the accepted orders.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl

from tradeassure.escrow import DEFAULT_ESCROW, EscrowPolicy
from tradeassure.shipping import zone_for

_MONEY = pl.Struct({"amount": pl.String, "currency": pl.String})
#: The fields the two questions read; the reader skips the rest of each event.
SCHEMA = {
    "type": pl.String,
    "order_id": pl.String,
    "event": pl.Struct(
        {
            "at": pl.String,
            "supplier": pl.String,
            "total": _MONEY,
            "ship_by": pl.String,
            "deposit": _MONEY,
            "supplier_zone": pl.String,
            "supplier_country": pl.String,
            "amount": _MONEY,
            "timer": pl.String,
            "new_ship_by": pl.String,
        }
    ),
}
#: Events after which an order is past the funded, unshipped stage (and, in a generated
#: book, closed by its end).
_ONWARD = (
    "Shipped",
    "ReceiptConfirmed",
    "TimerExpired",
    "CancellationRequested",
    "CancellationAgreed",
    "DisputeOpened",
    "RefundIssued",
)
#: Events, and timers, that empty the hold: the rest released to the supplier (a
#: receipt, a settlement or ruling beside its refund) or returned to the buyer (an
#: agreed cancellation, a shipment overdue with nothing shipped).
_EMPTIES = ("ReceiptConfirmed", "CancellationAgreed", "DisputeSettled", "PlatformRuled")
_EMPTYING_TIMERS = ("TMR-AUTO-COMPLETE", "TMR-SHIP-OVERDUE")
_AMOUNT = pl.Decimal(38, 4)


def _read(path: str, schema: bool) -> pl.DataFrame:
    if schema:
        return pl.read_ndjson(path, schema=SCHEMA)
    # polars' default inference reads the first 100 lines, which lack fields later
    # lines carry (and then fails): infer from every line, as a user without a
    # schema must.
    return pl.read_ndjson(path, infer_schema_length=None)


def _start_of_day(day: pl.Expr, zone: pl.Expr, zones: list[str]) -> pl.Expr:
    """The first instant of ``day`` in ``zone``, in UTC (one branch per zone seen)."""
    midnight = day.cast(pl.Datetime("us"))
    out = pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    for name in zones:
        local = midnight.dt.replace_time_zone(name).dt.convert_time_zone("UTC")
        out = pl.when(zone == name).then(local).otherwise(out)
    return out


def answers(
    path: str,
    as_of: datetime,
    policy: EscrowPolicy = DEFAULT_ESCROW,
    *,
    schema: bool = True,
    leave_out: frozenset[str] = frozenset(),
) -> tuple[dict[tuple[str, str], Decimal], dict[str, tuple[str, ...]]]:
    """Held money by (supplier, currency), and the timers due by order id, over the
    orders not in ``leave_out``."""
    raw = _read(path, schema)
    if leave_out:
        raw = raw.filter(~pl.col("order_id").is_in(list(leave_out)))
    e = raw.select(
        "type",
        "order_id",
        pl.col("event").struct.field("at"),
        pl.col("event").struct.field("supplier"),
        pl.col("event").struct.field("total").struct.field("amount").alias("total"),
        pl.col("event").struct.field("total").struct.field("currency").alias("currency"),
        pl.col("event").struct.field("ship_by"),
        pl.col("event").struct.field("new_ship_by"),
        pl.col("event").struct.field("deposit").struct.field("amount").alias("deposit"),
        pl.col("event").struct.field("supplier_zone"),
        pl.col("event").struct.field("supplier_country"),
        pl.col("event").struct.field("amount").struct.field("amount").alias("amount"),
        pl.col("event").struct.field("timer"),
    )
    kind = pl.col("type")
    amount = pl.col("amount").cast(_AMOUNT)
    orders = e.group_by("order_id").agg(
        pl.col("supplier").filter(kind == "OrderPlaced").first(),
        pl.col("currency").filter(kind == "OrderPlaced").first(),
        pl.col("total").filter(kind == "OrderPlaced").first().cast(_AMOUNT),
        pl.col("deposit").filter(kind == "OrderPlaced").first().is_not_null().alias("deposit"),
        pl.col("at").filter(kind == "OrderPlaced").first().alias("placed_at"),
        pl.col("at").filter(kind == "ContractConfirmed").first().alias("confirmed_at"),
        pl.coalesce(
            pl.col("new_ship_by").filter(kind == "ShippingDateExtended").last(),
            pl.col("ship_by").filter(kind == "OrderPlaced").first(),
        ).alias("ship_by"),
        pl.col("supplier_zone").filter(kind == "OrderPlaced").first(),
        pl.col("supplier_country").filter(kind == "OrderPlaced").first(),
        amount.filter(kind == "PaymentReceived").sum().alias("paid"),
        amount.filter(kind == "RefundIssued").sum().alias("refunded"),
        (kind.is_in(_EMPTIES) | pl.col("timer").is_in(_EMPTYING_TIMERS)).any().alias("emptied"),
        kind.is_in(_ONWARD).any().alias("onward"),
    )
    countries = orders["supplier_country"].drop_nulls().unique().to_list()
    zone_of = {country: zone_for(country) for country in countries}
    orders = orders.with_columns(
        pl.coalesce(
            "supplier_zone", pl.col("supplier_country").replace_strict(zone_of, default=None)
        ).alias("zone"),
        pl.col("ship_by").str.to_date(),
        pl.col("placed_at").str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", time_zone="UTC"),
        pl.col("confirmed_at").str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", time_zone="UTC"),
    )
    zones = orders["zone"].drop_nulls().unique().to_list()
    now = pl.lit(as_of).dt.convert_time_zone("UTC")
    after = pl.col("ship_by")
    pending = ~pl.col("onward")
    paid, total = pl.col("paid"), pl.col("total")

    def timer(name: str, when: pl.Expr, runs: pl.Expr) -> pl.Expr:
        return pl.when(pending & runs & (when <= now)).then(pl.lit(name))

    balance_at = _start_of_day(
        after + pl.duration(days=policy.balance_due_days + 1), pl.col("zone"), zones
    )
    overdue_at = _start_of_day(
        after + pl.duration(days=policy.ship_overdue_days + 1), pl.col("zone"), zones
    )
    unpaid = paid == 0
    due = orders.select(
        "order_id",
        pl.concat_list(
            timer(
                "TMR-CONFIRM",
                pl.col("placed_at") + pl.duration(days=policy.confirm_days),
                pl.col("confirmed_at").is_null(),
            ),
            timer(
                "TMR-PAY",
                pl.col("confirmed_at") + pl.duration(days=policy.pay_days),
                pl.col("confirmed_at").is_not_null() & unpaid,
            ),
            timer("TMR-BALANCE", balance_at, pl.col("deposit") & (paid > 0) & (paid < total)),
            timer("TMR-SHIP-OVERDUE", overdue_at, paid >= total),
        )
        .list.drop_nulls()
        .list.sort()
        .alias("due"),
    ).filter(pl.col("due").list.len() > 0)
    held = (
        orders.with_columns(
            pl.when(pl.col("emptied"))
            .then(pl.lit(0, _AMOUNT))
            .otherwise(paid - pl.col("refunded"))
            .alias("held")
        )
        .group_by("supplier", "currency")
        .agg(pl.col("held").sum())
        .filter(pl.col("held") != 0)
    )
    return (
        {(s, c): Decimal(h) for s, c, h in held.iter_rows()},
        {order: tuple(timers) for order, timers in due.iter_rows()},
    )


def tradeassure_answers(
    book: Any,
) -> tuple[dict[tuple[str, str], Decimal], dict[str, tuple[str, ...]]]:
    """The same two answers from a ``tradeassure.book.Book``, whose sums leave out the
    rows with an error."""
    held = {key: money.amount for key, money in book.held_by_supplier.items() if money.amount}
    due = {
        row.order_id: tuple(sorted(row.due)) for row in book.orders if row.due and row.error is None
    }
    return held, due
