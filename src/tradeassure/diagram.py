"""The escrow state machine as a diagram, read off the one transition table.

Every edge comes from :data:`tradeassure.escrow.TRANSITIONS` (status x event type ->
the statuses the event can lead to), so the picture cannot drift from the behaviour.
A status with no row is terminal; ``OrderPlaced`` starts every order.

>>> print(mermaid().splitlines()[0])
stateDiagram-v2
>>> ("funds_held", "partially_shipped", ("Shipped",)) in [
...     (a.value, b.value, names) for a, b, names in edges()]
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from tradeassure.escrow import OrderStatus

__all__ = ["dot", "edges", "mermaid", "stays", "terminal_statuses"]


def edges() -> tuple[tuple[OrderStatus, OrderStatus, tuple[str, ...]], ...]:
    """Every edge: (from, to, the event type names that take it), in status order, the
    names in the order of ``events.EVENT_TYPES``."""
    from tradeassure.escrow import EVENT_TYPES, TRANSITIONS, OrderStatus

    kinds = list(EVENT_TYPES)
    statuses = list(OrderStatus)
    labels: dict[tuple[OrderStatus, OrderStatus], set[str]] = {}
    for (status, kind), transition in TRANSITIONS.items():
        for target in transition.targets:
            labels.setdefault((status, target), set()).add(kind.__name__)
    ordered = sorted(labels, key=lambda pair: (statuses.index(pair[0]), statuses.index(pair[1])))
    return tuple((a, b, tuple(sorted(labels[a, b], key=kinds.index))) for a, b in ordered)


def terminal_statuses() -> tuple[OrderStatus, ...]:
    """The statuses no event leaves: no row of the table starts there, or every row
    that does stays (a cancelled order paying out the T/T refund it still holds)."""
    from tradeassure.escrow import TRANSITIONS, OrderStatus

    leaving = {status for (status, _), t in TRANSITIONS.items() if t.targets != (status,)}
    return tuple(s for s in OrderStatus if s not in leaving)


def mermaid(*, loops: bool = True) -> str:
    """The state machine as a Mermaid ``stateDiagram-v2``; with ``loops=False``, only
    the edges that change the status (:func:`stays` lists the others)."""
    from tradeassure.escrow import OrderStatus

    lines = ["stateDiagram-v2"]
    lines += [f"    {s.value}: {s.label}" for s in OrderStatus]
    lines.append(f"    [*] --> {OrderStatus.AWAITING_CONFIRMATION.value}: OrderPlaced")
    lines += [
        f"    {a.value} --> {b.value}: {', '.join(names)}"
        for a, b, names in edges()
        if loops or a != b
    ]
    lines += [f"    {s.value} --> [*]" for s in terminal_statuses()]
    return "\n".join(lines) + "\n"


def stays() -> tuple[tuple[OrderStatus, tuple[str, ...]], ...]:
    """Each status with the event types it takes and stays in (the edges from a status
    to itself), in status order."""
    return tuple((a, names) for a, b, names in edges() if a == b)


def dot() -> str:
    """The state machine as a Graphviz ``digraph`` (terminal statuses double-circled)."""
    from tradeassure.escrow import OrderStatus

    terminal = set(terminal_statuses())
    lines = [
        "digraph escrow {",
        "    rankdir=LR;",
        '    node [shape=box, style=rounded, fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
        "    start [shape=point];",
    ]
    for s in OrderStatus:
        extra = ", peripheries=2" if s in terminal else ""
        lines.append(f'    {s.value} [label="{s.label}"{extra}];')
    lines.append(f'    start -> {OrderStatus.AWAITING_CONFIRMATION.value} [label="OrderPlaced"];')
    for a, b, names in edges():
        label = "\\n".join(names)  # Graphviz's own line break inside a label
        lines.append(f'    {a.value} -> {b.value} [label="{label}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
