"""Write src/tradeassure/examples/book.jsonl.gz, the bundled sample book: the first 1,000
orders of seed 0 from ``tradeassure.book.sample``.

Run ``python scripts/gen_sample_book.py`` after changing the generator; a test fails while
the committed file is stale. ``--check`` exits 1 instead of writing when the book it holds
(decompressed: zlib builds may compress the same text differently) would change.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from tradeassure.book.sample import lines, write

TARGET = (
    Path(__file__).resolve().parent.parent / "src" / "tradeassure" / "examples" / "book.jsonl.gz"
)
ORDERS = 1_000
SEED = 0


def render() -> str:
    """The whole book, one envelope a line, each ending in a newline."""
    return "".join(line + "\n" for line in lines(ORDERS, seed=SEED))


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = gzip.decompress(TARGET.read_bytes()).decode("utf-8") if TARGET.exists() else ""
        return 0 if current == text else 1
    write(TARGET, ORDERS, seed=SEED, compresslevel=9)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
