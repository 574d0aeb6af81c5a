"""Shipping details the broad tests in test_shipping.py leave open: what each refusal
names, the module functions' defaults, the edges of the dates calendars count on, the
year strict mode names, and the notebook views of a calendar.

Calendars whose years must load inside a test are built fresh (``WorkingCalendar("CN")``)
rather than shared (``calendar_for``), so the answer comes from loading, not from a year
some earlier test left in the shared calendar's cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from tradeassure import views
from tradeassure.errors import InvalidInput, RuleViolation
from tradeassure.shipping import (
    ShippingPolicy,
    WorkingCalendar,
    YearSchedule,
    add_working_days,
    apply,
    calendar_for,
    check,
    is_late,
    is_working_day,
    refund_arrival,
    ship_by,
    working_days_between,
)

D = date
#: A datetime where a date is expected: every date argument refuses it, by name.
NOON = datetime(2025, 10, 16, 12, tzinfo=UTC)


def refusal(call: Callable[[], object]) -> str:
    """The message of the InvalidInput that ``call`` raises."""
    with pytest.raises(InvalidInput) as refused:
        call()
    return str(refused.value)


def names(message: str, *words: str) -> bool:
    """Whether ``message`` names each of ``words`` as a word of its own."""
    return all(re.search(rf"(?<![\w']){re.escape(w)}(?![\w'])", message) for w in words)


def first_estimated_year() -> int:
    return max(calendar_for("CN").official_years) + 1


# -- refusals name the argument ------------------------------------------------------------


class TestARefusedArgumentIsNamed:
    @pytest.mark.parametrize(
        ("what", "call"),
        [
            ("confirmed_on", lambda: ship_by(NOON, 10)),
            ("lead_days", lambda: ship_by(D(2025, 9, 26), "10")),  # type: ignore[arg-type]
            ("policy", lambda: ship_by(D(2025, 9, 26), 10, "CN", None)),  # type: ignore[arg-type]
            ("ship_by", lambda: is_late(NOON, None, D(2025, 10, 17))),
            ("today", lambda: is_late(D(2025, 10, 16), None, NOON)),
            ("shipped_on", lambda: is_late(D(2025, 10, 16), NOON, D(2025, 10, 17))),
            ("ship_by", lambda: check(NOON, D(2025, 10, 20), True, True)),
            ("new_date", lambda: check(D(2025, 10, 16), NOON, True, True)),
            ("supplier_agrees", lambda: check(D(2025, 10, 16), D(2025, 10, 20), True, 1)),  # type: ignore[arg-type]
            (
                "confirmed_on",
                lambda: check(D(2025, 10, 16), D(2025, 10, 20), True, True, confirmed_on=NOON),
            ),
            (
                "policy",
                lambda: check(D(2025, 10, 16), D(2025, 10, 20), True, True, policy=None),  # type: ignore[arg-type]
            ),
            ("issued_on", lambda: refund_arrival(NOON)),
            ("policy", lambda: refund_arrival(D(2025, 9, 29), "CN", None)),  # type: ignore[arg-type]
            ("start", lambda: working_days_between(NOON, D(2025, 10, 20))),
            ("day", lambda: WorkingCalendar("CN").holiday_name(NOON)),
            ("country", lambda: calendar_for(86)),  # type: ignore[arg-type]
            ("each date", lambda: WorkingCalendar("CN", closed=["2025-10-01"])),  # type: ignore[list-item]
            ("schedules", lambda: WorkingCalendar("CN", schedules=[2030])),  # type: ignore[list-item]
            ("YearSchedule.year", lambda: YearSchedule("2030", (), (), "a notice")),  # type: ignore[arg-type]
        ],
    )
    def test_the_refusal_names_the_argument(self, what: str, call: Callable[[], object]) -> None:
        assert names(refusal(call), what)

    def test_a_country_that_is_not_a_string_is_refused_naming_its_type(self) -> None:
        assert names(refusal(lambda: calendar_for(86)), "country", "int")  # type: ignore[arg-type]


# -- the policy's refusals name its figures ---------------------------------------------------


class TestAPolicyRefusalNamesItsFigures:
    def test_a_window_that_closes_before_it_opens_names_both_ends(self) -> None:
        message = refusal(lambda: ShippingPolicy(min_lead_days=8, max_lead_days=7))
        assert names(message, "min_lead_days", "max_lead_days")

    def test_a_cap_below_the_longest_lead_time_names_both_figures(self) -> None:
        message = refusal(lambda: ShippingPolicy(max_lead_days=60, ship_extend_cap_days=59))
        assert names(message, "ship_extend_cap_days", "59", "max_lead_days", "60")

    def test_an_unknown_lead_time_start_is_named_with_the_two_accepted(self) -> None:
        message = refusal(lambda: ShippingPolicy(lead_time_start="shipment"))  # type: ignore[arg-type]
        assert names(message, "lead_time_start", "'shipment'", "'confirmation'", "'placement'")

    def test_a_refund_window_that_closes_before_it_opens_names_both_ends(self) -> None:
        message = refusal(
            lambda: ShippingPolicy(refund_arrival_min_days=11, refund_arrival_max_days=10)
        )
        assert names(message, "refund_arrival_min_days", "refund_arrival_max_days")


# -- the module functions count in China's calendar, leniently, by default ---------------------


class TestTheDefaultsAreChinaAndLenient:
    def test_is_working_day_defaults_to_china(self) -> None:
        # Sunday 28 September 2025: a make-up working day in China only.
        assert is_working_day(D(2025, 9, 28)) is True

    def test_working_days_between_defaults_to_china(self) -> None:
        # 1-8 October 2025 are China's National Day holiday.
        assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1

    def test_working_days_between_accepts_an_estimated_year_by_default(self) -> None:
        year = first_estimated_year()
        start, end = D(year - 1, 12, 1), D(year, 2, 1)
        expected = WorkingCalendar("CN").working_days_between(start, end)
        assert working_days_between(start, end) == expected

    def test_ship_by_defaults_to_china(self) -> None:
        assert ship_by(D(2025, 9, 26), 10) == D(2025, 10, 16)

    def test_check_counts_the_cap_in_china_by_default(self) -> None:
        # 90 working days after Monday 3 March 2025 in China end on Friday 11 July.
        assert check(D(2025, 5, 2), D(2025, 7, 11), True, True, confirmed_on=D(2025, 3, 3)) == ()

    def test_refund_arrival_defaults_to_china(self) -> None:
        assert refund_arrival(D(2025, 9, 29)) == (D(2025, 10, 15), D(2025, 10, 20))

    def test_refund_arrival_accepts_an_estimated_year_by_default(self) -> None:
        issued = D(first_estimated_year(), 3, 1)
        china = WorkingCalendar("CN")
        assert refund_arrival(issued) == (
            china.add_working_days(issued, 7),
            china.add_working_days(issued, 10),
        )


# -- the extension cap: TMR-SHIP-EXTEND-CAP ----------------------------------------------------


#: 90 working days after Monday 3 March 2025: Thursday 10 July in the United States
#: (Memorial Day, Juneteenth and Independence Day are off), Friday 11 July in China.
CONFIRMED = D(2025, 3, 3)


class TestTheExtensionCapFollowsTheCountryAndThePolicy:
    def test_the_cap_day_itself_is_allowed(self) -> None:
        assert (
            check(D(2025, 5, 2), D(2025, 7, 10), True, True, confirmed_on=CONFIRMED, country="US")
            == ()
        )

    def test_apply_counts_the_cap_in_the_country_it_is_given(self) -> None:
        with pytest.raises(RuleViolation) as refused:
            apply(D(2025, 5, 2), D(2025, 7, 11), True, True, confirmed_on=CONFIRMED, country="US")
        assert refused.value.rule == "TMR-SHIP-EXTEND-CAP"
        assert names(refused.value.message, "2025-07-11", "90", "2025-03-03", "2025-07-10")
        assert apply(
            D(2025, 5, 2), D(2025, 7, 11), True, True, confirmed_on=CONFIRMED, country="CN"
        ) == D(2025, 7, 11)

    def test_apply_takes_the_cap_from_the_policy_it_is_given(self) -> None:
        policy = ShippingPolicy(ship_extend_cap_days=60)
        cap = add_working_days(CONFIRMED, 60, "CN")
        # March 4-31 give 20, April 22 (the 4th off, Sunday the 27th worked), and 1-5
        # May are Labour Day: the 60th working day is Thursday 29 May.
        assert cap == D(2025, 5, 29)
        with pytest.raises(RuleViolation) as refused:
            apply(D(2025, 5, 2), D(2025, 5, 30), True, True, confirmed_on=CONFIRMED, policy=policy)
        assert refused.value.rule == "TMR-SHIP-EXTEND-CAP"
        assert names(refused.value.message, "2025-05-30", "60", "2025-05-29")


# -- schedules and calendars as values ---------------------------------------------------------


class TestSchedulesAndSubdivisions:
    def test_a_calendar_keeps_its_schedules_in_year_order(self) -> None:
        later = YearSchedule(2031, frozenset({D(2031, 3, 4)}), frozenset(), "the 2031 notice")
        earlier = YearSchedule(2030, frozenset({D(2030, 3, 5)}), frozenset(), "the 2030 notice")
        assert WorkingCalendar("CN", schedules=(later, earlier)).schedules == (earlier, later)

    @pytest.mark.parametrize("year", [1900, 2100])
    def test_a_schedule_may_be_for_the_first_or_last_supported_year(self, year: int) -> None:
        assert YearSchedule(year, frozenset(), frozenset(), "a notice").year == year

    @pytest.mark.parametrize("year", [1899, 2101])
    def test_a_schedule_outside_the_supported_years_is_refused_naming_the_range(
        self, year: int
    ) -> None:
        message = refusal(lambda: YearSchedule(year, frozenset(), frozenset(), "a notice"))
        assert names(message, "YearSchedule.year", "1900", "2100", str(year))

    def test_an_unknown_subdivision_is_refused_listing_the_known_ones(self) -> None:
        message = refusal(lambda: WorkingCalendar("AU", subdivision="XX"))
        assert "ACT, NSW, NT, QLD, SA, TAS, VIC, WA" in message

    def test_a_country_without_subdivisions_lists_none(self) -> None:
        message = refusal(lambda: WorkingCalendar("SG", subdivision="XX"))
        assert names(message, "'XX'", "SG", "none")


# -- the dates calendars count on: 1800-01-01 to 2999-12-31 ----------------------------------


class TestTheEdgesOfTheCountedDates:
    def test_the_first_and_last_counted_years_answer(self) -> None:
        us = WorkingCalendar("US")
        assert us.is_working_day(D(1800, 1, 8)) is True  # a Wednesday
        assert us.is_working_day(D(2999, 12, 31)) is True  # a Tuesday

    def test_a_count_may_end_on_the_first_counted_day_but_not_pass_it(self) -> None:
        # Ten working days back from Saturday 11 January 1800 reach 1799: ten calendar
        # days fit, so the refusal is the year's, naming it.
        message = refusal(lambda: add_working_days(D(1800, 1, 11), -10, "US"))
        assert names(message, "1799")

    def test_a_count_may_end_on_the_last_counted_day_but_not_pass_it(self) -> None:
        message = refusal(lambda: add_working_days(D(2999, 12, 21), 10, "US"))
        assert names(message, "3000")

    def test_a_count_past_the_last_counted_day_is_refused_as_after_it(self) -> None:
        message = refusal(lambda: add_working_days(D(2999, 12, 31), 1, "US"))
        assert message.startswith("1 working days after 2999-12-31 ")

    def test_a_count_before_the_first_counted_day_is_refused_as_before_it(self) -> None:
        message = refusal(lambda: add_working_days(D(1900, 1, 1), -73_413, "US"))
        assert message.startswith("73,413 working days before 1900-01-01 ")


# -- strict mode names the estimated year ------------------------------------------------------


class TestStrictNamesTheEstimatedYear:
    def published(self) -> str:
        official = calendar_for("CN").official_years
        return f"{min(official)}-{max(official)}"

    def test_a_count_from_an_estimated_year(self) -> None:
        year = first_estimated_year()
        message = refusal(
            lambda: WorkingCalendar("CN").add_working_days(D(year, 3, 2), 1, strict=True)
        )
        assert names(message, f"CN {year}", self.published())

    def test_a_count_forward_into_an_estimated_year(self) -> None:
        year = first_estimated_year()
        message = refusal(
            lambda: WorkingCalendar("CN").add_working_days(D(year - 1, 12, 30), 5, strict=True)
        )
        assert names(message, f"CN {year}", self.published())

    def test_a_count_back_into_an_estimated_year(self) -> None:
        # China's published schedules begin with 2001: 2000 is estimated.
        assert min(calendar_for("CN").official_years) == 2001
        message = refusal(
            lambda: WorkingCalendar("CN").add_working_days(D(2001, 1, 10), -10, strict=True)
        )
        assert names(message, "CN 2000")

    def test_without_strict_a_count_back_into_an_estimated_year_answers(self) -> None:
        # Back from Wednesday 10 January 2001: 9, 8, 5, 4, 3 and 2 January (the 1st is
        # New Year's Day), then 29, 28, 27 and 26 December 2000.
        assert WorkingCalendar("CN").add_working_days(D(2001, 1, 10), -10) == D(2000, 12, 26)

    def test_a_span_into_an_estimated_year(self) -> None:
        year = first_estimated_year()
        message = refusal(
            lambda: WorkingCalendar("CN").working_days_between(
                D(year - 1, 6, 1), D(year, 1, 5), strict=True
            )
        )
        assert names(message, f"CN {year}")

    def test_a_span_counted_backwards_is_as_strict(self) -> None:
        year = first_estimated_year()
        message = refusal(
            lambda: WorkingCalendar("CN").working_days_between(
                D(year, 1, 5), D(year - 1, 6, 1), strict=True
            )
        )
        assert names(message, f"CN {year}")

    def test_a_fresh_calendar_marks_the_year_estimated(self) -> None:
        year = first_estimated_year()
        china = WorkingCalendar("CN")
        assert china.is_estimated(year) is True
        assert china.is_estimated(year - 1) is False

    def test_refund_arrival_is_strict_about_its_earliest_day(self) -> None:
        year = first_estimated_year()
        message = refusal(lambda: refund_arrival(D(year, 3, 1), WorkingCalendar("CN"), strict=True))
        assert names(message, f"CN {year}")

    def test_refund_arrival_is_strict_about_its_latest_day(self) -> None:
        # Issued so that the 7th business day is the last of a published year and the
        # 10th falls in the first estimated one.
        year = first_estimated_year()
        china = WorkingCalendar("CN")
        last = china.add_working_days(D(year, 1, 1), -1)
        issued = china.add_working_days(last, -7, strict=True)
        assert china.add_working_days(issued, 7, strict=True) == last
        message = refusal(lambda: refund_arrival(issued, china, strict=True))
        assert names(message, f"CN {year}")


# -- what a fresh calendar loads from the package ---------------------------------------------


class TestAFreshCalendarLoadsTheNames:
    def test_a_holiday_is_named_from_the_package(self) -> None:
        assert WorkingCalendar("CN").holiday_name(D(2025, 10, 1)) == "National Day"


# -- notebook views ------------------------------------------------------------------------


class TestTheNotebookViewsOfAMonth:
    def test_month_rows_are_the_views_rows_for_that_month(self) -> None:
        china = WorkingCalendar("CN")
        rows = china.month_rows(2025, 10)
        assert rows == views.calendar_month_rows(china, 2025, 10)
        assert len(rows) == 31
        assert rows[0] == {
            "date": D(2025, 10, 1),
            "weekday": "Wednesday",
            "working": False,
            "why": "holiday: National Day",
            "estimated": False,
        }
        assert rows[10]["date"] == D(2025, 10, 11)
        assert rows[10]["working"] is True

    def test_month_html_is_the_views_grid_for_that_month(self) -> None:
        china = WorkingCalendar("CN")
        grid = china.month_html(2025, 10)
        assert grid == views.calendar_month_html(china, 2025, 10)
        assert "CN, October 2025" in grid
