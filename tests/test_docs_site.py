"""The docs site as a reader sees it: API pages of the public surface, offline.

These need the docs extra (griffe, mkdocs), which CI installs. The site is built once,
for the tests of ``TestBuiltSite``; scripts/screenshots.py shows the same site to a
person, in a browser that reaches no host but the loopback one.
"""

from __future__ import annotations

import hashlib
import html
import html.parser
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from test_docs import _docs_site  # the one loader of scripts/docs_site.py

griffe = pytest.importorskip("griffe")

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

_NAMED_SECTIONS = {"attributes", "parameters", "other parameters"}


def _package() -> griffe.Module:
    return griffe.load(
        "tradeassure", search_paths=[str(SRC)], docstring_parser="google", allow_inspection=False
    )


def _documented(obj: griffe.Object) -> set[str]:
    """The names a docstring may document for ``obj``: its parameters, or its members."""
    if isinstance(obj, griffe.Function):
        return {p.name for p in obj.parameters}
    names = set(obj.members)
    init = obj.members.get("__init__")
    if isinstance(init, griffe.Function):
        names |= {p.name for p in init.parameters}
    return names


def _entries(obj: griffe.Object) -> list[tuple[str, str]]:
    """Every (object path, documented name) under ``obj``, from its Google-style sections."""
    found = []
    for member in obj.members.values():
        if member.is_alias:
            continue
        if member.docstring is not None:
            for section in member.docstring.parsed:
                if section.kind.value in _NAMED_SECTIONS:
                    found += [(member.path, item.name) for item in section.value]
        if isinstance(member, griffe.Module | griffe.Class):
            found += _entries(member)
    return found


def _misnamed(package: griffe.Module) -> list[tuple[str, str]]:
    """Every documented name that is no field or parameter of the object documenting it."""
    return [
        (path, name)
        for path, name in _entries(package)
        if name not in _documented(package[path.partition(".")[2]])
    ]


class TestDocstringEntries:
    def test_there_are_entries_to_check(self) -> None:
        entries = _entries(_package())
        assert len(entries) > 100
        assert ("tradeassure.escrow.events.OrderPlaced", "order_id") in entries

    def test_every_documented_name_is_a_real_field_or_parameter(self) -> None:
        """``a, b: text`` would parse as one entry named ``a,``: one entry per name."""
        assert _misnamed(_package()) == []

    def test_a_grouped_or_stale_entry_is_caught(self) -> None:
        code = (
            "import attrs\n"
            "@attrs.frozen\n"
            "class Contract:\n"
            '    """Terms.\n\n'
            "    Attributes:\n"
            "        buyer, supplier: the parties.\n"
            "        total: the total.\n"
            '    """\n'
            "    buyer: str\n"
            "    supplier: str\n"
            "    total: int\n"
            "def pay(order: str) -> None:\n"
            '    """Pay.\n\n'
            "    Args:\n"
            "        order: the order.\n"
            "        amount: gone from the signature.\n"
            '    """\n'
        )
        with griffe.temporary_visited_package(
            "pkg", {"__init__.py": code}, docstring_parser="google"
        ) as package:
            assert _misnamed(package) == [("pkg.Contract", "buyer,"), ("pkg.pay", "amount")]


class TestDoctestsForReaders:
    """The site shows a doctest without what only doctest reads."""

    def test_directives_go_from_prompt_lines_only(self) -> None:
        text = (
            ">>> f(1)  # doctest: +ELLIPSIS\n"
            "... # doctest: +NORMALIZE_WHITESPACE, -ELLIPSIS\n"
            "'# doctest: +ELLIPSIS'\n"
        )
        assert _docs_site().fence_doctests(text) == (
            "```pycon\n>>> f(1)\n...\n'# doctest: +ELLIPSIS'\n```\n"
        )

    def test_a_blankline_marker_shows_as_the_blank_line_it_stands_for(self) -> None:
        text = "```python\n>>> print('a\\n\\nb')\na\n<BLANKLINE>\nb\n```\n"
        assert _docs_site().fence_doctests(text) == (
            "```pycon\n>>> print('a\\n\\nb')\na\n\nb\n```\n"
        )

    def test_outside_a_doctest_nothing_changes(self) -> None:
        text = "```python\nx = 1  # doctest: +SKIP\n```\n\n<BLANKLINE>\n"
        assert _docs_site().fence_doctests(text) == text

    def test_a_fence_label_that_is_no_option_is_dropped(self) -> None:
        site = _docs_site()
        assert site.fence_doctests("```text imports\na -> b\n```\n") == "```text\na -> b\n```\n"
        kept = '```text title="x.txt"\na\n```\n'
        assert site.fence_doctests(kept) == kept


