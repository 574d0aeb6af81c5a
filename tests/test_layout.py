"""The library's import graph, read from its source: the domain never imports an edge,
and no import goes in circles.

Every ``.py`` file under ``src/tradeassure/`` is parsed with :mod:`ast`, whatever
modules and packages exist. Every import counts, at any depth (inside functions and
methods too: a deferred import is still a dependency), except those in the body of an
``if TYPE_CHECKING:`` block, which never run. A target that is not itself a module
(``from tradeassure.money import Money``) counts as its nearest enclosing module.
Python runs a package's ``__init__`` before any of its submodules; that implicit
import is not an edge here, only the import statements written in the source are.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import attrs
import pytest

import tradeassure

_ROOT = "tradeassure"

#: The edges, each with every module under it: they present or drive the domain.
_EDGE_PACKAGES = (
    "tradeassure.views",
    "tradeassure.cli",
    "tradeassure.serialization",
    "tradeassure.schema",  # the JSON Schema of serialization's envelope
    "tradeassure.diagram",
    "tradeassure.testing",
    "tradeassure.__main__",
    "tradeassure._example",  # the demo data, used by the CLI
    "tradeassure.store",  # the event store: SQLAlchemy over SQLite and PostgreSQL
    "tradeassure.book",  # every order of a marketplace at once
)
#: The package facade is an edge too (its ``__init__`` re-exports from everywhere), but
#: only itself: its submodules are what the prefix rule above does not name.
_FACADE = _ROOT


@attrs.frozen
class Import:
    """One import statement's dependency on one library module.

    Attributes:
        importer: the module whose source holds the statement.
        target: the library module it depends on.
        path: the importer's file.
        line: the statement's line number.
        text: the statement as written.
    """

    importer: str
    target: str
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} -> {self.target}: {self.text}"


def module_names(package_dir: Path, package: str) -> dict[str, Path]:
    """Every module under ``package_dir`` by its dotted name (``__init__.py`` is the
    package itself)."""
    out: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = [package, *path.relative_to(package_dir).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return (
        isinstance(test, ast.Attribute)
        and test.attr == "TYPE_CHECKING"
        and isinstance(test.value, ast.Name)
        and test.value.id == "typing"
    )


def _statements(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in ``tree``, at any depth, outside ``if TYPE_CHECKING:``
    bodies (their ``else:`` runs, so it is walked)."""
    if isinstance(tree, ast.If) and _is_type_checking(tree.test):
        children: Iterable[ast.AST] = tree.orelse
    else:
        children = ast.iter_child_nodes(tree)
    for node in children:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        else:
            yield from _statements(node)


def _enclosing(name: str, known: set[str]) -> str | None:
    """``name`` if it is a module, else its nearest enclosing module, else None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def _inside(name: str, root: str) -> bool:
    return name == root or name.startswith(root + ".")


def imports_of(
    source: str, module: str, *, is_package: bool, modules: Iterable[str], path: str = "<src>"
) -> list[Import]:
    """The library modules that ``source`` (the text of ``module``) imports, one
    :class:`Import` per dependency; ``modules`` are the library's module names."""
    known = set(modules)
    root = module.split(".")[0]
    # The package a relative import with one dot names: the module's own if it is one.
    here = module.split(".") if is_package else module.split(".")[:-1]
    found: list[Import] = []
    for node in _statements(ast.parse(source)):
        names: list[str]
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            if node.level:
                base = ".".join([*here[: len(here) - node.level + 1], *filter(None, [node.module])])
            else:
                base = node.module or ""
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        text = ast.get_source_segment(source, node) or ast.unparse(node)
        for name in dict.fromkeys(names):  # one edge per statement and target
            if not _inside(name, root):
                continue
            target = _enclosing(name, known)
            if target is not None:
                found.append(Import(module, target, path, node.lineno, " ".join(text.split())))
    return found


def library_imports() -> list[Import]:
    """Every import among the library's modules, as installed beside this test run."""
    package_dir = Path(tradeassure.__file__).parent
    modules = module_names(package_dir, _ROOT)
    found: list[Import] = []
    for name, path in modules.items():
        found += imports_of(
            path.read_text(encoding="utf-8"),
            name,
            is_package=path.name == "__init__.py",
            modules=modules,
            path=str(path.relative_to(package_dir.parent)),
        )
    return found


def is_edge(module: str) -> bool:
    return module == _FACADE or any(_inside(module, edge) for edge in _EDGE_PACKAGES)


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of ``graph`` (Tarjan's algorithm, iterative so
    a deep graph cannot overflow the stack), each sorted, in no particular order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    nodes = set(graph) | {t for targets in graph.values() for t in targets}
    for start in sorted(nodes):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = []
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work.append((start, iter(sorted(graph.get(start, ())))))
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


# -- the walker itself, on a synthetic module ---------------------------------------------

_SYNTHETIC = """
from __future__ import annotations

import typing
from typing import TYPE_CHECKING

from .. import money
from ..money import Money
from .helpers import helper

if TYPE_CHECKING:
    from pkg.views import render
if typing.TYPE_CHECKING:
    import pkg.cli
else:
    import pkg.events


class Order:
    def show(self) -> str:
        from pkg.views import render

        return render(self)


def later() -> None:
    import pkg.sub.deep.name
"""
_SYNTHETIC_MODULES = ("pkg", "pkg.money", "pkg.views", "pkg.cli", "pkg.events", "pkg.sub")


