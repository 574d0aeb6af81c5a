"""Notebook views: the HTML shows the key figures and escapes what users typed, and the
rows are plain dicts whose values a DataFrame takes as they are."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import escape as html_escape
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from escrow_builders import T0, at, placed, usd
from tradeassure import views
from tradeassure.credit import AU_PARTNER_FINANCING, DEFAULT_FINANCING, CreditLine, quote
from tradeassure.errors import InvalidInput, RuleViolation
from tradeassure.escrow import (
    CancellationAgreed,
    CancellationDeclined,
    CancellationRequested,
    ContractConfirmed,
    Deadlines,
    DisputeOpened,
    DisputeReason,
    DisputeSettled,
    Event,
    FeedbackLeft,
    InspectionReported,
    Order,
    Party,
    PaymentMethod,
    PaymentReceived,
    PlatformRuled,
    ReceiptConfirmed,
    ReceiptDeadlineExtended,
    RefundIssued,
    Shipped,
    check,
    due_events,
    place,
    replay,
)
from tradeassure.events import EVENT_TYPES
from tradeassure.money import Money
from tradeassure.policy import EscrowPolicy
from tradeassure.rules import RULES
from tradeassure.shipping import WorkingCalendar, YearSchedule, calendar_for
from tradeassure.verification import (
    Inquiry,
    Membership,
    Storefront,
    SupplierRecord,
    Transaction,
    storefront,
)

SCRIPT = "<script>alert(1)</script>"
PLAIN = (str, int, bool, Decimal, date, datetime, timedelta, type(None))


def disputed_history(**changes: object) -> list[Event]:
    """Placed, confirmed, paid in two parts, shipped, disputed, inspected, settled and
    refunded: every money column moves."""
    return [
        placed(**changes),
        ContractConfirmed(at=at(0.1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(3000), method=PaymentMethod.TT),
        PaymentReceived(at=at(2), amount=usd(7000), method=PaymentMethod.VISA),
        Shipped(at=at(30), value=usd(10_000), final=True),
        DisputeOpened(
            at=at(35),
            reason=DisputeReason.QUALITY_MISMATCH,
            claim=usd(4000),
            evidence=("photo.jpg",),
        ),
        InspectionReported(at=at(40), passed=False, report="wall 1.6 mm"),
        DisputeSettled(at=at(41), refund=usd(1500)),
        RefundIssued(at=at(42), amount=usd(1500), bank_account="DE89 3704 0044"),
    ]


HISTORIES = {
    "placed only": [placed()],
    "completed with feedback": [
        placed(),
        ContractConfirmed(at=at(0.1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.VISA),
        Shipped(at=at(20), value=usd(4000), final=False),
        Shipped(at=at(30), value=usd(6000), final=True),
        ReceiptConfirmed(at=at(40)),
        FeedbackLeft(at=at(41), rating=5, comment="good"),
    ],
    "cancelled by agreement": [
        placed(),
        ContractConfirmed(at=at(0.1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.TT),
        CancellationRequested(at=at(2), by=Party.BUYER),
        CancellationAgreed(at=at(3), by=Party.SUPPLIER),
    ],
    "disputed, settled and refunded": disputed_history(),
}


def states_by_replay(events: list[Event]) -> list[Order]:
    return [replay(events[: k + 1]) for k in range(len(events))]


def assert_plain_rows(rows: list[dict[str, object]], keys: tuple[str, ...]) -> None:
    # A list of plain dicts, which also becomes a typed frame (views.Rows).
    assert type(rows) is views.Rows
    assert isinstance(rows, list)
    assert [name for name, _ in rows.columns] == list(keys)
    for row in rows:
        assert type(row) is dict
        assert tuple(row) == keys
        for key, value in row.items():
            assert type(value) in PLAIN, (key, type(value))
            assert type(value) is not Money, key


# -- orders -------------------------------------------------------------------------------

TIMELINE_KEYS = (
    "position",
    "at",
    "event",
    "event_id",
    "description",
    "status",
    "paid",
    "held",
    "released",
    "refunded",
    "currency",
)


@pytest.mark.parametrize("events", HISTORIES.values(), ids=HISTORIES.keys())
def test_each_timeline_row_agrees_with_replaying_the_history_up_to_its_event(
    events: list[Event],
) -> None:
    order = replay(events)
    rows = views.timeline_rows(order)
    assert len(rows) == len(events)
    for k, (row, state) in enumerate(zip(rows, states_by_replay(events), strict=True)):
        assert row["position"] == k + 1  # counted from 1, as the CLI and JSON count
        assert row["at"] == events[k].at
        assert row["event"] == type(events[k]).__name__
        assert row["status"] == state.status.name
        assert row["paid"] == state.paid.amount
        assert row["held"] == state.held.amount
        assert row["released"] == state.released.amount
        assert row["refunded"] == state.refunded.amount
        assert row["currency"] == "USD"


def test_timeline_rows_are_plain_dicts_with_amounts_as_decimals() -> None:
    rows = views.timeline_rows(replay(disputed_history()))
    assert_plain_rows(rows, TIMELINE_KEYS)
    assert [type(r["held"]) for r in rows] == [Decimal] * len(rows)
    assert type(rows[0]["at"]) is datetime
    assert rows[-1]["status"] == "REFUNDED"


def test_the_timeline_describes_each_event_in_one_line() -> None:
    rows = views.timeline_rows(replay(disputed_history()))
    descriptions = [str(r["description"]) for r in rows]
    assert all("\n" not in d for d in descriptions)
    assert "USD 3,000.00 by T/T" in descriptions[2]
    assert "quality mismatch" in descriptions[5]
    assert "USD 4,000.00" in descriptions[5]
    assert "rejected" in descriptions[6]


def test_every_event_type_has_a_description() -> None:
    from tradeassure.escrow.handlers import EVENT_SPECS

    assert set(EVENT_SPECS) == set(EVENT_TYPES.values())


def test_a_timer_is_described_by_its_rule() -> None:
    order = place(placed())
    (timer,) = due_events(order, at(31))
    rows = views.timeline_rows(replay([placed(), timer]))
    assert rows[1]["description"] == f"TMR-CONFIRM fell due: {RULES['TMR-CONFIRM'].summary}"
    assert rows[1]["status"] == "CANCELLED"


def test_a_refund_row_does_not_repeat_the_bank_account() -> None:
    order = replay(disputed_history())
    assert "3704" not in str(views.timeline_rows(order)[-1]["description"])
    assert "3704" not in views.order_html(order)


def test_the_timeline_folds_under_the_policy_the_order_was_built_with() -> None:
    liberal = EscrowPolicy(edition="test", accepted_methods=frozenset(PaymentMethod))
    events: list[Event] = [
        placed(),
        ContractConfirmed(at=at(0.1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(100), method=PaymentMethod.PAYPAL),
    ]
    order = replay(events, liberal)
    assert views.timeline_rows(order, liberal)[-1]["paid"] == Decimal(100)
    with pytest.raises(RuleViolation, match="TA-METHODS"):
        views.timeline_rows(order)
    # The HTML still shows the events, and says which policy to pass.
    html = views.order_html(order)
    assert "PaymentReceived" in html
    assert "pass the policy the order was built with" in html


def test_money_rows_give_each_figure_and_conserve_the_money() -> None:
    order = replay(disputed_history())
    rows = views.money_rows(order)
    assert_plain_rows(rows, ("name", "amount", "currency"))
    figures = {r["name"]: r["amount"] for r in rows}
    assert figures == {
        "total": Decimal(10_000),
        "paid": Decimal(10_000),
        "held": Decimal(0),
        "released": Decimal(8500),
        "refunded": Decimal(1500),
        "shipped": Decimal(10_000),
    }
    assert figures["paid"] == figures["held"] + figures["released"] + figures["refunded"]


def test_deadline_rows_name_each_deadline_its_rule_and_its_date() -> None:
    rows = views.deadline_rows(place(placed()))
    assert_plain_rows(rows, ("name", "rule", "when", "description"))
    assert [(r["name"], r["rule"], r["when"]) for r in rows] == [
        ("ship_by", "SHIP-DATE", date(2025, 10, 20)),
        ("confirm_by", "TMR-CONFIRM", at(30)),
        # The move the order waits for: the buyer's confirmation, before TMR-CONFIRM.
        ("next_move", "TMR-CONFIRM", at(30)),
    ]


def test_a_refund_arrival_gives_an_earliest_and_a_latest_row() -> None:
    rows = views.deadline_rows(replay(disputed_history()))
    names = [r["name"] for r in rows]
    assert names == ["refund_arrival_earliest", "refund_arrival_latest"]
    assert all(r["rule"] == "ESC-REFUND-WINDOW" for r in rows)
    earliest, latest = (r["when"] for r in rows)
    assert type(earliest) is date
    assert type(latest) is date
    assert earliest < latest


def test_every_deadline_field_has_a_row_and_a_registered_rule() -> None:
    assert [name for name, _, _ in views._DEADLINES] == list(attrs.fields_dict(Deadlines))
    assert all(rule in RULES for _, _, rule in views._DEADLINES)


def test_the_order_html_shows_the_status_money_deadlines_and_timeline() -> None:
    order = place(placed())
    html = views.order_html(order)
    assert re.search(r'class="ta-status"[^>]*>AWAITING_CONFIRMATION<', html)
    assert "USD 10,000.00" in html
    assert "2025-10-20" in html  # ship by
    assert at(30).isoformat() in html  # confirm by
    assert "TMR-CONFIRM" in html
    assert "ContractConfirmed" in html  # can take next
    assert html.count('class="ta-current"') == 1


def test_the_order_html_highlights_the_latest_event_and_shows_money_after_each() -> None:
    html = views.order_html(replay(disputed_history()))
    assert re.search(r'class="ta-status"[^>]*>REFUNDED<', html)
    current = html[html.index('class="ta-current"') :]
    assert "RefundIssued" in current.split("</tr>")[0]
    # One money format: the timeline's amounts as the money table's, never bare.
    for shown in ("USD 8,500.00", "USD 1,500.00", "USD 0.00"):
        assert shown in html
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert not [c for c in cells if re.fullmatch(r"-?[\d.,]+", c) and "." in c]


def test_user_strings_in_an_order_stay_inert() -> None:
    events = [
        placed(order_id=f"PO-{SCRIPT}", buyer=SCRIPT, supplier=f"Evil & Co {SCRIPT}"),
        ContractConfirmed(at=at(0.1), by=Party.BUYER),
        PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.VISA),
        Shipped(at=at(30), value=usd(10_000), final=True),
        ReceiptConfirmed(at=at(31)),
        FeedbackLeft(at=at(32), rating=1, comment=SCRIPT),
    ]
    html = views.order_html(replay(events))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Evil &amp; Co" in html


def test_a_long_history_shows_its_latest_events_and_says_so() -> None:
    events: list[Event] = [placed(), ContractConfirmed(at=at(0.1), by=Party.BUYER)]
    events += [
        PaymentReceived(at=at(1 + i / 1000), amount=usd(10), method=PaymentMethod.VISA)
        for i in range(150)
    ]
    html = views.order_html(replay(events))
    assert "the latest 100 of 152 events" in html
    assert html.count("PaymentReceived</td>") == 100


# A random walk through the lifecycle: at each step, the events a plausible backend
# could send now, of which the ones the rules accept.


def candidates(order: Order, now: datetime, *, cancel: bool) -> list[Event]:
    owed = order.total - order.paid
    unshipped = order.total - order.shipped
    events: list[Event] = [
        ContractConfirmed(at=now, by=Party.BUYER),
        ReceiptConfirmed(at=now),
        ReceiptDeadlineExtended(at=now, by=Party.BUYER),
        FeedbackLeft(at=now, rating=4),
        *([CancellationRequested(at=now, by=Party.BUYER)] if cancel else []),
        CancellationAgreed(at=now, by=Party.SUPPLIER),
        CancellationDeclined(at=now, by=Party.SUPPLIER),
        InspectionReported(at=now, passed=False, report="short"),
        InspectionReported(at=now, passed=True),
        *due_events(order, now)[:1],
    ]
    if owed.amount > 0:
        events.append(PaymentReceived(at=now, amount=owed, method=PaymentMethod.TT))
        events.append(PaymentReceived(at=now, amount=usd(1000), method=PaymentMethod.VISA))
    if unshipped.amount > 0:
        events.append(Shipped(at=now, value=unshipped, final=True))
        events.append(Shipped(at=now, value=usd(1000), final=False))
    if order.held.amount > 0:
        for reason in (DisputeReason.NOT_SHIPPED_ON_TIME, DisputeReason.DAMAGED):
            events.append(
                DisputeOpened(at=now, reason=reason, claim=order.held, evidence=("p.jpg",))
            )
    d = order.dispute
    if d is not None:
        events += [DisputeSettled(at=now, refund=d.claim), PlatformRuled(at=now, refund=usd(0))]
        if d.refund is not None and d.refund > order.refunded and d.refund.amount > 0:
            owed_refund = d.refund - order.refunded
            events.append(RefundIssued(at=now, amount=owed_refund, bank_account="DE89"))
    return [e for e in events if not check(order, e)]


@st.composite
def histories(draw: Callable[..., object]) -> list[Event]:
    events: list[Event] = [placed()]
    order = place(events[0])  # type: ignore[arg-type]
    now = T0
    for _ in range(draw(st.integers(0, 12))):  # type: ignore[call-overload]
        now += timedelta(hours=draw(st.integers(1, 24 * 20)))  # type: ignore[call-overload]
        # Cancelling ends most walks at once: offer it one step in four.
        options = candidates(order, now, cancel=draw(st.integers(0, 3)) == 0)  # type: ignore[call-overload]
        if not options:
            break
        event = draw(st.sampled_from(options))
        assert isinstance(event, Event)
        order = replay([*events, event])
        events.append(event)
    return events


@given(histories())
def test_timeline_rows_agree_with_replaying_every_prefix(events: list[Event]) -> None:
    rows = views.timeline_rows(replay(events))
    for row, state in zip(rows, states_by_replay(events), strict=True):
        assert (row["status"], row["held"], row["released"], row["refunded"]) == (
            state.status.name,
            state.held.amount,
            state.released.amount,
            state.refunded.amount,
        )
        assert row["paid"] == state.paid.amount


# -- financing quotes ---------------------------------------------------------------------

WORKED_LINE = CreditLine(limit=usd(2_000_000), outstanding=usd(900_000), drawn_total=usd(900_000))


def test_quote_rows_flag_exactly_the_binding_cap() -> None:
    offer = quote(WORKED_LINE, usd(200_000))
    rows = offer.rows()
    assert rows == views.quote_rows(offer)
    assert_plain_rows(rows, ("rule", "label", "amount", "currency", "binding"))
    assert [r["rule"] for r in rows if r["binding"]] == ["CR-OUTSTANDING"]
    assert [r["amount"] for r in rows if r["binding"]] == [Decimal("99999.99")]


def test_of_two_per_trade_rows_the_one_that_sets_the_amount_binds() -> None:
    offer = quote(CreditLine(limit=usd(5_000_000)), usd(1_000_000))
    assert offer.limited_by == "CR-PER-TRADE"
    binding = [r for r in offer.rows() if r["binding"]]
    assert [(r["label"], r["amount"]) for r in binding] == [
        ("per-trade maximum", Decimal("150000"))
    ]


def test_the_quote_html_highlights_the_binding_cap_and_shows_every_figure() -> None:
    offer = quote(WORKED_LINE, usd(200_000))
    html = offer._repr_html_()
    assert html == views.quote_html(offer)
    assert html.count('class="ta-binding"') == 1
    binding_row = html[html.index('class="ta-binding"') :].split("</tr>")[0]
    assert "CR-OUTSTANDING" in binding_row
    assert "USD 99,999.99" in binding_row
    for cap in offer.caps:
        assert str(cap.amount) in html
    assert "insurance fee USD 0.00" in html


def test_a_quote_with_one_cap_binds_it() -> None:
    aud = CreditLine(limit=Money(300_000, "AUD"))
    only_available = attrs.evolve(AU_PARTNER_FINANCING, financed_share=None)
    offer = quote(aud, Money(80_000, "AUD"), only_available)
    assert [(r["rule"], r["binding"]) for r in offer.rows()] == [("CR-AVAILABLE", True)]


def test_cap_labels_are_escaped() -> None:
    offer = quote(WORKED_LINE, usd(200_000), DEFAULT_FINANCING)
    caps = (attrs.evolve(offer.caps[0], label=SCRIPT), *offer.caps[1:])
    html = views.quote_html(attrs.evolve(offer, caps=caps))
    assert "<script" not in html
    assert html_escape(SCRIPT) in html


# -- storefronts --------------------------------------------------------------------------

STOREFRONT_KEYS = (
    "as_of",
    "window_start",
    "protection_badge",
    "protection_limit",
    "protection_limit_currency",
    "transaction_count",
    "transaction_value",
    "currency",
    "inquiries_received",
    "inquiries_answered",
    "response_rate",
    "median_response_time",
)


def gold_front() -> Storefront:
    record = SupplierRecord(
        Membership.GOLD_SUPPLIER,
        transactions=[Transaction(date(2025, 6, d), usd(1000)) for d in (1, 2, 3)],
        inquiries=[
            *(Inquiry(date(2025, 6, 1), timedelta(hours=h)) for h in (1, 2, 3, 10)),
            Inquiry(date(2025, 6, 1)),
        ],
        protection_limit=usd(20_000),
    )
    return storefront(record, date(2025, 6, 30))


def test_storefront_rows_are_one_plain_row_of_its_figures() -> None:
    front = gold_front()
    rows = front.rows()
    assert_plain_rows(rows, STOREFRONT_KEYS)
    (row,) = rows
    assert row["transaction_value"] == Decimal(3000)
    assert row["protection_limit"] == Decimal(20_000)
    assert row["response_rate"] == Decimal("0.8")
    assert row["median_response_time"] == timedelta(hours=2, minutes=30)
    assert row["protection_badge"] is True


def test_the_storefront_html_shows_the_badge_and_figures() -> None:
    html = gold_front()._repr_html_()
    assert 'class="ta-badge"' in html
    for shown in ("USD 3,000.00", "USD 20,000.00", "80%", "2.5 hours", "4 of 5", "2025-06-30"):
        assert shown in html


def test_a_storefront_without_badge_limit_or_inquiries_says_so() -> None:
    front = storefront(SupplierRecord(Membership.FREE_MEMBER), date(2025, 6, 30))
    (row,) = views.storefront_rows(front)
    assert row["protection_limit"] is None
    assert row["protection_limit_currency"] is None
    assert row["response_rate"] is None
    html = views.storefront_html(front)
    assert 'class="ta-badge"' not in html
    assert "no protection badge" in html
    assert "the policy&#x27;s default" in html


# -- working-calendar months ----------------------------------------------------------------

CN = calendar_for("CN")


def test_china_october_2025_marks_the_golden_week_and_the_make_up_saturday() -> None:
    rows = CN.month_rows(2025, 10)
    assert rows == views.calendar_month_rows(CN, 2025, 10)
    assert_plain_rows(rows, ("date", "weekday", "working", "why", "estimated"))
    by_day = {r["date"].day: r for r in rows}  # type: ignore[attr-defined]
    assert len(by_day) == 31
    # State Council notice of 2024-11-12: 1-8 October off, 28 September and 11 October worked.
    assert [d for d in range(1, 9) if by_day[d]["working"]] == []
    for d in (1, 2, 3):
        assert by_day[d]["why"] == "holiday: National Day"
    assert by_day[6]["why"] == "holiday: Mid-Autumn Festival"
    assert str(by_day[7]["why"]).startswith("holiday: Day off")
    assert by_day[4]["why"] == by_day[5]["why"] == "weekend"
    assert by_day[11] == {
        "date": date(2025, 10, 11),
        "weekday": "Saturday",
        "working": True,
        "why": "make-up working day",
        "estimated": False,
    }
    assert by_day[9]["why"] == "working day"
    assert by_day[12]["why"] == "weekend"


def test_the_month_grid_marks_each_kind_of_day_apart() -> None:
    html = CN.month_html(2025, 10)
    assert html == views.calendar_month_html(CN, 2025, 10)
    cells = re.findall(r'class="ta-day ta-(\w+)" title="([\d-]+): ([^"]*)"', html)
    assert len(cells) == 31
    kinds = {date.fromisoformat(day).day: kind for kind, day, _ in cells}
    assert [kinds[d] for d in range(1, 12)] == [
        *["holiday"] * 3,
        *["weekend"] * 2,
        *["holiday"] * 3,
        "working",
        "working",
        "makeup",
    ]
    assert "CN, October 2025" in html
    assert "ta-estimated" not in html
    # 1 October 2025 is a Wednesday: the grid starts with two empty cells.
    assert html.index("<td></td><td></td><td class") > 0


def test_the_html_of_a_month_is_a_str_a_notebook_renders() -> None:
    html = CN.month_html(2025, 10)
    assert isinstance(html, str)
    assert html._repr_html_() == str(html)  # type: ignore[attr-defined]


def test_an_estimated_year_is_flagged_in_rows_and_grid() -> None:
    assert CN.is_estimated(2030)
    assert all(r["estimated"] for r in CN.month_rows(2030, 10))
    assert 'class="ta-estimated"' in CN.month_html(2030, 10)
    assert "border-style:dashed" in CN.month_html(2030, 10)


def test_closed_dates_and_supplied_schedules_have_their_own_reasons() -> None:
    schedule = YearSchedule(
        year=2030,
        days_off=frozenset({date(2030, 10, 1)}),
        working_days=frozenset({date(2030, 10, 12)}),
        source="an example notice",
    )
    calendar = WorkingCalendar("CN", closed=frozenset({date(2030, 10, 2)}), schedules=(schedule,))
    by_day = {r["date"].day: r for r in calendar.month_rows(2030, 10)}  # type: ignore[attr-defined]
    assert by_day[1]["why"] == "holiday: public holiday"
    assert by_day[2]["why"] == "closed"
    assert by_day[12]["why"] == "make-up working day"
    assert not by_day[1]["estimated"]
    assert 'class="ta-day ta-closed"' in calendar.month_html(2030, 10)


def test_a_statutory_holiday_is_named_in_the_united_states() -> None:
    rows = calendar_for("US").month_rows(2025, 7)
    assert rows[3]["why"] == "holiday: Independence Day"
    assert rows[4]["why"] == "weekend"


@pytest.mark.parametrize(("year", "month"), [(2025, 0), (2025, 13), (2025, True), ("2025", 1)])
def test_a_month_outside_one_to_twelve_is_refused(year: object, month: object) -> None:
    with pytest.raises(InvalidInput):
        views.calendar_month_rows(CN, year, month)  # type: ignore[arg-type]


# -- pandas, if it happens to be installed ---------------------------------------------------


def test_rows_make_a_dataframe_with_numeric_money_columns() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(views.timeline_rows(replay(disputed_history())))
    assert list(frame.columns) == list(TIMELINE_KEYS)
    assert frame["held"].astype(float).max() == 10_000.0
    assert pandas.DataFrame(CN.month_rows(2025, 10))["working"].dtype == bool


# -- well-formed HTML --------------------------------------------------------------------------


class _Balance(HTMLParser):
    """Checks that every opened element is closed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes the wrong element"


@pytest.mark.parametrize(
    "render",
    [
        lambda: views.order_html(replay(disputed_history())),
        lambda: views.order_html(place(placed(buyer=SCRIPT))),
        lambda: views.quote_html(quote(WORKED_LINE, usd(200_000))),
        lambda: views.storefront_html(gold_front()),
        lambda: CN.month_html(2025, 10),
        lambda: CN.month_html(2030, 2),
    ],
    ids=["order", "placed order", "quote", "storefront", "month", "estimated month"],
)
def test_the_html_closes_every_element_it_opens(render: Callable[[], str]) -> None:
    parser = _Balance()
    parser.feed(render())
    parser.close()
    assert parser.open == []
