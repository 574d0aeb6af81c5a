"""Escrow event details a mutation run found untested: what each refusal of an event's
shape names (the field, the figures, the zone to name), the deposit and the protection
limit each checked in turn, and the final event types refusing a subclass."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from escrow_builders import T0, names, placed, usd
from tradeassure.errors import CurrencyMismatch, InvalidInput
from tradeassure.escrow import (
    DisputeOpened,
    DisputeReason,
    Event,
    EvidenceSubmitted,
    OrderPlaced,
    Party,
    ReceiptConfirmed,
)
from tradeassure.money import Money


def refusal(call: Callable[[], object], kind: type[Exception] = InvalidInput) -> str:
    """The message of the ``kind`` error that ``call`` raises."""
    with pytest.raises(kind) as refused:
        call()
    return str(refused.value)


class TestAContractsShapeIsRefusedByName:
    def test_a_contract_the_platform_drafted(self) -> None:
        message = refusal(lambda: placed(drafted_by=Party.PLATFORM))
        assert names(message, "OrderPlaced.drafted_by", "buyer", "supplier")

    def test_a_contract_with_both_a_ship_by_and_a_lead_time(self) -> None:
        message = refusal(lambda: placed(lead_days=5))
        assert names(message, "OrderPlaced", "ship_by", "lead_days", "both", "neither")

    @pytest.mark.parametrize("value", ["ABS housing", 3])
    def test_specifications_that_are_no_list_of_text(self, value: object) -> None:
        message = refusal(lambda: placed(specifications=value))
        assert names(message, "OrderPlaced.specifications", "str")

    def test_a_specification_that_is_no_text(self) -> None:
        message = refusal(lambda: placed(specifications=["ABS housing", 1]))
        assert names(message, "OrderPlaced.specifications", "1")


class TestTheBuyersZoneIsNamedWhereItsCountryKeepsSeveral:
    def test_a_buyer_country_of_several_zones_without_a_zone(self) -> None:
        message = refusal(lambda: placed(buyer_country="US"))
        assert names(message, "OrderPlaced.buyer_country", "US", "buyer's", "buyer_zone")
        assert names(message, "'America/New_York'")
        assert "supplier" not in message

    def test_the_suppliers_zone_is_named_the_same_way(self) -> None:
        message = refusal(lambda: placed(supplier_country="US"))
        assert names(message, "OrderPlaced.supplier_country", "US", "supplier_zone")
        assert names(message, "'America/New_York'")

    def test_a_buyer_country_of_several_zones_with_its_zone_is_valid(self) -> None:
        contract = placed(buyer_country="US", buyer_zone="America/Chicago")
        assert contract.buyer_zone == "America/Chicago"

    def test_a_buyer_zone_alone_is_checked_as_a_zone(self) -> None:
        with pytest.raises(InvalidInput):
            placed(buyer_zone="Mars/Olympus_Mons")
        assert placed(buyer_zone="Europe/Paris").buyer_country is None


class TestTheDepositAndTheLimitAreEachChecked:
    @pytest.mark.parametrize("name", ["deposit", "protection_limit"])
    def test_each_is_in_the_totals_currency(self, name: str) -> None:
        message = refusal(lambda: placed(**{name: Money(500, "EUR")}), CurrencyMismatch)
        assert names(message, f"OrderPlaced.{name}", "EUR", "USD")

    @pytest.mark.parametrize("name", ["deposit", "protection_limit"])
    def test_each_is_more_than_zero(self, name: str) -> None:
        message = refusal(lambda: placed(**{name: usd(0)}))
        assert names(message, f"OrderPlaced.{name}", "0.00")

    def test_the_deposit_is_checked_when_there_is_no_limit(self) -> None:
        with pytest.raises(CurrencyMismatch):
            placed(protection_limit=None, deposit=Money(500, "EUR"))
        with pytest.raises(InvalidInput):
            placed(protection_limit=None, deposit=usd(0))

    def test_both_in_the_totals_currency_and_positive_are_valid(self) -> None:
        contract = placed(protection_limit=usd(5_000), deposit=usd(3_000))
        assert (contract.protection_limit, contract.deposit) == (usd(5_000), usd(3_000))


class TestEvidenceIsNamedByItsField:
    def test_submitted_evidence_names_at_least_one_item(self) -> None:
        message = refusal(lambda: EvidenceSubmitted(at=T0, by=Party.BUYER, items=()))
        assert message.startswith("EvidenceSubmitted.items ")
        assert names(message, "EvidenceSubmitted.items", "photo", "report", "none")

    def test_submitted_items_are_a_list_of_text(self) -> None:
        message = refusal(lambda: EvidenceSubmitted(at=T0, by=Party.BUYER, items="photo.jpg"))
        assert names(message, "EvidenceSubmitted.items", "'photo.jpg'")

    def test_a_claims_evidence_is_a_list_of_text(self) -> None:
        message = refusal(
            lambda: DisputeOpened(
                at=T0, reason=DisputeReason.DAMAGED, claim=usd(1), evidence="photo.jpg"
            )
        )
        assert names(message, "DisputeOpened.evidence", "'photo.jpg'")


class TestAnEventTypeIsFinal:
    def test_extending_an_event_type_is_refused_by_both_names(self) -> None:
        with pytest.raises(TypeError) as refused:

            class LateReceipt(ReceiptConfirmed):  # type: ignore[misc]
                pass

        message = str(refused.value)
        assert names(message, "ReceiptConfirmed", "LateReceipt", "docs/design.md")
        assert message.startswith("ReceiptConfirmed is final")
        assert message.endswith("(see docs/design.md, how to add an event type)")

    def test_a_new_event_type_may_extend_the_base_event(self) -> None:
        class Inspected(Event):
            pass

        assert Inspected(at=T0).at == T0

    def test_the_contract_event_is_final_too(self) -> None:
        with pytest.raises(TypeError, match="OrderPlaced"):

            class Draft(OrderPlaced):  # type: ignore[misc]
                pass