def test_the_walker_skips_type_checking_counts_deferred_and_resolves_relative_imports() -> None:
    found = imports_of(_SYNTHETIC, "pkg.sub.escrow", is_package=False, modules=_SYNTHETIC_MODULES)
    assert [(i.target, i.text) for i in found] == [
        # a module of the parent package
        ("pkg.money", "from .. import money"),
        # a name, so the module that holds it
        ("pkg.money", "from ..money import Money"),
        # pkg.sub.helpers is no module, so its nearest enclosing one
        ("pkg.sub", "from .helpers import helper"),
        # the `else:` of TYPE_CHECKING runs; its body does not
        ("pkg.events", "import pkg.events"),
        # inside a method, and inside a function
        ("pkg.views", "from pkg.views import render"),
        ("pkg.sub", "import pkg.sub.deep.name"),
    ]
    lines = _SYNTHETIC.splitlines()
    assert found[4].line == lines.index("        from pkg.views import render") + 1


def test_the_walker_resolves_relative_imports_in_a_package_init_from_the_package() -> None:
    found = imports_of(
        "from . import money\nfrom .views import render\n",
        "pkg",
        is_package=True,
        modules=_SYNTHETIC_MODULES,
    )
    assert [i.target for i in found] == ["pkg.money", "pkg.views"]


def test_strongly_connected_components_find_cycles_and_leave_the_rest_apart() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": []}
    assert sorted(strongly_connected(graph)) == [["a", "b", "c"], ["d"], ["e"]]


# -- the library --------------------------------------------------------------------------

IMPORTS = library_imports()


def test_the_walk_reads_the_library() -> None:
    importers = {i.importer for i in IMPORTS}
    # An empty or broken walk would make the two tests below pass silently.
    assert len(importers) >= 10, importers
    assert any(i.importer == "tradeassure.views" for i in IMPORTS)


def test_the_domain_never_imports_an_edge() -> None:
    """No domain module imports an edge (views, cli, serialization, schema, diagram, testing,
    ``__main__``, ``_example``, or the package facade): the arrows point from the edges
    into the domain.

    ``tradeassure._display`` loads ``tradeassure.views`` by name with ``importlib`` and
    the views register themselves there; that is a plugin lookup, not an import
    statement, so this walk, which counts import statements only, does not see it.
    """
    offending = [i for i in IMPORTS if not is_edge(i.importer) and is_edge(i.target)]
    assert not offending, "domain modules import edges:\n" + "\n".join(map(str, offending))


def test_no_module_imports_itself_or_goes_in_circles() -> None:
    graph: dict[str, set[str]] = {}
    for i in IMPORTS:
        graph.setdefault(i.importer, set()).add(i.target)
    problems: list[str] = []
    for component in strongly_connected(graph):
        members = set(component)
        if len(component) == 1 and component[0] not in graph.get(component[0], set()):
            continue
        lines = [i for i in IMPORTS if i.importer in members and i.target in members]
        what = "imports itself" if len(component) == 1 else "form an import cycle"
        problems.append(f"{' <-> '.join(component)} {what}:\n" + "\n".join(f"  {i}" for i in lines))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "edge"),
    [
        ("tradeassure", True),
        ("tradeassure.views", True),
        ("tradeassure.testing._escrow", True),
        ("tradeassure.serialization.json", True),
        ("tradeassure.schema", True),
        ("tradeassure._display", False),
        ("tradeassure.escrow", False),
        ("tradeassure.escrow.fold", False),
        ("tradeassure.store._store", True),
        ("tradeassure.viewsmith", False),
    ],
)
def test_edges_are_the_named_modules_and_everything_under_them(module: str, edge: bool) -> None:
    assert is_edge(module) is edge


# -- the module picture in docs/design.md matches the imports ----------------------------

_DESIGN = Path(__file__).resolve().parent.parent / "docs" / "design.md"
_BLOCK_START = "```text imports"


def _room(module: str) -> str:
    """The design's unit: a top-level module, or a subpackage's module as
    ``package.module`` (the package's ``__init__`` as the package)."""
    return module.removeprefix(_ROOT + ".") if module != _ROOT else _ROOT


def room_imports() -> dict[str, set[str]]:
    """Each library module and the library modules it imports (itself aside)."""
    package_dir = Path(tradeassure.__file__).parent
    graph: dict[str, set[str]] = {_room(name): set() for name in module_names(package_dir, _ROOT)}
    for edge in library_imports():
        if edge.target != edge.importer:
            graph[_room(edge.importer)].add(_room(edge.target))
    return graph


def render_imports() -> str:
    """The block docs/design.md must hold: one line per module, ``module: what it
    imports``, in name order."""
    lines = [
        f"{room}: {', '.join(sorted(targets)) or '-'}"
        for room, targets in sorted(room_imports().items())
    ]
    return "\n".join([_BLOCK_START, *lines, "```"])


def test_the_design_doc_lists_every_module_and_what_it_imports() -> None:
    text = _DESIGN.read_text(encoding="utf-8")
    start = text.find(_BLOCK_START)
    assert start >= 0, f"docs/design.md needs a block starting {_BLOCK_START!r}"
    end = text.index("```", start + len(_BLOCK_START))
    committed = text[start : end + 3]
    assert committed == render_imports(), (
        "docs/design.md's import list is stale; replace its block with:\n" + render_imports()
    )
