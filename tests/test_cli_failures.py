"""The ``tradeassure`` command never shows a traceback: every failure is a short message
on stderr, status 1 (a rule refused) or 2 (anything else), and nothing on stdout (with
``--json``, the failure as JSON alone), not even the first lines of a report that
failed half way."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Final

import pytest

from tradeassure import cli, escrow
from tradeassure._example import history
from tradeassure.escrow import OrderPlaced
from tradeassure.money import Money
from tradeassure.serialization import events_to_json_lines, to_json
from tradeassure.verification import IdentityField

EXAMPLE: Final = events_to_json_lines(history())
LINES: Final = EXAMPLE.splitlines(keepends=True)


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def failed(status: int, argv: tuple[str, ...], stdin: str = "") -> str:
    """Run ``argv``; assert it fails with ``status``, says so briefly on stderr alone,
    with no traceback, and give the message."""
    got, out, err = run(*argv, stdin=stdin)
    assert got == status
    if "--json" in argv:  # the failure as JSON on stdout, and its message on stderr
        error = json.loads(out)["error"]
        assert error["status"] == status
        assert err.startswith(error["message"])
    else:
        assert out == ""
    assert "Traceback" not in err
    prefix = "refused: " if status == 1 else f"tradeassure {argv[0]}"
    assert err.startswith(prefix), err
    assert err.endswith("\n")
    return err


def _placed_on(day: date) -> str:
    """A history of one OrderPlaced drafted on ``day``, to ship ten days later, written
    as JSON by hand (the library may refuse to build such an event at all)."""
    placed = OrderPlaced(
        order_id="PO-9999",
        at=datetime(2025, 3, 3, tzinfo=UTC),
        buyer="Acme Ltd",
        supplier="Shenzhen Co",
        total=Money(100, "USD"),
        ship_by=date(2025, 3, 13),
    )
    text = to_json(placed).replace("2025-03-03", day.isoformat())
    return text.replace("2025-03-13", (day + timedelta(days=10)).isoformat()) + "\n"


def _feedback_comment(comment: object) -> str:
    last = json.loads(LINES[-1])
    feedback = {
        "type": "FeedbackLeft",
        "schema": 2,
        "order_id": last["order_id"],
        "event": {"at": last["event"]["at"], "event_id": None, "rating": 4, "comment": comment},
    }
    return EXAMPLE + json.dumps(feedback) + "\n"


def _profile(checked_on: str) -> str:
    checks = [
        {"field": f.name, "checked_on": checked_on, "checked_by": "platform", "source": "registry"}
        for f in IdentityField
    ]
    return json.dumps({"checks": checks, "activity_count": 0, "business_name": "Acme Ltd"})


# -- malformed input: status 2 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("stdin", "says"),
    [
        pytest.param("{not json\n", "line 1: $: not valid JSON", id="malformed-json-line"),
        pytest.param(
            LINES[0] + '{"type": "Teleported", "schema": 1, "event": {}}\n',
            "line 2: $.type: expected an event type",
            id="unknown-event-type",
        ),
        pytest.param(
            _feedback_comment(5),
            ".event.comment: expected a string, got int 5",
            id="feedback-comment-a-number",
        ),
        pytest.param("", "the history is empty", id="empty-stdin"),
    ],
)
def test_a_history_that_cannot_be_read_exits_2_saying_where(stdin: str, says: str) -> None:
    assert says in failed(2, ("replay", "-"), stdin)


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["text", "json"])
@pytest.mark.parametrize(
    ("day", "at"),
    [
        pytest.param(date(9999, 12, 20), (), id="placed-at-the-end-of-python-dates"),
        pytest.param(
            date(2100, 12, 20),
            ("--at", "2101-06-01T00:00:00+00:00"),
            id="timers-past-the-supported-dates",
        ),
    ],
)
def test_an_order_at_the_end_of_the_calendar_exits_2_with_no_report(
    day: date, at: tuple[str, ...], json_flag: tuple[str, ...]
) -> None:
    err = failed(2, ("replay", "-", *at, *json_flag), _placed_on(day))
    assert len(err.splitlines()) <= 2


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        pytest.param(
            ("tier", "-", "--as-of", "9999-12-31"), _profile("9999-12-31"), id="tier-9999"
        ),
        pytest.param(("tier", "-"), "", id="tier-empty-stdin"),
        pytest.param(("workdays", "add", "9999-12-30", "5"), "", id="workdays-after-9999"),
        pytest.param(("workdays", "add", "0001-01-03", "-5"), "", id="workdays-before-year-1"),
        pytest.param(("workdays", "add", "9990-01-02", "5000"), "", id="workdays-many-days"),
        pytest.param(
            ("finance", "--limit", "9" * 40, "--payable", "100"), "", id="finance-huge-limit"
        ),
        pytest.param(
            ("finance", "--limit", "2000000", "--payable", "1" + "0" * 40),
            "",
            id="finance-huge-payable",
        ),
        pytest.param(
            ("finance", "--limit", "2000000", "--payable", "0." + "0" * 40 + "1"),
            "",
            id="finance-tiny-payable",
        ),
    ],
)
def test_dates_and_numbers_beyond_what_the_rules_count_exit_2(
    argv: tuple[str, ...], stdin: str
) -> None:
    failed(2, argv, stdin)


# -- refusals: status 1 --------------------------------------------------------------------


def test_a_refused_history_prints_no_report() -> None:
    skipping_confirmation = LINES[0] + LINES[2]
    assert "ESC-PAY-AFTER-CONFIRM" in failed(1, ("replay", "-"), skipping_confirmation)


# -- the library's own failures ------------------------------------------------------------


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["text", "json"])
def test_an_error_inside_the_library_is_reported_without_a_traceback_or_half_a_report(
    monkeypatch: pytest.MonkeyPatch, json_flag: tuple[str, ...]
) -> None:
    # The deadlines come after the money and the timeline in the report.
    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(escrow, "deadlines", broken)
    err = failed(2, ("replay", "-", *json_flag), EXAMPLE)
    assert err == (
        "tradeassure replay: internal error: the library failed on this input "
        "(ZeroDivisionError: a bug); please report it with the input\n"
    )


def test_a_report_standard_output_cannot_encode_exits_2_with_nothing_printed() -> None:
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, "ascii", "strict")
    err = io.StringIO()
    text = EXAMPLE.replace("Acme Trading Ltd", "Acmé Trading Ltd")
    status = cli.main(["replay", "-"], stdout=ascii_out, stderr=err, stdin=io.StringIO(text))
    ascii_out.flush()
    assert (status, raw.getvalue()) == (2, b"")
    assert err.getvalue().startswith("tradeassure replay: error: standard output cannot show")
