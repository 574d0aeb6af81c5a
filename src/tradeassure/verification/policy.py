"""The identity policy: every figure of identity tiers, membership, supplier standing and
passwords (ID-*, TA-SUPPLIER, SEC-PASSWORD), beside the rules that use it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import final

import attrs

from tradeassure._checks import (
    count_field,
    duration_field,
    month_count_field,
    non_negative_money_field,
    share_field,
    year_count_field,
)
from tradeassure.money import Money, _figure

__all__ = ["DEFAULT_IDENTITY", "IdentityPolicy"]


@final
@attrs.frozen
class IdentityPolicy:
    """Figures for identity tiers, membership, supplier standing and passwords (ID-*,
    TA-SUPPLIER, SEC-PASSWORD).

    The documents publish none of the supplier-review thresholds, the "small batch" or
    the password details; the defaults below are the library's, chosen as stated. Spans
    of time are bounded by the length of the supported dates (docs/design.md): at most
    200 years, 2,400 months, or a ``timedelta`` of 73,413 days.

    Attributes:
        verification_valid_years: how long a field check stays current; a check exactly
            this many years old still counts (ID-VERIFIED).
        activity_threshold: platform activities that earn the Activity tier (ID-ACTIVITY).
        personal_name_max_order: the largest order a buyer without a business name may
            place, a "small batch" (ID-BUSINESS-NAME; not published, so a policy figure).
        storefront_months: the storefront's look-back window (ID-STOREFRONT).
        review_window_months: the length of one supplier review period (TA-SUPPLIER).
        min_transactions_per_window: completed transactions a supplier needs in the last
            review window to stay in the programme (TA-SUPPLIER; not published).
        min_response_rate: share of inquiries the supplier must answer (TA-SUPPLIER; not
            published).
        max_median_response: the slowest median response time, over the review window,
            that a participating supplier may have (TA-SUPPLIER; not published: 24 hours,
            the band the storefront's "responds within" figure commonly shows).
        password_word_min_length: the shortest dictionary word counted when a password
            is read as several words run together (SEC-PASSWORD: 3, so that "thebestboss"
            is the+best+boss but any string is not a run of one- and two-letter tokens).
        password_personal_min_length: the shortest part of the member's name, or local
            part of the e-mail address, looked for inside a password (SEC-PASSWORD: 3;
            the whole name and whole address are always looked for).
        password_phone_tail_digits: how many of the phone number's last digits count as
            the number without its country or area code (SEC-PASSWORD: 7, a subscriber
            number).
    """

    verification_valid_years: int = attrs.field(default=1, validator=year_count_field)
    activity_threshold: int = attrs.field(default=1, validator=count_field)
    personal_name_max_order: Money = attrs.field(
        default=_figure("1000.00", "USD"), validator=non_negative_money_field
    )
    storefront_months: int = attrs.field(default=12, validator=month_count_field)
    review_window_months: int = attrs.field(default=6, validator=month_count_field)
    min_transactions_per_window: int = attrs.field(default=3, validator=count_field)
    min_response_rate: Decimal = attrs.field(default=Decimal("0.8"), validator=share_field)
    max_median_response: timedelta = attrs.field(
        default=timedelta(hours=24), validator=duration_field
    )
    password_word_min_length: int = attrs.field(default=3, validator=count_field)
    password_personal_min_length: int = attrs.field(default=3, validator=count_field)
    password_phone_tail_digits: int = attrs.field(default=7, validator=count_field)


DEFAULT_IDENTITY = IdentityPolicy()
