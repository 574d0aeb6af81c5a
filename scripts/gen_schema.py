"""Write schema/envelope.schema.json, the JSON Schema of the event envelope, from
``tradeassure.schema``.

Run ``python scripts/gen_schema.py`` after changing an event class or the wire format;
a test fails while the committed file is stale. ``--check`` exits 1 instead of writing
when it would change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tradeassure.schema import json_schema

TARGET = Path(__file__).resolve().parent.parent / "schema" / "envelope.schema.json"


def render() -> str:
    """The whole file: the schema with a 2-space indent and a trailing newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        return 0 if current == text else 1
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
