"""The vocabulary of a purchase contract shared by every module: parties, payment methods."""

from __future__ import annotations

import enum

__all__ = ["Party", "PaymentMethod"]


class Party(enum.Enum):
    """Who acts on an order."""

    BUYER = "buyer"
    SUPPLIER = "supplier"
    PLATFORM = "platform"

    # Members are singletons: identity hashing keeps set and table lookups in C.
    __hash__ = object.__hash__


class PaymentMethod(enum.Enum):
    """The ways a buyer can pay into escrow (TA-METHODS); a policy says which it accepts."""

    VISA = "visa"
    MASTERCARD = "mastercard"
    MAESTRO = "maestro"
    TT = "tt"  # telegraphic (bank) transfer
    WESTERN_UNION = "western_union"
    QIWI = "qiwi"
    WEBMONEY = "webmoney"
    YANDEX = "yandex"
    TEF = "tef"
    UNIONPAY = "unionpay"
    WECHAT_PAY = "wechat_pay"
    ALIPAY = "alipay"
    CASHU = "cashu"
    PAYPAL = "paypal"
    PAY_LATER = "pay_later"

    __hash__ = object.__hash__
