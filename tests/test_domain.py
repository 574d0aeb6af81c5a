"""The supported domain: every date, instant and count of days the library takes lies in
one stated range (``tradeassure._checks``; docs/design.md, "The supported domain"), and
everything outside it is refused with ``InvalidInput`` where it enters, naming the value
and the range; every policy checks every figure when it is built; and no answer costs
more than the domain allows (counted in calendar years loaded, never in wall time)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from escrow_builders import placed, usd
from tradeassure import _checks, shipping
from tradeassure._checks import (
    FIRST_COUNTED_DAY,
    FIRST_DAY,
    LAST_COUNTED_DAY,
    LAST_DAY,
    MAX_DAYS,
    MAX_MONTHS,
    MAX_YEARS,
)
from tradeassure.credit import (
    DEFAULT_FINANCING,
    Drawdown,
    FinancingPolicy,
    Repayment,
    interest,
    repayment_schedule,
)
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    CancellationDeclined,
    CancellationRequested,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Order,
    PaymentReceived,
    ReceiptDeadlineExtended,
    Shipped,
    ShippingDateExtended,
    allowed_events,
    apply,
    deadlines,
    due_events,
    place,
)
from tradeassure.escrow._draft import DAY_SPANS_CACHED, days
from tradeassure.money import Money
from tradeassure.policy import DEFAULT_ESCROW, DEFAULT_IDENTITY, EscrowPolicy, IdentityPolicy
from tradeassure.shipping import (
    YEARS_CACHED,
    ShippingPolicy,
    WorkingCalendar,
    add_working_days,
    working_days_between,
)
from tradeassure.terms import Party, PaymentMethod
from tradeassure.verification import (
    BuyerProfile,
    FieldCheck,
    IdentityField,
    Inquiry,
    Membership,
    SupplierRecord,
    Transaction,
    identity_tier,
    storefront,
)
from tradeassure.verification.passwords import _segmentation_words

ONE_DAY = timedelta(days=1)
TINY = timedelta(microseconds=1)
FIRST_INSTANT = datetime.combine(FIRST_DAY, time(), UTC)
LAST_INSTANT = datetime.combine(LAST_DAY, time.max, UTC)
RANGE = re.escape(f"from {FIRST_DAY} to {LAST_DAY}")
DAYS_BOUND = re.escape(f"{MAX_DAYS:,} days")


def refused(call: Callable[[], object], *words: str) -> str:
    """The message of the ``InvalidInput`` ``call`` raises, which names each of ``words``
    (regular expressions)."""
    with pytest.raises(InvalidInput) as caught:
        call()
    message = str(caught.value)
    for word in words:
        assert re.search(word, message), f"{word!r} not in {message!r}"
    return message


# -- the domain as stated -------------------------------------------------------------------


def test_the_domain_is_the_holidays_calendars_years_and_a_count_as_long_as_them() -> None:
    assert (date(1900, 1, 1), date(2100, 12, 31)) == (FIRST_DAY, LAST_DAY)
    assert MAX_DAYS == (LAST_DAY - FIRST_DAY).days == 73_413
    assert (MAX_YEARS, MAX_MONTHS) == (200, 2_400)
    assert FIRST_COUNTED_DAY <= FIRST_DAY - ONE_DAY
    assert date(2999, 12, 31) == LAST_COUNTED_DAY


def test_the_last_supported_year_is_the_last_the_holidays_calendars_hold() -> None:
    import holidays

    assert holidays.country_holidays("US", years=LAST_DAY.year)
    assert holidays.country_holidays("CN", years=LAST_DAY.year)
    assert not holidays.country_holidays("US", years=LAST_DAY.year + 1)


def test_the_design_doc_states_the_domain_the_code_checks() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "design.md").read_text("utf-8")
    section = text[text.index("## The supported domain") :]
    section = section[: section.index("\n## ", 1)]
    for stated in (
        f"{FIRST_DAY} to {LAST_DAY}",
        f"0 to {MAX_DAYS:,}",
        f"0 to {MAX_MONTHS:,} months, 0 to {MAX_YEARS} years",
        f"{FIRST_COUNTED_DAY} to {LAST_COUNTED_DAY}",
        f"`shipping.YEARS_CACHED` ({YEARS_CACHED})",
        f"keeps {DAY_SPANS_CACHED} (`escrow._draft.DAY_SPANS_CACHED`)",
    ):
        assert stated in section


def test_a_deadline_counted_from_the_last_supported_day_stays_on_the_dates_counted() -> None:
    # MAX_DAYS working days past LAST_DAY, where no holiday is known: about 281 years.
    latest = add_working_days(LAST_DAY, MAX_DAYS, "DE")
    assert latest < date(2400, 1, 1)
    # A pause of the whole range and four day counts still end well inside Python's dates.
    assert LAST_DAY + 4 * timedelta(days=MAX_DAYS) < date(2905, 1, 1) < LAST_COUNTED_DAY


# -- the plain checks and field validators, both sides of each bound ------------------------

# (check, accepted, refused, words of the refusal)
BOUNDS: list[tuple[Callable[[Any, str], object], object, object, str]] = [
    (_checks.plain_date, FIRST_DAY, FIRST_DAY - ONE_DAY, RANGE + r" \(the supported dates\)"),
    (_checks.plain_date, LAST_DAY, LAST_DAY + ONE_DAY, RANGE + ".*, got 2101-01-01"),
    (_checks.calendar_date, FIRST_COUNTED_DAY, FIRST_COUNTED_DAY - ONE_DAY, "from 1800-01-01"),
    (_checks.calendar_date, LAST_COUNTED_DAY, LAST_COUNTED_DAY + ONE_DAY, "to 2999-12-31"),
    (_checks.calendar_year, 2999, 3000, "from 1800 to 2999 .*, got 3000"),
    (_checks.calendar_year, 1800, 1799, "got 1799"),
    (_checks.aware, FIRST_INSTANT, FIRST_INSTANT - TINY, "outside the supported dates"),
    (_checks.aware, LAST_INSTANT, LAST_INSTANT + TINY, RANGE + r" \(UTC\)"),
    (_checks.day_count, MAX_DAYS, MAX_DAYS + 1, "at most " + DAYS_BOUND + ".*, got 73414"),
    (_checks.day_count, 0, -1, "zero or more"),
    (_checks.day_count, 0, True, "must be an int"),
    (_checks.day_count, 0, 1.5, "must be an int, got 1.5"),
    (_checks.month_count, MAX_MONTHS, MAX_MONTHS + 1, "at most 2,400 months.*, got 2401"),
    (_checks.year_count, MAX_YEARS, MAX_YEARS + 1, "at most 200 years.*, got 201"),
    (
        _checks.duration,
        timedelta(days=MAX_DAYS),
        timedelta(days=MAX_DAYS) + TINY,
        "at most " + DAYS_BOUND,
    ),
    (_checks.exact, Decimal("0.5"), Decimal("NaN"), "must be a finite Decimal, got NaN"),
    (_checks.exact, Decimal("1E+99"), Decimal("Infinity"), "finite Decimal, got Infinity"),
    (_checks.share, Decimal(1), Decimal("sNaN"), "finite Decimal"),
    (_checks.share, Decimal("1E-30"), Decimal("1E-31"), "at most 30 digits after the point"),
    (_checks.currency_code, "AUD", "usd", "three upper-case letters.*got 'usd'"),
    (_checks.currency_code, "USD", 123, "ISO 4217 .*got 123"),
    (_checks.currency_code, "JPY", "U1D", "got 'U1D'"),
]


@pytest.mark.parametrize(("check", "good", "bad", "words"), BOUNDS)
def test_a_check_accepts_its_bound_and_refuses_one_step_past_it_naming_the_range(
    check: Callable[[Any, str], object], good: object, bad: object, words: str
) -> None:
    assert check(good, "x") == good
    refused(lambda: check(bad, "x"), "^x ", words)


def test_a_day_count_refusal_names_a_number_too_long_to_print() -> None:
    refused(lambda: _checks.day_count(10**1000010, "days"), "got about 10\\*\\*1000010$")
    refused(lambda: _checks.day_count(-(10**18), "n", signed=True), "from -73,413 to 73,413")


def test_an_instant_far_outside_is_refused_without_overflowing_in_any_offset() -> None:
    east = timezone(timedelta(hours=14))
    refused(lambda: _checks.aware(datetime(1, 1, 1, tzinfo=east), "at"), "0001-01-01T00:00")
    refused(lambda: _checks.aware(datetime.max.replace(tzinfo=east), "at"), "9999-12-31")
    # The last instant read in another offset is still the last instant.
    assert _checks.aware(LAST_INSTANT.astimezone(east), "at") == LAST_INSTANT


# -- events and values: refused where they enter --------------------------------------------


def test_an_order_placed_beyond_the_supported_dates_is_refused_at_placement() -> None:
    refused(
        lambda: placed(at=datetime(9999, 12, 20, tzinfo=UTC), ship_by=date(9999, 12, 25)),
        r"^OrderPlaced.at 9999-12-20T00:00:00\+00:00 is outside the supported dates",
        RANGE,
    )


def test_an_event_date_beyond_the_supported_dates_is_refused() -> None:
    refused(lambda: placed(ship_by=date(2101, 1, 1)), "^OrderPlaced.ship_by must be " + RANGE)
    refused(
        lambda: ShippingDateExtended(
            at=LAST_INSTANT, new_ship_by=date(9999, 1, 1), buyer_agrees=True, supplier_agrees=True
        ),
        "^ShippingDateExtended.new_ship_by must be " + RANGE,
        "got 9999-01-01",
    )


def test_a_lead_time_beyond_the_day_bound_is_refused_at_placement() -> None:
    refused(
        lambda: placed(ship_by=None, lead_days=10**18),
        "^OrderPlaced.lead_days must be zero or more and at most " + DAYS_BOUND,
    )


def test_a_check_dated_beyond_the_supported_dates_is_refused_when_recorded() -> None:
    refused(
        lambda: FieldCheck(IdentityField.JOB_TITLE, date(9999, 6, 1), "platform", "records"),
        "^FieldCheck.checked_on must be " + RANGE,
        "got 9999-06-01",
    )


def test_identity_tier_refuses_an_as_of_beyond_the_supported_dates() -> None:
    refused(lambda: identity_tier(BuyerProfile(), date(9999, 6, 1)), "^as_of must be " + RANGE)


def test_a_check_on_the_last_supported_day_verifies_that_day() -> None:
    checks = [FieldCheck(f, LAST_DAY, "platform", "records") for f in IdentityField]
    longest = IdentityPolicy(verification_valid_years=MAX_YEARS)
    assert identity_tier(BuyerProfile(checks), LAST_DAY, longest).rule == "ID-VERIFIED"


def test_the_storefront_refuses_an_as_of_before_the_supported_dates() -> None:
    record = SupplierRecord(Membership.GOLD_SUPPLIER)
    refused(lambda: storefront(record, date(1, 3, 1)), "^as_of must be " + RANGE, "0001-03-01")


def test_a_storefront_on_the_first_supported_day_looks_back_before_it() -> None:
    record = SupplierRecord(Membership.GOLD_SUPPLIER, transactions=[Transaction(FIRST_DAY, usd(5))])
    longest = IdentityPolicy(storefront_months=MAX_MONTHS, review_window_months=MAX_MONTHS)
    front = storefront(record, FIRST_DAY, longest)
    assert front.window_start == date(1700, 1, 2)
    assert front.transaction_count == 1


def test_a_response_time_beyond_the_bound_is_refused_and_the_longest_has_a_median() -> None:
    refused(
        lambda: Inquiry(date(2025, 1, 1), timedelta.max),
        "^Inquiry.response_time must be a timedelta of zero or more and at most " + DAYS_BOUND,
    )
    longest = timedelta(days=MAX_DAYS)
    record = SupplierRecord(
        Membership.GOLD_SUPPLIER, inquiries=[Inquiry(date(2025, 1, 1), longest)] * 2
    )
    assert storefront(record, date(2025, 6, 30)).median_response_time == longest


def test_a_drawdown_dated_beyond_the_supported_dates_is_refused() -> None:
    refused(lambda: Drawdown("PO-7", date(2101, 1, 1), usd(1)), "^Drawdown.on must be " + RANGE)
    refused(
        lambda: repayment_schedule([], [], date(1899, 12, 31)),
        "^as_of must be " + RANGE,
    )


def test_a_drawdown_and_a_repayment_dated_on_as_of_are_counted_at_no_interest() -> None:
    on = date(2025, 3, 1)
    schedule = repayment_schedule(
        [Drawdown("PO-7", on, usd(1000)), Drawdown("PO-8", on, usd(500))],
        [Repayment("PO-8", on, usd(500))],
        on,
    )
    assert [row.ref for row in schedule.rows] == ["PO-7", "PO-8"]
    assert schedule.outstanding == usd(1000)
    assert schedule.interest == usd(0)
    assert schedule.rows[1].repaid_on == on


def test_interest_runs_for_at_most_the_day_bound() -> None:
    assert interest(usd(0), MAX_DAYS) == usd(0)
    refused(lambda: interest(usd(1), MAX_DAYS + 1), "^days must be zero or more and at most")
    refused(lambda: interest(usd(1), 10**1000010), "got about 10\\*\\*1000010")


# -- an order placed at the top of the range ------------------------------------------------

_LONGEST_SHIPPING = ShippingPolicy(
    min_lead_days=0,
    max_lead_days=MAX_DAYS,
    refund_arrival_min_days=MAX_DAYS,
    refund_arrival_max_days=MAX_DAYS,
    ship_extend_cap_days=MAX_DAYS,
)
#: Every figure of the escrow at the bound: the longest deadlines an order can have.
LONGEST = EscrowPolicy(
    "longest",
    shipping=_LONGEST_SHIPPING,
    **{f.name: MAX_DAYS for f in attrs.fields(EscrowPolicy) if f.name.endswith("_days")},
)


def _a_life_on_the_last_day(order: Order) -> Iterator[Order]:
    """The order through confirmation, payment, a declined cancellation, the final
    shipment, a receipt extension and a settled dispute, all on the last supported day."""
    start = datetime.combine(LAST_DAY, time(), UTC)

    def at(hours: int) -> datetime:
        return start + timedelta(hours=hours)

    for event in (
        ContractConfirmed(at=at(1), by=Party.BUYER),
        PaymentReceived(at=at(2), amount=usd(10_000), method=PaymentMethod.TT),
        CancellationRequested(at=at(3), by=Party.BUYER),
        CancellationDeclined(at=at(4), by=Party.SUPPLIER),
        Shipped(at=at(5), value=usd(10_000), final=True),
        ReceiptDeadlineExtended(at=at(6), by=Party.BUYER),
        DisputeOpened(at=at(7), reason=DisputeReason.DAMAGED, claim=usd(100)),
        DisputeSettled(at=at(8), refund=usd(100)),
    ):
        order = apply(order, event, LONGEST)
        yield order


@pytest.mark.parametrize("lead_days", [None, 3_000], ids=["ship-by", "lead-days"])
def test_an_order_placed_on_the_last_day_under_the_longest_figures_never_overflows(
    lead_days: int | None,
) -> None:
    first = datetime.combine(LAST_DAY, time(), UTC)
    ship_by = None if lead_days is not None else LAST_DAY
    order = place(placed(at=first, ship_by=ship_by, lead_days=lead_days))
    for step in (order, *_a_life_on_the_last_day(order)):
        assert allowed_events(step, LONGEST)
        assert due_events(step, LAST_INSTANT, LONGEST) == ()
        found = attrs.asdict(deadlines(step, LONGEST), recurse=False)
        for value in found.values():
            stamps = value if isinstance(value, tuple) else (value,)
            for stamp in stamps:
                if isinstance(stamp, datetime | date):
                    day = stamp.date() if isinstance(stamp, datetime) else stamp
                    assert LAST_DAY <= day < LAST_COUNTED_DAY
    assert deadlines(step, LONGEST).refund_starts_by is not None


# -- policies check every figure when built -------------------------------------------------

ESCROW_DAYS = [f.name for f in attrs.fields(EscrowPolicy) if f.name.endswith("_days")]
SHIPPING_DAYS = [f.name for f in attrs.fields(ShippingPolicy) if f.name.endswith("_days")]


@pytest.mark.parametrize("field", ESCROW_DAYS)
@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (MAX_DAYS + 1, "must be zero or more and at most " + DAYS_BOUND),
        (10**9, "got 1000000000$"),
        (1.5, "must be an int, got 1.5"),
        (True, "must be an int, got True"),
    ],
)
def test_every_escrow_day_figure_is_an_int_within_the_day_bound(
    field: str, bad: object, words: str
) -> None:
    longest: dict[str, Any] = dict.fromkeys(ESCROW_DAYS, MAX_DAYS)
    assert getattr(EscrowPolicy("mine", **longest), field) == MAX_DAYS
    refused(
        lambda: EscrowPolicy("mine", **{**longest, field: bad}), f"^EscrowPolicy.{field} ", words
    )


@pytest.mark.parametrize("field", SHIPPING_DAYS)
def test_every_shipping_day_figure_is_an_int_within_the_day_bound(field: str) -> None:
    longest = dict.fromkeys(SHIPPING_DAYS, MAX_DAYS)
    assert getattr(ShippingPolicy(**longest), field) == MAX_DAYS  # type: ignore[arg-type]
    refused(
        lambda: ShippingPolicy(**{**longest, field: MAX_DAYS + 1}),  # type: ignore[arg-type]
        f"^ShippingPolicy.{field} must be zero or more and at most " + DAYS_BOUND,
    )


def test_an_escrow_policy_refuses_a_sub_policy_an_edition_or_methods_that_are_not_one() -> None:
    refused(
        lambda: EscrowPolicy("mine", shipping=None),  # type: ignore[arg-type]
        "^EscrowPolicy.shipping must be a ShippingPolicy, got None",
    )
    refused(lambda: EscrowPolicy(5), "^EscrowPolicy.edition must be a non-empty string, got 5")  # type: ignore[arg-type]
    refused(lambda: EscrowPolicy(" "), "^EscrowPolicy.edition must be a non-empty string")
    refused(
        lambda: EscrowPolicy("mine", accepted_methods=5),  # type: ignore[arg-type]
        "payment methods must be a tuple or list of PaymentMethod values, not 5",
    )
    refused(
        lambda: EscrowPolicy("mine", default_protection_limit="10"),  # type: ignore[arg-type]
        "^EscrowPolicy.default_protection_limit must be Money, got '10'",
    )


@pytest.mark.parametrize(
    "field",
    [
        "interest_rate",
        "insurance_fee_rate",
        "financed_share",
        "per_trade_share_of_limit",
        "new_customer_share",
    ],
)
@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_financing_rate_or_share_must_be_finite(field: str, bad: str) -> None:
    refused(
        lambda: attrs.evolve(DEFAULT_FINANCING, **{field: Decimal(bad)}),
        f"^FinancingPolicy.{field} must be a finite Decimal, got -?{bad}",
    )


def test_an_interest_rate_is_a_share_of_the_principal_per_period() -> None:
    assert attrs.evolve(DEFAULT_FINANCING, interest_rate=Decimal(1)).interest_rate == 1
    refused(
        lambda: attrs.evolve(DEFAULT_FINANCING, interest_rate=Decimal("1.0001")),
        "^FinancingPolicy.interest_rate must be a share from 0 to 1, got 1.0001",
    )
    refused(
        lambda: attrs.evolve(DEFAULT_FINANCING, interest_rate=Decimal("1E-999999")),
        "at most 30 digits after the point; it has 999999$",
    )


def test_a_financing_policy_refuses_a_currency_edition_or_figure_that_is_not_one() -> None:
    refused(
        lambda: FinancingPolicy("mine", currency=123),  # type: ignore[arg-type]
        "^FinancingPolicy.currency must be an ISO 4217 currency code",
        "got 123",
    )
    refused(lambda: FinancingPolicy("mine", currency="usd"), "got 'usd'")
    refused(lambda: FinancingPolicy(None), "^FinancingPolicy.edition must be")  # type: ignore[arg-type]
    refused(
        lambda: FinancingPolicy("mine", min_limit="10"),  # type: ignore[arg-type]
        "^min_limit must be Money, got '10'",
    )
    assert FinancingPolicy("mine", currency="AUD", max_limit=Money(5, "AUD")).currency == "AUD"


def test_an_identity_policy_takes_the_longest_spans() -> None:
    longest = IdentityPolicy(
        verification_valid_years=MAX_YEARS,
        storefront_months=MAX_MONTHS,
        review_window_months=MAX_MONTHS,
        max_median_response=timedelta(days=MAX_DAYS),
    )
    assert longest.storefront_months == MAX_MONTHS


@pytest.mark.parametrize(
    ("field", "bad", "words"),
    [
        ("verification_valid_years", MAX_YEARS + 1, "at most 200 years"),
        ("storefront_months", 10**9, "at most 2,400 months.*, got 1000000000"),
        ("review_window_months", MAX_MONTHS + 1, "at most 2,400 months"),
        ("max_median_response", timedelta.max, "at most " + DAYS_BOUND),
        ("min_response_rate", Decimal("NaN"), "finite Decimal, got NaN"),
        ("personal_name_max_order", "10", "must be Money, got '10'"),
    ],
)
def test_an_identity_policy_bounds_its_spans_and_wants_money_where_money_is_meant(
    field: str, bad: object, words: str
) -> None:
    refused(
        lambda: attrs.evolve(DEFAULT_IDENTITY, **{field: bad}), f"^IdentityPolicy.{field} ", words
    )


# -- bounded cost ---------------------------------------------------------------------------


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The years calendars built from now on load, in order."""
    years: list[int] = []
    load = WorkingCalendar._load

    def counting(calendar: WorkingCalendar, year: int) -> Any:
        years.append(year)
        return load(calendar, year)

    monkeypatch.setattr(WorkingCalendar, "_load", counting)
    return years


