"""Working-day arithmetic against a naive day-by-day loop over the same calendar.

Run: .venv/bin/python benchmarks/bench_shipping.py

Two naive loops: one steps a day at a time asking the ``holidays`` package (what code
without tradeassure would write), one steps a day at a time asking the calendar's own
``is_working_day`` (the same answers, so only the counting method differs). Each figure is
the best of several timed runs, per call, with every year already loaded (the calendar's
first use of a year costs about a millisecond, once).
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from datetime import date, timedelta

import holidays

from tradeassure.shipping import WorkingCalendar, add_working_days, working_days_between

COUNTRY = "CN"
START = date(2025, 3, 14)
YEAR_END = date(2026, 3, 14)  # a one-year span that crosses a year boundary
LEAD = 60

calendar = WorkingCalendar(COUNTRY)
package = holidays.country_holidays(COUNTRY, years=range(2024, 2028))
ONE_DAY = timedelta(days=1)


def naive_add(start: date, n: int, is_working: Callable[[date], bool]) -> date:
    day, left = start, n
    while left:
        day += ONE_DAY
        if is_working(day):
            left -= 1
    return day


def naive_between(start: date, end: date, is_working: Callable[[date], bool]) -> int:
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working(day)
    return count


def per_call(fn: Callable[[], object], number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def main() -> None:
    # The three ways must agree before their speed means anything.
    fast_add = add_working_days(START, LEAD, calendar)
    assert fast_add == naive_add(START, LEAD, package.is_working_day)
    assert fast_add == naive_add(START, LEAD, calendar.is_working_day)
    fast_between = working_days_between(START, YEAR_END, calendar)
    assert fast_between == naive_between(START, YEAR_END, package.is_working_day)
    assert fast_between == naive_between(START, YEAR_END, calendar.is_working_day)

    rows = [
        (
            f"add_working_days(+{LEAD})",
            per_call(lambda: add_working_days(START, LEAD, calendar), 20_000),
            per_call(lambda: naive_add(START, LEAD, package.is_working_day), 200),
            per_call(lambda: naive_add(START, LEAD, calendar.is_working_day), 500),
        ),
        (
            "working_days_between(1 year)",
            per_call(lambda: working_days_between(START, YEAR_END, calendar), 20_000),
            per_call(lambda: naive_between(START, YEAR_END, package.is_working_day), 50),
            per_call(lambda: naive_between(START, YEAR_END, calendar.is_working_day), 100),
        ),
    ]
    print(f"{COUNTRY} calendar, from {START}; per call, best of 5")
    print(f"{'operation':30} {'tradeassure':>12} {'naive/holidays':>15} {'naive/calendar':>15}")
    for name, fast, naive_pkg, naive_cal in rows:
        print(
            f"{name:30} {fast * 1e6:9.2f} µs {naive_pkg * 1e6:12.1f} µs {naive_cal * 1e6:12.1f} µs"
            f"   x{naive_pkg / fast:,.0f} / x{naive_cal / fast:,.0f}"
        )


if __name__ == "__main__":
    main()
