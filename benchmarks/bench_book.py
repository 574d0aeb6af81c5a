"""The book at size: a generated book of orders (``tradeassure.book.sample``, every
path, deterministic) summarized with every rule enforced, beside the floor of reading
the same lines with ``json.loads``; each engine's wall and CPU time; peak memory; the
cost per order as the book grows; and polars answering the book's two questions (held
money per supplier and currency, orders with a due timer) from the same file with no
rule enforced (``book_polars.py``), its answers checked equal to the library's.

Run: ``pip install -e '.[test,bench]' && python benchmarks/bench_book.py
[--orders 100000] [--sizes 10000,100000] [--workers 2]``. Each measurement runs in a
fresh process (so peak RSS is its own: the largest of the process and its children, up to
the end of the work); figures are CPU seconds (``process_time``, children's included
for the engines that use them) and wall seconds, best of ``--repeats``. Each engine's
book is checked to be the local one (a digest of every row and sum).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ENGINES = ("local", "processes", "dask")

_CHILD = r"""
import json, pickle, resource, sys, time
sys.path.insert(0, sys.argv[5])
from tradeassure.book import sample, summarize
path, engine, workers, answers = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
as_of = sample.as_of(sample.START)
leave_out = frozenset()
if engine.startswith("polars"):  # the rows the library refuses, as the comparison needs
    with open(answers, "rb") as f:
        leave_out = pickle.load(f)["errors"]
cpu, wall = time.process_time(), time.perf_counter()
found = None
if engine == "json.loads":
    with open(path, encoding="utf-8") as f:
        for line in f:
            json.loads(line)
    rows = None
elif engine.startswith("polars"):
    import book_polars
    found = book_polars.answers(path, as_of, schema=engine == "polars+schema",
                                leave_out=leave_out)
    rows = None
else:
    book = summarize(path, as_of=as_of, engine=engine,
                     workers=workers if engine != "local" else None)
    rows = len(book.orders)
wall = time.perf_counter() - wall
# CPU up to here (the children's, reaped by now, included), not the checks' below.
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - cpu + kids.ru_utime + kids.ru_stime
# Peak memory likewise: the work's, the checks' below left out.
rss_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, kids.ru_maxrss) / 1024
if engine == "local":
    import book_polars
    found = book_polars.tradeassure_answers(book)
    with open(answers, "wb") as f:
        pickle.dump({"errors": frozenset(r.order_id for r in book.errors), "answers": found}, f)
elif found is not None:
    with open(answers, "rb") as f:
        print(json.dumps({"equal": pickle.load(f)["answers"] == found}))
if rows is not None:  # the book's digest: every row and every sum, to compare engines
    import hashlib
    digest = hashlib.sha256()
    for row in book.orders:
        digest.update(repr(row).encode())
    digest.update(repr(book._key()[2:]).encode())
    print(json.dumps({"digest": digest.hexdigest()}))
print(json.dumps({"cpu": cpu, "wall": wall, "rows": rows, "rss_mb": rss_mb}))
"""


def _busy() -> float:
    """The CPU seconds this machine has spent busy since it started, every process's
    (Linux's /proc/stat; 0 elsewhere): what else ran during a measurement is the rise
    in it less the measurement's own CPU."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children() -> float:
    """The CPU seconds of this process's children reaped so far (the measurements,
    start-up and checks included)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def _measure(path: Path, engine: str, workers: int, repeats: int) -> dict[str, Any]:
    best: dict[str, Any] | None = None
    answers = path.with_suffix(".answers")
    for _ in range(repeats):
        busy, ran = _busy(), _children()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(path),
                engine,
                str(workers),
                str(answers),
                str(Path(__file__).parent),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        printed = [json.loads(line) for line in done.stdout.strip().splitlines()]
        found = {k: v for line in printed for k, v in line.items()}
        found["others"] = max(0.0, (_busy() - busy) - (_children() - ran))
        if best is None or found["wall"] < best["wall"]:
            best = found
    assert best is not None
    return best


def _book(directory: Path, orders: int) -> tuple[Path, int, float]:
    from tradeassure.book import sample

    path = directory / f"book-{orders}.jsonl"
    start = time.process_time()
    sample.write(str(path), orders)
    lines = sum(1 for _ in path.open(encoding="utf-8"))
    return path, lines, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--sizes", default="10000,100000", help="book sizes for the cost per order")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        path, lines, generated = _book(directory, args.orders)
        print(f"book: {args.orders:,} orders, {lines:,} lines, generated in {generated:.1f} s CPU")
        floor = _measure(path, "json.loads", 1, args.repeats)
        print(f"json.loads of every line: {floor['cpu']:.1f} s CPU (the floor)")
        # The engines take turns, each repeat once each, so that a machine whose speed
        # drifts over minutes tilts no engine's best; the CPU other processes took during
        # each run says whether the machine was otherwise idle.
        best: dict[str, dict[str, Any]] = {}
        for _ in range(args.repeats):
            for engine in ENGINES:
                found = _measure(path, engine, args.workers, 1)
                if engine not in best or found["wall"] < best[engine]["wall"]:
                    best[engine] = found
        local = best["local"]
        for engine in ENGINES:
            found = best[engine]
            print(
                f"{engine:>9}: {found['wall']:6.1f} s wall, {found['cpu']:6.1f} s CPU "
                f"({found['cpu'] / floor['cpu']:.1f} x json.loads), peak RSS "
                f"{found['rss_mb']:,.0f} MB, speed-up {local['wall'] / found['wall']:.2f} x, "
                f"the same book as local: {found['digest'] == local['digest']}; "
                f"others' CPU meanwhile {found['others']:.1f} s"
            )
            if found["digest"] != local["digest"]:
                raise SystemExit(f"{engine} and local give different books")
        print("the two questions (held per supplier, orders with a due timer), CPU:")
        for engine, how in (
            ("polars", "read_ndjson inferring from every line"),
            ("polars+schema", "read_ndjson with the fields declared"),
        ):
            found = _measure(path, engine, 1, args.repeats)
            print(
                f"  {engine}: {found['cpu']:6.1f} s CPU ({how}); tradeassure / polars = "
                f"{local['cpu'] / found['cpu']:.2f}; equal answers: {found['equal']}"
            )
            if not found["equal"]:
                raise SystemExit(f"{engine} and tradeassure answer differently")
        print("cost per order as the book grows (local):")
        sizes = [int(s) for s in args.sizes.split(",") if s]
        for size in sorted({*sizes, args.orders}):
            if size == args.orders:
                found, reference = local, floor  # the runs above
            else:
                sized, _, _ = _book(directory, size)
                found = _measure(sized, "local", 1, args.repeats)
                reference = _measure(sized, "json.loads", 1, args.repeats)
            print(
                f"  {size:>9,} orders: {found['cpu'] / size * 1e6:7.1f} us CPU a order "
                f"({found['cpu'] / reference['cpu']:.1f} x json.loads of its lines), "
                f"peak RSS {found['rss_mb']:,.0f} MB"
            )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process: peak RSS {own:,.0f} MB)")


if __name__ == "__main__":
    main()