_PACKAGE_CODE = '''\
"""A package of attrs classes, as tradeassure writes them."""

import attrs


def _text(instance, attribute, value):
    pass


@attrs.frozen
class Base:
    """A base.

    Attributes:
        at: when.
    """

    at: int = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class Child(Base):
    """A child.

    Attributes:
        name: its name.
        tags: its tags.
    """

    name: str = attrs.field(default="x", validator=_text)
    tags: list[str] = attrs.field(factory=list)
    size: int = 3
    _secret: int = attrs.field(default=0, alias="secret")

    def __lt__(self, other: object) -> bool:
        return False

    def __attrs_post_init__(self) -> None:
        pass

    def public(self) -> None:
        """A method."""


class Plain:
    """No attrs here."""

    def __init__(self, value: int) -> None:
        self.value = value
'''


@pytest.fixture
def loaded(tmp_path: Path) -> Iterator[griffe.Module]:
    """The package above, loaded with the site's two extensions."""
    name = "attrs_pages_example"
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text(_PACKAGE_CODE, encoding="utf-8")
    site = _docs_site()
    extensions = griffe.load_extensions(site.DocstringMarkup(), site.AttrsClasses())
    try:
        yield griffe.load(
            name, search_paths=[str(tmp_path)], docstring_parser="google", extensions=extensions
        )
    finally:
        sys.modules.pop(name, None)


def _signature(function: griffe.Function) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (
            p.name,
            p.kind.name if p.kind else "",
            None if p.annotation is None else str(p.annotation),
            None if p.default is None else str(p.default),
        )
        for p in function.parameters
    ]


class TestAttrsClasses:
    """scripts/docs_site.py gives an attrs class the ``__init__`` attrs generates."""

    def test_the_signature_is_the_generated_one_typed_and_defaulted_as_written(
        self, loaded: griffe.Module
    ) -> None:
        assert _signature(loaded["Child.__init__"]) == [
            ("self", "positional_or_keyword", None, None),
            ("at", "positional_or_keyword", "int", None),
            ("name", "keyword_only", "str", "'x'"),
            ("tags", "keyword_only", "list[str]", "list()"),
            ("size", "keyword_only", "int", "3"),
            ("secret", "keyword_only", "int", "0"),
        ]
        assert _signature(loaded["Base.__init__"]) == [
            ("self", "positional_or_keyword", None, None),
            ("at", "positional_or_keyword", "int", None),
        ]

    def test_a_class_that_writes_its_init_keeps_it(self, loaded: griffe.Module) -> None:
        assert _signature(loaded["Plain.__init__"])[1] == (
            "value",
            "positional_or_keyword",
            "int",
            None,
        )

    def test_fields_show_no_attrs_field_call_and_dunders_are_dropped(
        self, loaded: griffe.Module
    ) -> None:
        child = loaded["Child"]
        assert [child[n].value for n in ("name", "tags", "size")] == [None, None, None]
        assert "class-attribute" not in child["name"].labels
        assert "__lt__" not in child.members
        assert "__attrs_post_init__" not in child.members
        assert not child["_secret"].is_public
        assert child["public"].is_public

    def test_each_field_is_documented_once_under_its_own_name(self, loaded: griffe.Module) -> None:
        child = loaded["Child"]
        assert child["name"].docstring.value == "its name."
        assert child["tags"].docstring.value == "its tags."
        assert loaded["Base"]["at"].docstring.value == "when."
        kinds = [section.kind.value for section in child.docstring.parsed]
        assert kinds == ["text"]

    def test_the_real_package_shows_money_and_an_event_as_they_are_called(self) -> None:
        site = _docs_site()
        package = griffe.load(
            "tradeassure",
            search_paths=[str(SRC)],
            docstring_parser="google",
            extensions=griffe.load_extensions(site.DocstringMarkup(), site.AttrsClasses()),
        )
        money = package["money.Money"]
        assert [p.name for p in money["__init__"].parameters] == ["self", "amount", "currency"]
        assert not any(
            m.is_public for n, m in money.members.items() if n.startswith("__") and n != "__init__"
        )
        placed = _signature(package["escrow.events.OrderPlaced.__init__"])
        assert {kind for _, kind, _, _ in placed[1:]} == {"keyword_only"}
        assert ("at", "keyword_only", "datetime", None) in placed
        assert ("supplier_country", "keyword_only", "str", "'CN'") in placed


MERMAID = ROOT / "docs" / "assets" / "vendor" / "mermaid"


def test_the_vendored_mermaid_is_the_one_its_note_names() -> None:
    note = (MERMAID / "SOURCE.txt").read_text(encoding="utf-8")
    version = re.search(r"^version:\s+(\S+)$", note, re.M)
    digest = re.search(r"^sha256:\s+([0-9a-f]{64})$", note, re.M)
    assert version is not None
    assert digest is not None
    script = (MERMAID / "mermaid.min.js").read_bytes()
    assert hashlib.sha256(script).hexdigest() == digest.group(1)
    assert f'version:"{version.group(1)}"'.encode() in script
    assert version.group(1).startswith("11.")  # the major Material for MkDocs expects
    assert "MIT" in (MERMAID / "LICENSE").read_text(encoding="utf-8")


