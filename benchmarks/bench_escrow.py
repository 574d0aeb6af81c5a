"""Replay throughput of the escrow fold, side by side with two state-machine libraries.

Run: ``pip install -e '.[bench]' && python benchmarks/bench_escrow.py``

Every contender runs the same lifecycle with the same guards (who confirms, payments
never over the total, shipments never over the total, receipt only once fully shipped,
feedback once) on the same event streams:

- tradeassure: ``escrow.replay`` over its frozen events (Money with currency checks,
  idempotency by event id, timers, conservation bookkeeping included).
- floor: a hand-written fold over plain tuples with a dict of handlers: what CPython
  can do at best for this shape of work.
- transitions / python-statemachine "per order": one machine object created per order,
  as their documentation shows.
- transitions "shared" / python-statemachine "reused": their fastest configuration, one
  machine built once (transitions: models added and removed per order; python-statemachine:
  one machine and one model, reset to the initial state per order).

Figures are microseconds per event, the best of several repeats.
"""

from __future__ import annotations

import gc
import sys
import timeit
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tradeassure.escrow import (
    ContractConfirmed,
    Event,
    FeedbackLeft,
    OrderPlaced,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    Shipped,
    apply,
    check,
    replay,
)
from tradeassure.money import Money

T0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)

# -- the event streams ----------------------------------------------------------------------

# A neutral description of a history: (kind, amount, flag).
Step = tuple[str, Decimal, bool]


def realistic() -> tuple[Decimal, list[Step]]:
    """An 8-event order: placed, confirmed, deposit, balance, two shipments, receipt,
    feedback."""
    return Decimal(10_000), [
        ("confirm", Decimal(0), False),
        ("pay", Decimal(3000), False),
        ("pay", Decimal(7000), False),
        ("ship", Decimal(4000), False),
        ("ship", Decimal(6000), True),
        ("receive", Decimal(0), False),
        ("feedback", Decimal(5), False),
    ]


def long_history(n: int) -> tuple[Decimal, list[Step]]:
    """``n`` events: confirmation, payment in instalments, then shipment in parts."""
    half = (n - 2) // 2
    steps: list[Step] = [("confirm", Decimal(0), False)]
    steps += [("pay", Decimal(2), False)] * half
    steps += [("ship", Decimal(2), i == half - 1) for i in range(half)]
    return Decimal(2 * half), steps


def ours(total: Decimal, steps: Sequence[Step]) -> list[Event]:
    usd = "USD"
    events: list[Event] = [
        OrderPlaced(
            order_id="PO-1",
            at=T0,
            buyer="buyer",
            supplier="supplier",
            total=Money(total, usd),
            ship_by=date(2025, 10, 20),
            event_id="e0",
        )
    ]
    at = T0
    for i, (kind, amount, flag) in enumerate(steps, start=1):
        at += timedelta(minutes=1)
        eid = f"e{i}"
        if kind == "confirm":
            events.append(ContractConfirmed(at=at, by=Party.BUYER, event_id=eid))
        elif kind == "pay":
            events.append(
                PaymentReceived(
                    at=at, amount=Money(amount, usd), method=PaymentMethod.VISA, event_id=eid
                )
            )
        elif kind == "ship":
            events.append(Shipped(at=at, value=Money(amount, usd), final=flag, event_id=eid))
        elif kind == "receive":
            events.append(ReceiptConfirmed(at=at, event_id=eid))
        else:
            events.append(FeedbackLeft(at=at, rating=int(amount), event_id=eid))
    return events


# -- the floor: a fold over plain tuples ----------------------------------------------------

# state: (status, total, paid, held, released, shipped, feedback)
AC, AP, PP, FH, PS, SH, CO = range(7)
ZERO = Decimal(0)


def _confirm(s: tuple[Any, ...], e: Step) -> tuple[Any, ...]:
    if s[0] != AC:
        raise ValueError("confirm")
    return (AP, *s[1:])


def _pay(s: tuple[Any, ...], e: Step) -> tuple[Any, ...]:
    status, total, paid, held, released, shipped, fb = s
    amount = e[1]
    if status not in (AP, PP) or amount <= 0 or paid + amount > total:
        raise ValueError("pay")
    paid += amount
    return (FH if paid == total else PP, total, paid, held + amount, released, shipped, fb)


