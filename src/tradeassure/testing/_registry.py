"""The strategies ``st.from_type`` gives for tradeassure's values, registered with
hypothesis when :mod:`tradeassure.testing` is imported, or when hypothesis is (through
the ``hypothesis`` entry point in pyproject.toml, :func:`_hypothesis_setup_hook`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from hypothesis import strategies as st

from tradeassure.credit import (
    FINANCING_EDITIONS,
    CreditLine,
    FinancingPolicy,
    FinancingQuote,
    quote,
)
from tradeassure.escrow import (
    ESCROW_EDITIONS,
    EVENT_TYPES,
    EscrowPolicy,
    Event,
    Order,
    OrderPlaced,
    TimerExpired,
    replay,
)
from tradeassure.money import Money
from tradeassure.shipping import DEFAULT_SHIPPING, ShippingPolicy, WorkingCalendar
from tradeassure.testing._credit import credit_lines, payables
from tradeassure.testing._escrow import (
    _EPOCH,
    any_events,
    order_histories,
    orders_placed,
    timers_expired,
)
from tradeassure.testing._money import money
from tradeassure.testing._shipping import calendars
from tradeassure.testing._verification import (
    buyer_profiles,
    field_checks,
    inquiries,
    supplier_records,
    transactions,
)
from tradeassure.verification import (
    DEFAULT_IDENTITY,
    BuyerProfile,
    FieldCheck,
    IdentityPolicy,
    Inquiry,
    SupplierRecord,
    Transaction,
)

__all__ = ["TYPE_STRATEGIES", "register"]


def _any_money() -> st.SearchStrategy[Money]:
    """Any valid Money: negative, zero or positive up to 10**9 either side, at the
    currency's precision or up to 6 digits finer. (Bounds are ints: no Decimal
    arithmetic at import, which would run in the importer's decimal context.)"""
    return money(min_amount=-(10**9), max_amount=10**9) | money(
        min_amount=-(10**9), max_amount=10**9, whole_minor_units=False
    )


@st.composite
def _orders(draw: st.DrawFn) -> Order:
    """An order replayed from a valid history under one of the shipped escrow editions."""
    policy = draw(st.sampled_from(list(ESCROW_EDITIONS.values())))
    return replay(draw(order_histories(policy)), policy)


@st.composite
def _quotes(draw: st.DrawFn) -> FinancingQuote:
    """A quote for a trade on a credit line, under one of the shipped financing editions."""
    policy = draw(st.sampled_from(list(FINANCING_EDITIONS.values())))
    line = draw(credit_lines(policy))
    return quote(line, draw(payables(policy.currency)), policy)


@st.composite
def _credit_lines(draw: st.DrawFn) -> CreditLine:
    """A credit line under one of the shipped financing editions."""
    return draw(credit_lines(draw(st.sampled_from(list(FINANCING_EDITIONS.values())))))


def _party_events(kind: type[Event]) -> st.SearchStrategy[Event]:
    """Events of ``kind`` valid on their own (their fields' checks pass), at any instant
    from 2024 to 2029."""
    return any_events(_EPOCH, kinds=(kind,))


def _event_strategies() -> dict[type[Any], st.SearchStrategy[Any]]:
    """A strategy for each concrete event type, and for ``Event``: any of them."""
    found: dict[type[Any], st.SearchStrategy[Any]] = {
        OrderPlaced: orders_placed(),
        TimerExpired: timers_expired(),
    }
    for kind in EVENT_TYPES.values():
        found.setdefault(kind, _party_events(kind))
    found[Event] = st.one_of([found[kind] for kind in EVENT_TYPES.values()])
    return found


_SHIPPING_POLICIES: Final = tuple(
    dict.fromkeys([DEFAULT_SHIPPING, *(p.shipping for p in ESCROW_EDITIONS.values())])
)

#: The strategy ``st.from_type`` gives for each value type registered: the values a
#: caller builds and passes in (money, events, orders, the policies' shipped editions,
#: credit lines, identity and supplier records, calendars), and the financing quote.
#: Results the library computes from these (a ``Decision``, ``Deadlines``, an order's
#: ``Contract`` or ``Dispute``, a repayment schedule) are not registered: draw their
#: inputs and call the function.
TYPE_STRATEGIES: Final[Mapping[type[Any], st.SearchStrategy[Any]]] = MappingProxyType(
    {
        Money: _any_money(),
        **_event_strategies(),
        Order: _orders(),
        EscrowPolicy: st.sampled_from(list(ESCROW_EDITIONS.values())),
        ShippingPolicy: st.sampled_from(_SHIPPING_POLICIES),
        FinancingPolicy: st.sampled_from(list(FINANCING_EDITIONS.values())),
        IdentityPolicy: st.just(DEFAULT_IDENTITY),
        CreditLine: _credit_lines(),
        FinancingQuote: _quotes(),
        BuyerProfile: buyer_profiles(),
        FieldCheck: field_checks(),
        Inquiry: inquiries(),
        Transaction: transactions(),
        SupplierRecord: supplier_records(),
        WorkingCalendar: calendars(),
    }
)


def register() -> None:
    """Register :data:`TYPE_STRATEGIES` with hypothesis (``st.register_type_strategy``),
    replacing any strategy registered for those types before."""
    for kind, strategy in TYPE_STRATEGIES.items():
        st.register_type_strategy(kind, strategy)