class _Resources(html.parser.HTMLParser):
    """The addresses a page loads: scripts, stylesheets, icons, preloads, images, frames."""

    _LOADING = frozenset({"stylesheet", "icon", "preload", "modulepreload", "preconnect"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "img", "iframe", "source"} and values.get("src"):
            self.found.append(str(values["src"]))
        rel = set((values.get("rel") or "").split())
        if tag == "link" and rel & self._LOADING and values.get("href"):
            self.found.append(str(values["href"]))


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built strictly from this checkout (about ten seconds)."""
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return out


def _pages(site: Path, under: str = "") -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8")
        for p in sorted((site / under).rglob("*.html"))
    }


class TestBuiltSite:
    def test_no_page_loads_anything_from_another_host(self, site: Path) -> None:
        pages = _pages(site)
        assert len(pages) > 20
        outside = []
        for name, page in pages.items():
            parser = _Resources()
            parser.feed(page)
            assert parser.found, name
            outside += [(name, url) for url in parser.found if urlsplit(url).netloc]
        assert outside == []

    def test_the_diagram_page_draws_with_the_sites_own_mermaid(self, site: Path) -> None:
        page = (site / "diagram" / "index.html").read_text(encoding="utf-8")
        assert '<pre class="mermaid"><code>stateDiagram-v2' in page
        assert '<script src="../assets/vendor/mermaid/mermaid.min.js"></script>' in page
        served = site / "assets" / "vendor" / "mermaid" / "mermaid.min.js"
        assert served.read_bytes() == (MERMAID / "mermaid.min.js").read_bytes()

    def test_no_page_shows_what_only_doctest_reads(self, site: Path) -> None:
        shown = [
            (name, marker)
            for name, page in _pages(site).items()
            for marker in ("# doctest:", "<BLANKLINE>")
            if marker in _text(page)
        ]
        assert shown == []

    def test_api_pages_list_no_dunder_and_no_attrs_field_call(self, site: Path) -> None:
        pages = _pages(site, "api")
        assert len(pages) >= 15
        for name, page in pages.items():
            assert not re.findall(r'id="tradeassure\.[\w.]*\.__\w+__"', page), name
            assert "attrs.field(" not in _text(page), name

    def test_api_pages_show_attrs_constructors(self, site: Path) -> None:
        money = _text((site / "api" / "money" / "index.html").read_text(encoding="utf-8"))
        # What the constructor accepts (its converter's type), not only what it holds.
        assert re.search(r"Money\(\s*amount: Decimal \| int \| str,\s*currency: str,?\s*\)", money)
        escrow = _text((site / "api" / "escrow" / "index.html").read_text(encoding="utf-8"))
        assert re.search(
            r"OrderPlaced\(\s*\*,\s*at: datetime,\s*event_id: str \| None = None", escrow
        )

    def test_every_rule_has_its_anchor_on_the_catalogue_page(self, site: Path) -> None:
        from tradeassure.rules import RULES

        page = (site / "rules" / "index.html").read_text(encoding="utf-8")
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert all(ids.count(r.anchor) == 1 for r in RULES.values())


_SHELL_FENCE = re.compile(
    r"^(\s*)(`{3,})\s*(console|shell|bash|sh)\b[^\n]*\n(.*?)^\1\2[ \t]*$", re.M | re.S
)


def _pip_installs(text: str) -> list[list[str]]:
    """The arguments of every ``pip install`` command in the shell blocks of a page (in
    a console session, its ``$`` lines: the rest is output)."""
    found = []
    for block in _SHELL_FENCE.finditer(text):
        lines = [line.strip() for line in block.group(4).splitlines()]
        if block.group(3) == "console":
            lines = [line for line in lines if line.startswith("$ ")]
        for line in lines:
            for command in line.removeprefix("$ ").split("&&"):
                words = shlex.split(command, comments=True)
                if words[:2] == ["pip", "install"]:
                    found.append(words[2:])
    return found


def test_every_install_command_installs_from_the_checkout() -> None:
    """The package is not on PyPI yet: ``pip install tradeassure`` fails for a newcomer."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    commands = {page.name: _pip_installs(page.read_text(encoding="utf-8")) for page in pages}
    assert ["."] in commands["quickstart.md"]
    assert [".[cli]"] in commands["index.md"]
    by_name = [
        (page, words)
        for page, found in commands.items()
        for words in found
        if any(not w.startswith((".", "-")) for w in words)
    ]
    assert by_name == []
    assert _pip_installs("```console\n$ pip install tradeassure\n```\n") == [["tradeassure"]]
