from datetime import date

from tradeassure.shipping import WorkingCalendar, YearSchedule

_CN_2027 = YearSchedule(
    year=2027,
    days_off=frozenset({date(2027, 1, 1), date(2027, 2, 8)}),
    working_days=frozenset({date(2027, 2, 6)}),
    source="an example notice, not the real one",
)

EXAMPLES: list[object] = [
    WorkingCalendar("CN"),
    WorkingCalendar("US"),
    WorkingCalendar("AU", subdivision="NSW"),
    WorkingCalendar("CN", closed=frozenset({date(2025, 8, 4), date(2025, 8, 5)})),
    WorkingCalendar("CN", schedules=(_CN_2027,)),
    _CN_2027,
    YearSchedule(year=2027, days_off=frozenset(), working_days=frozenset(), source="none"),
]
