"""``replay`` and ``demo``: an event history replayed step by step (with progress on a
terminal), and its report, as tables or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tradeassure.cli._io import _IO, _Malformed, _Refusal, _when
from tradeassure.errors import InvalidInput, RuleViolation

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.escrow import EscrowPolicy, Event, Order
    from tradeassure.money import Money


# Replays at least this long show progress on a terminal.
_PROGRESS_MIN_EVENTS = 1000


def _rules_applied(before: Order | None, event: Event) -> tuple[str, ...]:
    """The rule ids an event was judged by: its transition's ``rules`` in the table."""
    from tradeassure.escrow import PLACEMENT_RULES, TRANSITIONS, TimerExpired

    if isinstance(event, TimerExpired):
        return (event.timer,)
    if before is None:
        return PLACEMENT_RULES
    transition = TRANSITIONS.get((before.status, type(event)))
    return () if transition is None else transition.rules


class _Step:
    """One applied event and what it did, for the timeline and the rule trace."""

    __slots__ = ("after", "before", "event", "index", "rules", "timer")

    def __init__(
        self, index: int, event: Event, before: Order | None, after: Order, timer: bool
    ) -> None:
        self.index = index
        self.event = event
        self.before = before
        self.after = after
        self.timer = timer
        self.rules = _rules_applied(before, event)

    @property
    def redelivered(self) -> bool:
        return self.before is not None and self.after is self.before


