"""``tradeassure`` by a shell's conventions: --version, completion, tables as wide as
the terminal, colour only on one (never with NO_COLOR), JSON for every outcome with
--json, messages in the command's own terms, help for every option and argument, and
the one-line answer when the cli extra is missing."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Final

import click
import pytest

import tradeassure
from tradeassure import cli
from tradeassure._example import history
from tradeassure.book import sample
from tradeassure.cli import _app, _book
from tradeassure.escrow import allowed_moves, deadlines, replay
from tradeassure.rules import RULES
from tradeassure.serialization import events_to_json_lines

EXAMPLE: Final = events_to_json_lines(history())
LINES: Final = EXAMPLE.splitlines(keepends=True)
SHIPPED: Final = "".join(LINES[:6])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(
    *argv: str, stdin: str = "", out: io.StringIO | None = None, err: io.StringIO | None = None
) -> tuple[int, str, str]:
    out = out if out is not None else io.StringIO()
    err = err if err is not None else io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def book_file(tmp_path: Path) -> Path:
    path = tmp_path / "book.jsonl"
    lines = list(sample.lines(20))
    lines[5] = "{not json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the entry point -----------------------------------------------------------------------


def test_version_is_the_packages() -> None:
    assert run("--version") == (0, f"tradeassure {tradeassure.__version__}\n", "")


@pytest.mark.parametrize("missing", ["click", "rich"])
def test_without_the_cli_extra_one_line_names_it_and_exits_2(
    missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)
    status, out, err = run("demo")
    assert (status, out) == (2, "")
    assert err == cli.MISSING_EXTRA
    assert err.count("\n") == 1
    assert "pip install 'tradeassure[cli]'" in err
    assert "pip install '.[cli]'" in err


def test_the_entry_point_module_imports_neither_click_nor_rich() -> None:
    source = Path(cli.__file__).read_text(encoding="utf-8")
    assert "import click" not in source
    assert "from rich" not in source
    assert "import rich" not in source


# -- completion ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "says"), [("bash", "complete "), ("zsh", "compdef"), ("fish", "complete ")]
)
def test_completion_prints_the_shells_script(shell: str, says: str) -> None:
    status, out, _ = run("completion", shell)
    assert status == 0
    assert "_TRADEASSURE_COMPLETE" in out
    assert says in out


def _complete(words: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What click's bash completion answers for ``words`` (stdout as a terminal's is:
    with a byte buffer, which click writes its answer to)."""
    monkeypatch.setenv("_TRADEASSURE_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split(" ")) - 1))
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, "utf-8")
    assert cli.main([], stdout=out, stderr=io.StringIO(), stdin=io.StringIO()) == 0
    out.flush()
    return raw.getvalue().decode().splitlines()


def test_completion_completes_subcommands_and_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "plain,replay" in _complete("tradeassure re", monkeypatch)
    choices = _complete("tradeassure book x --group-by ", monkeypatch)
    assert {"plain,supplier", "plain,currency", "plain,status"} <= set(choices)
    assert "file," in _complete("tradeassure replay ", monkeypatch)


def test_an_unknown_shell_is_a_usage_error() -> None:
    status, out, err = run("completion", "powershell")
    assert (status, out) == (2, "")
    assert "'powershell' is not one of" in err


