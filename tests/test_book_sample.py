"""The sample-book generator (``tradeassure.book.sample``): deterministic per order,
every path present, its lines exactly what ``to_json`` writes, every history replaying
or refused where planned, and the bundled sample book current."""

from __future__ import annotations

import gzip
import runpy
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from itertools import groupby, pairwise
from pathlib import Path

import pytest

from tradeassure.book import sample
from tradeassure.book.sample import (
    MALFORMED_EVERY,
    PATHS,
    START,
    as_of,
    events,
    lines,
    order_id,
    plan,
    write,
)
from tradeassure.errors import InvalidInput, InvalidJSON, RuleViolation
from tradeassure.escrow import Event, TimerExpired, apply, due_events, replay
from tradeassure.money import minor_unit
from tradeassure.serialization import Envelope, from_json, to_json

ROOT = Path(__file__).resolve().parent.parent
BOOK = 1_000


def histories(envelopes: Iterable[Envelope]) -> dict[str, list[Event]]:
    """Each order's events, by its id, in the order given."""
    out: dict[str, list[Event]] = {}
    for envelope in envelopes:
        out.setdefault(envelope.order_id, []).append(envelope.event)
    return out


@pytest.fixture(scope="module")
def book() -> dict[str, list[Event]]:
    return histories(events(BOOK))


# -- determinism ----------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_book() -> None:
    assert list(lines(200, seed=3)) == list(lines(200, seed=3))


def test_another_seed_gives_another_book() -> None:
    assert list(lines(50, seed=0)) != list(lines(50, seed=1))


def test_an_order_is_the_same_in_a_book_of_ten_of_a_thousand_and_alone() -> None:
    small = list(lines(10))
    large = list(lines(BOOK))
    assert large[: len(small)] == small
    alone = list(lines(1, first=700))
    start = sum(plan(n).events for n in range(1, 700))
    assert large[start : start + len(alone)] == alone


def test_a_partition_of_the_book_is_the_book() -> None:
    whole = list(lines(300, seed=5))
    parts = [list(lines(100, seed=5, first=first)) for first in (1, 101, 201)]
    assert parts[0] + parts[1] + parts[2] == whole


# -- shape ----------------------------------------------------------------------------------


def test_every_path_appears_in_a_thousand_orders() -> None:
    taken = Counter(plan(n).path for n in range(1, BOOK + 1))
    assert set(taken) == set(PATHS)
    assert len(PATHS) >= 15


def test_each_path_takes_the_share_the_module_docstring_gives() -> None:
    rows = [line.split("|") for line in sample.__doc__.splitlines() if line.startswith("| ")]
    documented = {row[1].strip(): float(row[2].strip(" %")) for row in rows[1:]}
    assert set(documented) == set(PATHS)
    assert sum(documented.values()) == 100
    taken = Counter(plan(n).path for n in range(1, 20_001))
    for path, share in documented.items():
        assert taken[path] / 200 == pytest.approx(share, abs=0.6), path


def test_orders_come_in_id_order_each_one_together_and_in_time_order(
    book: dict[str, list[Event]],
) -> None:
    ids = [envelope.order_id for envelope in events(BOOK)]
    grouped = [key for key, _ in groupby(ids)]
    assert grouped == [order_id(n) for n in range(1, BOOK + 1)]
    for n in range(1, BOOK + 1):
        history = book[order_id(n)]
        assert len(history) == plan(n).events
        assert all(a.at < b.at for a, b in pairwise(history))


def test_amounts_are_in_whole_minor_units_mostly_usd(book: dict[str, list[Event]]) -> None:
    currencies = Counter(history[0].total.currency for history in book.values())  # type: ignore[attr-defined]
    assert set(currencies) == {"USD", "EUR", "GBP", "JPY"}
    assert currencies["USD"] > BOOK / 2
    for history in book.values():
        total = history[0].total  # type: ignore[attr-defined]
        assert -total.amount.as_tuple().exponent == minor_unit(total.currency)


def test_suppliers_are_a_few_hundred_and_buyers_more(book: dict[str, list[Event]]) -> None:
    placed = [history[0] for history in book.values()]
    assert 100 <= len({p.supplier for p in placed}) <= 400  # type: ignore[attr-defined]
    assert len({p.buyer for p in placed}) > 400  # type: ignore[attr-defined]


# -- the lines are the events ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "start"),
    [
        (0, START),
        (7, datetime(2024, 2, 29, 23, 45, tzinfo=timezone(timedelta(hours=-5)))),
    ],
)
def test_the_lines_are_byte_for_byte_what_to_json_writes(seed: int, start: datetime) -> None:
    assert list(lines(400, seed=seed, start=start)) == [
        to_json(envelope) for envelope in events(400, seed=seed, start=start)
    ]


