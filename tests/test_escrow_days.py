"""Days are the supplier's days (SHIP-DATE): every rule that counts days or compares a
date with an instant takes the day in the zone the contract names, never in the offset
an event happens to be written in. Equal histories give equal answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from escrow_builders import at, placed, usd
from tradeassure.errors import InvalidInput, RuleViolation
from tradeassure.escrow import (
    DEFAULT_ESCROW,
    ContractConfirmed,
    DisputeOpened,
    DisputeReason,
    Event,
    Order,
    OrderStatus,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    Shipped,
    ShippingDateExtended,
    advance,
    apply,
    check,
    deadlines,
    place,
    replay,
)
from tradeassure.money import Money
from tradeassure.shipping import ShippingPolicy, add_working_days, zone_for
from tradeassure.testing import order_histories

S = OrderStatus
CHINA = timezone(timedelta(hours=8))
#: Offsets from UTC-12 to UTC+14, in quarter hours where the world keeps them.
OFFSETS = st.sampled_from(
    [timezone(timedelta(minutes=15 * q)) for q in range(-48, 57, 3)] + [UTC, CHINA]
)


def paid() -> Order:
    return replay(
        [
            placed(),
            ContractConfirmed(at=at(hours=2), by=Party.BUYER),
            PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.TT),
        ]
    )


def late_claim(when: datetime, claim: Money | None = None) -> DisputeOpened:
    return DisputeOpened(
        at=when, reason=DisputeReason.NOT_SHIPPED_ON_TIME, claim=claim or usd(1_000)
    )


class TestTheSuppliersDay:
    # Ship-by 20 Oct 2025; the supplier is in China (Asia/Shanghai, UTC+8).
    def test_a_final_shipment_early_on_the_21st_in_china_is_late_however_it_is_written(
        self,
    ) -> None:
        china = datetime(2025, 10, 21, 7, 0, tzinfo=CHINA)
        utc = china.astimezone(UTC)  # 20 Oct 23:00 UTC: the same instant
        assert china == utc
        for instant in (china, utc):
            order = apply(paid(), Shipped(at=instant, value=usd(10_000), final=True))
            assert not check(order, late_claim(instant + timedelta(hours=1)))

    def test_a_final_shipment_late_on_the_20th_in_china_is_in_time_however_it_is_written(
        self,
    ) -> None:
        china = datetime(2025, 10, 20, 23, 0, tzinfo=CHINA)
        for instant in (china, china.astimezone(UTC), china.astimezone(timezone.min)):
            order = apply(paid(), Shipped(at=instant, value=usd(10_000), final=True))
            violations = check(order, late_claim(instant + timedelta(hours=2)))
            assert [v.rule for v in violations] == ["TA-LATE-SHIPMENT"]

    def test_a_contract_may_name_the_supplier_s_zone(self) -> None:
        order = place(placed(supplier_country="US", supplier_zone="America/Los_Angeles"))
        assert order.contract.supplier_zone == "America/Los_Angeles"

    def test_a_country_with_several_zones_must_name_one(self) -> None:
        with pytest.raises(InvalidInput, match="supplier_zone"):
            placed(supplier_country="US")

    def test_a_zone_must_be_an_iana_name(self) -> None:
        with pytest.raises(InvalidInput, match="IANA"):
            placed(supplier_zone="China Standard Time")

    @pytest.mark.parametrize(
        ("country", "zone"),
        [("CN", "Asia/Shanghai"), ("DE", "Europe/Berlin"), ("VN", "Asia/Ho_Chi_Minh")],
    )
    def test_a_country_with_one_zone_gives_it(self, country: str, zone: str) -> None:
        assert zone_for(country) == zone
        assert place(placed(supplier_country=country)).contract.supplier_zone == zone

    def test_the_buyer_s_days_are_counted_in_the_buyer_s_zone(self) -> None:
        order = place(placed(buyer_country="DE"))
        assert order.contract.buyer_zone == "Europe/Berlin"
        assert place(placed()).contract.buyer_zone == "Asia/Shanghai"


def _rewritten(history: tuple[Event, ...], offsets: list[timezone]) -> list[Event]:
    return [
        attrs.evolve(e, at=e.at.astimezone(offsets[i % len(offsets)]))
        for i, e in enumerate(history)
    ]


def _probes(order: Order) -> list[Event]:
    """Events whose answer depends on the day: a late-shipment claim, a receipt, a
    shipment, each a few hours after the latest event."""
    later = order.updated_at + timedelta(hours=5)
    return [
        late_claim(later, Money(1, order.total.currency)),
        ReceiptConfirmed(at=later),
        Shipped(at=later, value=order.total - order.shipped, final=True)
        if order.shipped != order.total
        else ReceiptConfirmed(at=later + timedelta(days=1)),
    ]


@given(order_histories(), st.lists(OFFSETS, min_size=1, max_size=5))
def test_equal_histories_written_in_other_offsets_give_equal_answers(
    history: tuple[Event, ...], offsets: list[timezone]
) -> None:
    order = replay(history)
    other = replay(_rewritten(history, offsets))
    assert other == order
    assert deadlines(other) == deadlines(order)
    for probe in _probes(order):
        moved = attrs.evolve(probe, at=probe.at.astimezone(offsets[0]))
        assert check(other, moved) == check(order, probe)


def test_a_date_is_compared_with_an_instant_in_the_supplier_s_zone_not_in_utc() -> None:
    # 20 Oct 20:00 UTC is already 21 Oct in China: a late claim then is accepted.
    order = paid()
    assert not check(order, late_claim(datetime(2025, 10, 20, 20, 0, tzinfo=UTC)))
    assert check(order, late_claim(datetime(2025, 10, 20, 15, 0, tzinfo=UTC)))
    assert date(2025, 10, 20) == order.ship_by


# -- the contract's dates (SHIP-DATE, SHIP-WINDOW, TMR-SHIP-EXTEND-CAP) -------------------

#: Placed Mon 1 Sep 2025 09:00 UTC (17:00 in China); confirmed two hours later.
CONFIRMED = at(hours=2)


def confirm(order: Order) -> list[str]:
    return [v.rule for v in check(order, ContractConfirmed(at=CONFIRMED, by=Party.BUYER))]


class TestTheContractsDates:
    def test_a_ship_by_before_the_drafting_day_is_refused_at_placement(self) -> None:
        with pytest.raises(RuleViolation, match="SHIP-DATE") as info:
            place(placed(ship_by=date(2025, 8, 31)))
        assert "2025-09-01" in str(info.value)

    def test_a_ship_by_on_the_drafting_day_is_placed(self) -> None:
        assert place(placed(ship_by=date(2025, 9, 1))).ship_by == date(2025, 9, 1)

    @pytest.mark.parametrize(
        ("ship_by", "rules"),
        [
            (date(2025, 9, 3), ["SHIP-WINDOW"]),  # 2 working days after 1 Sep
            (date(2025, 9, 4), []),  # 3
            (date(2025, 11, 28), []),  # 60
            (date(2025, 12, 1), ["SHIP-WINDOW"]),  # 61
            (date(2027, 9, 1), ["SHIP-WINDOW"]),  # two years ahead
        ],
    )
    def test_the_ship_by_lies_within_the_window_of_the_confirmation(
        self, ship_by: date, rules: list[str]
    ) -> None:
        assert confirm(place(placed(ship_by=ship_by))) == rules

    def test_the_window_refusal_names_the_dates_it_allows(self) -> None:
        order = place(placed(ship_by=date(2027, 9, 1)))
        (violation,) = check(order, ContractConfirmed(at=CONFIRMED, by=Party.BUYER))
        assert "a ship-by from 2025-09-04 to 2025-11-28" in violation.message

    def test_a_lead_time_in_working_days_is_counted_from_the_confirmation(self) -> None:
        order = place(placed(ship_by=None, lead_days=10))
        later = apply(order, ContractConfirmed(at=at(3), by=Party.BUYER))  # Thu 4 Sep
        assert later.ship_by == add_working_days(date(2025, 9, 4), 10, "CN")
        assert later.contract.lead_days == 10

    @pytest.mark.parametrize(
        ("lead", "rules"), [(2, ["SHIP-WINDOW"]), (3, []), (60, []), (61, ["SHIP-WINDOW"])]
    )
    def test_a_lead_time_outside_the_window_is_refused_at_confirmation(
        self, lead: int, rules: list[str]
    ) -> None:
        assert confirm(place(placed(ship_by=None, lead_days=lead))) == rules

    def test_a_contract_gives_a_ship_by_or_a_lead_time(self) -> None:
        with pytest.raises(InvalidInput, match="either ship_by"):
            placed(lead_days=10)
        with pytest.raises(InvalidInput, match="either ship_by"):
            placed(ship_by=None)

    def test_a_policy_may_start_the_lead_time_at_placement(self) -> None:
        from_placement = attrs.evolve(
            DEFAULT_ESCROW, shipping=ShippingPolicy(lead_time_start="placement")
        )
        with pytest.raises(RuleViolation, match="SHIP-WINDOW"):
            place(placed(ship_by=date(2025, 9, 3)), from_placement)
        order = place(placed(ship_by=None, lead_days=5), from_placement)
        assert order.ship_by == add_working_days(date(2025, 9, 1), 5, "CN")


class TestTheExtensionCap:
    def test_the_longest_lead_time_can_still_be_extended(self) -> None:
        # Confirmed 15 Dec 2025 with 60 working days: ship-by 16 Mar 2026, 91 calendar
        # days later (the Spring Festival); the cap counts working days, so it is later.
        start = datetime(2025, 12, 15, 2, 0, tzinfo=UTC)
        order = replay(
            [
                placed(at=start, ship_by=None, lead_days=60),
                ContractConfirmed(at=start + timedelta(hours=1), by=Party.BUYER),
            ]
        )
        assert order.ship_by == date(2026, 3, 16)
        later = ShippingDateExtended(
            at=start + timedelta(days=5),
            new_ship_by=date(2026, 3, 23),
            buyer_agrees=True,
            supplier_agrees=True,
        )
        assert apply(order, later).ship_by == date(2026, 3, 23)

    def test_the_cap_refusal_names_a_date_after_the_current_ship_by(self) -> None:
        start = datetime(2025, 12, 15, 2, 0, tzinfo=UTC)
        order = replay(
            [
                placed(at=start, ship_by=None, lead_days=60),
                ContractConfirmed(at=start + timedelta(hours=1), by=Party.BUYER),
            ]
        )
        cap = add_working_days(date(2025, 12, 15), 90, "CN")
        at_cap = ShippingDateExtended(
            at=start + timedelta(days=5), new_ship_by=cap, buyer_agrees=True, supplier_agrees=True
        )
        assert apply(order, at_cap).ship_by == cap
        over = attrs.evolve(at_cap, new_ship_by=cap + timedelta(days=1))
        (violation,) = check(order, over)
        assert violation.rule == "TMR-SHIP-EXTEND-CAP"
        assert f"the latest ship-by it can have is {cap}" in violation.message
        assert cap > order.ship_by

    def test_a_cap_shorter_than_the_longest_lead_time_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="ship_extend_cap_days"):
            ShippingPolicy(ship_extend_cap_days=59)


# -- deposit orders live until their ship-by (ESC-DEPOSIT, TMR-PAY, TMR-BALANCE) ----------

JUNE_3 = datetime(2025, 6, 3, 2, 0, tzinfo=UTC)  # 10:00 in China
SHANGHAI = ZoneInfo("Asia/Shanghai")


def deposit_order(deposit: int | None = 3_000) -> Order:
    """Confirmed 3 Jun 2025 with 60 working days of lead time (ship-by 26 Aug), deposit
    3,000 paid the next day."""
    order = replay(
        [
            placed(
                at=JUNE_3,
                ship_by=None,
                lead_days=60,
                deposit=None if deposit is None else usd(deposit),
            ),
            ContractConfirmed(at=JUNE_3 + timedelta(hours=1), by=Party.BUYER),
        ]
    )
    assert order.ship_by == date(2025, 8, 26)
    payment = PaymentReceived(
        at=JUNE_3 + timedelta(days=1), amount=usd(3_000), method=PaymentMethod.VISA
    )
    return apply(order, payment)


def balance(when: datetime) -> PaymentReceived:
    return PaymentReceived(at=when, amount=usd(7_000), method=PaymentMethod.VISA)


class TestADepositOrderLivesUntilItsShipBy:
    def test_the_payment_timer_does_not_cancel_a_paid_deposit(self) -> None:
        order = deposit_order()
        assert advance(order, datetime(2025, 8, 3, tzinfo=UTC)).status is S.PARTIALLY_PAID
        late_balance = balance(datetime(2025, 8, 19, 9, 0, tzinfo=SHANGHAI))
        assert apply(order, late_balance).status is S.FUNDS_HELD

    def test_the_balance_is_due_by_the_end_of_the_ship_by_day_in_the_supplier_s_zone(
        self,
    ) -> None:
        order = deposit_order()
        assert deadlines(order).balance_by == datetime(2025, 8, 27, tzinfo=SHANGHAI)
        last_minute = datetime(2025, 8, 26, 23, 59, tzinfo=SHANGHAI)
        assert apply(order, balance(last_minute)).status is S.FUNDS_HELD
        too_late = datetime(2025, 8, 27, 0, 0, tzinfo=SHANGHAI)
        assert [v.rule for v in check(order, balance(too_late))] == ["TMR-BALANCE"]

    def test_an_unpaid_balance_cancels_the_order_and_returns_the_deposit(self) -> None:
        order = advance(deposit_order(), datetime(2025, 8, 27, tzinfo=SHANGHAI))
        assert (order.status, order.held, order.refunded) == (S.CANCELLED, usd(0), usd(3_000))
        assert order.events[-1].timer == "TMR-BALANCE"  # type: ignore[attr-defined]

    def test_an_order_without_a_deposit_still_cancels_under_the_payment_timer(self) -> None:
        order = deposit_order(deposit=None)  # 3,000 paid on a contract asking no deposit
        assert deadlines(order).pay_by == JUNE_3 + timedelta(hours=1, days=60)
        cancelled = advance(order, JUNE_3 + timedelta(hours=1, days=60))
        assert (cancelled.status, cancelled.refunded) == (S.CANCELLED, usd(3_000))

    def test_an_order_whose_deposit_is_short_cancels_under_the_payment_timer(self) -> None:
        order = replay(
            [
                placed(at=JUNE_3, ship_by=None, lead_days=60, deposit=usd(3_000)),
                ContractConfirmed(at=JUNE_3 + timedelta(hours=1), by=Party.BUYER),
                PaymentReceived(
                    at=JUNE_3 + timedelta(days=1), amount=usd(2_999), method=PaymentMethod.VISA
                ),
            ]
        )
        assert advance(order, JUNE_3 + timedelta(hours=1, days=60)).status is S.CANCELLED

    def test_a_policy_may_give_the_balance_more_days(self) -> None:
        lenient = attrs.evolve(DEFAULT_ESCROW, balance_due_days=5)
        order = replay(deposit_order().events, lenient)
        assert deadlines(order, lenient).balance_by == datetime(2025, 9, 1, tzinfo=SHANGHAI)