# -- width ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (("demo",), ""),
        (("replay", "-"), SHIPPED),
        (("rules",), ""),
        (("finance", "--limit", "2000000", "--payable", "200000"), ""),
        (("book", "-", "--as-of", "2026-01-01T00:00:00+00:00"), "\n".join(sample.lines(40))),
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else "",
)
@pytest.mark.parametrize("columns", [80, 60])
def test_every_line_fits_columns(
    argv: tuple[str, ...], stdin: str, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    status, out, _ = run(*argv, stdin=stdin)
    assert status == 0
    assert max(len(line) for line in out.splitlines()) <= columns


def test_without_columns_a_pipe_keeps_each_row_on_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    out = run("rules")[1]
    assert len(out.splitlines()) == 2 + len(RULES)
    assert max(len(line) for line in out.splitlines()) > 80


# -- colour --------------------------------------------------------------------------------


def test_a_terminal_gets_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = run("rules", "refund", out=_Terminal())[1]
    assert "\x1b[" in out
    assert "ESC-REFUND-WINDOW" in out


def test_no_color_means_none_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = run("rules", "refund", out=_Terminal())[1]
    assert "\x1b" not in out
    assert "ESC-REFUND-WINDOW" in out


def test_a_pipe_gets_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b" not in run("demo")[1]


# -- --json: every outcome -----------------------------------------------------------------


def _json_run(*argv: str, stdin: str = "") -> tuple[int, object, str]:
    status, out, err = run(*argv, "--json", stdin=stdin)
    return status, json.loads(out), err


def test_json_success_exits_0() -> None:
    status, data, err = _json_run("replay", "-", stdin=EXAMPLE)
    assert (status, err) == (0, "")
    assert isinstance(data, dict)
    assert "error" not in data


def test_json_refusal_exits_1_with_the_rule() -> None:
    status, data, err = _json_run("replay", "-", stdin=LINES[0] + LINES[2])
    assert status == 1
    assert data == {
        "error": {
            "status": 1,
            "kind": "refused",
            "message": err.rstrip("\n"),
            "rule": "ESC-PAY-AFTER-CONFIRM",
            "event": {"index": 2, "type": "PaymentReceived"},
        }
    }


def test_json_policy_refusal_exits_1_with_the_rule() -> None:
    status, data, _ = _json_run("finance", "--limit", "100", "--payable", "10")
    assert status == 1
    assert isinstance(data, dict)
    assert (data["error"]["kind"], data["error"]["rule"]) == ("refused", "CR-TIER")


def test_json_no_match_exits_1_with_an_empty_list() -> None:
    assert _json_run("rules", "teleportation") == (1, [], "")


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (("replay", "-", "--at", "soon"), "usage"),
        (("teleport",), "usage"),
        (("finance", "--limit", "5"), "usage"),
        (("replay", "-"), "malformed"),
        (("workdays", "add", "2030-01-02", "3", "--strict"), "malformed"),
    ],
)
def test_json_bad_input_and_usage_exit_2(argv: tuple[str, ...], kind: str) -> None:
    status, data, err = _json_run(*argv, stdin="{not json\n")
    assert status == 2
    assert isinstance(data, dict)
    assert data["error"]["kind"] == kind
    assert data["error"]["status"] == 2
    assert err.startswith(data["error"]["message"])


def test_json_after_a_double_dash_is_no_flag() -> None:
    status, out, _ = run("rules", "--", "--json")
    assert (status, out) == (1, "")


# -- messages in the command's own terms ---------------------------------------------------


@pytest.mark.parametrize("at", ["2026-01-01+00:00", "2026-01-01"])
def test_a_date_given_for_an_instant_suggests_an_instant(at: str) -> None:
    status, _, err = run("replay", "-", "--at", at, stdin=EXAMPLE)
    assert status == 2
    assert "e.g. 2026-01-01T00:00:00+00:00" in err
    assert "+00:00+00:00" not in err


def test_a_naive_instant_suggests_its_offset() -> None:
    err = run("replay", "-", "--at", "2026-01-01T09:00", stdin=EXAMPLE)[2]
    assert "has no offset: give one, e.g. 2026-01-01T09:00+00:00" in err


def test_strict_speaks_of_the_flag_not_the_python_argument() -> None:
    status, _, err = run("workdays", "add", "2030-01-02", "3", "--strict")
    assert status == 2
    assert "leave out --strict" in err
    assert "strict=False" not in err
    assert "with_schedule" not in err


def test_strict_passes_a_published_year() -> None:
    assert run("workdays", "add", "2025-09-26", "10", "--strict")[0] == 0


def test_a_line_outside_the_terms_names_the_flags_not_attrs_evolve() -> None:
    status, _, err = run("finance", "--limit", "100", "--payable", "10")
    assert status == 1
    assert err.startswith("refused: CR-TIER: the default financing terms cover limits over ")
    assert "--limit 100" in err
    assert "--policy (au-partner)" in err
    assert "attrs.evolve" not in err
    assert "min_limit" not in err


def test_a_line_above_the_partner_terms_is_refused_in_flags() -> None:
    status, _, err = run(
        "finance", "--policy", "au-partner", "--limit", "9000000", "--payable", "1"
    )
    assert status == 1
    assert "limits up to" in err or "limits from" in err
    assert "max_limit" not in err


