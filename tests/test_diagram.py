"""The state-machine diagram is drawn from escrow.TRANSITIONS alone, and the docs copy
is current."""

from __future__ import annotations

import runpy
from pathlib import Path

from tradeassure.diagram import dot, edges, mermaid, stays, terminal_statuses
from tradeassure.escrow import TRANSITIONS, OrderStatus

ROOT = Path(__file__).resolve().parent.parent


def test_every_edge_is_a_row_of_the_table_and_every_row_an_edge() -> None:
    drawn = {(a, kind, b) for a, b, names in edges() for kind in names}
    table = {
        (status, kind.__name__, target)
        for (status, kind), transition in TRANSITIONS.items()
        for target in transition.targets
    }
    assert drawn == table


def test_the_statuses_no_event_leaves_are_the_terminal_ones() -> None:
    assert terminal_statuses() == (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
    text = mermaid()
    assert "    cancelled --> [*]" in text
    assert "    completed --> [*]" not in text


def test_mermaid_starts_with_the_placed_order_and_labels_each_edge() -> None:
    lines = mermaid().splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> awaiting_confirmation: OrderPlaced" in lines
    assert "    shipped --> completed: ReceiptConfirmed, TimerExpired" in lines


def test_dot_draws_every_status_and_double_circles_the_terminal_ones() -> None:
    text = dot()
    assert text.startswith("digraph escrow {")
    for status in OrderStatus:
        assert f"    {status.value} [label=" in text
    assert '    refunded [label="refunded", peripheries=2];' in text
    assert '    shipped [label="shipped"];' in text


def test_docs_diagram_md_is_generated_from_the_table() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "gen_diagram_doc.py"))
    committed = (ROOT / "docs" / "diagram.md").read_text(encoding="utf-8")
    assert committed == script["render"](), "run: python scripts/gen_diagram_doc.py"
    assert mermaid(loops=False) in committed
    for status, names in stays():
        assert f"| {status.label} | {', '.join(names)} |" in committed


def test_the_diagram_without_loops_and_the_stays_are_the_whole_machine() -> None:
    whole = mermaid().splitlines()
    loopless = mermaid(loops=False).splitlines()
    loops = [f"    {s.value} --> {s.value}: {', '.join(names)}" for s, names in stays()]
    assert sorted(loopless + loops) == sorted(whole)
    assert loops
    assert not set(loops) & set(loopless)