@pytest.fixture
def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any calendar year loaded fails the test at once."""

    def forbidden(country: str, subdivision: str | None, year: int) -> Any:
        raise AssertionError(f"loaded {country} {year}")

    monkeypatch.setattr(shipping, "_package_source", forbidden)


@pytest.mark.usefixtures("no_loading")
def test_a_working_day_count_beyond_the_bound_is_refused_before_a_year_loads() -> None:
    refused(
        lambda: add_working_days(date(2025, 1, 1), 10**18, WorkingCalendar("DE")),
        "^n must be from -73,413 to 73,413 days",
        "got 1000000000000000000",
    )


@pytest.mark.usefixtures("no_loading")
def test_a_count_that_cannot_fit_the_dates_counted_on_is_refused_before_a_year_loads() -> None:
    calendar = WorkingCalendar("DE")
    refused(
        lambda: calendar.add_working_days(date(2999, 12, 1), 40),
        "^40 working days after 2999-12-01 fall outside the dates calendars count on",
        "from 1800-01-01 to 2999-12-31",
    )
    refused(lambda: calendar.add_working_days(date(1800, 1, 10), -10), "10 working days before")
    refused(
        lambda: working_days_between(date(2025, 1, 1), date(9999, 12, 31), calendar),
        "^end must be from 1800-01-01 to 2999-12-31",
    )
    refused(lambda: calendar.is_working_day(date(1, 1, 1)), "^day must be from 1800-01-01")
    refused(lambda: calendar.is_estimated(10**6), "^year must be from 1800 to 2999")


def test_a_calendar_keeps_only_the_years_it_used_last(loaded: list[int]) -> None:
    calendar = WorkingCalendar("DE")
    years = list(range(2000, 2000 + YEARS_CACHED + 1))
    for year in years:
        calendar.is_working_day(date(year, 6, 1))
    assert loaded == years
    calendar.is_working_day(date(years[-1], 7, 1))
    assert loaded == years  # the newest is still held
    calendar.is_working_day(date(years[0], 7, 1))
    assert loaded == [*years, years[0]]  # the oldest was let go, and loads again


def test_the_day_span_cache_is_bounded() -> None:
    for n in range(DAY_SPANS_CACHED + 10):
        assert days(n) == timedelta(days=n)
    info = days.cache_info()  # type: ignore[attr-defined]
    assert info.maxsize == DAY_SPANS_CACHED
    assert info.currsize <= DAY_SPANS_CACHED


def test_the_password_word_lists_are_kept_for_a_few_minimum_lengths_only() -> None:
    pytest.importorskip("zxcvbn")
    for length in range(1, 20):
        words, _ = _segmentation_words(length)
        assert all(len(word) >= length for word in words)
    info = _segmentation_words.cache_info()
    assert info.maxsize == 8
    assert info.currsize <= 8


def test_the_default_escrow_policy_is_within_the_domain() -> None:
    # A guard that the published figures never drift past the bound.
    assert all(getattr(DEFAULT_ESCROW, name) <= MAX_DAYS for name in ESCROW_DAYS)
