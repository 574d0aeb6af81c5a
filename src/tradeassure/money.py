"""Money: a ``Decimal`` amount with an ISO 4217 currency, never a float.

Amounts keep the digits they were given (``USD 12.5`` and ``USD 12.50`` are equal) and
are rounded only when a rule says so, once, to the currency's minor unit, half-up.
Minor units come from the ``iso4217`` package (the ISO table, kept current by its
maintainer), not from a hand-typed list.

>>> price = Money("1234.5", "usd")
>>> print(price)
USD 1,234.50
>>> print((price * Decimal("0.3")).rounded())
USD 370.35
>>> Money(1, "USD") + Money(1, "EUR")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.CurrencyMismatch: cannot combine USD 1.00 with EUR 1.00: ...
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, Final, final

import attrs

from tradeassure.errors import CurrencyMismatch, InvalidInput

__all__ = ["MAX_AMOUNT", "MAX_DECIMAL_PLACES", "Money", "minor_unit"]

#: Largest magnitude an amount may have (10**15 units of its currency).
MAX_AMOUNT: Final = Decimal(10) ** 15
_MIN_AMOUNT: Final = -MAX_AMOUNT
#: Most digits after the point an amount may carry; with :data:`MAX_AMOUNT` this keeps
#: every sum and difference exact in the library's 60-digit arithmetic.
MAX_DECIMAL_PLACES: Final = 30

# Exact arithmetic: 60 significant digits hold any sum of two valid amounts, and a
# rounding that would still happen (a product with a very long factor) raises instead.
_CTX: Final = decimal.Context(prec=60, rounding=ROUND_HALF_UP, traps=[decimal.Inexact])
# Rounding to a minor unit, in 60 digits whatever the caller's context: it discards
# digits on purpose, so Inexact is not trapped here.
_ROUNDING: Final = decimal.Context(prec=60, rounding=ROUND_HALF_UP)
_set = object.__setattr__
_new = object.__new__


class _MoneyContext:
    """``with _MoneyContext():`` runs bare ``Decimal`` sums of valid amounts in the
    context ``Money`` uses (:data:`_CTX`), whatever decimal context the caller has set.
    For a loop of sums that builds no ``Money`` per step (the escrow fold); cheaper than
    ``decimal.localcontext``, which copies the context on every call."""

    __slots__ = ("saved",)

    def __enter__(self) -> None:
        self.saved = decimal.getcontext()
        decimal.setcontext(_CTX)

    def __exit__(self, *exc: object) -> None:
        decimal.setcontext(self.saved)


#: Exact addition of two valid amounts' bare ``Decimal``s in the money context,
#: whatever decimal context the caller has set (for hot invariant checks).
_exact_add: Final = _CTX.add


def _exact_sum(first: Decimal, *rest: Decimal) -> Decimal:
    """The exact sum of valid amounts' bare ``Decimal``s, in the money context
    (:data:`_CTX`), whatever decimal context the caller has set."""
    add = _CTX.add
    total = first
    for amount in rest:
        total = add(total, amount)
    return total


@cache
def minor_unit(currency: str) -> int:
    """Digits after the point in ``currency``'s minor unit (USD 2, JPY 0, BHD 3).

    Raises ``InvalidInput`` for a code that is not ISO 4217 or has no minor unit
    (precious metals, testing and fund codes): they are not currencies of payment.
    """
    from iso4217 import Currency

    try:
        exponent = Currency(currency).exponent
    except ValueError:
        raise InvalidInput(
            f"unknown currency code {currency!r}: expected an ISO 4217 code such as 'USD'"
        ) from None
    if exponent is None:
        raise InvalidInput(
            f"currency {currency!r} has no minor unit in ISO 4217 (a metal, fund or test "
            "code): expected a currency of payment such as 'USD'"
        )
    return exponent


def _figure(amount: int | str, currency: str) -> Money:
    """A policy figure: a known-good literal, built without loading the ISO 4217 table,
    so that importing the library stays fast (the table loads with the first Money)."""
    return Money._make(Decimal(amount), currency)


def _to_amount(value: object) -> Decimal:
    if isinstance(value, float):
        raise TypeError(
            f"Money amount {value!r} is a float, which loses cents: pass a Decimal, an int "
            "or a decimal string such as '12.50'"
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"Money amount must be a Decimal, an int or a decimal string, not "
            f"{type(value).__name__}"
        )
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise InvalidInput(
                f"Money amount {value!r} is not a decimal number: expected e.g. '12.50'"
            ) from None
    amount = Decimal(value)
    _check_amount(amount)
    return amount


def _check_amount(amount: Decimal) -> None:
    if not amount.is_finite():
        raise InvalidInput(f"Money amount must be a finite number, not {amount}")
    if abs(amount) > MAX_AMOUNT:
        raise InvalidInput(f"Money amount {amount} is beyond the supported magnitude 10**15")
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    if exponent < -MAX_DECIMAL_PLACES:
        raise InvalidInput(
            f"Money amount {amount} has more than {MAX_DECIMAL_PLACES} decimal places"
        )


def _to_currency(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"currency must be an ISO 4217 code string, not {type(value).__name__}")
    code = value.strip().upper()
    minor_unit(code)
    return code


@final
@attrs.frozen(repr=False, order=False)
class Money:
    """An amount of one currency.

    Attributes:
        amount: the exact amount, as given (a float is refused with ``TypeError``; NaN,
            infinities, magnitudes over 10**15 and more than 30 decimal places with
            ``InvalidInput``).
        currency: the ISO 4217 code, upper-cased.

    ``+``, ``-`` and comparisons need the same currency (else ``CurrencyMismatch``);
    ``*`` takes a ``Decimal`` or ``int`` factor.
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str = attrs.field(converter=_to_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in ``currency``."""
        return cls(0, currency)

    @classmethod
    def _make(cls, amount: Decimal, currency: str) -> Money:
        """Build from values already known to be valid: the hot-path constructor."""
        money = _new(cls)
        _set(money, "amount", amount)
        _set(money, "currency", currency)
        return money

    # -- arithmetic -------------------------------------------------------------------

    def _other(self, other: Money) -> Decimal:
        if other.currency != self.currency:
            raise self._mismatch(other)
        return other.amount

    def _mismatch(self, other: Money) -> CurrencyMismatch:
        return CurrencyMismatch(
            f"cannot combine {self} with {other}: amounts must share a currency"
        )

    def __add__(self, other: Money) -> Money:
        if other.__class__ is not Money:
            return NotImplemented
        if other.currency != self.currency:
            raise self._mismatch(other)
        amount = _CTX.add(self.amount, other.amount)
        if _MIN_AMOUNT <= amount <= MAX_AMOUNT:
            money = _new(Money)
            _set(money, "amount", amount)
            _set(money, "currency", self.currency)
            return money
        raise InvalidInput(f"{self} + {other} is beyond the supported magnitude 10**15")

    def __sub__(self, other: Money) -> Money:
        if other.__class__ is not Money:
            return NotImplemented
        if other.currency != self.currency:
            raise self._mismatch(other)
        amount = _CTX.subtract(self.amount, other.amount)
        if _MIN_AMOUNT <= amount <= MAX_AMOUNT:
            money = _new(Money)
            _set(money, "amount", amount)
            _set(money, "currency", self.currency)
            return money
        raise InvalidInput(f"{self} - {other} is beyond the supported magnitude 10**15")

    def __neg__(self) -> Money:
        return Money._make(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError(
                f"cannot multiply {self} by the float {factor!r}: use a Decimal or an int"
            )
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        try:
            amount = _CTX.multiply(self.amount, Decimal(factor))
        except decimal.Inexact:
            raise InvalidInput(
                f"{self} * {factor} cannot be computed exactly in 60 digits"
            ) from None
        _check_amount(amount)
        return Money._make(amount, self.currency)

    __rmul__ = __mul__

    # -- comparison -------------------------------------------------------------------

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount < self._other(other)

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount <= self._other(other)

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount > self._other(other)

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount >= self._other(other)

    # -- queries ----------------------------------------------------------------------

    @property
    def is_zero(self) -> bool:
        """True when the amount is zero (of any scale)."""
        return not self.amount

    @property
    def is_negative(self) -> bool:
        """True when the amount is below zero."""
        return self.amount < 0

    def rounded(self, rounding: str = ROUND_HALF_UP) -> Money:
        """This amount quantized to the currency's minor unit (half-up unless told).

        Pass ``decimal.ROUND_DOWN`` for a cap that must never be exceeded.
        """
        quantum = Decimal(1).scaleb(-minor_unit(self.currency), _ROUNDING)
        amount = self.amount.quantize(quantum, rounding=rounding, context=_ROUNDING)
        return Money._make(amount, self.currency)

    def is_whole_minor_units(self) -> bool:
        """True when the amount needs no rounding to the currency's minor unit."""
        return self.rounded().amount == self.amount

    # -- text ---------------------------------------------------------------------------

    def __str__(self) -> str:
        places = minor_unit(self.currency)
        exponent = self.amount.as_tuple().exponent
        assert isinstance(exponent, int)
        shown = (
            self.amount if -exponent >= places else self.amount.quantize(Decimal(1).scaleb(-places))
        )
        return f"{self.currency} {shown:,}"

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec) if spec else str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Money, (self.amount, self.currency))