def _ship(s: tuple[Any, ...], e: Step) -> tuple[Any, ...]:
    status, total, paid, held, released, shipped, fb = s
    value = e[1]
    if status not in (FH, PS) or value <= 0 or shipped + value > total:
        raise ValueError("ship")
    return (SH if e[2] else PS, total, paid, held, released, shipped + value, fb)


def _receive(s: tuple[Any, ...], e: Step) -> tuple[Any, ...]:
    status, total, paid, held, released, shipped, fb = s
    if status != SH:
        raise ValueError("receive")
    return (CO, total, paid, ZERO, released + held, shipped, fb)


def _feedback(s: tuple[Any, ...], e: Step) -> tuple[Any, ...]:
    if s[0] != CO or s[6] is not None:
        raise ValueError("feedback")
    return (*s[:6], e[1])


FLOOR_HANDLERS: dict[str, Callable[[tuple[Any, ...], Step], tuple[Any, ...]]] = {
    "confirm": _confirm,
    "pay": _pay,
    "ship": _ship,
    "receive": _receive,
    "feedback": _feedback,
}


def floor(total: Decimal, steps: Sequence[Step]) -> tuple[Any, ...]:
    state: tuple[Any, ...] = (AC, total, ZERO, ZERO, ZERO, ZERO, None)
    handlers = FLOOR_HANDLERS
    for step in steps:
        state = handlers[step[0]](state, step)
    return state


# The same fold doing the bookkeeping tradeassure does besides the guards: skip a redelivered
# event id, refuse an event back in time, check the payment timer, keep the history. Plain
# mutable locals, so it is a floor for that work, not a persistent value per step.
CheckedStep = tuple[str, Decimal, bool, str, datetime]
PAY_WINDOW = timedelta(days=60)


def checked_steps(steps: Sequence[Step]) -> list[CheckedStep]:
    at = T0
    out: list[CheckedStep] = []
    for i, (kind, amount, flag) in enumerate(steps, start=1):
        at += timedelta(minutes=1)
        out.append((kind, amount, flag, f"e{i}", at))
    return out


def floor_checked(total: Decimal, steps: Sequence[CheckedStep]) -> tuple[Any, ...]:
    state: tuple[Any, ...] = (AC, total, ZERO, ZERO, ZERO, ZERO, None)
    handlers = FLOOR_HANDLERS
    seen: dict[str, CheckedStep] = {}
    history: list[CheckedStep] = []
    last = T0
    confirmed = T0
    for step in steps:
        eid, at = step[3], step[4]
        if eid in seen:
            continue
        if at < last:
            raise ValueError("time order")
        if state[0] in (AP, PP) and confirmed + PAY_WINDOW <= at:
            raise ValueError("TMR-PAY")
        state = handlers[step[0]](state, step)  # type: ignore[arg-type]
        if step[0] == "confirm":
            confirmed = at
        seen[eid] = step
        history.append(step)
        last = at
    return state


# -- peers ------------------------------------------------------------------------------------


class PeerOrder:
    """The model both peers drive; its guards are the same as the floor's."""

    def __init__(self, total: Decimal) -> None:
        self.total = total
        self.paid = ZERO
        self.held = ZERO
        self.released = ZERO
        self.shipped = ZERO
        self.rating: Decimal | None = None

    # guards
    def buyer_confirms(self, step: Step) -> bool:
        return True

    def pays_part(self, step: Step) -> bool:
        return step[1] > 0 and self.paid + step[1] < self.total

    def pays_rest(self, step: Step) -> bool:
        return step[1] > 0 and self.paid + step[1] == self.total

    def ships_part(self, step: Step) -> bool:
        return step[1] > 0 and not step[2] and self.shipped + step[1] < self.total

    def ships_rest(self, step: Step) -> bool:
        return step[1] > 0 and step[2] and self.shipped + step[1] <= self.total

    def no_feedback(self, step: Step) -> bool:
        return self.rating is None

    # actions
    def take_payment(self, step: Step) -> None:
        self.paid += step[1]
        self.held += step[1]

    def take_shipment(self, step: Step) -> None:
        self.shipped += step[1]

    def release(self, step: Step) -> None:
        self.released += self.held
        self.held = ZERO

    def keep_feedback(self, step: Step) -> None:
        self.rating = step[1]


