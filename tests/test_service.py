"""The reference service (examples/service/) over HTTP, on every store backend: an order
from placement to receipt, the refusals and their status codes (each writing nothing),
redelivery, the sweep and the body limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from fastapi.testclient import TestClient

from escrow_builders import at, placed, usd
from service.app import CLOCK_ALLOWANCE, MAX_BODY, create_app
from tradeassure.escrow import (
    ContractConfirmed,
    Event,
    Party,
    PaymentMethod,
    PaymentReceived,
    ReceiptConfirmed,
    Shipped,
    TimerExpired,
)
from tradeassure.serialization import to_dict

EVENTS = "/orders/PO-7/events"
CONFIRMED = ContractConfirmed(at=at(hours=2), by=Party.BUYER, event_id="c-1")
PAID = PaymentReceived(at=at(1), amount=usd(10_000), method=PaymentMethod.VISA, event_id="p-1")
SHIPPED = Shipped(at=at(10), value=usd(10_000), final=True, event_id="s-1")
RECEIVED = ReceiptConfirmed(at=at(20), event_id="r-1")


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    """The service over an empty store, on each backend in turn."""
    with TestClient(create_app(store_url)) as opened:
        yield opened


def envelope(event: Event) -> Any:
    return to_dict(event, order_id="PO-7")


def send(client: TestClient, events: list[Event], version: int | str) -> Any:
    body = json.dumps([envelope(e) for e in events])
    return client.post(EVENTS, content=body, headers={"If-Match": str(version)})


def version(client: TestClient) -> int:
    """The order's version as GET reports it (0 when there is no such order)."""
    answer = client.get("/orders/PO-7")
    return 0 if answer.status_code == 404 else int(answer.json()["version"])


@pytest.fixture
def confirmed(client: TestClient) -> TestClient:
    """The service holding PO-7 placed and confirmed, at version 2."""
    assert send(client, [placed(), CONFIRMED], 0).json()["version"] == 2
    return client


def test_an_order_is_placed_paid_shipped_and_received_over_http(client: TestClient) -> None:
    steps = [
        (placed(), "AWAITING_CONFIRMATION", "0"),
        (CONFIRMED, "AWAITING_PAYMENT", "0"),
        (PAID, "FUNDS_HELD", "10000"),
        (SHIPPED, "SHIPPED", "10000"),
        (RECEIVED, "COMPLETED", "0"),
    ]
    for number, (event, status, held) in enumerate(steps, start=1):
        answer = send(client, [event], number - 1)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"order_id": "PO-7", "version": number}
        assert answer.headers["ETag"] == f'"{number}"'
        state = client.get("/orders/PO-7")
        assert state.status_code == 200
        assert state.headers["ETag"] == f'"{number}"'
        body = state.json()
        assert (body["status"], body["version"], body["edition"]) == (status, number, "default")
        assert body["money"]["held"] == to_dict(usd(held))
        assert body["money"]["total"] == to_dict(usd(10_000))
    assert body["money"]["released"] == to_dict(usd(10_000))
    assert body["money"]["refunded"] == to_dict(usd(0))


def test_the_state_says_what_each_party_may_send_and_by_when(client: TestClient) -> None:
    send(client, [placed()], 0)
    body = client.get("/orders/PO-7").json()
    assert "ContractConfirmed" in body["may_send"]["BUYER"]
    assert "ContractConfirmed" not in body["may_send"]["SUPPLIER"]
    assert body["may_send"]["PLATFORM"] == []
    assert body["deadlines"]["confirm_by"] is not None
    assert body["next_move"] == body["deadlines"]["next_move"]
    assert body["next_move"]["party"] == "BUYER"
    assert body["next_timer"]["rule"] == "TMR-CONFIRM"


