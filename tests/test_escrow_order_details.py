"""Escrow order details a mutation run found untested: ESC-CONSERVATION checked on
each money figure in turn (its type, its currency, its sign, the total), the figures
each refusal names, the parts' collection fields named when malformed, the fold's
constructors without checks, and the notebook rows read under the policy passed."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from escrow_builders import at, names, paid, placed, shipped, usd
from tradeassure.errors import InvalidInput
from tradeassure.escrow import (
    HELP_PAGES_ESCROW,
    CancellationRequest,
    DisputeOpened,
    DisputeReason,
    Inspection,
    Milestones,
    Order,
    OrderStatus,
    Party,
    ReceiptConfirmed,
    apply,
    place,
)
from tradeassure.escrow.order import MONEY_FIELDS, _checkless
from tradeassure.money import Money


def refusal(order: Order, **changes: object) -> str:
    """The message of the InvalidInput that evolving ``order`` by ``changes`` raises."""
    with pytest.raises(InvalidInput) as refused:
        attrs.evolve(order, **changes)  # type: ignore[misc]
    return str(refused.value)


class TestEachMoneyFigureIsChecked:
    @pytest.mark.parametrize("name", MONEY_FIELDS)
    def test_a_figure_that_is_no_money(self, name: str) -> None:
        message = refusal(paid(), **{name: Decimal(0)})
        assert names(message, f"Order.{name}", "Money", "Decimal('0')")

    @pytest.mark.parametrize("name", MONEY_FIELDS)
    def test_a_figure_in_another_currency(self, name: str) -> None:
        order = paid()
        message = refusal(order, **{name: Money(getattr(order, name).amount, "EUR")})
        assert names(message, f"Order.{name}", "EUR", "PO-7", "USD")

    @pytest.mark.parametrize(
        ("name", "balance"), [("held", "released"), ("released", "held"), ("refunded", "held")]
    )
    def test_a_negative_figure_even_where_the_sum_is_kept(self, name: str, balance: str) -> None:
        order = place(placed())
        message = refusal(order, **{name: usd(-5), balance: usd(5)})
        assert names(message, "ESC-CONSERVATION", "PO-7", name, "-5.00", "negative")

    def test_a_negative_shipment(self) -> None:
        message = refusal(place(placed()), shipped=usd(-5))
        assert names(message, "ESC-CONSERVATION", "PO-7", "shipped", "-5.00")

    @pytest.mark.parametrize("name", ["paid", "shipped"])
    def test_a_figure_over_the_total(self, name: str) -> None:
        order = place(placed())
        # Paid over the total and held, so that only the total is broken.
        changes = {name: usd(10_001), **({"held": usd(10_001)} if name == "paid" else {})}
        message = refusal(order, **changes)
        assert names(message, "ESC-CONSERVATION", "PO-7", name, "10,001.00", "10,000.00")

    def test_the_whole_total_paid_and_shipped_is_valid(self) -> None:
        order = shipped()
        assert (order.paid, order.shipped) == (usd(10_000), usd(10_000))

    def test_money_held_that_was_never_paid(self) -> None:
        message = refusal(place(placed()), held=usd(5))
        assert names(message, "ESC-CONSERVATION", "PO-7", "5.00", "0.00", "paid", "refunded")

    def test_the_whole_total_paid_and_not_accounted_for(self) -> None:
        # Paid is at its total, not over it: the refusal is the broken sum.
        message = refusal(paid(), held=usd(0))
        assert names(message, "ESC-CONSERVATION", "PO-7", "0.00", "10,000.00", "refunded")
        assert "over" not in message

    def test_an_order_whose_contract_is_no_contract(self) -> None:
        message = refusal(paid(), contract="PO-7 terms")
        assert names(message, "Order.contract", "Contract", "'PO-7 terms'")


class TestThePartsNameTheirCollectionFields:
    def test_a_contracts_specifications(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            attrs.evolve(paid().contract, specifications="ABS housing")
        assert names(str(refused.value), "Contract.specifications", "'ABS housing'")

    @pytest.mark.parametrize("name", ["evidence", "supplier_evidence"])
    def test_a_disputes_evidence(self, name: str) -> None:
        claim = DisputeOpened(at=at(12), reason=DisputeReason.DAMAGED, claim=usd(1_000))
        dispute = apply(shipped(), claim).dispute
        assert dispute is not None
        with pytest.raises(InvalidInput) as refused:
            attrs.evolve(dispute, **{name: "photo.jpg"})
        assert names(str(refused.value), f"Dispute.{name}", "'photo.jpg'")


#: One value of each of the order's parts, every field given.
def _parts() -> list[object]:
    claim = DisputeOpened(at=at(12), reason=DisputeReason.DAMAGED, claim=usd(1_000))
    dispute = apply(shipped(), claim).dispute
    assert dispute is not None
    return [
        paid().contract,
        Inspection(passed=False, at=at(13), report="cracked housings"),
        attrs.evolve(dispute, supplier_evidence=("invoice.pdf",), refund=usd(500)),
        Milestones(confirmed_at=at(1), receipt_extended_by=frozenset({Party.BUYER}), feedback=4),
        CancellationRequest(by=Party.BUYER, at=at(3), prior_status=OrderStatus.FUNDS_HELD),
    ]


class TestTheFoldsConstructorsWithoutChecks:
    @pytest.mark.parametrize("part", _parts(), ids=lambda p: type(p).__name__)
    def test_each_builds_what_the_class_builds(self, part: object) -> None:
        cls = type(part)
        make = _checkless(cls)
        fields = attrs.asdict(part, recurse=False)  # type: ignore[call-overload]
        assert make(**fields) == part == cls(**fields)
        for field in attrs.fields(cls):
            if field.default is not attrs.NOTHING:
                rest = {k: v for k, v in fields.items() if k != field.name}
                assert make(**rest) == cls(**rest)
        assert cls.__name__ in make.__code__.co_filename

    def test_each_takes_keywords_only(self) -> None:
        make = _checkless(Inspection)
        with pytest.raises(TypeError):
            make(False, at(13), "cracked")

    def test_a_factory_default_is_refused_by_the_class_name(self) -> None:
        @attrs.frozen
        class Stamped:
            tags: list[str] = attrs.field(factory=list)

        with pytest.raises(TypeError, match="Stamped"):
            _checkless(Stamped)


class TestTheNotebookRowsReadThePolicyPassed:
    def test_the_deadline_rows(self) -> None:
        claim = DisputeOpened(
            at=at(12), reason=DisputeReason.DAMAGED, claim=usd(1_000), evidence=("photo.jpg",)
        )
        order = apply(shipped(HELP_PAGES_ESCROW), claim, HELP_PAGES_ESCROW)
        rows = {r["name"]: r["when"] for r in order.deadline_rows(HELP_PAGES_ESCROW)}
        assert rows["supplier_deadline"] == at(12 + 3)
        default_rows = {r["name"]: r["when"] for r in order.deadline_rows()}
        assert default_rows["supplier_deadline"] == at(12 + 15)

    def test_the_timeline_rows(self) -> None:
        p = HELP_PAGES_ESCROW
        order = apply(shipped(p), ReceiptConfirmed(at=at(20)), p)
        claim = DisputeOpened(
            at=at(25), reason=DisputeReason.DAMAGED, claim=usd(1_000), evidence=("photo.jpg",)
        )
        order = apply(order, claim, p)
        rows = order.timeline_rows(p)
        assert [r["status"] for r in rows][-2:] == ["COMPLETED", "DISPUTED"]
