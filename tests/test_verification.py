"""Identity tiers, membership and supplier standing (ID-*, TA-SUPPLIER, TA-LIMIT)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tradeassure.errors import CurrencyMismatch, InvalidInput, PolicyError, RuleViolation
from tradeassure.money import Money
from tradeassure.policy import DEFAULT_IDENTITY, IdentityPolicy
from tradeassure.testing import (
    buyer_profiles,
    field_checks,
    inquiries,
    supplier_records,
    transactions,
)
from tradeassure.verification import (
    PAID_MEMBERSHIPS,
    REGISTRATION_COUNTRIES,
    BuyerProfile,
    Decision,
    FieldCheck,
    IdentityField,
    IdentityTier,
    Inquiry,
    Membership,
    SupplierRecord,
    Transaction,
    fields_to_verify,
    identity_tier,
    max_order_for,
    may_have_subaccounts,
    may_place_order,
    protection_eligible,
    registration_number_problems,
    standing,
    storefront,
    verified_until,
)
from tradeassure.verification.standing import response_hours

_RANK = {IdentityTier.UNCLEAR: 0, IdentityTier.ACTIVITY: 1, IdentityTier.VERIFIED: 2}


def _checks_on(day: date, fields: object = IdentityField) -> list[FieldCheck]:
    return [FieldCheck(f, day, "platform", "government records") for f in fields]  # type: ignore[attr-defined]


def _usd(amount: int | str) -> Money:
    return Money(amount, "USD")


# -- identity tiers ----------------------------------------------------------------------


def test_a_check_exactly_one_year_old_still_verifies() -> None:
    profile = BuyerProfile(_checks_on(date(2024, 6, 15)))
    assert identity_tier(profile, date(2025, 6, 15)) is IdentityTier.VERIFIED


def test_a_check_one_year_and_one_day_old_no_longer_verifies() -> None:
    profile = BuyerProfile(_checks_on(date(2024, 6, 15)))
    assert identity_tier(profile, date(2025, 6, 16)) is IdentityTier.UNCLEAR


def test_a_leap_day_check_is_current_on_28_february_and_stale_on_1_march() -> None:
    profile = BuyerProfile(_checks_on(date(2024, 2, 29)))
    assert identity_tier(profile, date(2025, 2, 28)) is IdentityTier.VERIFIED
    assert identity_tier(profile, date(2025, 3, 1)) is IdentityTier.UNCLEAR


def test_a_check_on_28_february_expires_before_the_next_leap_day() -> None:
    profile = BuyerProfile(_checks_on(date(2023, 2, 28)))
    assert identity_tier(profile, date(2024, 2, 28)) is IdentityTier.VERIFIED
    assert identity_tier(profile, date(2024, 2, 29)) is IdentityTier.UNCLEAR


def test_a_check_dated_after_the_day_asked_about_does_not_count_yet() -> None:
    profile = BuyerProfile(_checks_on(date(2025, 1, 10)))
    assert identity_tier(profile, date(2025, 1, 9)) is IdentityTier.UNCLEAR
    assert identity_tier(profile, date(2025, 1, 10)) is IdentityTier.VERIFIED


@pytest.mark.parametrize("missing", list(IdentityField), ids=lambda f: f.name)
def test_one_missing_field_drops_the_tier_to_activity_or_unclear(missing: IdentityField) -> None:
    checks = _checks_on(date(2025, 1, 1), [f for f in IdentityField if f is not missing])
    as_of = date(2025, 3, 1)
    assert identity_tier(BuyerProfile(checks, activity_count=1), as_of) is IdentityTier.ACTIVITY
    assert identity_tier(BuyerProfile(checks), as_of) is IdentityTier.UNCLEAR
    assert fields_to_verify(BuyerProfile(checks), as_of) == {missing}


def test_one_stale_field_drops_the_tier_and_is_named_for_reverification() -> None:
    checks = [
        *_checks_on(date(2025, 1, 1)),
        *_checks_on(date(2023, 1, 1), [IdentityField.JOB_TITLE]),
    ]
    stale = [
        c for c in checks if not (c.field is IdentityField.JOB_TITLE and c.checked_on.year == 2025)
    ]
    profile = BuyerProfile(stale, activity_count=1)
    assert identity_tier(profile, date(2025, 3, 1)) is IdentityTier.ACTIVITY
    assert fields_to_verify(profile, date(2025, 3, 1)) == {IdentityField.JOB_TITLE}


def test_activity_reaches_the_activity_tier_at_the_threshold_not_below() -> None:
    policy = IdentityPolicy(activity_threshold=3)
    as_of = date(2025, 1, 1)
    assert identity_tier(BuyerProfile(activity_count=3), as_of, policy) is IdentityTier.ACTIVITY
    assert identity_tier(BuyerProfile(activity_count=2), as_of, policy) is IdentityTier.UNCLEAR


def test_by_default_one_activity_earns_the_activity_tier() -> None:
    as_of = date(2025, 1, 1)
    assert identity_tier(BuyerProfile(activity_count=1), as_of) is IdentityTier.ACTIVITY
    assert identity_tier(BuyerProfile(), as_of) is IdentityTier.UNCLEAR


def test_each_tier_names_the_rule_that_defines_it() -> None:
    assert [t.rule for t in IdentityTier] == ["ID-VERIFIED", "ID-ACTIVITY", "ID-UNCLEAR"]


def test_a_longer_validity_in_the_policy_keeps_old_checks_current() -> None:
    profile = BuyerProfile(_checks_on(date(2023, 6, 15)))
    policy = IdentityPolicy(verification_valid_years=2)
    assert identity_tier(profile, date(2025, 6, 15), policy) is IdentityTier.VERIFIED
    assert identity_tier(profile, date(2025, 6, 16), policy) is IdentityTier.UNCLEAR
    assert verified_until(profile, policy) == date(2025, 6, 15)


def test_verified_until_is_the_earliest_latest_check_plus_one_year() -> None:
    checks = [
        *_checks_on(date(2024, 5, 1)),
        *_checks_on(date(2024, 2, 29), [IdentityField.COMPANY_ADDRESS]),
        *_checks_on(date(2024, 9, 1), [IdentityField.COMPANY_NAME]),
    ]
    assert verified_until(BuyerProfile(checks)) == date(2025, 5, 1)


def test_verified_until_is_none_while_a_field_was_never_checked() -> None:
    checks = _checks_on(date(2024, 5, 1), list(IdentityField)[:-1])
    assert verified_until(BuyerProfile(checks)) is None


@given(buyer_profiles(), st.dates(date(2015, 1, 1), date(2031, 12, 31)), field_checks())
def test_adding_a_current_check_never_lowers_the_tier(
    profile: BuyerProfile, as_of: date, extra: FieldCheck
) -> None:
    current = attrs.evolve(
        extra, checked_on=as_of - timedelta(days=extra.checked_on.toordinal() % 366)
    )
    before = identity_tier(profile, as_of)
    after = identity_tier(attrs.evolve(profile, checks=(*profile.checks, current)), as_of)
    assert _RANK[after] >= _RANK[before]


@given(buyer_profiles(), st.dates(date(2015, 1, 1), date(2031, 12, 31)), st.integers(1, 5))
def test_adding_activity_never_lowers_the_tier(
    profile: BuyerProfile, as_of: date, more: int
) -> None:
    before = identity_tier(profile, as_of)
    busier = attrs.evolve(profile, activity_count=profile.activity_count + more)
    assert _RANK[identity_tier(busier, as_of)] >= _RANK[before]


@given(buyer_profiles())
def test_verified_until_agrees_with_the_tier_the_day_before_of_and_after(
    profile: BuyerProfile,
) -> None:
    until = verified_until(profile)
    if until is None:
        # Never verified, not even on the days the checks were made.
        assert all(
            identity_tier(profile, c.checked_on) is not IdentityTier.VERIFIED
            for c in profile.checks
        )
        return
    assume(max(c.checked_on for c in profile.checks) < until)
    assert identity_tier(profile, until - timedelta(days=1)) is IdentityTier.VERIFIED
    assert identity_tier(profile, until) is IdentityTier.VERIFIED
    assert identity_tier(profile, until + timedelta(days=1)) is not IdentityTier.VERIFIED


@given(buyer_profiles(), st.dates(date(2015, 1, 1), date(2031, 12, 31)))
def test_a_profile_missing_a_field_is_never_verified(profile: BuyerProfile, as_of: date) -> None:
    assume(verified_until(profile) is None)
    assert identity_tier(profile, as_of) is not IdentityTier.VERIFIED


# -- refused input -----------------------------------------------------------------------


def test_a_negative_activity_count_is_refused() -> None:
    with pytest.raises(InvalidInput, match="activity_count must be zero or more"):
        BuyerProfile(activity_count=-1)


def test_a_datetime_is_refused_where_a_date_is_expected() -> None:
    with pytest.raises(InvalidInput, match="must be a date"):
        FieldCheck(IdentityField.JOB_TITLE, datetime(2025, 1, 1), "platform", "records")
    with pytest.raises(InvalidInput, match="as_of must be a date"):
        identity_tier(BuyerProfile(), datetime(2025, 1, 1))


def test_a_list_of_checks_becomes_a_tuple_and_other_items_are_refused() -> None:
    profile = BuyerProfile(_checks_on(date(2025, 1, 1)))
    assert isinstance(profile.checks, tuple)
    with pytest.raises(InvalidInput, match="checks must hold FieldCheck values only"):
        BuyerProfile(["company name"])  # type: ignore[list-item]


@pytest.mark.parametrize("name", ["", "   "])
def test_a_blank_business_name_is_refused_rather_than_read_as_none(name: str) -> None:
    with pytest.raises(InvalidInput, match="or None for a buyer trading under a personal name"):
        BuyerProfile(business_name=name)


def test_a_blank_checker_or_source_is_refused() -> None:
    with pytest.raises(InvalidInput, match="checked_by"):
        FieldCheck(IdentityField.JOB_TITLE, date(2025, 1, 1), " ", "records")
    with pytest.raises(InvalidInput, match="source"):
        FieldCheck(IdentityField.JOB_TITLE, date(2025, 1, 1), "platform", "")


# -- membership ----------------------------------------------------------------------------


def test_only_paid_members_may_have_subaccounts() -> None:
    assert may_have_subaccounts(Membership.GOLD_SUPPLIER)
    assert may_have_subaccounts(Membership.PAID_MEMBER)
    assert not may_have_subaccounts(Membership.FREE_MEMBER)
    assert {m for m in Membership if may_have_subaccounts(m)} == PAID_MEMBERSHIPS


def test_a_membership_must_be_a_membership_member() -> None:
    with pytest.raises(InvalidInput, match="Membership"):
        may_have_subaccounts("gold_supplier")  # type: ignore[arg-type]


def test_a_buyer_without_a_business_name_orders_up_to_the_small_batch_bound() -> None:
    personal = BuyerProfile()
    assert max_order_for(personal) == _usd(1000)
    assert may_place_order(personal, _usd(1000)).allowed
    refused = may_place_order(personal, _usd("1000.01"))
    assert not refused.allowed
    assert refused.rule == "ID-BUSINESS-NAME"
    assert "Add a business name" in refused.reasons[0]


def test_a_business_has_no_bound_from_the_business_name_rule() -> None:
    business = BuyerProfile(business_name="Acme Trading Ltd")
    assert max_order_for(business) is None
    assert may_place_order(business, _usd(10**9)).allowed


def test_the_small_batch_bound_is_a_policy_figure() -> None:
    policy = IdentityPolicy(personal_name_max_order=_usd(250))
    assert not may_place_order(BuyerProfile(), _usd(251), policy).allowed
    assert may_place_order(BuyerProfile(), _usd(250), policy).allowed


@pytest.mark.parametrize("total", ["0", "-5"])
def test_an_order_total_of_zero_or_less_is_refused_not_allowed(total: str) -> None:
    for profile in (BuyerProfile(), BuyerProfile(business_name="Acme Trading Ltd")):
        with pytest.raises(InvalidInput, match="order_total must be more than zero"):
            may_place_order(profile, _usd(total))


def test_an_order_in_another_currency_than_the_bound_is_refused_as_a_mismatch() -> None:
    with pytest.raises(CurrencyMismatch, match="convert the total"):
        may_place_order(BuyerProfile(), Money(10, "EUR"))


def test_a_refused_decision_raises_a_rule_violation_when_enforced() -> None:
    decision = may_place_order(BuyerProfile(), _usd(5000))
    with pytest.raises(RuleViolation) as raised:
        decision.enforce()
    assert raised.value.rule == "ID-BUSINESS-NAME"
    may_place_order(BuyerProfile(), _usd(5)).enforce()


def test_a_decision_needs_a_registered_rule_and_a_bool() -> None:
    with pytest.raises(InvalidInput, match="registered rule id"):
        Decision(True, "NOT-A-RULE")
    with pytest.raises(InvalidInput, match="allowed must be a bool"):
        Decision(1, "TA-SUPPLIER")  # type: ignore[arg-type]


# -- storefront (ID-STOREFRONT) ------------------------------------------------------------


def _gold(
    days: list[date], answered: list[timedelta | None], on: date = date(2025, 6, 1)
) -> SupplierRecord:
    return SupplierRecord(
        Membership.GOLD_SUPPLIER,
        transactions=[Transaction(d, _usd(1000)) for d in days],
        inquiries=[Inquiry(on, t) for t in answered],
        protection_limit=_usd(20_000),
    )


def test_the_storefront_counts_the_previous_twelve_months_including_today() -> None:
    as_of = date(2025, 6, 30)
    record = _gold([date(2024, 6, 30), date(2024, 7, 1), date(2025, 6, 30), date(2025, 7, 1)], [])
    front = storefront(record, as_of)
    assert front.window_start == date(2024, 7, 1)
    assert front.transaction_count == 2
    assert front.transaction_value == _usd(2000)


def test_a_leap_day_falls_inside_the_window_that_ends_on_28_february() -> None:
    record = _gold([date(2024, 2, 28), date(2024, 2, 29)], [])
    front = storefront(record, date(2025, 2, 28))
    assert front.window_start == date(2024, 2, 29)
    assert front.transaction_count == 1


def test_the_storefront_shows_response_rate_median_time_badge_and_limit() -> None:
    hours = [timedelta(hours=h) for h in (1, 2, 3, 10)]
    record = _gold([date(2025, 6, d) for d in (1, 2, 3)], [*hours, None])
    front = storefront(record, date(2025, 6, 30))
    assert (front.inquiries_received, front.inquiries_answered) == (5, 4)
    assert front.response_rate == Decimal("0.8")
    assert front.median_response_time == timedelta(hours=2, minutes=30)
    assert front.protection_badge
    assert front.protection_limit == _usd(20_000)


def test_a_storefront_without_inquiries_shows_no_rate_and_no_time() -> None:
    front = storefront(SupplierRecord(Membership.FREE_MEMBER), date(2025, 6, 30))
    assert front.response_rate is None
    assert front.median_response_time is None
    assert front.transaction_value == _usd(0)
    assert not front.protection_badge


def test_transactions_in_another_currency_than_the_record_are_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="convert it first"):
        SupplierRecord(
            Membership.GOLD_SUPPLIER, transactions=[Transaction(date(2025, 1, 1), Money(1, "EUR"))]
        )


def test_a_negative_response_time_is_refused() -> None:
    with pytest.raises(InvalidInput, match="response_time"):
        Inquiry(date(2025, 1, 1), timedelta(hours=-1))


@given(supplier_records(), st.dates(date(2015, 1, 1), date(2031, 12, 31)))
def test_the_storefront_counts_exactly_the_transactions_in_its_window(
    record: SupplierRecord, as_of: date
) -> None:
    front = storefront(record, as_of)
    inside = [t for t in record.transactions if front.window_start <= t.completed_on <= as_of]
    assert front.transaction_count == len(inside)
    assert front.transaction_value.amount == sum((t.value.amount for t in inside), Decimal(0))


@given(st.dates(date(2016, 1, 1), date(2031, 12, 31)), transactions())
def test_a_transaction_on_the_first_day_of_the_window_counts_and_the_day_before_does_not(
    as_of: date, sample: Transaction
) -> None:
    start = storefront(SupplierRecord(Membership.GOLD_SUPPLIER), as_of).window_start
    on_edge = SupplierRecord(Membership.GOLD_SUPPLIER, [attrs.evolve(sample, completed_on=start)])
    before = SupplierRecord(
        Membership.GOLD_SUPPLIER, [attrs.evolve(sample, completed_on=start - timedelta(days=1))]
    )
    assert storefront(on_edge, as_of).transaction_count == 1
    assert storefront(before, as_of).transaction_count == 0
    assert 365 <= (as_of - start).days + 1 <= 366


@given(supplier_records(), st.dates(date(2015, 1, 1), date(2031, 12, 31)))
def test_the_response_rate_is_a_share_and_answered_never_exceeds_received(
    record: SupplierRecord, as_of: date
) -> None:
    front = storefront(record, as_of)
    assert front.inquiries_answered <= front.inquiries_received
    rate = front.response_rate
    assert rate is None or Decimal(0) <= rate <= Decimal(1)
    assert (front.median_response_time is None) == (front.inquiries_answered == 0)


# -- protection eligibility (TA-SUPPLIER) ------------------------------------------------


def test_a_gold_supplier_meeting_every_criterion_may_offer_protection() -> None:
    record = _gold([date(2025, 1, 1), date(2025, 3, 1), date(2025, 6, 30)], [timedelta(hours=5)])
    decision = protection_eligible(record, date(2025, 6, 30))
    assert decision.allowed
    assert decision.rule == "TA-SUPPLIER"


@pytest.mark.parametrize("membership", [Membership.FREE_MEMBER, Membership.PAID_MEMBER])
def test_a_supplier_that_is_not_a_gold_supplier_offers_no_protection(
    membership: Membership,
) -> None:
    record = attrs.evolve(_gold([date(2025, 6, 1)] * 3, []), membership=membership)
    decision = protection_eligible(record, date(2025, 6, 30))
    assert not decision.allowed
    assert "Upgrade to Gold Supplier" in decision.reasons[0]


def test_the_review_window_is_six_months_up_to_the_day() -> None:
    # 2025-06-30 minus six months is 2024-12-30: the window starts the day after.
    inside = _gold([date(2024, 12, 31), date(2025, 6, 30), date(2025, 3, 1)], [])
    outside = _gold([date(2024, 12, 30), date(2025, 6, 30), date(2025, 3, 1)], [])
    assert protection_eligible(inside, date(2025, 6, 30)).allowed
    refused = protection_eligible(outside, date(2025, 6, 30))
    assert not refused.allowed
    assert "completed 2 transaction(s)" in refused.reasons[0]


def test_the_response_rate_must_reach_the_minimum() -> None:
    days = [date(2025, 6, 1)] * 3
    fast = timedelta(hours=1)
    assert protection_eligible(_gold(days, [fast] * 4 + [None]), date(2025, 6, 30)).allowed
    refused = protection_eligible(_gold(days, [fast] * 3 + [None]), date(2025, 6, 30))
    assert not refused.allowed
    assert "answered 3 of 4" in refused.reasons[0]


def test_the_median_response_time_must_not_exceed_the_maximum() -> None:
    days = [date(2025, 6, 1)] * 3
    assert protection_eligible(_gold(days, [timedelta(hours=24)]), date(2025, 6, 30)).allowed
    slow = protection_eligible(_gold(days, [timedelta(hours=24, minutes=1)]), date(2025, 6, 30))
    assert not slow.allowed
    assert "median response time" in slow.reasons[0]


def test_a_slow_median_is_refused_naming_it_and_the_maximum_in_hours() -> None:
    record = _gold([date(2025, 6, 1)] * 3, [timedelta(hours=30)])
    (violation,) = standing.check(record, date(2025, 6, 30))
    assert "is 30 hours; it must be at most 24 hours." in violation.message
    assert response_hours(timedelta(minutes=90)) == "1.5 hours"


def test_the_storefront_badge_is_decided_under_the_storefront_s_policy() -> None:
    record = _gold([date(2025, 6, 1)] * 3, [timedelta(hours=30)])
    lenient = attrs.evolve(DEFAULT_IDENTITY, max_median_response=timedelta(hours=48))
    assert not storefront(record, date(2025, 6, 30)).protection_badge
    assert storefront(record, date(2025, 6, 30), lenient).protection_badge


def test_the_review_thresholds_are_policy_figures() -> None:
    record = _gold([date(2025, 6, 1)], [timedelta(hours=40)])
    lenient = IdentityPolicy(min_transactions_per_window=1, max_median_response=timedelta(days=2))
    assert not protection_eligible(record, date(2025, 6, 30)).allowed
    assert protection_eligible(record, date(2025, 6, 30), lenient).allowed


@given(supplier_records(), st.dates(date(2015, 1, 1), date(2031, 12, 31)))
def test_the_storefront_badge_is_the_protection_decision(
    record: SupplierRecord, as_of: date
) -> None:
    decision = protection_eligible(record, as_of)
    assert storefront(record, as_of).protection_badge is decision.allowed
    assert decision.reasons
    if record.membership is not Membership.GOLD_SUPPLIER:
        assert not decision.allowed


@given(supplier_records(), st.dates(date(2015, 1, 1), date(2031, 12, 31)), inquiries())
def test_answering_an_unanswered_inquiry_faster_never_withdraws_protection(
    record: SupplierRecord, as_of: date, extra: Inquiry
) -> None:
    unanswered = attrs.evolve(
        record, inquiries=(*record.inquiries, attrs.evolve(extra, response_time=None))
    )
    instant = attrs.evolve(
        record, inquiries=(*record.inquiries, attrs.evolve(extra, response_time=timedelta(0)))
    )
    if protection_eligible(unanswered, as_of).allowed:
        assert protection_eligible(instant, as_of).allowed


# -- registration numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("CN", "91110000600037341L"),
        ("cn", "9 1 110000 600037341L"),
        ("JP", "5-8356-7825-6246"),
        ("US", "91-1144442"),
    ],
)
def test_a_well_formed_registration_number_has_no_problems(country: str, number: str) -> None:
    assert registration_number_problems(number, country) == ()


@pytest.mark.parametrize(
    ("country", "number", "why"),
    [
        ("CN", "91110000600037341M", "check digit"),
        ("CN", "12345", "length"),
        ("JP", "2-8356-7825-6246", "check digit"),
    ],
)
def test_a_bad_check_digit_or_length_is_reported(country: str, number: str, why: str) -> None:
    (problem,) = registration_number_problems(number, country)
    assert why in problem
    assert number in problem


def test_a_country_without_a_maintained_validator_is_a_policy_error() -> None:
    assert "HK" not in REGISTRATION_COUNTRIES
    with pytest.raises(PolicyError, match="check the number by other means"):
        registration_number_problems("12345678", "HK")


def test_every_supported_country_has_a_working_validator() -> None:
    for country in REGISTRATION_COUNTRIES:
        problems = registration_number_problems("0", country)
        assert len(problems) == 1, country


def test_the_default_policy_keeps_the_documents_review_period() -> None:
    assert DEFAULT_IDENTITY.review_window_months == 6
    assert DEFAULT_IDENTITY.storefront_months == 12
