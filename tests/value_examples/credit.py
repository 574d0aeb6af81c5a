import datetime as dt

from tradeassure.credit import (
    Cap,
    CreditLine,
    Drawdown,
    FinancingQuote,
    Repayment,
    RepaymentSchedule,
    ScheduleRow,
    quote,
    repayment_schedule,
)
from tradeassure.money import Money

_LINE = CreditLine(
    limit=Money(2_000_000, "USD"),
    outstanding=Money(900_000, "USD"),
    drawn_total=Money(900_000, "USD"),
)
_DRAWS = [Drawdown("PO-7", dt.date(2025, 1, 1), Money(100_000, "USD"))]
_SCHEDULE = repayment_schedule(
    _DRAWS, [Repayment("PO-7", dt.date(2025, 1, 31), Money(40_000, "USD"))], dt.date(2025, 3, 1)
)

EXAMPLES: list[object] = [
    _LINE,
    CreditLine(limit=Money(5_000, "AUD")),
    CreditLine(
        limit=Money(2_000_000, "USD"),
        drawn_total=Money(900_000, "USD"),
        fully_repaid_once=True,
    ),
    Cap("CR-80", "80% of the trade's payable amount", Money(160_000, "USD")),
    Cap("CR-AVAILABLE", "unused part of the credit limit", Money(0, "AUD")),
    quote(_LINE, Money(200_000, "USD")),
    quote(_LINE, Money(100_000, "USD")),
    FinancingQuote(
        amount=Money(5, "AUD"),
        limited_by="CR-AVAILABLE",
        caps=(Cap("CR-AVAILABLE", "unused part of the credit limit", Money(5, "AUD")),),
        insurance_fee=Money(0, "AUD"),
    ),
    *_DRAWS,
    Drawdown("PO-8", dt.date(2025, 1, 1), Money(100_000, "USD")),
    Repayment("PO-7", dt.date(2025, 1, 31), Money(40_000, "USD")),
    Repayment("PO-7", dt.date(2025, 2, 1), Money(40_000, "USD")),
    *_SCHEDULE.rows,
    ScheduleRow(
        ref="PO-8",
        drawn_on=dt.date(2025, 1, 1),
        principal=Money(10, "USD"),
        repaid=Money(10, "USD"),
        outstanding=Money(0, "USD"),
        repaid_on=dt.date(2025, 1, 2),
        interest=Money("0.00", "USD"),
        insurance_fee=Money(0, "USD"),
    ),
    _SCHEDULE,
    RepaymentSchedule(
        as_of=dt.date(2025, 1, 1),
        rows=(),
        outstanding=Money(0, "USD"),
        interest=Money(0, "USD"),
        insurance_fee=Money(0, "USD"),
    ),
]