def test_a_single_envelope_is_taken_as_an_array_of_one(client: TestClient) -> None:
    answer = client.post(EVENTS, content=json.dumps(envelope(placed())), headers={"If-Match": "0"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 1


def test_if_match_takes_the_etag_as_it_was_given(confirmed: TestClient) -> None:
    etag = confirmed.get("/orders/PO-7").headers["ETag"]
    assert send(confirmed, [PAID], etag).json()["version"] == 3


def test_a_stale_if_match_is_refused_naming_both_versions(confirmed: TestClient) -> None:
    answer = send(confirmed, [PAID], 1)
    assert answer.status_code == 409
    body = answer.json()
    assert (body["expected"], body["actual"]) == (1, 2)
    assert "version 2, not the expected version 1" in body["message"]
    assert version(confirmed) == 2


def test_an_append_without_if_match_is_refused_as_precondition_required(
    confirmed: TestClient,
) -> None:
    answer = confirmed.post(EVENTS, content=json.dumps([envelope(PAID)]))
    assert answer.status_code == 428
    assert "If-Match" in answer.json()["message"]
    assert version(confirmed) == 2


@pytest.mark.parametrize("value", ["two", "-1", 'W/"2"', "*", "2, 3"])
def test_an_if_match_that_is_no_version_is_a_bad_request(confirmed: TestClient, value: str) -> None:
    answer = send(confirmed, [PAID], value)
    assert answer.status_code == 400
    assert "If-Match" in answer.json()["message"]
    assert version(confirmed) == 2


def test_a_refused_event_answers_its_rule_id(client: TestClient) -> None:
    send(client, [placed()], 0)
    answer = send(client, [PAID], 1)
    assert answer.status_code == 422
    body = answer.json()
    assert body["rule"] == "ESC-PAY-AFTER-CONFIRM"
    assert "awaiting confirmation" in body["message"]
    assert version(client) == 1


def test_a_batch_with_one_refused_event_writes_none_of_it(confirmed: TestClient) -> None:
    answer = send(confirmed, [PAID, RECEIVED], 2)
    assert answer.status_code == 422
    assert answer.json()["rule"] == "ESC-RELEASE"
    assert version(confirmed) == 2


Mutation = Callable[[list[Any]], None]


def _set(path: tuple[str | int, ...], value: object) -> Mutation:
    def mutate(body: list[Any]) -> None:
        *parents, last = path
        target: Any = body
        for key in parents:
            target = target[key]
        target[last] = value

    return mutate


def _drop(index: int, key: str) -> Mutation:
    return lambda body: body[index].pop(key)


#: Each malformed body, the JSON path its problem is reported at, and words of the message.
MALFORMED: list[Any] = [
    pytest.param(_set((0, "type"), "Teleported"), "$[0].type", "an event type", id="type"),
    pytest.param(_set((0, "schema"), 1), "$[0].schema", "schema 2", id="schema-1"),
    pytest.param(_drop(0, "order_id"), "$[0].order_id", "missing", id="no-order-id"),
    pytest.param(
        _set((0, "order_id"), "PO-8"), "$[0].order_id", "the order of the path", id="other-order"
    ),
    pytest.param(
        _set((0, "event", "amount", "amount"), 10000.0),
        "$[0].event.amount.amount",
        "got float",
        id="float-amount",
    ),
    pytest.param(
        _set((0, "event", "at"), "2025-09-02T09:00:00"), "$[0].event.at", "naive", id="naive"
    ),
    pytest.param(_set((0, "event", "colour"), "red"), "$[0].event", "'colour'", id="event-key"),
    pytest.param(_set((0, "colour"), "red"), "$[0]", "'colour'", id="envelope-key"),
    pytest.param(
        _set((1, "event", "final"), "yes"), "$[1].event.final", "true or false", id="second"
    ),
]


@pytest.mark.parametrize(("mutate", "path", "words"), MALFORMED)
def test_a_malformed_envelope_is_refused_with_its_json_path(
    confirmed: TestClient, mutate: Mutation, path: str, words: str
) -> None:
    body = [envelope(PAID), envelope(SHIPPED)]
    mutate(body)
    answer = confirmed.post(EVENTS, content=json.dumps(body), headers={"If-Match": "2"})
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert [p["path"] for p in problems] == [path]
    assert words in problems[0]["message"]
    assert version(confirmed) == 2


def test_a_single_malformed_envelope_is_reported_from_its_root(confirmed: TestClient) -> None:
    body = envelope(PAID)
    body["event"]["at"] = "2025-09-02T09:00:00"
    answer = confirmed.post(EVENTS, content=json.dumps(body), headers={"If-Match": "2"})
    assert answer.status_code == 422
    assert [p["path"] for p in answer.json()["problems"]] == ["$.event.at"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param(b"not JSON at all", "not valid JSON", id="not-json"),
        pytest.param(b"\xff\xfe[]", "not UTF-8", id="not-utf-8"),
        pytest.param(b'"PaymentReceived"', "expected an array", id="a-string"),
        pytest.param(b'[{"type": "PaymentReceived", "type": "Shipped"}]', "twice", id="twice"),
    ],
)
def test_a_body_that_is_no_envelope_is_refused_at_its_root(
    confirmed: TestClient, body: bytes, words: str
) -> None:
    answer = confirmed.post(EVENTS, content=body, headers={"If-Match": "2"})
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert problems[0]["path"] == "$"
    assert words in problems[0]["message"]
    assert version(confirmed) == 2


def test_an_empty_array_is_refused(confirmed: TestClient) -> None:
    answer = confirmed.post(EVENTS, content=b"[]", headers={"If-Match": "2"})
    assert answer.status_code == 422
    assert "at least one event" in answer.json()["message"]


def test_an_oversized_body_is_refused_unread(confirmed: TestClient) -> None:
    body = b"[" + b" " * MAX_BODY + b"]"
    answer = confirmed.post(EVENTS, content=body, headers={"If-Match": "2"})
    assert answer.status_code == 413
    assert "over 1048576 bytes" in answer.json()["message"]
    assert version(confirmed) == 2


def test_an_oversized_body_without_a_length_is_refused_as_it_streams(
    confirmed: TestClient,
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"["
        for _ in range(MAX_BODY // 65536 + 1):
            yield b" " * 65536
        yield b"]"

    answer = confirmed.post(EVENTS, content=chunks(), headers={"If-Match": "2"})
    assert answer.status_code == 413
    assert version(confirmed) == 2


def test_a_redelivery_answers_the_same_version_whatever_it_was_sent_at(
    confirmed: TestClient,
) -> None:
    assert send(confirmed, [PAID], 2).json()["version"] == 3
    again = send(confirmed, [PAID], 2)
    assert again.status_code == 200
    assert again.json()["version"] == 3
    assert version(confirmed) == 3


def test_an_event_id_given_to_another_event_conflicts(confirmed: TestClient) -> None:
    reused = PaymentReceived(
        at=at(1), amount=usd(10_000), method=PaymentMethod.VISA, event_id="c-1"
    )
    answer = send(confirmed, [reused], 2)
    assert answer.status_code == 409
    assert "'c-1'" in answer.json()["message"]
    assert version(confirmed) == 2


def test_an_unknown_edition_is_refused_for_a_new_order(client: TestClient) -> None:
    body = json.dumps([envelope(placed())])
    answer = client.post(f"{EVENTS}?edition=nineties", content=body, headers={"If-Match": "0"})
    assert answer.status_code == 422
    assert "nineties" in answer.json()["message"]
    assert version(client) == 0


def test_a_new_order_is_placed_under_the_edition_named(client: TestClient) -> None:
    body = json.dumps([envelope(placed())])
    answer = client.post(f"{EVENTS}?edition=help-pages", content=body, headers={"If-Match": "0"})
    assert answer.status_code == 200, answer.text
    assert client.get("/orders/PO-7").json()["edition"] == "help-pages"


def test_an_unknown_order_is_not_found(client: TestClient) -> None:
    answer = client.get("/orders/PO-404")
    assert answer.status_code == 404
    assert "PO-404" in answer.json()["message"]


def test_the_sweep_fires_a_timer_that_fell_due(confirmed: TestClient) -> None:
    due = confirmed.get("/orders/PO-7").json()["next_timer"]
    assert due["rule"] == "TMR-PAY"
    before = confirmed.post("/sweep", json={"now": at(1).isoformat()})
    assert before.json() == {"applied": 0}
    answer = confirmed.post("/sweep", json={"now": due["at"], "batch": 10})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"applied": 1}
    state = confirmed.get("/orders/PO-7").json()
    assert (state["status"], state["version"]) == ("CANCELLED", 3)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        pytest.param({"now": "2025-12-01T00:00:00"}, "$.now", id="naive"),
        pytest.param({"now": "2025-12-01T00:00:00+00:00", "batch": 2.0}, "$.batch", id="float"),
        pytest.param({"now": "2025-12-01T00:00:00Z", "until": 1}, "$", id="unknown-key"),
        pytest.param({}, "$.now", id="no-now"),
    ],
)
def test_a_malformed_sweep_is_refused_with_its_json_path(
    confirmed: TestClient, body: dict[str, Any], path: str
) -> None:
    answer = confirmed.post("/sweep", content=json.dumps(body))
    assert answer.status_code == 422, answer.text
    assert [p["path"] for p in answer.json()["problems"]] == [path]
    assert version(confirmed) == 2


