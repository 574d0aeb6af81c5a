"""The views' rows become frames pandas and polars compute on (exact decimal money, UTC
instants), write each value one way (amounts at the currency's minor unit, a status by
its name, positions from 1), and list only a party's moves as what may come next."""

from __future__ import annotations

import re
from datetime import date, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings

from escrow_builders import at, placed, usd
from test_views import HISTORIES, disputed_history
from tradeassure import views
from tradeassure.credit import DEFAULT_FINANCING, CreditLine, quote
from tradeassure.escrow import (
    ContractConfirmed,
    Event,
    Party,
    PaymentMethod,
    PaymentReceived,
    TimerExpired,
    allowed_events,
    allowed_moves,
    due_events,
    place,
    replay,
)
from tradeassure.escrow.handlers import EVENT_SPECS
from tradeassure.money import Money
from tradeassure.serialization import to_dict
from tradeassure.shipping import calendar_for
from tradeassure.testing import order_histories
from tradeassure.verification import Inquiry, Membership, SupplierRecord, Transaction, storefront

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

MONEY = ("paid", "held", "released", "refunded")


def mixed_offsets() -> list[Event]:
    """A history whose instants are written in three offsets."""
    plus8 = timezone(timedelta(hours=8))
    minus5 = timezone(timedelta(hours=-5))
    return [
        placed(),
        ContractConfirmed(at=at(0.1).astimezone(plus8), by=Party.BUYER),
        PaymentReceived(
            at=at(1).astimezone(minus5), amount=usd("3000.25"), method=PaymentMethod.TT
        ),
        PaymentReceived(at=at(2), amount=usd("6999.75"), method=PaymentMethod.VISA),
    ]


# -- frames -------------------------------------------------------------------------------