def test_the_finance_table_labels_every_column() -> None:
    out = run("finance", "--limit", "2000000", "--payable", "200000")[1]
    header = out.splitlines()[3]
    assert header.split() == ["rule", "cap", "amount", "binds"]


# -- help ----------------------------------------------------------------------------------


def _commands(group: click.Group, path: str = "tradeassure") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        found.append((f"{path} {name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{path} {name}")
    return found


@pytest.mark.parametrize(("path", "command"), _commands(_app.app), ids=lambda v: str(v))
def test_every_option_and_argument_has_help(path: str, command: click.Command) -> None:
    assert command.help
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{path} {param.opts[0]} has no help"
        else:
            name = (param.metavar or param.human_readable_name).strip("[]. ")
            assert name in command.help, f"{path}: its help does not explain {name}"


def test_the_help_of_a_subcommand_shows_its_options() -> None:
    status, out, _ = run("diagram", "--help")
    assert status == 0
    assert "--format [mermaid|dot]" in out
    assert "Graphviz DOT" in out


# -- replay: what may happen next ----------------------------------------------------------


def test_replay_shows_each_partys_moves_and_the_next_deadline() -> None:
    out = run("replay", "-", stdin=SHIPPED)[1]
    section = out.split("\nWhat may happen next\n", 1)[1].split("\n\n", 1)[0]
    order = replay(history()[:6])
    for party, kinds in allowed_moves(order).items():
        row = next(line for line in section.splitlines() if line.startswith(party.name.lower()))
        for kind in kinds:
            assert kind.__name__ in section, (party, kind)
        assert bool(kinds) == ("nothing" not in row)
    assert "next due: TMR-AUTO-COMPLETE, the buyer's move, by 2025-12-05 01:00+00:00" in section


def test_replay_json_gives_the_moves_and_the_next_move() -> None:
    status, data, _ = _json_run("replay", "-", stdin=SHIPPED)
    assert status == 0
    assert isinstance(data, dict)
    order = replay(history()[:6])
    assert data["next"]["moves"] == {
        party.name: sorted(kind.__name__ for kind in kinds)
        for party, kinds in allowed_moves(order).items()
    }
    move = deadlines(order).next_move
    assert move is not None
    assert move.at is not None
    assert data["next"]["next_move"] == {
        "rule": move.rule,
        "party": move.party.name,
        "at": move.at.isoformat(),
    }


def test_a_closed_order_may_take_nothing_more() -> None:
    out = run("replay", "-", stdin=EXAMPLE)[1]
    assert "buyer     nothing" in out
    assert "next due: nothing (the order is closed)" in out


# -- book: no copy of every row ------------------------------------------------------------


def test_text_and_json_rename_the_error_rows_alone(
    book_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[str] = []
    original = _book._renamed_row

    def counting(row: object, names: object) -> object:
        renamed.append(row.order_id)  # type: ignore[attr-defined]
        return original(row, names)  # type: ignore[arg-type]

    monkeypatch.setattr(_book, "_renamed_row", counting)
    stdin = book_file.read_text(encoding="utf-8")
    for form in ((), ("--json",)):
        renamed.clear()
        status, out, _ = run(
            "book", "-", "--as-of", "2026-01-01T00:00:00+00:00", *form, stdin=stdin
        )
        assert status == 0
        assert len(renamed) == 1
        assert "<stdin>:6" in out
        assert "tradeassure-book-" not in out


class _Writes(io.StringIO):
    """Standard output that counts its writes."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_the_csv_is_streamed_row_by_row(book_file: Path) -> None:
    out = _Writes()
    status, text, _ = run(
        "book", str(book_file), "--as-of", "2026-01-01T00:00:00+00:00", "--csv", out=out
    )
    assert status == 0
    rows = text.splitlines()
    assert len(rows) == 1 + 20
    assert out.writes >= len(rows)  # one write a row, not one for the whole report


def test_the_csv_from_stdin_names_stdin_in_every_row(book_file: Path) -> None:
    stdin = book_file.read_text(encoding="utf-8")
    text = run("book", "-", "--as-of", "2026-01-01T00:00:00+00:00", "--csv", stdin=stdin)[1]
    assert "tradeassure-book-" not in text
    assert text.count("<stdin>:") >= 20