STATES = [
    "awaiting_confirmation",
    "awaiting_payment",
    "partially_paid",
    "funds_held",
    "partially_shipped",
    "shipped",
    "completed",
]
PAYABLE = ["awaiting_payment", "partially_paid"]
SHIPPABLE = ["funds_held", "partially_shipped"]
TRANSITIONS_TABLE: list[dict[str, Any]] = [
    {
        "trigger": "confirm",
        "source": "awaiting_confirmation",
        "dest": "awaiting_payment",
        "conditions": "buyer_confirms",
    },
    {
        "trigger": "pay",
        "source": PAYABLE,
        "dest": "partially_paid",
        "conditions": "pays_part",
        "before": "take_payment",
    },
    {
        "trigger": "pay",
        "source": PAYABLE,
        "dest": "funds_held",
        "conditions": "pays_rest",
        "before": "take_payment",
    },
    {
        "trigger": "ship",
        "source": SHIPPABLE,
        "dest": "partially_shipped",
        "conditions": "ships_part",
        "before": "take_shipment",
    },
    {
        "trigger": "ship",
        "source": SHIPPABLE,
        "dest": "shipped",
        "conditions": "ships_rest",
        "before": "take_shipment",
    },
    {"trigger": "receive", "source": "shipped", "dest": "completed", "before": "release"},
    {
        "trigger": "feedback",
        "source": "completed",
        "dest": None,
        "conditions": "no_feedback",
        "before": "keep_feedback",
    },
]


def _drive_transitions(model: Any, steps: Sequence[Step]) -> None:
    for step in steps:
        if not model.trigger(step[0], step):
            raise ValueError(step[0])


def transitions_per_order(total: Decimal, steps: Sequence[Step]) -> None:
    from transitions import Machine

    model = PeerOrder(total)
    # As its documentation shows: defaults, including the auto-generated to_<state> triggers.
    Machine(
        model=model, states=STATES, transitions=TRANSITIONS_TABLE, initial="awaiting_confirmation"
    )
    _drive_transitions(model, steps)


def transitions_shared() -> Callable[[Decimal, Sequence[Step]], None]:
    from transitions import Machine

    machine = Machine(
        model=None,
        states=STATES,
        transitions=TRANSITIONS_TABLE,
        initial="awaiting_confirmation",
        auto_transitions=False,
    )

    def run(total: Decimal, steps: Sequence[Step]) -> None:
        model = PeerOrder(total)
        machine.add_model(model)
        _drive_transitions(model, steps)
        machine.remove_model(model)

    return run


def statemachine_class() -> type[Any]:
    from statemachine import State, StateMachine

    class OrderMachine(StateMachine):  # type: ignore[misc]
        awaiting_confirmation = State(initial=True)
        awaiting_payment = State()
        partially_paid = State()
        funds_held = State()
        partially_shipped = State()
        shipped = State()
        completed = State()

        confirm = awaiting_confirmation.to(awaiting_payment, cond="buyer_confirms")
        pay = (
            awaiting_payment.to(partially_paid, cond="pays_part", before="take_payment")
            | awaiting_payment.to(funds_held, cond="pays_rest", before="take_payment")
            | partially_paid.to(partially_paid, cond="pays_part", before="take_payment")
            | partially_paid.to(funds_held, cond="pays_rest", before="take_payment")
        )
        ship = (
            funds_held.to(partially_shipped, cond="ships_part", before="take_shipment")
            | funds_held.to(shipped, cond="ships_rest", before="take_shipment")
            | partially_shipped.to(partially_shipped, cond="ships_part", before="take_shipment")
            | partially_shipped.to(shipped, cond="ships_rest", before="take_shipment")
        )
        receive = shipped.to(completed, before="release")
        feedback = completed.to.itself(cond="no_feedback", before="keep_feedback", internal=True)

    return OrderMachine


def statemachine_per_order(cls: type[Any]) -> Callable[[Decimal, Sequence[Step]], None]:
    def run(total: Decimal, steps: Sequence[Step]) -> None:
        machine = cls(model=PeerOrder(total))
        for step in steps:
            machine.send(step[0], step)

    return run


