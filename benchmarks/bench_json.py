"""Reading event envelopes from JSON lines, beside the stdlib's ``json.loads`` (the floor).

Run: ``pip install -e '.[fast]' && python benchmarks/bench_json.py [--lines N]``

The lines are a generated book (``tradeassure.book.sample.lines``, seed 0): every kind
of event, in the mix a marketplace's log holds. Each figure is CPU time
(``time.process_time``) per line, the best of ``--repeats`` runs over the same lines,
with the garbage collector off while timing; the ratios are to ``json.loads`` on the
same lines in the same run, which is what to compare across machines.

- ``json.loads``: stdlib JSON to dicts, no checks at all (the floor).
- ``msgspec.json.decode``: msgspec's JSON to dicts, for scale.
- strict: ``from_dict(_load(line), Envelope)``, the reader that states every problem
  (cattrs; the duplicate-key hook). It is slow, so it runs on the first
  ``--strict-lines`` lines only (the same mix: the book's orders are alike throughout).
- ``from_json(line, Envelope)``: the public reader, which takes the fast path (msgspec)
  when it is installed and leaves to the strict reader only what the fast path cannot
  vouch for.
- ``events_from_json_lines``: each order's history as one text, per line.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import sys
import time
from collections.abc import Callable, Sequence

from tradeassure.book.sample import lines as book_lines
from tradeassure.serialization import (
    Envelope,
    _fast_reader,
    _load,
    events_from_json_lines,
    from_dict,
    from_json,
)


def book(n: int) -> list[str]:
    """The first ``n`` lines of the sample book."""
    return list(itertools.islice(book_lines(n), n))


def histories(text: Sequence[str]) -> list[str]:
    """The lines grouped by order, each order's history as one JSON-lines text (an
    order cut short at the end is kept as it is: its lines still read)."""
    out: list[str] = []
    current: str | None = None
    for line in text:
        order = json.loads(line)["order_id"]
        if order != current:
            out.append("")
            current = order
        out[-1] += line + "\n"
    return out


def cpu_per_item(run: Callable[[], object], items: int, repeats: int) -> float:
    """The best CPU seconds per item of ``run`` (which handles ``items`` items)."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best / items


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--strict-lines", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    lines = book(args.lines)
    strict_lines = lines[: args.strict_lines]
    orders = histories(lines)
    fast = _fast_reader()
    if fast is None:
        sys.exit("msgspec is missing: pip install -e '.[fast]'")
    import msgspec

    decode = msgspec.json.decode
    fallen = sum(fast(line) is None for line in lines)
    print(
        f"{len(lines):,} lines ({len(orders):,} orders) of the sample book, "
        f"{sum(map(len, lines)) / len(lines):.0f} characters a line on average; "
        f"{fallen:,} left by the fast path to the strict reader"
    )

    def loads() -> None:
        for line in lines:
            json.loads(line)

    def msgspec_dicts() -> None:
        for line in lines:
            decode(line)

    def strict() -> None:
        for line in strict_lines:
            from_dict(_load(line, "x"), Envelope)

    def public() -> None:
        for line in lines:
            from_json(line, Envelope)

    def fast_path() -> None:
        for line in lines:
            fast(line)

    def history() -> None:
        for text in orders:
            events_from_json_lines(text)

    rows = [
        ("json.loads (floor)", loads, len(lines)),
        ("msgspec.json.decode (dicts)", msgspec_dicts, len(lines)),
        (f"strict reader ({len(strict_lines):,} lines)", strict, len(strict_lines)),
        ("from_json(line, Envelope)", public, len(lines)),
        ("  its fast path alone", fast_path, len(lines)),
        ("events_from_json_lines", history, len(lines)),
    ]
    floor = None
    print(f"{'reader':<34} {'us/line':>9} {'x json.loads':>13}")
    for name, run, items in rows:
        seconds = cpu_per_item(run, items, args.repeats)
        floor = floor or seconds
        print(f"{name:<34} {seconds * 1e6:9.2f} {seconds / floor:12.2f}x")


if __name__ == "__main__":
    main()
