"""Escrow policy details a mutation run found untested: what each refusal of an
EscrowPolicy names (the field, the methods, the figures), on both sides of its edge."""

from __future__ import annotations

import pytest

from escrow_builders import names
from tradeassure.errors import InvalidInput
from tradeassure.escrow import EscrowPolicy, PaymentMethod

P = PaymentMethod


def refusal(**fields: object) -> str:
    with pytest.raises(InvalidInput) as refused:
        EscrowPolicy(edition="test", **fields)  # type: ignore[arg-type]
    return str(refused.value)


class TestCoveredMethodsAreAcceptedToo:
    def test_a_covered_method_not_accepted_is_named_alone(self) -> None:
        message = refusal(accepted_methods={P.TT, P.ALIPAY}, covered_methods={P.TT, P.VISA})
        assert names(message, "covered_methods", "'VISA'")
        assert "TT" not in message
        assert "ALIPAY" not in message

    def test_every_covered_method_not_accepted_is_named_in_order(self) -> None:
        message = refusal(accepted_methods={P.TT}, covered_methods={P.VISA, P.TT, P.ALIPAY})
        assert "['ALIPAY', 'VISA']" in message

    def test_covered_methods_equal_to_the_accepted_ones_are_valid(self) -> None:
        policy = EscrowPolicy(edition="test", accepted_methods={P.TT}, covered_methods={P.TT})
        assert policy.covered_methods == policy.accepted_methods == frozenset({P.TT})


class TestAutomaticEscalationIsNotInsideTheSuppliersWindow:
    def test_a_day_inside_the_window_is_refused_with_both_figures(self) -> None:
        message = refusal(supplier_window_days=15, auto_escalate_days=14)
        assert names(message, "auto_escalate_days", "window", "14", "15")
        assert "(14 < 15)" in message

    def test_the_windows_last_day_is_valid(self) -> None:
        policy = EscrowPolicy(edition="test", supplier_window_days=15, auto_escalate_days=15)
        assert policy.auto_escalate_days == 15


class TestPaymentMethodsAreNamedWhenMalformed:
    @pytest.mark.parametrize("field", ["accepted_methods", "covered_methods"])
    def test_a_value_that_is_no_collection(self, field: str) -> None:
        message = refusal(**{field: 3})
        assert message.startswith("payment methods ")
        assert names(message, "payment methods", "PaymentMethod", "3")

    def test_an_item_that_is_no_payment_method(self) -> None:
        message = refusal(accepted_methods=[P.TT, "tt"])
        assert message.startswith("payment methods ")
        assert names(message, "PaymentMethod", "'tt'")
