"""Shipping windows and working-day calendars (SHIP-*, ESC-REFUND-WINDOW, TMR-SHIP-EXTEND-CAP).

Calendar facts are checked against the officially published schedules, one golden table
per country and year, each case citing its notice; the counting functions are checked
by properties over those calendars.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeassure.errors import InvalidInput, RuleViolation
from tradeassure.policy import DEFAULT_SHIPPING, ShippingPolicy
from tradeassure.shipping import (
    WorkingCalendar,
    YearSchedule,
    add_working_days,
    calendar_for,
    extend,
    is_late,
    is_working_day,
    refund_arrival,
    ship_by,
    working_days_between,
)
from tradeassure.testing import calendar_dates, calendars, working_days_start

D = date

# -- golden tables ---------------------------------------------------------------------

# 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号), 12 Nov 2024,
# https://www.gov.cn/gongbao/2024/issue_11726/202411/content_6989767.html
CN_2025 = "State Council notice on the 2025 holidays (国办发明电〔2024〕12号)"

CHINA_2025: list[tuple[date, bool, str]] = [
    # 一、元旦：1月1日（周三）放假1天，不调休。
    (D(2025, 1, 1), False, f"{CN_2025}, 1: New Year's Day off"),
    (D(2025, 1, 2), True, f"{CN_2025}, 1: one day only, no make-up"),
    # 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
    #     1月26日（周日）、2月8日（周六）上班。
    (D(2025, 1, 24), True, f"{CN_2025}, 2: the Friday before"),
    (D(2025, 1, 25), False, f"{CN_2025}, 2: Saturday 25 January is not a make-up day"),
    (D(2025, 1, 26), True, f"{CN_2025}, 2: Sunday 26 January worked"),
    (D(2025, 1, 27), True, f"{CN_2025}, 2: Monday before New Year's Eve"),
    (D(2025, 1, 28), False, f"{CN_2025}, 2: New Year's Eve, first day off"),
    (D(2025, 1, 29), False, f"{CN_2025}, 2: Spring Festival"),
    (D(2025, 1, 31), False, f"{CN_2025}, 2: Spring Festival"),
    (D(2025, 2, 1), False, f"{CN_2025}, 2: Spring Festival (Saturday)"),
    (D(2025, 2, 3), False, f"{CN_2025}, 2: Monday off, moved from 26 January"),
    (D(2025, 2, 4), False, f"{CN_2025}, 2: Tuesday 4 February, last day off"),
    (D(2025, 2, 5), True, f"{CN_2025}, 2: work resumes"),
    (D(2025, 2, 7), True, f"{CN_2025}, 2: Friday"),
    (D(2025, 2, 8), True, f"{CN_2025}, 2: Saturday 8 February worked"),
    (D(2025, 2, 9), False, f"{CN_2025}, 2: Sunday 9 February is an ordinary Sunday"),
    # 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
    (D(2025, 4, 3), True, f"{CN_2025}, 3: the Thursday before"),
    (D(2025, 4, 4), False, f"{CN_2025}, 3: Tomb-Sweeping Day"),
    (D(2025, 4, 7), True, f"{CN_2025}, 3: work resumes Monday"),
    # 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
    (D(2025, 4, 26), False, f"{CN_2025}, 4: Saturday 26 April is not a make-up day"),
    (D(2025, 4, 27), True, f"{CN_2025}, 4: Sunday 27 April worked"),
    (D(2025, 4, 30), True, f"{CN_2025}, 4: the Wednesday before"),
    (D(2025, 5, 1), False, f"{CN_2025}, 4: Labour Day"),
    (D(2025, 5, 2), False, f"{CN_2025}, 4: Labour Day"),
    (D(2025, 5, 5), False, f"{CN_2025}, 4: Monday 5 May off, moved from 27 April"),
    (D(2025, 5, 6), True, f"{CN_2025}, 4: work resumes"),
    # 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
    (D(2025, 5, 30), True, f"{CN_2025}, 5: the Friday before"),
    (D(2025, 6, 2), False, f"{CN_2025}, 5: Monday 2 June off"),
    (D(2025, 6, 3), True, f"{CN_2025}, 5: work resumes"),
    # 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
    #     9月28日（周日）、10月11日（周六）上班。
    (D(2025, 9, 27), False, f"{CN_2025}, 6: Saturday 27 September is not a make-up day"),
    (D(2025, 9, 28), True, f"{CN_2025}, 6: Sunday 28 September worked"),
    (D(2025, 9, 30), True, f"{CN_2025}, 6: the Tuesday before"),
    (D(2025, 10, 1), False, f"{CN_2025}, 6: National Day"),
    (D(2025, 10, 3), False, f"{CN_2025}, 6: National Day"),
    (D(2025, 10, 6), False, f"{CN_2025}, 6: Mid-Autumn Festival"),
    (D(2025, 10, 7), False, f"{CN_2025}, 6: off, moved from 28 September"),
    (D(2025, 10, 8), False, f"{CN_2025}, 6: Wednesday 8 October, last day off"),
    (D(2025, 10, 9), True, f"{CN_2025}, 6: work resumes"),
    (D(2025, 10, 11), True, f"{CN_2025}, 6: Saturday 11 October worked"),
    (D(2025, 10, 12), False, f"{CN_2025}, 6: Sunday 12 October is an ordinary Sunday"),
]

# U.S. Office of Personnel Management, "2025 Federal Holidays" (5 U.S.C. 6103),
# https://www.opm.gov/policy-data-oversight/pay-leave/federal-holidays/#url=2025
US_2025_SOURCE = "OPM, 2025 Federal Holidays"
US_2025: list[tuple[date, bool, str]] = [
    (D(2025, 1, 1), False, f"{US_2025_SOURCE}: New Year's Day, Wednesday"),
    (D(2025, 1, 2), True, f"{US_2025_SOURCE}: no bridge day"),
    (D(2025, 1, 20), False, f"{US_2025_SOURCE}: Birthday of Martin Luther King, Jr."),
    (D(2025, 2, 17), False, f"{US_2025_SOURCE}: Washington's Birthday"),
    (D(2025, 5, 26), False, f"{US_2025_SOURCE}: Memorial Day"),
    (D(2025, 6, 19), False, f"{US_2025_SOURCE}: Juneteenth, Thursday"),
    (D(2025, 6, 20), True, f"{US_2025_SOURCE}: the Friday after Juneteenth"),
    (D(2025, 7, 4), False, f"{US_2025_SOURCE}: Independence Day, Friday"),
    (D(2025, 9, 1), False, f"{US_2025_SOURCE}: Labor Day"),
    (D(2025, 10, 13), False, f"{US_2025_SOURCE}: Columbus Day"),
    (D(2025, 11, 11), False, f"{US_2025_SOURCE}: Veterans Day, Tuesday"),
    (D(2025, 11, 27), False, f"{US_2025_SOURCE}: Thanksgiving Day"),
    (D(2025, 11, 28), True, f"{US_2025_SOURCE}: the day after Thanksgiving is no holiday"),
    (D(2025, 12, 25), False, f"{US_2025_SOURCE}: Christmas Day, Thursday"),
    (D(2025, 12, 27), False, f"{US_2025_SOURCE}: Saturday, never a working day"),
]

# NSW Government, "Public holidays in NSW" 2025 (Public Holidays Act 2010 (NSW)),
# https://www.nsw.gov.au/about-nsw/public-holidays
NSW_2025_SOURCE = "NSW Government, public holidays 2025"
NSW_2025: list[tuple[date, bool, str]] = [
    (D(2025, 1, 1), False, f"{NSW_2025_SOURCE}: New Year's Day"),
    (D(2025, 1, 27), False, f"{NSW_2025_SOURCE}: Australia Day, observed Monday 27 January"),
    (D(2025, 1, 28), True, f"{NSW_2025_SOURCE}: the Tuesday after"),
    (D(2025, 4, 17), True, f"{NSW_2025_SOURCE}: Maundy Thursday is worked"),
    (D(2025, 4, 18), False, f"{NSW_2025_SOURCE}: Good Friday"),
    (D(2025, 4, 21), False, f"{NSW_2025_SOURCE}: Easter Monday"),
    (D(2025, 4, 25), False, f"{NSW_2025_SOURCE}: Anzac Day, Friday"),
    (D(2025, 6, 9), False, f"{NSW_2025_SOURCE}: King's Birthday"),
    (D(2025, 10, 6), False, f"{NSW_2025_SOURCE}: Labour Day"),
    (D(2025, 12, 25), False, f"{NSW_2025_SOURCE}: Christmas Day"),
    (D(2025, 12, 26), False, f"{NSW_2025_SOURCE}: Boxing Day"),
    (D(2025, 12, 29), True, f"{NSW_2025_SOURCE}: no holiday between Christmas and New Year"),
]


def _ids(case: tuple[date, bool, str]) -> str:
    return f"{case[0]}-{'working' if case[1] else 'off'}"


@pytest.mark.parametrize("case", CHINA_2025, ids=_ids)
def test_china_2025_matches_the_state_council_notice(case: tuple[date, bool, str]) -> None:
    day, working, source = case
    assert is_working_day(day, "CN", strict=True) is working, source


@pytest.mark.parametrize("case", US_2025, ids=_ids)
def test_united_states_2025_matches_the_federal_holidays(case: tuple[date, bool, str]) -> None:
    day, working, source = case
    assert is_working_day(day, "US", strict=True) is working, source


@pytest.mark.parametrize("case", NSW_2025, ids=_ids)
def test_new_south_wales_2025_matches_its_public_holidays(
    case: tuple[date, bool, str],
) -> None:
    day, working, source = case
    nsw = WorkingCalendar("AU", subdivision="NSW")
    assert nsw.is_working_day(day, strict=True) is working, source


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# The notice's days off, as ranges, and its make-up working days, for the whole year.
CHINA_2025_DAYS_OFF = (
    _days(D(2025, 1, 1), D(2025, 1, 1))
    | _days(D(2025, 1, 28), D(2025, 2, 4))
    | _days(D(2025, 4, 4), D(2025, 4, 6))
    | _days(D(2025, 5, 1), D(2025, 5, 5))
    | _days(D(2025, 5, 31), D(2025, 6, 2))
    | _days(D(2025, 10, 1), D(2025, 10, 8))
)
CHINA_2025_WORKED = {D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)}


def test_every_day_of_china_2025_matches_the_state_council_notice() -> None:
    wrong = [
        day
        for day in sorted(_days(D(2025, 1, 1), D(2025, 12, 31)))
        if is_working_day(day, "CN", strict=True)
        is not (day in CHINA_2025_WORKED or (day.weekday() < 5 and day not in CHINA_2025_DAYS_OFF))
    ]
    assert not wrong, f"{CN_2025} disagrees on {wrong}"


def test_china_2025_has_248_working_days() -> None:
    # 261 weekdays, 18 of them off under the notice, and 5 weekend days worked.
    assert len([d for d in CHINA_2025_DAYS_OFF if d.weekday() < 5]) == 18
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31), "CN") == 261 - 18 + 5


# -- the issue's example ---------------------------------------------------------------


def test_a_lead_time_in_china_skips_the_golden_week_and_counts_its_make_up_days() -> None:
    # Working days after Friday 26 September: Sun 28 Sep, Mon 29, Tue 30, then 9, 10, 11
    # (Saturday, worked), 13, 14, 15 and 16 October.
    assert ship_by(D(2025, 9, 26), 10, "CN") == D(2025, 10, 16)


def test_the_same_lead_time_in_the_united_states_is_a_plain_weekday_count() -> None:
    assert ship_by(D(2025, 9, 26), 10, "US") == D(2025, 10, 10)


# -- add_working_days and working_days_between ------------------------------------------


def test_adding_zero_working_days_keeps_a_working_day() -> None:
    assert add_working_days(D(2025, 9, 30), 0, "CN") == D(2025, 9, 30)


def test_adding_zero_working_days_to_a_holiday_gives_the_next_working_day() -> None:
    assert add_working_days(D(2025, 10, 1), 0, "CN") == D(2025, 10, 9)


def test_adding_one_working_day_skips_the_holiday() -> None:
    assert add_working_days(D(2025, 9, 30), 1, "CN") == D(2025, 10, 9)


def test_the_start_is_not_counted_even_when_it_is_a_working_day() -> None:
    assert add_working_days(D(2025, 10, 9), 1, "CN") == D(2025, 10, 10)


def test_one_working_day_after_a_non_working_day_is_the_next_working_day() -> None:
    # Saturday 1 March 2025 in Germany: the first working day after it is Monday the 3rd.
    assert add_working_days(D(2025, 3, 1), 0, "DE") == D(2025, 3, 3)
    assert add_working_days(D(2025, 3, 1), 1, "DE") == D(2025, 3, 3)
    assert add_working_days(D(2025, 3, 1), 2, "DE") == D(2025, 3, 4)
    # 1 October 2025 is in China's National Day holiday, worked again from the 9th.
    assert add_working_days(D(2025, 10, 1), 1, "CN") == D(2025, 10, 9)


def test_counting_back_skips_the_holiday() -> None:
    assert add_working_days(D(2025, 10, 9), -1, "CN") == D(2025, 9, 30)
    assert add_working_days(D(2025, 10, 9), -2, "CN") == D(2025, 9, 29)


def test_counting_back_from_a_holiday_starts_at_the_last_working_day_before_it() -> None:
    assert add_working_days(D(2025, 10, 5), -1, "CN") == D(2025, 9, 30)


def test_counting_crosses_the_year_end() -> None:
    assert add_working_days(D(2024, 12, 31), 1, "CN") == D(2025, 1, 2)
    assert add_working_days(D(2025, 1, 2), -1, "CN") == D(2024, 12, 31)
    assert add_working_days(D(2025, 1, 2), 500, "US") > D(2026, 12, 31)


def test_no_working_days_lie_between_a_day_and_itself() -> None:
    assert working_days_between(D(2025, 10, 9), D(2025, 10, 9), "CN") == 0


def test_working_days_between_counts_the_end_and_not_the_start() -> None:
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 9), "CN") == 1
    assert working_days_between(D(2025, 9, 29), D(2025, 9, 30), "CN") == 1
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 8), "CN") == 0


def test_working_days_between_is_negative_backwards() -> None:
    assert working_days_between(D(2025, 10, 9), D(2025, 9, 30), "CN") == -1


# -- ship_by: SHIP-WINDOW ----------------------------------------------------------------


@pytest.mark.parametrize("lead", [3, 60])
def test_a_lead_time_inside_the_window_is_accepted(lead: int) -> None:
    assert ship_by(D(2025, 3, 3), lead, "CN") == add_working_days(D(2025, 3, 3), lead, "CN")


@pytest.mark.parametrize("lead", [2, 61, 0, -5])
def test_a_lead_time_outside_the_window_is_refused(lead: int) -> None:
    with pytest.raises(RuleViolation) as refused:
        ship_by(D(2025, 3, 3), lead, "CN")
    assert refused.value.rule == "SHIP-WINDOW"
    assert f"a lead time of {lead} working days is outside 3 to 60" in str(refused.value)


def test_the_window_comes_from_the_policy() -> None:
    policy = ShippingPolicy(min_lead_days=1, max_lead_days=5)
    assert ship_by(D(2025, 3, 3), 1, "CN", policy) == D(2025, 3, 4)
    with pytest.raises(RuleViolation, match="outside 1 to 5"):
        ship_by(D(2025, 3, 3), 6, "CN", policy)


def test_an_order_confirmed_on_a_holiday_counts_the_working_days_after_it() -> None:
    # 9 and 10 October, then Saturday 11 October, a make-up working day.
    assert ship_by(D(2025, 10, 1), 3, "CN") == D(2025, 10, 11)


# -- is_late -------------------------------------------------------------------------------


def test_an_order_is_not_late_on_its_ship_by_date() -> None:
    assert not is_late(D(2025, 10, 16), None, today=D(2025, 10, 16))


def test_an_order_not_shipped_is_late_the_day_after_its_ship_by_date() -> None:
    assert is_late(D(2025, 10, 16), None, today=D(2025, 10, 17))


def test_an_order_shipped_on_its_ship_by_date_is_not_late() -> None:
    assert not is_late(D(2025, 10, 16), D(2025, 10, 16), today=D(2025, 12, 1))


def test_an_order_shipped_a_day_after_its_ship_by_date_was_late() -> None:
    assert is_late(D(2025, 10, 16), D(2025, 10, 17), today=D(2025, 10, 17))


def test_a_shipment_dated_after_today_is_refused() -> None:
    with pytest.raises(InvalidInput, match="after today"):
        is_late(D(2025, 10, 16), D(2025, 10, 18), today=D(2025, 10, 17))


# -- extend: SHIP-EXTEND, TMR-SHIP-EXTEND-CAP ----------------------------------------------


def test_both_parties_can_move_the_ship_by_date_a_day_later() -> None:
    assert extend(D(2025, 10, 16), D(2025, 10, 17), True, True) == D(2025, 10, 17)


@pytest.mark.parametrize(
    ("buyer", "supplier", "who"),
    [(False, True, "the buyer"), (True, False, "the supplier"), (False, False, "the buyer and")],
)
def test_the_ship_by_date_does_not_move_without_both_parties(
    buyer: bool, supplier: bool, who: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        extend(D(2025, 10, 16), D(2025, 10, 30), buyer, supplier)
    assert refused.value.rule == "SHIP-EXTEND"
    assert who in refused.value.message
    assert "both agree" in refused.value.message


@pytest.mark.parametrize("new", [D(2025, 10, 16), D(2025, 10, 15)])
def test_an_extension_to_the_same_or_an_earlier_date_is_refused(new: date) -> None:
    with pytest.raises(RuleViolation, match="is not later than") as refused:
        extend(D(2025, 10, 16), new, True, True)
    assert refused.value.rule == "SHIP-EXTEND"


def test_an_extension_may_reach_the_cap_but_not_pass_it() -> None:
    confirmed = D(2025, 9, 26)
    # Counted in working days, as the escrow counts it (TMR-SHIP-EXTEND-CAP).
    cap = add_working_days(confirmed, DEFAULT_SHIPPING.ship_extend_cap_days, "CN")
    assert extend(D(2025, 10, 16), cap, True, True, confirmed_on=confirmed) == cap
    with pytest.raises(RuleViolation, match=f"extend to {cap} at the latest") as refused:
        extend(D(2025, 10, 16), cap + timedelta(days=1), True, True, confirmed_on=confirmed)
    assert refused.value.rule == "TMR-SHIP-EXTEND-CAP"


def test_agreement_must_be_a_bool() -> None:
    with pytest.raises(InvalidInput, match="buyer_agrees must be True or False"):
        extend(D(2025, 10, 16), D(2025, 10, 17), 1, True)  # type: ignore[arg-type]


# -- refund_arrival: ESC-REFUND-WINDOW -------------------------------------------------------


def test_a_refund_arrives_7_to_10_business_days_after_issue() -> None:
    assert refund_arrival(D(2025, 6, 2), "US") == (D(2025, 6, 11), D(2025, 6, 16))


def test_a_refund_issued_before_the_golden_week_arrives_after_it() -> None:
    # Business days after Mon 29 September: 30 Sep, 9, 10, 11 (Sat, worked), 13, 14, 15 ...
    assert refund_arrival(D(2025, 9, 29), "CN") == (D(2025, 10, 15), D(2025, 10, 20))


def test_the_refund_window_comes_from_the_policy() -> None:
    policy = ShippingPolicy(refund_arrival_min_days=1, refund_arrival_max_days=2)
    assert refund_arrival(D(2025, 6, 2), "US", policy) == (D(2025, 6, 3), D(2025, 6, 4))


# -- bad input ----------------------------------------------------------------------------


def test_a_datetime_is_refused_where_a_date_is_expected() -> None:
    with pytest.raises(InvalidInput, match=r"start must be a datetime\.date"):
        add_working_days(datetime(2025, 1, 2, tzinfo=UTC), 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [True, 1.0, "1"])
def test_a_count_that_is_not_an_int_is_refused(n: object) -> None:
    with pytest.raises(InvalidInput, match="n must be an int"):
        add_working_days(D(2025, 1, 2), n)  # type: ignore[arg-type]


@pytest.mark.parametrize("strict", [1, "no", None])
def test_strict_must_be_a_bool_not_a_truthy_value(strict: object) -> None:
    with pytest.raises(InvalidInput, match="strict must be True or False"):
        is_working_day(D(2025, 1, 2), "CN", strict=strict)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="strict must be True or False"):
        ship_by(D(2025, 1, 2), 5, "CN", strict=strict)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="strict must be True or False"):
        working_days_between(D(2025, 1, 2), D(2025, 2, 2), "CN", strict=strict)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["XX", "cn", "CHN", ""])
def test_an_unknown_country_code_is_refused_by_name(code: str) -> None:
    with pytest.raises(InvalidInput, match=f"unknown country code {code!r}"):
        calendar_for(code)


def test_a_policy_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(InvalidInput, match="ShippingPolicy"):
        ship_by(D(2025, 1, 2), 5, "CN", policy=None)  # type: ignore[arg-type]


def test_an_unknown_subdivision_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown subdivision 'XX' of AU"):
        WorkingCalendar("AU", subdivision="XX")


# -- estimated years ------------------------------------------------------------------------


def test_china_is_official_up_to_the_latest_notice_in_the_package() -> None:
    cn = calendar_for("CN")
    assert 2025 in cn.official_years
    assert not cn.is_estimated(2025)
    assert cn.is_estimated(max(cn.official_years) + 1)


def test_a_statutory_calendar_is_official_in_every_year_the_package_supports() -> None:
    assert calendar_for("US").official_years >= set(range(1900, 2101))


def test_strict_refuses_an_answer_that_depends_on_an_estimated_year() -> None:
    cn = calendar_for("CN")
    estimated = max(cn.official_years) + 1
    with pytest.raises(InvalidInput, match=f"CN {estimated} is an estimated year"):
        is_working_day(D(estimated, 3, 2), "CN", strict=True)
    with pytest.raises(InvalidInput, match="estimated year"):
        add_working_days(D(estimated - 1, 12, 30), 5, "CN", strict=True)
    with pytest.raises(InvalidInput, match="estimated year"):
        working_days_between(D(estimated - 1, 6, 1), D(estimated, 1, 5), "CN", strict=True)


def test_without_strict_an_estimated_year_still_answers() -> None:
    estimated = max(calendar_for("CN").official_years) + 1
    assert is_working_day(D(estimated, 1, 1), "CN") is False


def test_a_supplied_schedule_makes_its_year_official_and_replaces_the_estimate() -> None:
    cn = calendar_for("CN")
    year = max(cn.official_years) + 1
    monday, saturday = D(year, 3, 1), D(year, 3, 6)
    while monday.weekday() != 0:
        monday += timedelta(days=1)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    schedule = YearSchedule(
        year=year,
        days_off=frozenset({monday}),
        working_days=frozenset({saturday}),
        source="a test notice",
    )
    published = cn.with_schedule(schedule)
    assert year in published.official_years
    assert not published.is_estimated(year)
    assert not published.is_working_day(monday, strict=True)
    assert published.is_working_day(saturday, strict=True)
    # The schedule replaces the package's estimate: New Year's Day is not listed in it.
    first_weekday = D(year, 1, 1)
    while first_weekday.weekday() >= 5:
        first_weekday += timedelta(days=1)
    assert not cn.is_working_day(first_weekday)
    assert published.is_working_day(first_weekday)
    assert cn.is_estimated(year)  # the shared calendar is unchanged


def test_a_schedule_can_declare_a_make_up_day_at_the_end_of_the_year_before() -> None:
    # As the 2006 notice did for Saturday 31 December 2005.
    cn = calendar_for("CN")
    year = max(cn.official_years) + 1
    sunday = D(year - 1, 12, 31)
    while sunday.weekday() != 6:
        sunday -= timedelta(days=1)
    published = cn.with_schedule(YearSchedule(year, frozenset(), frozenset({sunday}), "x"))
    assert not cn.is_working_day(sunday)
    assert published.is_working_day(sunday)


def test_a_second_schedule_for_a_year_replaces_the_first() -> None:
    first = YearSchedule(2030, frozenset({D(2030, 3, 4)}), frozenset(), "first")
    second = YearSchedule(2030, frozenset({D(2030, 3, 5)}), frozenset(), "second")
    calendar = calendar_for("CN").with_schedule(first).with_schedule(second)
    assert calendar.schedules == (second,)
    assert calendar.is_working_day(D(2030, 3, 4))
    assert not calendar.is_working_day(D(2030, 3, 5))


def test_a_calendar_takes_one_schedule_per_year() -> None:
    first = YearSchedule(2030, frozenset(), frozenset(), "first")
    second = YearSchedule(2030, frozenset({D(2030, 3, 5)}), frozenset(), "second")
    with pytest.raises(InvalidInput, match="at most one schedule per year"):
        WorkingCalendar("CN", schedules=(first, second))


def test_a_schedule_with_dates_outside_its_year_is_refused() -> None:
    with pytest.raises(InvalidInput, match="days_off of the 2027 schedule include 2026-10-01"):
        YearSchedule(2027, frozenset({D(2026, 10, 1)}), frozenset(), "x")
    with pytest.raises(InvalidInput, match="expected dates in 2026 or 2027"):
        YearSchedule(2027, frozenset(), frozenset({D(2025, 12, 28)}), "x")


def test_a_schedule_cannot_list_a_day_both_off_and_worked() -> None:
    with pytest.raises(InvalidInput, match="both as a day off and as a working day"):
        YearSchedule(2027, frozenset({D(2027, 2, 6)}), frozenset({D(2027, 2, 6)}), "x")


def test_a_schedule_names_its_source() -> None:
    with pytest.raises(InvalidInput, match="source must name the notice"):
        YearSchedule(2027, frozenset(), frozenset(), " ")


def test_a_friday_saturday_weekend_is_honoured() -> None:
    # Saudi Arabia's weekend has been Friday and Saturday since 29 June 2013.
    assert not is_working_day(D(2025, 2, 7), "SA")
    assert not is_working_day(D(2025, 2, 8), "SA")
    assert is_working_day(D(2025, 2, 9), "SA")


# -- closed dates ----------------------------------------------------------------------------


def test_a_factory_shutdown_is_not_worked_and_lengthens_the_lead_time() -> None:
    factory = calendar_for("CN").with_closed([D(2025, 8, 4), D(2025, 8, 5)])
    assert not factory.is_working_day(D(2025, 8, 4))
    assert ship_by(D(2025, 8, 1), 3, factory) == D(2025, 8, 8)
    assert ship_by(D(2025, 8, 1), 3, "CN") == D(2025, 8, 6)


# -- the calendar as a value ---------------------------------------------------------------


def test_loaded_years_do_not_change_equality_hash_or_pickles() -> None:
    fresh, used = WorkingCalendar("CN"), WorkingCalendar("CN")
    used.is_working_day(D(2025, 1, 1))
    assert fresh == used
    assert hash(fresh) == hash(used)
    assert pickle.dumps(fresh) == pickle.dumps(used)
    assert pickle.loads(pickle.dumps(used)).is_working_day(D(2025, 1, 26))


def test_calendar_for_shares_one_calendar_per_country() -> None:
    assert calendar_for("CN") is calendar_for("CN")
    assert calendar_for("CN") == WorkingCalendar("CN")


def test_threads_loading_the_same_years_agree() -> None:
    calendar = WorkingCalendar("CN")
    results: list[date] = []

    def work() -> None:
        results.append(calendar.add_working_days(D(2020, 1, 1), 1500))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert results[0] == calendar_for("CN").add_working_days(D(2020, 1, 1), 1500)


def test_importing_tradeassure_does_not_import_holidays() -> None:
    code = "import sys, tradeassure, tradeassure.shipping; print('holidays' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_counting_from_beyond_the_dates_calendars_count_on_is_refused() -> None:
    with pytest.raises(InvalidInput, match="start must be from 1800-01-01 to 2999-12-31"):
        add_working_days(D(9999, 12, 30), 10, "US")


# -- properties -----------------------------------------------------------------------------

counts = st.integers(min_value=-400, max_value=400)


@st.composite
def calendar_and_start(draw: st.DrawFn) -> tuple[WorkingCalendar, date]:
    calendar = draw(calendars())
    return calendar, draw(working_days_start(calendar))


@given(calendar_and_start(), counts)
def test_counting_the_days_added_gives_back_the_count(
    case: tuple[WorkingCalendar, date], n: int
) -> None:
    calendar, start = case
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@given(calendars(), st.dates(D(2020, 1, 1), D(2026, 12, 31)), counts, counts)
def test_adding_working_days_is_monotone_in_the_count(
    calendar: WorkingCalendar, start: date, a: int, b: int
) -> None:
    low, high = sorted((a, b))
    assert calendar.add_working_days(start, low) <= calendar.add_working_days(start, high)
    if low != high and (low != 0 or calendar.is_working_day(start)):
        assert calendar.add_working_days(start, low) < calendar.add_working_days(start, high)


@given(calendars(), st.dates(D(2020, 1, 1), D(2026, 12, 31)), counts)
def test_a_count_always_lands_on_a_working_day(
    calendar: WorkingCalendar, start: date, n: int
) -> None:
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@given(calendar_and_start(), counts)
def test_counting_forward_then_back_returns_to_the_start(
    case: tuple[WorkingCalendar, date], n: int
) -> None:
    calendar, start = case
    assert calendar.add_working_days(calendar.add_working_days(start, n), -n) == start


@given(calendars(), st.dates(D(2020, 1, 1), D(2026, 12, 31)), st.integers(0, 400))
def test_working_days_between_agrees_with_a_day_by_day_count(
    calendar: WorkingCalendar, start: date, span: int
) -> None:
    end = start + timedelta(days=span)
    naive = sum(calendar.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))
    assert calendar.working_days_between(start, end) == naive
    assert calendar.working_days_between(end, start) == -naive


@given(st.sampled_from(["CN", "US", "AU", "SA"]), st.dates(D(2020, 1, 1), D(2026, 12, 31)))
def test_a_national_calendar_agrees_with_the_holidays_package(country: str, day: date) -> None:
    import holidays

    package = holidays.country_holidays(country, years=day.year)
    assert is_working_day(day, country) is package.is_working_day(day)


@given(calendars(closed=False), st.dates(D(2020, 1, 1), D(2026, 12, 31)))
def test_ship_by_is_the_lead_time_added_to_the_confirmation(
    calendar: WorkingCalendar, confirmed: date
) -> None:
    lead = DEFAULT_SHIPPING.min_lead_days
    shipped = ship_by(confirmed, lead, calendar)
    assert calendar.working_days_between(confirmed, shipped) == lead
    assert calendar.is_working_day(shipped)


@given(calendar_dates(), calendar_dates(), st.booleans(), st.booleans())
def test_extend_returns_the_new_date_exactly_when_both_agree_to_a_later_one(
    old: date, new: date, buyer: bool, supplier: bool
) -> None:
    if buyer and supplier and new > old:
        assert extend(old, new, buyer, supplier) == new
    else:
        with pytest.raises(RuleViolation) as refused:
            extend(old, new, buyer, supplier)
        assert refused.value.rule == "SHIP-EXTEND"


@given(calendar_dates(), st.one_of(st.none(), calendar_dates()), calendar_dates())
def test_late_means_the_final_shipment_missed_the_end_of_the_ship_by_date(
    deadline: date, shipped: date | None, today: date
) -> None:
    if shipped is not None and shipped > today:
        with pytest.raises(InvalidInput):
            is_late(deadline, shipped, today)
        return
    expected = shipped > deadline if shipped is not None else today > deadline
    assert is_late(deadline, shipped, today) is expected


# -- holiday names and the weekend (for calendar views) ----------------------------------


def test_a_holiday_is_named_as_the_package_names_it() -> None:
    china = calendar_for("CN")
    assert china.holiday_name(D(2025, 10, 1)) == "National Day"
    assert china.holiday_name(D(2025, 10, 8)) == "Day off (substituted from 10/11/2025)"
    assert calendar_for("US").holiday_name(D(2025, 7, 4)) == "Independence Day"


def test_a_working_day_a_weekend_day_and_a_closed_day_are_no_holidays() -> None:
    china = WorkingCalendar("CN", closed=frozenset({D(2025, 8, 4)}))
    assert china.holiday_name(D(2025, 10, 9)) is None
    assert china.holiday_name(D(2025, 10, 4)) is None  # a Saturday inside the golden week
    assert china.holiday_name(D(2025, 10, 11)) is None  # a make-up working day
    assert china.holiday_name(D(2025, 8, 4)) is None


def test_a_supplied_schedules_days_off_are_public_holidays() -> None:
    schedule = YearSchedule(
        year=2030,
        days_off=frozenset({D(2030, 10, 1)}),
        working_days=frozenset(),
        source="an example notice",
    )
    china = WorkingCalendar("CN", schedules=(schedule,))
    assert china.holiday_name(D(2030, 10, 1)) == "public holiday"
    assert china.holiday_name(D(2030, 10, 2)) is None


def test_a_holiday_name_needs_a_date() -> None:
    with pytest.raises(InvalidInput):
        calendar_for("CN").holiday_name(datetime(2025, 10, 1, tzinfo=UTC))  # type: ignore[arg-type]


def test_the_weekend_is_the_countrys_own() -> None:
    assert calendar_for("CN").weekend == frozenset({5, 6})
    assert calendar_for("SA").weekend == frozenset({4, 5})
