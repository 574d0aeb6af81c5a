"""The documentation runs: the notebook executes, every code example is checked, the nav is whole.

The ``>>>`` examples in README.md and docs/*.md run as doctests (pyproject's
``--doctest-glob``); this module covers what doctest does not see.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTEBOOK = DOCS / "notebook.ipynb"
MARKDOWN = sorted([ROOT / "README.md", *DOCS.rglob("*.md")])

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)[^\n]*\n(.*?)^\1\2[ \t]*$", re.M | re.S)


def _code_cells() -> list[tuple[int, str]]:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    return [(i, cell.source) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]


class TestNotebook:
    def test_every_code_cell_runs_in_order_in_one_namespace(self) -> None:
        cells = _code_cells()
        assert len(cells) >= 3
        namespace: dict[str, object] = {"__name__": "__notebook__"}
        for index, source in cells:
            code = compile(source, f"{NOTEBOOK.name}, cell {index}", "exec")
            exec(code, namespace)

    def test_the_notebook_is_stored_without_outputs(self) -> None:
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == []
                assert cell.execution_count is None


def _python_blocks() -> list[tuple[str, str]]:
    blocks = []
    for page in MARKDOWN:
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match.group(3).lower() in {"python", "py", "python3"}:
                line = text.count("\n", 0, match.start()) + 1
                blocks.append((f"{page.relative_to(ROOT)}:{line}", match.group(4)))
    return blocks


@pytest.mark.parametrize(("where", "code"), _python_blocks())
def test_every_python_block_is_a_doctest_or_compiles(where: str, code: str) -> None:
    """A ```python block is either a doctest (run by pytest's doctest-glob) or valid Python."""
    lines = [line for line in code.splitlines() if line.strip()]
    if lines and lines[0].lstrip().startswith(">>>"):
        return
    compile(code, where, "exec")


def _nav_pages() -> list[str]:
    """The .md files mkdocs.yml's nav names (read as text: the file holds a python tag)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.search(r"^nav:\n((?:[ \t#].*\n|\n)*)", config, re.M)
    assert nav is not None, "mkdocs.yml has no nav"
    return re.findall(r"^\s*-\s*(?:[^:\n]*:\s*)?([^\s:]+\.md)\s*$", nav.group(1), re.M)


def test_every_page_in_the_nav_exists() -> None:
    pages = _nav_pages()
    assert "quickstart.md" in pages
    assert "rules.md" in pages
    missing = [page for page in pages if not (DOCS / page).is_file()]
    assert missing == []


def test_every_api_page_documents_its_module() -> None:
    for page in (DOCS / "api").glob("*.md"):
        assert f"::: tradeassure.{page.stem}\n" in page.read_text(encoding="utf-8")
        assert f"api/{page.name}" in _nav_pages()


def _docs_site() -> ModuleType:
    pytest.importorskip("griffe")  # the docs extra
    spec = importlib.util.spec_from_file_location("docs_site", ROOT / "scripts" / "docs_site.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestSiteMarkup:
    """scripts/docs_site.py shows doctests as code blocks on the site."""

    def test_a_bare_doctest_becomes_a_pycon_block(self) -> None:
        text = "Text:\n>>> 1 + 1\n2\n\nMore text.\n"
        assert _docs_site().fence_doctests(text) == (
            "Text:\n\n```pycon\n>>> 1 + 1\n2\n```\n\nMore text.\n"
        )

    def test_a_python_fence_holding_a_doctest_is_relabelled_and_trimmed(self) -> None:
        text = "```python\n>>> 1 + 1\n2\n\n```\n"
        assert _docs_site().fence_doctests(text) == "```pycon\n>>> 1 + 1\n2\n```\n"

    def test_other_fences_are_left_alone(self) -> None:
        text = "```python\nx = 1\n```\n\n```mermaid\ngraph LR\n```\n"
        assert _docs_site().fence_doctests(text) == text