def test_the_lines_read_back_as_the_events() -> None:
    assert [from_json(line, Envelope) for line in lines(100)] == list(events(100))


# -- the histories --------------------------------------------------------------------------


def test_every_history_replays_but_a_refused_one_which_is_refused_where_planned(
    book: dict[str, list[Event]],
) -> None:
    for n in range(1, BOOK + 1):
        planned = plan(n)
        history = book[planned.order_id]
        if planned.refused_at is None:
            replay(history)
            continue
        assert planned.refused_at == len(history) - 1
        before = replay(history[: planned.refused_at])
        with pytest.raises(RuleViolation) as refusal:
            apply(before, history[planned.refused_at])
        assert refusal.value.rule == planned.rule


def test_every_kind_of_refusal_appears_and_is_refused_as_planned() -> None:
    refused = [p for n in range(1, 20_001) if (p := plan(n)).path == "refused"]
    assert len({p.rule for p in refused}) == 8
    first: dict[str | None, int] = {}
    for p in refused:
        first.setdefault(p.rule, int(p.order_id[3:]))
    for rule, n in first.items():
        history = [envelope.event for envelope in events(1, first=n)]
        with pytest.raises(RuleViolation) as refusal:
            replay(history)
        assert refusal.value.rule == rule


def test_a_timer_is_the_event_due_events_gives(book: dict[str, list[Event]]) -> None:
    timers = 0
    for history in book.values():
        for i, event in enumerate(history):
            if isinstance(event, TimerExpired):
                assert due_events(replay(history[:i]), event.at)[0] == event
                timers += 1
    assert timers > 50


def test_only_open_orders_hold_money_at_the_books_end(book: dict[str, list[Event]]) -> None:
    end = as_of()
    late = 0
    for n in range(1, BOOK + 1):
        planned = plan(n)
        history = book[planned.order_id]
        assert history[-1].at < end
        if planned.path == "refused":
            continue
        order = replay(history)
        assert bool(order.held.amount) is (planned.path == "open"), planned
        if planned.path == "open":
            assert order.milestones.final_shipped_at is None
            late += order.ship_by < end.date()
        else:
            assert not due_events(order, end), planned
    assert late > 0  # some open orders are overdue at the summary instant


# -- malformed lines ------------------------------------------------------------------------


def test_malformed_lines_are_refused_and_are_the_only_lines_that_differ() -> None:
    orders = 3 * MALFORMED_EVERY
    good = list(lines(orders))
    bad = list(lines(orders, malformed=True))
    assert len(good) == len(bad)
    differ = [i for i, (a, b) in enumerate(zip(good, bad, strict=True)) if a != b]
    expected = []
    position = 0
    kinds = set()
    for n in range(1, orders + 1):
        planned = plan(n)
        if planned.malformed_line is not None:
            expected.append(position + planned.malformed_line)
            kinds.add(planned.malformed)
        position += planned.events
    assert differ == expected
    assert kinds == {"float amount", "naive instant", "unknown type"}
    for i in differ:
        with pytest.raises(InvalidJSON):
            from_json(bad[i], Envelope)


# -- size, files and arguments --------------------------------------------------------------


def test_twenty_thousand_orders_generate() -> None:
    assert sum(1 for _ in lines(20_000)) == sum(plan(n).events for n in range(1, 20_001))


def test_write_gzips_the_same_bytes_every_time(tmp_path: Path) -> None:
    one, two, plain = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz", tmp_path / "c.jsonl"
    assert write(one, 50) == write(two, 50) == write(plain, 50)
    assert one.read_bytes() == two.read_bytes()
    assert gzip.decompress(one.read_bytes()) == plain.read_bytes()
    assert plain.read_text(encoding="utf-8") == "".join(line + "\n" for line in lines(50))


def test_the_bundled_sample_book_is_current() -> None:
    bundled = files("tradeassure").joinpath("examples/book.jsonl.gz").read_bytes()
    script = runpy.run_path(str(ROOT / "scripts" / "gen_sample_book.py"))
    assert gzip.decompress(bundled).decode("utf-8") == script["render"](), (
        "regenerate: python scripts/gen_sample_book.py"
    )
    assert len(bundled) < 400_000


def test_the_books_end_is_a_year_after_its_start() -> None:
    assert as_of() == datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "call",
    [
        lambda: list(lines(-1)),
        lambda: list(lines(1, first=0)),
        lambda: list(lines(1, start=datetime(2025, 1, 1))),  # naive
        lambda: list(lines(1, start=datetime(2025, 1, 1, 0, 0, 30, tzinfo=UTC))),
        lambda: plan(0),
        lambda: list(events(1, seed="0")),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_refused(call: object) -> None:
    with pytest.raises(InvalidInput):
        call()  # type: ignore[operator]
