"""Rewrite the import list in docs/design.md (the block starting ```text imports) from
the library's source, as tests/test_layout.py reads it.

Run ``python scripts/gen_design_imports.py`` after changing what a module imports; the
test fails while the committed list is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_layout  # noqa: E402  (the walker lives with the tests that check it)


def main() -> int:
    path = ROOT / "docs" / "design.md"
    text = path.read_text(encoding="utf-8")
    start = text.index(test_layout._BLOCK_START)
    end = text.index("```", start + len(test_layout._BLOCK_START)) + 3
    path.write_text(text[:start] + test_layout.render_imports() + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