def test_timeline_frames_have_exact_decimal_money_and_utc_instants() -> None:
    rows = views.timeline_rows(replay(mixed_offsets()))
    table = rows.to_arrow()
    for name in MONEY:
        assert table.schema.field(name).type == pa.decimal128(22, 2)
    assert table.schema.field("at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("position").type == pa.int64()

    frame = rows.to_pandas()
    assert str(frame["held"].dtype) == "decimal128(22, 2)[pyarrow]"
    assert str(frame["at"].dtype) == "timestamp[us, tz=UTC][pyarrow]"
    # Exact sums, as Decimal: 0 + 0 + 3000.25 + 10000.00.
    assert frame["held"].sum() == Decimal("13000.25")
    assert type(frame["held"].sum()) is Decimal
    totals = frame.sum(numeric_only=True)
    assert set(MONEY) <= set(totals.index)
    assert totals["paid"] == Decimal("13000.25")
    # The instants are the same instants, in UTC, whatever offset they were written in.
    assert list(frame["at"]) == [pd.Timestamp(e.at) for e in mixed_offsets()]
    assert all(str(t.tz) == "UTC" for t in frame["at"])

    polars = rows.to_polars()
    assert polars.schema["held"] == pl.Decimal(22, 2)
    assert polars.schema["at"] == pl.Datetime("us", "UTC")
    assert polars["paid"].sum() == Decimal("13000.25")


def test_describe_treats_money_as_numbers_not_categories() -> None:
    rows = views.timeline_rows(replay(disputed_history()))
    # pandas' DataFrame.describe() summarizes the numeric columns and no money column
    # becomes a category (it leaves decimal columns out: pandas cannot hold its
    # percentiles in a decimal dtype); a float copy describes the money.
    described = rows.to_pandas().describe()
    assert "top" not in described.index
    money = rows.to_pandas()[list(MONEY)].astype("float64[pyarrow]").describe()
    assert money.loc["max", "paid"] == 10_000
    assert money.loc["count", "held"] == len(rows)
    # polars describes the decimal columns themselves.
    stats = rows.to_polars().describe()
    assert stats.filter(pl.col("statistic") == "max")["paid"][0] == 10_000


def test_the_plain_list_gives_object_columns_which_the_frames_do_not() -> None:
    # What the docs say of pandas.DataFrame(rows): amounts are exact Decimals, kept as
    # Python objects; the frames are the ones to compute on.
    rows = views.timeline_rows(replay(mixed_offsets()))
    plain = pd.DataFrame(rows)
    assert plain["held"].dtype == object
    assert all(type(v) is Decimal for v in plain["held"])
    assert rows.to_pandas()["held"].dtype != object


@pytest.mark.parametrize(
    ("rows", "money", "others"),
    [
        (
            lambda: views.money_rows(replay(disputed_history())),
            ("amount",),
            {"name": pa.string()},
        ),
        (
            lambda: views.quote_rows(
                quote(
                    CreditLine(
                        limit=Money(2_000_000, "USD"),
                        outstanding=Money(900_000, "USD"),
                        drawn_total=Money(900_000, "USD"),
                    ),
                    Money(200_000, "USD"),
                    DEFAULT_FINANCING,
                )
            ),
            ("amount",),
            {"binding": pa.bool_()},
        ),
        (
            lambda: views.storefront_rows(
                storefront(
                    SupplierRecord(
                        Membership.GOLD_SUPPLIER,
                        transactions=[Transaction(date(2025, 6, 1), usd(1000))],
                        inquiries=[Inquiry(date(2025, 6, 1), timedelta(hours=2))],
                    ),
                    date(2025, 6, 30),
                )
            ),
            ("transaction_value", "protection_limit"),
            {
                "as_of": pa.date32(),
                "transaction_count": pa.int64(),
                "median_response_time": pa.duration("us"),
            },
        ),
        (
            lambda: views.calendar_month_rows(calendar_for("CN"), 2025, 10),
            (),
            {"date": pa.date32(), "working": pa.bool_(), "weekday": pa.string()},
        ),
    ],
    ids=["money", "quote", "storefront", "calendar"],
)
def test_every_view_becomes_a_typed_frame(
    rows: object, money: tuple[str, ...], others: dict[str, object]
) -> None:
    made = rows()  # type: ignore[operator]
    table = made.to_arrow()
    assert table.num_rows == len(made)
    for name in money:
        assert table.schema.field(name).type == pa.decimal128(22, 2)
    for name, type_ in others.items():
        assert table.schema.field(name).type == type_
    assert len(made.to_pandas()) == len(made) == len(made.to_polars())


def test_a_deadline_frame_splits_dates_from_instants() -> None:
    rows = views.deadline_rows(place(placed()))
    table = rows.to_arrow()
    assert table.column_names == ["name", "rule", "when_at", "when_on", "description"]
    assert table.schema.field("when_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("when_on").type == pa.date32()
    by_name = {r["name"]: r for r in table.to_pylist()}
    assert by_name["ship_by"]["when_on"] == date(2025, 10, 20)
    assert by_name["ship_by"]["when_at"] is None
    assert by_name["confirm_by"]["when_at"] == at(30)
    assert by_name["confirm_by"]["when_on"] is None


def test_a_jpy_timeline_has_no_places_and_a_bhd_one_three() -> None:
    for currency, scale in (("JPY", 0), ("BHD", 3)):
        order = replay([placed(total=Money(10_000, currency))])
        table = views.timeline_rows(order).to_arrow()
        assert table.schema.field("held").type == pa.decimal128(20 + scale, scale)
        (row,) = views.timeline_rows(order)
        assert row["held"].as_tuple().exponent == -scale


# -- one way to write a value -------------------------------------------------------------


@pytest.mark.parametrize("events", HISTORIES.values(), ids=HISTORIES.keys())
def test_rows_write_amounts_statuses_and_positions_as_json_does(events: list[Event]) -> None:
    order = replay(events)
    rows = views.timeline_rows(order)
    written = to_dict(order)
    assert rows[-1]["status"] == written["status"]  # the name: FUNDS_HELD, not funds_held
    assert [r["position"] for r in rows] == list(range(1, len(events) + 1))
    for name in MONEY:
        assert f"{rows[-1][name]:f}" == written[name]["amount"]
    for row, money in zip(views.money_rows(order), ("total", *MONEY, "shipped"), strict=True):
        assert f"{row['amount']:f}" == to_dict(getattr(order, money))["amount"]


def test_usd_10000_is_10000_00_in_rows_html_and_json() -> None:
    order = replay(disputed_history())
    assert views.money_rows(order)[0]["amount"].as_tuple() == Decimal("10000.00").as_tuple()
    assert to_dict(order.total)["amount"] == "10000.00"
    html = views.order_html(order)
    assert "USD 10,000.00" in html
    assert not re.search(r">10000(\.00)?<", html)


def test_the_html_counts_from_1_and_spells_statuses_by_name() -> None:
    order = replay(disputed_history())
    html = views.order_html(order)
    current = html[html.index('class="ta-current"') :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", current)
    assert cells[0] == str(len(order.events))
    assert cells[4] == "REFUNDED"
    first = html[html.index("<td", html.index("status after")) :].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", first)[0] == "1"
    assert "funds held" not in html
    assert "FUNDS_HELD" in html


def test_instants_in_the_html_do_not_wrap() -> None:
    html = views.order_html(replay(disputed_history()))
    iso = at(1).isoformat()
    cell = re.search(rf'<td style="([^"]*)">{re.escape(iso)}</td>', html)
    assert cell is not None
    assert "white-space:nowrap" in cell.group(1)


# -- a party's moves only -----------------------------------------------------------------


def test_the_html_lists_a_partys_moves_and_the_timer_apart() -> None:
    html = views.order_html(place(placed()))
    moves = re.search(r"a party may send next: ([^;<]*);([^<]*)<", html)
    assert moves is not None
    assert "TimerExpired" not in moves.group(1)
    assert "ContractConfirmed" in moves.group(1)
    assert "timer TMR-CONFIRM falls due at " + at(30).isoformat() in moves.group(2)


@settings(max_examples=40, deadline=None)
@given(order_histories(max_events=10))
def test_no_internal_event_is_ever_a_move(history: tuple[Event, ...]) -> None:
    for k in range(1, len(history) + 1):
        order = replay(history[:k])
        allowed = allowed_events(order)
        assert TimerExpired not in allowed
        # Every move listed has a party that may send it.
        moves = allowed_moves(order)
        assert frozenset().union(*moves.values()) == allowed
        for kind in allowed:
            assert any(kind in kinds for kinds in moves.values())
    # Timers are found by due_events, never by allowed_events.
    later = max(e.at for e in history) + timedelta(days=400)
    assert all(type(e) is TimerExpired for e in due_events(replay(history), later))


def test_timer_expired_has_no_sender() -> None:
    assert TimerExpired in EVENT_SPECS
    placed_order = place(placed())
    assert TimerExpired not in allowed_events(placed_order)
    assert not any(TimerExpired in kinds for kinds in allowed_moves(placed_order).values())


def test_a_frame_needs_the_frames_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from tradeassure.errors import InvalidInput

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    with pytest.raises(InvalidInput, match=r"pip install 'tradeassure\[frames\]'"):
        views.money_rows(replay(disputed_history())).to_arrow()


def test_rows_are_still_lists_of_dicts() -> None:
    rows = views.money_rows(replay(disputed_history()))
    assert rows == [dict(r) for r in rows]
    assert isinstance(rows, list)
    assert all(type(r) is dict for r in rows)