def statemachine_reused(cls: type[Any]) -> Callable[[Decimal, Sequence[Step]], None]:
    """One machine and one model for every order: the model's fields are reset and the
    machine put back in its initial state through ``current_state_value`` (its low-level
    API for assigning a state), so nothing is built per order."""
    model = PeerOrder(ZERO)
    machine = cls(model=model)
    initial = machine.current_state_value

    def run(total: Decimal, steps: Sequence[Step]) -> None:
        model.__init__(total)  # type: ignore[misc]
        machine.current_state_value = initial
        for step in steps:
            machine.send(step[0], step)

    return run


# -- measuring --------------------------------------------------------------------------------


def per_event(fn: Callable[[], object], events: int, budget: float = 0.4) -> float:
    """Best microseconds per event over a few repeats of about ``budget`` seconds."""
    fn()
    number = max(1, int(budget / max(timeit.timeit(fn, number=1), 1e-7)))
    gc.collect()
    best = min(timeit.repeat(fn, number=number, repeat=5))
    return best / number / events * 1e6


def main() -> int:
    try:
        import statemachine  # noqa: F401
        import transitions  # noqa: F401
    except ImportError:
        print("install the peers first: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    sm_cls = statemachine_class()
    shared = transitions_shared()
    sm_run = statemachine_per_order(sm_cls)
    sm_reused = statemachine_reused(sm_cls)

    print(f"Python {sys.version.split()[0]}; microseconds per event (best of 5)\n")
    header = (
        f"{'history':>14} {'tradeassure':>12} {'floor':>7} {'x floor':>8} "
        f"{'floor+':>7} {'x floor+':>9} "
        f"{'transitions':>12} {'p-sm':>8} {'x per order':>12} "
        f"{'tr.shared':>10} {'p-sm re.':>9} {'x fastest':>10}"
    )
    print(header)
    print("-" * len(header))
    cases = [("8-event order", realistic())] + [
        (f"{n:,} events", long_history(n)) for n in (10, 100, 1_000, 10_000)
    ]
    for name, (total, steps) in cases:
        events = ours(total, steps)
        n = len(events)
        # Peers see no OrderPlaced: their order starts when the machine is built.
        t_ours = per_event(lambda ev=events: replay(ev), n)
        t_floor = per_event(lambda t=total, s=steps: floor(t, s), n)
        checked = checked_steps(steps)
        t_floor_plus = per_event(lambda t=total, s=checked: floor_checked(t, s), n)
        t_tr = per_event(lambda t=total, s=steps: transitions_per_order(t, s), n)
        t_trs = per_event(lambda t=total, s=steps: shared(t, s), n)
        t_sm = per_event(lambda t=total, s=steps: sm_run(t, s), n)
        t_smr = per_event(lambda t=total, s=steps: sm_reused(t, s), n)
        best_per_order = min(t_tr, t_sm)
        fastest = min(t_trs, t_smr)
        print(
            f"{name:>14} {t_ours:>12.2f} {t_floor:>7.2f} {t_ours / t_floor:>7.1f}x "
            f"{t_floor_plus:>7.2f} {t_ours / t_floor_plus:>8.1f}x "
            f"{t_tr:>12.2f} {t_sm:>8.2f} {best_per_order / t_ours:>11.1f}x "
            f"{t_trs:>10.2f} {t_smr:>9.2f} {fastest / t_ours:>9.1f}x"
        )
    print(
        "\nx floor: tradeassure's cost over the floor (target <= 10x); floor+: the same fold\n"
        "also skipping redelivered ids, refusing events back in time, checking the payment\n"
        "timer and keeping the history, in mutable locals.\n"
        "x per order: the faster per-order peer's cost over tradeassure's (target >= 10x).\n"
        "tr.shared, p-sm re.: each peer in its fastest configuration (transitions: one\n"
        "shared machine, models added and removed; python-statemachine: one machine and\n"
        "model reset per order). x fastest: the faster of those over tradeassure's\n"
        "(target > 1x)."
    )
    # What a backend pays per incoming event: one apply (or check) on a stored order.
    total, steps = long_history(1_000)
    events = ours(total, steps)
    order, event = replay(events[:500]), events[500]
    t_apply = per_event(lambda: apply(order, event), 1)
    t_check = per_event(lambda: check(order, event), 1)
    print(
        f"\nOne event on a 500-event order: apply {t_apply:.2f} us, check {t_check:.2f} us "
        "(no target)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
