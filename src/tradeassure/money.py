"""Money: a ``Decimal`` amount with an ISO 4217 currency, never a float.

An amount has one way to be written: at the currency's minor unit (``Money(12.5,
"USD").amount`` is ``Decimal("12.50")``, JPY has no places, BHD three), or with just the
places a finer amount needs (``USD 0.125``, an interest figure). Equal amounts are equal
Money whatever digits they were given in, and they are written alike everywhere: JSON,
rows, HTML and the command line. Amounts are rounded only when a rule says so, once, to
the currency's minor unit, half-up.
Minor units come from the ``iso4217`` package (the ISO table, kept current by its
maintainer), not from a hand-typed list.

Every operation (construction, arithmetic, comparison, rounding, text) computes in the
library's own decimal context, so the caller's (its precision, rounding, traps and
exponent range) changes no result; and it never installs a context a caller could reach.
An amount given as text is decimal text exactly as the JSON reader reads it: ASCII
digits with an optional sign, point and exponent.

>>> price = Money("1234.5", "usd")
>>> print(price)
USD 1,234.50
>>> price.amount, Money(10_000, "JPY").amount, Money("0.1250", "USD").amount
(Decimal('1234.50'), Decimal('10000'), Decimal('0.125'))
>>> print((price * Decimal("0.3")).rounded())
USD 370.35
>>> with decimal.localcontext(prec=3, rounding=decimal.ROUND_FLOOR):
...     print(price + Money("1000000", "USD"))
USD 1,001,234.50
>>> Money(1, "USD") + Money(1, "EUR")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tradeassure.errors.CurrencyMismatch: cannot combine USD 1.00 with EUR 1.00: ...
"""

from __future__ import annotations

