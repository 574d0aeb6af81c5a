"""The ``tradeassure`` command end to end: output, ``--json`` parsed back, exit status
0 (fine), 1 (a rule refuses, its id on stderr) and 2 (malformed input)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pytest

from tradeassure import cli
from tradeassure._example import history
from tradeassure.cli import _replay
from tradeassure.credit import FinancingQuote
from tradeassure.diagram import dot, mermaid
from tradeassure.escrow import Order, replay
from tradeassure.events import InspectionReported, PlatformRuled
from tradeassure.money import Money
from tradeassure.policy import LAUNCH_2014_ESCROW
from tradeassure.schema import json_schema
from tradeassure.serialization import events_from_json_lines, events_to_json_lines, from_dict
from tradeassure.verification import FieldCheck, IdentityField

ENTRY_POINT = Path(sys.executable).parent / "tradeassure"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = events_to_json_lines(history())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*argv: str, stdin: str = "", err: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), err if err is not None else io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def run_json(*argv: str, stdin: str = "") -> object:
    status, out, err = run(*argv, "--json", stdin=stdin)
    assert (status, err) == (0, "")
    return json.loads(out)


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "order.jsonl"
    path.write_text(EXAMPLE, encoding="utf-8")
    return path


# -- demo ----------------------------------------------------------------------------------


def test_demo_prints_the_states_money_movements_and_deadlines() -> None:
    status, out, err = run("demo")
    assert (status, err) == (0, "")
    assert out.startswith("Order PO-0917: REFUNDED (policy: default)")
    for heading in ("Money", "Timeline", "Deadlines", "Rule trace"):
        assert f"\n{heading}\n" in out
    assert "refund arrival  2025-11-12 to 2025-11-17" in out
    assert "+USD 1,800.00" in out
    assert "AWAITING_PAYMENT -> PARTIALLY_PAID" in out


def test_demo_ends_with_the_sample_books_summary() -> None:
    out = run("demo")[1]
    _, _, book = out.partition("\nThe book: 1,000 orders of the bundled sample\n\n")
    assert book.startswith("Book: 1,000 orders, 12 with errors (left out of the sums); as of ")
    for heading in ("Held by supplier", "Held money by age", "Disputes", "Timers due", "Errors"):
        assert f"\n{heading}" in book
    assert "tradeassure/examples/book.jsonl.gz:332" in book


def test_demo_json_gives_back_the_replayed_order() -> None:
    data = run_json("demo")
    assert isinstance(data, dict)
    assert data["book"]["orders"] == 1000
    assert data["book"]["as_of"] == "2026-01-01T00:00:00+00:00"
    assert from_dict(data["order"], Order) == replay(history())
    assert [step["status"] for step in data["timeline"]][-2:] == ["DISPUTED", "REFUNDED"]
    assert data["money"]["refunded"] == {"amount": "1800.00", "currency": "USD"}
    assert data["deadlines"]["refund_arrival"] == ["2025-11-12", "2025-11-17"]
    assert data["trace"][0] == {
        "index": 1,
        "type": "OrderPlaced",
        "from": None,
        "to": "AWAITING_CONFIRMATION",
        "rules": ["ESC-ORDER-ORIGIN", "ESC-CONTRACT-SCOPE"],
    }


def test_the_bundled_history_file_is_the_demo_history() -> None:
    shipped = files("tradeassure").joinpath("examples/order.jsonl").read_text(encoding="utf-8")
    assert shipped == EXAMPLE, "regenerate: tradeassure demo --history > src/.../order.jsonl"
    assert events_from_json_lines(shipped) == history()
    assert run("demo", "--history") == (0, EXAMPLE, "")


# -- replay --------------------------------------------------------------------------------


def test_replay_of_a_file_reports_like_the_demo_before_its_book(example_file: Path) -> None:
    status, out, err = run("replay", str(example_file))
    assert (status, err) == (0, "")
    demo = run("demo")[1]
    assert demo.startswith(out + "\nThe book: 1,000 orders of the bundled sample\n\n")


def test_replay_reads_standard_input() -> None:
    status, out, _ = run("replay", "-", stdin=EXAMPLE)
    assert status == 0
    assert out.startswith("Order PO-0917: REFUNDED")


def test_replay_at_an_instant_fires_the_timers_due_by_then() -> None:
    shipped = "".join(EXAMPLE.splitlines(keepends=True)[:6])
    before = run_json("replay", "-", "--at", "2025-12-05T08:59:59+08:00", stdin=shipped)
    after = run_json("replay", "-", "--at", "2025-12-05T09:00:00+08:00", stdin=shipped)
    assert isinstance(before, dict)
    assert isinstance(after, dict)
    assert before["order"]["status"] == "SHIPPED"
    assert before["deadlines"]["receipt_by"] == "2025-12-05T09:00:00+08:00"
    assert after["order"]["status"] == "COMPLETED"
    assert after["trace"][-1]["rules"] == ["TMR-AUTO-COMPLETE"]
    assert after["timeline"][-1]["timer"] is True


def test_replay_under_another_policy_edition() -> None:
    data = run_json("replay", "-", "--policy", "launch-2014", stdin=EXAMPLE)
    assert isinstance(data, dict)
    assert data["order"]["policy"] == "launch-2014"
    assert from_dict(data["order"], Order) == replay(history(), LAUNCH_2014_ESCROW)


def test_the_same_history_is_judged_under_each_edition() -> None:
    # A ruling ten days after the claim: the help pages give the supplier 3 days, the
    # documents 15, so it is refused under the default edition only.
    *before, settled, refund = history()
    ruled = PlatformRuled(at=settled.at, event_id=settled.event_id, refund=Money("1800", "USD"))
    lines = events_to_json_lines((*before, ruled, refund))
    status, _, err = run("replay", "-", stdin=lines)
    assert status == 1
    assert err.startswith("refused: event 9 (PlatformRuled): TA-SUPPLIER-15-DAYS: ")
    assert run("replay", "-", "--policy", "help-pages", stdin=lines)[0] == 0


def test_a_history_a_rule_refuses_exits_1_with_the_rule_on_stderr() -> None:
    lines = EXAMPLE.splitlines(keepends=True)
    skipping_confirmation = lines[0] + lines[2]
    status, out, err = run("replay", "-", stdin=skipping_confirmation)
    assert (status, out) == (1, "")
    assert err.startswith("refused: event 2 (PaymentReceived): ESC-PAY-AFTER-CONFIRM: ")


def test_a_malformed_history_exits_2_naming_the_line_and_path() -> None:
    lines = EXAMPLE.splitlines(keepends=True)
    lines[2] = lines[2].replace('"3600.00"', "3600.0")
    status, out, err = run("replay", "-", stdin="".join(lines))
    assert (status, out) == (2, "")
    assert "line 3: $.event.amount.amount: expected a decimal string" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("replay", "/nonexistent/order.jsonl"),
        ("replay", "-", "--at", "2025-12-05T09:00:00"),
        ("replay", "-", "--at", "soon"),
        ("replay", "-", "--policy", "2030"),
        ("replay",),
        (),
        ("teleport",),
    ],
)
def test_malformed_requests_exit_2(argv: tuple[str, ...]) -> None:
    status, out, err = run(*argv, stdin=EXAMPLE)
    assert status == 2
    assert out == ""
    assert err


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_standard_input_that_is_not_utf8_exits_2(errors: str) -> None:
    # Whatever error handler the locale gives sys.stdin, the bytes are judged as UTF-8.
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff\xfe" + EXAMPLE.encode()), "utf-8", errors)
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["replay", "-"], stdout=out, stderr=err, stdin=stdin)
    assert (status, out.getvalue()) == (2, "")
    assert err.getvalue() == (
        "tradeassure replay: error: cannot read standard input: not UTF-8 text "
        "(invalid start byte)\n"
    )


def test_standard_input_is_read_as_utf8_whatever_the_locale() -> None:
    text = EXAMPLE.replace("Acme Trading Ltd", "Acmé Trading Ltd")
    stdin = io.TextIOWrapper(io.BytesIO(text.encode()), "ascii", "strict")
    out = io.StringIO()
    assert cli.main(["replay", "-"], stdout=out, stderr=io.StringIO(), stdin=stdin) == 0
    assert "buyer Acmé Trading Ltd" in out.getvalue()


def test_an_empty_history_exits_2() -> None:
    status, _, err = run("replay", "-", stdin="\n")
    assert status == 2
    assert "empty" in err


def _long_history(n: int) -> str:
    events = list(history()[:4])
    start = events[-1].at
    events += [
        InspectionReported(at=start + timedelta(minutes=i + 1), passed=True) for i in range(n)
    ]
    return events_to_json_lines(events)


def test_a_long_replay_shows_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_replay, "_PROGRESS_MIN_EVENTS", 10)
    terminal = _Terminal()
    status, _, _ = run("replay", "-", stdin=_long_history(6), err=terminal)
    assert status == 0
    shown = terminal.getvalue()
    assert "replaying events" in shown
    assert "10/10" in shown


def test_a_short_replay_shows_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_replay, "_PROGRESS_MIN_EVENTS", 10)
    terminal = _Terminal()
    run("replay", "-", stdin=_long_history(5), err=terminal)
    assert terminal.getvalue() == ""


def test_progress_stays_off_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_replay, "_PROGRESS_MIN_EVENTS", 10)
    assert run("replay", "-", stdin=_long_history(20))[2] == ""


# -- finance -------------------------------------------------------------------------------

WORKED = ("--limit", "2000000", "--outstanding", "900000", "--drawn-total", "900000")


def test_finance_shows_every_cap_and_marks_the_binding_one() -> None:
    status, out, _ = run("finance", *WORKED, "--payable", "200000")
    assert status == 0
    assert out.startswith("Financeable: USD 99,999.99 (bound by CR-OUTSTANDING")
    assert out.splitlines()[3].split() == ["rule", "cap", "amount", "binds"]
    binding = [line for line in out.splitlines() if line.endswith("  binding")]
    assert len(binding) == 1
    assert binding[0].startswith("CR-OUTSTANDING")


def test_finance_json_parses_back_to_the_quote() -> None:
    data = run_json("finance", *WORKED, "--payable", "200000")
    assert isinstance(data, dict)
    offer = from_dict(data["quote"], FinancingQuote)
    assert str(offer.amount) == "USD 99,999.99"
    assert offer.caps[data["binding_cap"]].rule == "CR-OUTSTANDING"


def test_finance_on_the_partner_line_is_in_its_currency() -> None:
    data = run_json("finance", "--policy", "au-partner", "--limit", "5000", "--payable", "8000")
    assert isinstance(data, dict)
    assert data["quote"]["amount"] == {"amount": "5000.00", "currency": "AUD"}


def test_a_line_the_terms_do_not_cover_exits_1() -> None:
    status, out, err = run("finance", "--limit", "1000000", "--payable", "200000")
    assert (status, out) == (1, "")
    assert err.startswith("refused: CR-TIER: ")


def test_the_smallest_covered_line_is_quoted() -> None:
    assert run("finance", "--limit", "1000000.01", "--payable", "10")[0] == 0


@pytest.mark.parametrize("limit", ["1,000", "2e6", "lots", "0.1f", "2_000_000", "\u0662" * 7])
def test_an_amount_that_is_not_a_decimal_exits_2(limit: str) -> None:
    assert run("finance", "--limit", limit, "--payable", "1")[0] == 2


def test_amounts_the_line_refuses_exit_2() -> None:
    status, _, err = run(
        "finance", "--limit", "2000000", "--outstanding", "3000000", "--payable", "1"
    )
    assert status == 2
    assert "above the limit" in err


# -- tier ----------------------------------------------------------------------------------


def _profile(checked_on: date = date(2024, 2, 29)) -> str:
    checks = [FieldCheck(f, checked_on, "platform", "government records") for f in IdentityField]
    return json.dumps(
        {
            "checks": [
                {
                    "field": c.field.name,
                    "checked_on": str(c.checked_on),
                    "checked_by": c.checked_by,
                    "source": c.source,
                }
                for c in checks
            ],
            "activity_count": 2,
            "business_name": "Acme Trading Ltd",
        }
    )


def test_tier_is_verified_to_the_last_day_and_activity_after() -> None:
    last = run_json("tier", "-", "--as-of", "2025-02-28", stdin=_profile())
    after = run_json("tier", "-", "--as-of", "2025-03-01", stdin=_profile())
    assert isinstance(last, dict)
    assert isinstance(after, dict)
    assert (last["tier"], last["verified_until"]) == ("VERIFIED", "2025-02-28")
    assert last["fields_to_verify"] == []
    assert (after["tier"], after["rule"]) == ("ACTIVITY", "ID-ACTIVITY")
    assert len(after["fields_to_verify"]) == 5


def test_tier_prints_a_table() -> None:
    status, out, _ = run("tier", "-", "--as-of", "2025-02-28", stdin=_profile())
    assert status == 0
    assert "VERIFIED (ID-VERIFIED)" in out
    assert "2025-02-28" in out


def test_tier_defaults_to_today() -> None:
    data = run_json("tier", "-", stdin=_profile())
    assert isinstance(data, dict)
    assert data["as_of"] in {
        str(datetime.now(UTC).date()),
        str(datetime.now(UTC).date() - timedelta(days=1)),
    }


def test_a_malformed_profile_exits_2_with_its_path() -> None:
    status, _, err = run("tier", "-", stdin='{"activity_count": "2"}')
    assert status == 2
    assert "$.activity_count: expected a whole number" in err


# -- workdays ------------------------------------------------------------------------------


def test_workdays_add_skips_the_national_day_holidays() -> None:
    status, out, _ = run("workdays", "add", "2025-09-26", "10", "--country", "CN")
    assert status == 0
    assert out == "10 working days after 2025-09-26 in CN: 2025-10-16 (Thursday)\n"


def test_workdays_count_is_the_inverse_of_add() -> None:
    data = run_json("workdays", "count", "2025-09-26", "2025-10-16")
    assert data == {
        "start": "2025-09-26",
        "end": "2025-10-16",
        "working_days": 10,
        "country": "CN",
        "estimated_years": [],
    }


@pytest.mark.parametrize(
    "argv",
    [
        ("workdays", "--json", "count", "2025-09-26", "2025-10-16"),
        ("workdays", "count", "2025-09-26", "2025-10-16", "--json"),
    ],
)
def test_workdays_takes_json_before_or_after_the_action(argv: tuple[str, ...]) -> None:
    status, out, _ = run(*argv)
    assert status == 0
    assert json.loads(out)["working_days"] == 10


def test_workdays_prints_text_without_json() -> None:
    assert run("workdays", "count", "2025-09-26", "2025-10-16")[1].startswith("working days")


@pytest.mark.parametrize(
    "argv",
    [
        ("workdays", "add", "2025-09-26", "10", "--country", "XX"),
        ("workdays", "add", "26/09/2025", "10"),
        ("workdays", "add", "2025-09-26", "ten"),
        ("workdays", "add", "2025-09-26", "1_0"),
        ("workdays", "add", "2025-09-26", "\u0661\u0660"),
        ("workdays", "add", "2030-01-02", "3", "--strict"),
    ],
)
def test_workdays_refuses_malformed_input_with_2(argv: tuple[str, ...]) -> None:
    assert run(*argv)[0] == 2


# -- diagram and rules ---------------------------------------------------------------------


def test_diagram_prints_mermaid_or_dot() -> None:
    assert run("diagram") == (0, mermaid(), "")
    assert run("diagram", "--format", "dot") == (0, dot(), "")


def test_diagram_json_lists_the_edges() -> None:
    data = run_json("diagram")
    assert isinstance(data, dict)
    assert {
        "from": "SHIPPED",
        "to": "COMPLETED",
        "events": ["ReceiptConfirmed", "TimerExpired"],
    } in (data["edges"])
    assert data["terminal"] == ["CANCELLED", "REFUNDED"]


def test_rules_searches_ids_and_summaries_by_every_word() -> None:
    status, out, _ = run("rules", "refund", "business")
    assert status == 0
    assert "ESC-REFUND-WINDOW" in out
    assert "TMR-REFUND-START" in out
    assert "TA-QUALITY" not in out


def test_rules_shows_one_rule_with_its_sources() -> None:
    status, out, _ = run("rules", "CR-80")
    assert status == 0
    assert out.startswith("CR-80 (credit)\n")
    assert "000: Marketplace help-centre FAQ" in out


def test_rules_json_by_section() -> None:
    data = run_json("rules", "--section", "credit")
    assert isinstance(data, list)
    assert [r["id"] for r in data][:2] == ["CR-TIER", "CR-80"]
    assert {r["section"] for r in data} == {"credit"}


def test_rules_without_a_match_exits_1_as_grep_does() -> None:
    assert run("rules", "teleportation") == (1, "", "no rule matches teleportation\n")
    assert run("rules", "teleportation", "--json") == (1, "[]\n", "")


def test_schema_prints_the_committed_json_schema() -> None:
    committed = (ROOT / "schema" / "envelope.schema.json").read_text(encoding="utf-8")
    assert run("schema") == (0, committed, "")
    assert json.loads(committed) == json_schema()


def test_help_exits_0() -> None:
    status, out, _ = run("--help")
    assert status == 0
    assert "replay" in out


# -- the installed entry point -------------------------------------------------------------


@pytest.mark.skipif(not ENTRY_POINT.exists(), reason="the console script is not installed")
def test_the_console_script_runs_the_demo_and_reports_refusals() -> None:
    done = subprocess.run(
        [str(ENTRY_POINT), "demo", "--json"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["order"]["status"] == "REFUNDED"
    refused = subprocess.run(
        [str(ENTRY_POINT), "finance", "--limit", "5", "--payable", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("refused: CR-TIER")


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tradeassure", "rules", "CR-80"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("CR-80 (credit)")
