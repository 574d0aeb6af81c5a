"""Invariants of the escrow fold over random histories, valid and invalid events alike."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant

from tradeassure.escrow import (
    Event,
    OrderStatus,
    advance,
    apply,
    due_events,
    place,
    replay,
)
from tradeassure.policy import DEFAULT_ESCROW, HELP_PAGES_ESCROW, LAUNCH_2014_ESCROW, EscrowPolicy
from tradeassure.testing import (
    EscrowMachine,
    assert_sound,
    order_histories,
)

POLICIES = st.sampled_from([DEFAULT_ESCROW, HELP_PAGES_ESCROW, LAUNCH_2014_ESCROW])
CLOSED = {OrderStatus.CANCELLED, OrderStatus.REFUNDED}


@st.composite
def histories_with_policy(draw: st.DrawFn) -> tuple[EscrowPolicy, tuple[Event, ...]]:
    policy = draw(POLICIES)
    return policy, draw(order_histories(policy=policy))


@given(histories_with_policy())
def test_every_step_of_a_history_conserves_money(
    case: tuple[EscrowPolicy, tuple[Event, ...]],
) -> None:
    policy, history = case
    order = place(history[0], policy)  # type: ignore[arg-type]
    assert_sound(order)
    for event in history[1:]:
        order = apply(order, event, policy)
        assert_sound(order)


@given(histories_with_policy())
def test_replay_equals_the_incrementally_built_order(
    case: tuple[EscrowPolicy, tuple[Event, ...]],
) -> None:
    policy, history = case
    order = place(history[0], policy)  # type: ignore[arg-type]
    for event in history[1:]:
        order = apply(order, event, policy)
    assert replay(history, policy) == order
    assert order.events == history


@given(histories_with_policy(), st.data())
def test_applying_an_applied_event_again_changes_nothing(
    case: tuple[EscrowPolicy, tuple[Event, ...]], data: st.DataObject
) -> None:
    policy, history = case
    order = replay(history, policy)
    again = data.draw(st.sampled_from(history))
    assert again.event_id is not None
    assert apply(order, again, policy) is order


@given(histories_with_policy(), st.integers(0, 400 * 24))
def test_advancing_time_conserves_money_and_replays(
    case: tuple[EscrowPolicy, tuple[Event, ...]], hours: int
) -> None:
    policy, history = case
    order = replay(history, policy)
    now = order.updated_at + timedelta(hours=hours)
    due = due_events(order, now, policy)
    later = advance(order, now, policy)
    assert_sound(later)
    assert replay((*history, *due), policy) == later
    assert due_events(later, now, policy) == ()
    for timer in due:
        assert timer.at <= now


class _Steps:
    """How many steps and runs the state machine took (printed at the end of a run)."""

    count = 0
    runs = 0


STEPS = _Steps()


class CountedMachine(EscrowMachine):
    """The escrow state machine, counting its steps for the soak's report."""

    @initialize()
    def count_the_run(self) -> None:
        STEPS.runs += 1

    @invariant()
    def count_the_step(self) -> None:
        STEPS.count += 1


TestEscrowMachine = CountedMachine.TestCase