import decimal
import re
from decimal import (
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from functools import cache
from typing import Any, Final, final

import attrs

from tradeassure.errors import CurrencyMismatch, InvalidInput

__all__ = ["MAX_AMOUNT", "MAX_DECIMAL_PLACES", "Money", "minor_unit"]

# Built from ints, which are exact in any decimal context: ``Decimal(10) ** 15`` would be
# computed in whatever context imports the library.
#: Largest magnitude an amount may have (10**15 units of its currency).
MAX_AMOUNT: Final = Decimal(10**15)
_MIN_AMOUNT: Final = Decimal(-(10**15))
#: Most digits after the point an amount may carry; with :data:`MAX_AMOUNT` this keeps
#: every sum and difference exact in the library's 60-digit arithmetic.
MAX_DECIMAL_PLACES: Final = 30

# Money's decimal operations name their context, so that a caller's (its precision,
# rounding, traps, exponent range) never reaches them, and none installs a context a
# caller could see or change.
#
# Exact arithmetic: 60 significant digits hold any sum of two valid amounts, and a
# rounding that would still happen (a product with a very long factor) raises instead,
# as does an invalid operation: Money's methods call it (``_CTX.add``), never install it.
_CTX: Final = decimal.Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
# Rounding to a minor unit, in 60 digits whatever the caller's context: it discards
# digits on purpose, so Inexact is not trapped here.
_ROUNDING: Final = decimal.Context(prec=60, rounding=ROUND_HALF_UP)
#: A fresh copy of :data:`_CTX`, for library code that sums bare ``Decimal`` amounts with
#: operators (the escrow fold): it installs the copy with ``setcontext`` around code
#: that runs no caller code, so no caller can see or change it, in any thread.
_private_context: Final = _CTX.copy
#: The rounding modes ``Money.rounded`` takes (decimal's, by their names; the default
#: first, found at once).
_ROUNDINGS: Final = (
    ROUND_HALF_UP,
    ROUND_DOWN,
    ROUND_UP,
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_05UP,
)
_set = object.__setattr__
_new = object.__new__

#: Exact addition of two valid amounts' bare ``Decimal``s in the money context,
#: whatever decimal context the caller has set (for hot invariant checks).
_exact_add: Final = _CTX.add


# -- decimal text -------------------------------------------------------------------------

# The one spelling of a decimal as text, for Money and the JSON reader alike: ASCII
# digits, an optional sign, point and exponent ("12.50", "-3", "+.5", "1E+3"). Decimal()
# itself also takes "1_000", other scripts' digits ("١٢"), white space, NaN and infinities.
_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
#: Longest decimal text read (the longest amount Money holds, -10**15 with 30 decimal
#: places, takes 48 characters): a longer one is refused before any work is done on it.
_LONGEST_TEXT: Final = 100
#: How the decimal text rule reads in a refusal.
_DECIMAL_TEXT_RULE: Final = (
    "ASCII digits with an optional sign, decimal point and exponent, at most "
    f"{_LONGEST_TEXT} characters, such as '12.50'"
)


def _decimal_from_text(text: str) -> Decimal | None:
    """The ``Decimal`` ``text`` spells, or None when it is not decimal text: ASCII
    digits with an optional sign, point and exponent, at most 100 characters. The one
    rule for amounts given as text, shared by ``Money`` and the JSON reader."""
    if len(text) > _LONGEST_TEXT or not _DECIMAL_TEXT.fullmatch(text):
        return None
    try:
        # Exact whatever the context; an exponent beyond any context's range raises.
        return Decimal(text, _CTX)
    except decimal.InvalidOperation:
        return None


def _plain_money(amount: str, currency: str) -> Money | None:
    """``Money(amount, currency)`` built at once, for a ``currency`` the caller knows
    Money takes as it is (three upper-case letters ``minor_unit`` accepts) and an
    ``amount`` of at most 15 ASCII digits with at most one point among them; None for
    any other amount, for ``Money()`` to judge.

    Such text is decimal text (the one rule's regex matches it, and it is short), its
    Decimal is exact in the money context, finite, below 10**15 and at most 15 places
    fine: every check of ``_to_amount`` passes, and ``_to_currency`` gives the code as
    it is. The JSON reader's fast path builds its Money here.
    """
    digits = amount.replace(".", "", 1)
    if len(digits) > 15 or not amount.isascii() or not digits.isdigit():
        return None
    money = _new(Money)
    _set(money, "amount", _canonical(Decimal(amount, _CTX), currency))
    _set(money, "currency", currency)
    return money


def _shown(text: str) -> str:
    """``text`` quoted for a refusal, cut short when long."""
    return repr(text) if len(text) <= 40 else f"{text[:37]!r}... ({len(text)} characters)"


def minor_unit(currency: str) -> int:
    """Digits after the point in ``currency``'s minor unit (USD 2, JPY 0, BHD 3).

    Raises ``InvalidInput`` for anything but a string, and for a code that is not
    ISO 4217 or has no minor unit (precious metals, testing and fund codes): they are
    not currencies of payment.
    """
    if not isinstance(currency, str):
        raise InvalidInput(
            f"a currency code must be a string, such as 'USD', not {type(currency).__name__} "
            f"{currency!r}"
        )
    return _minor_unit(currency)


@cache
def _minor_unit(currency: str) -> int:
    """:func:`minor_unit` of a string, cached per code."""
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


@cache
def _one_minor_unit(currency: str) -> Decimal:
    """One minor unit of ``currency`` as a bare amount (USD 0.01, JPY 1, BHD 0.001)."""
    return Decimal(1).scaleb(-_minor_unit(currency), _CTX)


def _canonical(amount: Decimal, currency: str) -> Decimal:
    """``amount`` as Money holds it, the one way it is written: at ``currency``'s minor
    unit when it is whole minor units (``10000`` and ``10000.000`` give ``10000.00``
    in USD; ``-0`` gives ``0.00``), else with no trailing zero (``0.1250`` gives
    ``0.125``). Equal in value to ``amount``, so equality and hashing are untouched."""
    unit = _one_minor_unit(currency)
    if amount.same_quantum(unit):  # at the minor unit already (a sum of two such): as held
        return amount if amount else amount.copy_abs()
    whole = amount.quantize(unit, context=_ROUNDING)
    if whole == amount:
        return whole if whole else whole.copy_abs()
    # Finer than the minor unit: a digit past it is not zero, so no place is lost.
    return amount.normalize(_CTX)


def _figure(amount: str, currency: str) -> Money:
    """A policy figure: a known-good literal written at the currency's minor unit (the
    form :func:`_canonical` gives, which the tests check), built without loading the
    ISO 4217 table, so that importing the library stays fast (the table loads with the
    first Money)."""
    money = _new(Money)
    _set(money, "amount", Decimal(amount))
    _set(money, "currency", currency)
    return money


def _to_amount(value: Decimal | int | str) -> Decimal:
    if isinstance(value, str):
        amount = _decimal_from_text(value)
        if amount is None:
            raise InvalidInput(
                f"Money amount {_shown(value)} is not a decimal number: expected a finite "
                f"amount written in {_DECIMAL_TEXT_RULE}"
            )
    elif isinstance(value, float):
        raise TypeError(
            f"Money amount {value!r} is a float, which loses cents: pass a Decimal, an int "
            "or a decimal string such as '12.50'"
        )
    elif isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(
            f"Money amount must be a Decimal, an int or a decimal string, not "
            f"{type(value).__name__}"
        )
    elif isinstance(value, int) and not -(10**15) <= value <= 10**15:
        # Refused before Decimal(), whose cost grows with the square of the digits (and
        # shown by its size when str() would refuse to write it).
        shown = str(value) if value.bit_length() <= 1000 else f"of {value.bit_length()} bits"
        raise InvalidInput(f"Money amount {shown} is beyond the supported magnitude 10**15")
    else:
        amount = Decimal(value)
    _check_amount(amount)
    return amount


def _check_amount(amount: Decimal) -> None:
    """Refuse an amount that is not finite, beyond 10**15 either side (the bounds
    themselves are amounts) or finer than 30 decimal places. Comparisons are exact in
    any context; ``abs()`` would round in the caller's."""
    if not amount.is_finite():
        raise InvalidInput(f"Money amount must be a finite number, not {_text(amount)}")
    if not _MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise InvalidInput(f"Money amount {_text(amount)} is beyond the supported magnitude 10**15")
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    if exponent < -MAX_DECIMAL_PLACES:
        raise InvalidInput(
            f"Money amount {_text(amount)} has more than {MAX_DECIMAL_PLACES} decimal places"
        )


#: An amount as ``str()`` writes it, but in the money context: ``str()`` itself takes
#: the exponent's letter case from the caller's (``1E+3`` or ``1e+3``).
_text: Final = _CTX.to_sci_string


def _to_currency(value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"currency must be an ISO 4217 code string, not {type(value).__name__}")
    code = value.strip().upper()
    _minor_unit(code)
    return code


@final
@attrs.frozen(repr=False, order=False)
class Money:
    """An amount of one currency.

    Attributes:
        amount: the exact amount, held at the currency's minor unit, or with the places
            a finer amount needs and no trailing zero (``Money(10_000, "USD").amount``
            is ``Decimal("10000.00")``). A float is refused with ``TypeError``; NaN,
            infinities, magnitudes over 10**15 and more than 30 decimal places with
            ``InvalidInput``.
        currency: the ISO 4217 code, upper-cased.

    ``+``, ``-`` and comparisons need the same currency (else ``CurrencyMismatch``);
    ``*`` takes a ``Decimal`` or ``int`` factor.
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str = attrs.field(converter=_to_currency)

    def __attrs_post_init__(self) -> None:
        _set(self, "amount", _canonical(self.amount, self.currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in ``currency``."""
        return cls(0, currency)

    @classmethod
    def _make(cls, amount: Decimal, currency: str) -> Money:
        """Build from values already known to be valid: the hot-path constructor (the
        amount still takes its one written form)."""
        money = _new(cls)
        _set(money, "amount", _canonical(amount, currency))
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
            _set(money, "amount", _canonical(amount, self.currency))
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
            _set(money, "amount", _canonical(amount, self.currency))
            _set(money, "currency", self.currency)
            return money
        raise InvalidInput(f"{self} - {other} is beyond the supported magnitude 10**15")

    def __neg__(self) -> Money:
        # minus() in the money context: ``-amount`` would round in the caller's, and
        # make -0 of zero under ROUND_FLOOR.
        return Money._make(_CTX.minus(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError(
                f"cannot multiply {self} by the float {factor!r}: use a Decimal or an int"
            )
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise InvalidInput(
                f"cannot multiply {self} by {_text(factor)}: expected a finite factor"
            )
        try:
            amount = _CTX.multiply(self.amount, factor)
        except decimal.Overflow:  # an Inexact too: caught first
            raise InvalidInput(
                f"{self} * {_text(Decimal(factor))} is beyond the supported magnitude 10**15"
            ) from None
        except decimal.Inexact:
            raise InvalidInput(
                f"{self} * {_text(Decimal(factor))} cannot be computed exactly in 60 digits"
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

        Pass ``decimal.ROUND_DOWN`` for a cap that must never be exceeded; anything but
        one of decimal's rounding modes is refused with ``InvalidInput``.
        """
        if rounding not in _ROUNDINGS:
            raise InvalidInput(
                f"rounding must be one of decimal's rounding modes ({', '.join(_ROUNDINGS)}), "
                f"not {rounding!r}"
            )
        amount = self.amount.quantize(
            _one_minor_unit(self.currency), rounding=rounding, context=_ROUNDING
        )
        return Money._make(amount, self.currency)

    def is_whole_minor_units(self) -> bool:
        """True when the amount needs no rounding to the currency's minor unit."""
        # rounded()'s own quantize, without building the Money (every event checks this).
        amount = self.amount
        whole = amount.quantize(
            _one_minor_unit(self.currency), rounding=ROUND_HALF_UP, context=_ROUNDING
        )
        return whole == amount

    # -- text ---------------------------------------------------------------------------

    def __str__(self) -> str:
        """The currency and the amount as held, in fixed point with thousands grouped
        (``USD 1,234.50``, ``USD 0.125``)."""
        # "f": fixed point in any context (the bare format writes 1E-7, in the caller's
        # letter case).
        return f"{self.currency} {self.amount:,f}"

    def __repr__(self) -> str:
        return f"Money({_text(self.amount)!r}, {self.currency!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec) if spec else str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Money, (self.amount, self.currency))