def test_a_sweep_of_no_orders_a_batch_is_refused(confirmed: TestClient) -> None:
    answer = confirmed.post("/sweep", json={"now": "2025-12-01T00:00:00+00:00", "batch": 0})
    assert answer.status_code == 422
    assert "batch" in answer.json()["message"]
    assert version(confirmed) == 2


def test_importing_the_app_opens_no_database(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(examples), *sys.path])}
    environment.pop("TRADEASSURE_STORE_URL", None)
    subprocess.run(
        [sys.executable, "-c", "import service.app"], cwd=tmp_path, env=environment, check=True
    )
    assert list(tmp_path.iterdir()) == []


def test_an_event_dated_after_the_servers_clock_is_refused(store_url: str) -> None:
    now = at(5)
    with TestClient(create_app(store_url, clock=lambda: now)) as early:
        assert send(early, [placed()], 0).status_code == 200
        assert send(early, [CONFIRMED], 1).status_code == 200
        late = PaymentReceived(
            at=now + CLOCK_ALLOWANCE + timedelta(seconds=1),
            amount=usd(10_000),
            method=PaymentMethod.VISA,
        )
        answer = send(early, [late], 2)
        assert answer.status_code == 422
        assert "after this server's clock" in answer.json()["message"]
        just = attrs.evolve(late, at=now + CLOCK_ALLOWANCE)
        assert send(early, [just], 2).status_code == 200


def test_a_timer_sent_by_a_client_is_refused(client: TestClient) -> None:
    assert send(client, [placed()], 0).status_code == 200
    timer = TimerExpired(at=at(40), timer="TMR-CONFIRM")
    answer = send(client, [timer], 1)
    assert answer.status_code == 422
    assert "timers=True" in answer.json()["message"]
    assert version(client) == 1