class _Progress:
    """A rich progress bar of the events replayed, on a terminal's stderr, for long
    histories; nothing in a pipe or a file."""

    def __init__(self, total: int, io: _IO) -> None:
        self.bar: Any = None
        if total >= _PROGRESS_MIN_EVENTS and io.err.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("replaying events"),
                BarColumn(),
                MofNCompleteColumn(),
                console=io.err_console,
                transient=True,
                auto_refresh=False,
            )
            self.task = self.bar.add_task("replay", total=total)
            self.every = max(1, total // 100)
            self.bar.start()

    def update(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
            if done % self.every == 0:
                self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.refresh()
            self.bar.stop()


def _replay_steps(
    events: Sequence[Event], policy: EscrowPolicy, at: datetime | None, io: _IO
) -> list[_Step]:
    from tradeassure.escrow import apply, due_events, steps

    progress = _Progress(len(events), io)
    out: list[_Step] = []
    order: Order | None = None
    folding = steps(events, policy)
    try:
        for i in range(1, len(events) + 1):
            try:
                before, event, order = next(folding)
            except RuleViolation as refusal:
                raise _Refusal(refusal, i, events[i - 1]) from None
            except InvalidInput as exc:
                raise _Malformed(f"event {i} ({type(events[i - 1]).__name__}): {exc}") from None
            out.append(_Step(i, event, before, order, timer=False))
            progress.update(i)
    finally:
        progress.close()
    if order is None:
        raise _Malformed("the history is empty: it needs at least its OrderPlaced event")
    if at is not None:
        for timer in due_events(order, at, policy):
            after = apply(order, timer, policy)
            out.append(_Step(len(out) + 1, timer, order, after, timer=True))
            order = after
    return out


def _money_rows(order: Order, policy: EscrowPolicy) -> list[tuple[str, Money]]:
    from tradeassure.escrow import covered_amount

    return [
        ("total", order.total),
        ("paid", order.paid),
        ("held", order.held),
        ("released", order.released),
        ("refunded", order.refunded),
        ("shipped", order.shipped),
        ("covered", covered_amount(order, policy)),
    ]


def _moved(before: Money | None, after: Money) -> str:
    if before is None or before == after:
        return ""
    delta = after - before
    return f"+{delta}" if not delta.is_negative else f"-{-delta}"


def _deadline_rows(order: Order, policy: EscrowPolicy) -> list[tuple[str, str]]:
    """The order's dated deadlines (its next move is shown under what may happen next)."""
    import attrs

    from tradeassure.escrow import deadlines

    due = deadlines(order, policy)
    rows: list[tuple[str, str]] = []
    for field in attrs.fields(type(due)):
        value = getattr(due, field.name)
        if value is None or field.name == "next_move":
            continue
        if isinstance(value, tuple):
            shown = f"{value[0]} to {value[1]}"
        elif isinstance(value, datetime):
            shown = _when(value)
        else:
            shown = str(value)
        rows.append((field.name.replace("_", " "), shown))
    return rows


def _next_data(order: Order, policy: EscrowPolicy) -> dict[str, Any]:
    """What each party may send the order now (``escrow.allowed_moves``) and the move it
    waits for (``Deadlines.next_move``), as JSON data."""
    from tradeassure.escrow import allowed_moves, deadlines

    move = deadlines(order, policy).next_move
    return {
        "moves": {
            party.name: sorted(kind.__name__ for kind in kinds)
            for party, kinds in allowed_moves(order, policy).items()
        },
        "next_move": None
        if move is None
        else {
            "rule": move.rule,
            "party": move.party.name,
            "at": None if move.at is None else move.at.isoformat(),
        },
    }


def _report_data(steps: list[_Step], policy: EscrowPolicy) -> dict[str, Any]:
    """The replay's report as JSON data."""
    from tradeassure.escrow import deadlines
    from tradeassure.serialization import to_dict

    order = steps[-1].after
    return {
        "order": to_dict(order, edition=policy.edition),
        "money": {name: to_dict(m) for name, m in _money_rows(order, policy)},
        "timeline": [
            {
                "index": s.index,
                "at": s.event.at.isoformat(),
                "type": type(s.event).__name__,
                "status": s.after.status.name,
                "held": to_dict(s.after.held),
                "released": to_dict(s.after.released),
                "refunded": to_dict(s.after.refunded),
                "timer": s.timer,
                "redelivered": s.redelivered,
            }
            for s in steps
        ],
        "deadlines": to_dict(deadlines(order, policy)),
        "next": _next_data(order, policy),
        "trace": [
            {
                "index": s.index,
                "type": type(s.event).__name__,
                "from": None if s.before is None else s.before.status.name,
                "to": s.after.status.name,
                "rules": list(s.rules),
            }
            for s in steps
        ],
    }


def _report(steps: list[_Step], policy: EscrowPolicy, io: _IO) -> None:
    from tradeassure.escrow import brief

    if io.as_json:
        io.json(_report_data(steps, policy))
        return
    order = steps[-1].after
    c = order.contract
    io.line(f"Order {order.order_id}: {order.status.name} (policy: {policy.edition})", "bold")
    io.line(f"  buyer {c.buyer}, supplier {c.supplier}, total {c.total}, ship-by {order.ship_by}")
    io.heading("Money")
    io.table(["", "amount"], [(n, str(m)) for n, m in _money_rows(order, policy)], [1])
    io.heading("Timeline")
    rows = []
    for s in steps:
        b = s.before
        moves = (
            (name, _moved(None if b is None else getattr(b, name), getattr(s.after, name)))
            for name in ("held", "released", "refunded")
        )
        rows.append(
            (
                str(s.index),
                _when(s.event.at),
                type(s.event).__name__ + (" (redelivered)" if s.redelivered else ""),
                brief(s.event),
                s.after.status.name,
                ", ".join(f"{name} {moved}" for name, moved in moves if moved),
            )
        )
    io.table(["#", "at", "event", "details", "status", "moved"], rows, [0], [1, 2, 4])
    io.heading("Deadlines")
    due = _deadline_rows(order, policy)
    if due:
        io.table(["deadline", "when"], due)
    else:
        io.line("  none pending")
    io.heading("What may happen next")
    upcoming = _next_data(order, policy)
    io.table(
        ["party", "may send"],
        [
            (party.lower(), ", ".join(kinds) or "nothing")
            for party, kinds in upcoming["moves"].items()
        ],
    )
    move = upcoming["next_move"]
    if move is None:
        io.line("  next due: nothing (the order is closed)")
    else:
        by = "no deadline" if move["at"] is None else _when(datetime.fromisoformat(move["at"]))
        io.line(f"  next due: {move['rule']}, the {move['party'].lower()}'s move, by {by}")
    io.heading("Rule trace")
    trace = [
        (
            str(s.index),
            type(s.event).__name__,
            f"{'-' if s.before is None else s.before.status.name} -> {s.after.status.name}",
            ", ".join(s.rules) or "-",
        )
        for s in steps
    ]
    io.table(["#", "event", "status", "rules"], trace, [0])
