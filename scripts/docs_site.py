"""Markup fixes for the docs site, applied at build time only (mkdocs.yml loads this file).

The sources stay as they are, written for doctest and ``help()``; the site needs two
changes to show them well:

- Doctest examples written bare (``>>>`` lines, as doctest wants them in docs/*.md and
  in docstrings) become ````` ```pycon ````` code blocks; Markdown would otherwise read
  ``>>>`` as three nested quotes. A ````` ```python ````` fence that holds a doctest is
  relabelled ``pycon`` and loses the blank line doctest needs before its closing fence.
- Sphinx roles in docstrings (``:func:`replay```, ``:class:`~tradeassure.errors.RuleViolation```)
  become mkdocstrings cross-references, resolved in the scope of the object whose
  docstring it is, so a reference to a name that no longer exists fails
  ``mkdocs build --strict``. A private name has no page to link to and stays plain code.

As a mkdocs hook, ``on_page_markdown`` rewrites every page; as a griffe extension,
``DocstringMarkup`` rewrites every docstring once the package is loaded.

The hook also gives every public module an API page: one written in docs/api/ and
named in the nav is used as it is; for a module that has none yet, ``on_config`` adds a
nav entry under "API reference" and ``on_files`` a generated page holding only its
``::: tradeassure.<module>`` directive. So a module committed before its page does not
break ``mkdocs build --strict`` (other docstrings may already link to it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import griffe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)(.*)$")
_ROLE = re.compile(r":(?:func|class|data|meth|attr|mod|exc|obj|const):`(~?)([\w.]+)`")
_DOCTEST_LANGS = {"", "python", "py", "pycon"}
_PACKAGE = "tradeassure"
_API_SECTION = "API reference"
# The command-line entry point is documented as a guide (docs/cli.md), not as API.
_NOT_API = frozenset({"cli"})


def fence_doctests(text: str) -> str:
    """Wrap bare doctest blocks in pycon fences; relabel python fences holding a doctest."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            indent, marker, lang, rest = fence.groups()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(marker):
                j += 1
            body = lines[i + 1 : j]
            first = next((b for b in body if b.strip()), "")
            if lang in _DOCTEST_LANGS and first.lstrip().startswith(">>>"):
                while body and not body[-1].strip():
                    body.pop()
                out += [f"{indent}{marker}pycon{rest}", *body]
            else:
                out += [line, *body]
            if j < len(lines):
                out.append(lines[j])
            i = j + 1
        elif line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            if out and out[-1].strip():
                out.append("")
            out += [f"{indent}```pycon", *lines[i:j], f"{indent}```"]
            i = j
        else:
            out.append(line)
            i += 1
    return "\n".join(out)


def public_modules(src: Path) -> list[str]:
    """The package's public modules (no leading underscore), by file, without importing them."""
    names = {
        path.stem if path.suffix == ".py" else path.parent.name
        for path in [*(src / _PACKAGE).glob("*.py"), *(src / _PACKAGE).glob("*/__init__.py")]
    }
    return sorted(n for n in names if not n.startswith("_") and n not in _NOT_API)


def _missing_api_pages(config: MkDocsConfig) -> list[str]:
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    return [m for m in public_modules(root / "src") if not (docs / "api" / f"{m}.md").exists()]


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    """mkdocs hook: a nav entry under "API reference" for each module without a page."""
    missing = _missing_api_pages(config)
    if missing and config.nav is not None:
        for item in config.nav:
            if isinstance(item, dict) and isinstance(item.get(_API_SECTION), list):
                item[_API_SECTION] += [{m: f"api/{m}.md"} for m in missing]
    return config


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """mkdocs hook: a generated API page for each module without one."""
    for module in _missing_api_pages(config):
        content = f"# `{_PACKAGE}.{module}`\n\n::: {_PACKAGE}.{module}\n"
        files.append(File.generated(config, f"api/{module}.md", content=content))
    return files


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """mkdocs hook: fence the page's doctests."""
    return fence_doctests(markdown)


def _target(obj: griffe.Object, name: str) -> str | None:
    """The full path of ``name`` as seen from ``obj``, or None when it cannot be linked."""
    if name.startswith("tradeassure."):
        path = name
    else:
        head, _, rest = name.partition(".")
        try:
            path = obj.resolve(head)
        except griffe.NameResolutionError:
            return None
        if rest:
            path = f"{path}.{rest}"
    if any(part.startswith("_") for part in path.split(".")):
        return None
    return path


def _rewrite(obj: griffe.Object) -> None:
    if obj.docstring is not None:

        def link(match: re.Match[str]) -> str:
            short, name = match.group(1), match.group(2)
            shown = name.rsplit(".", 1)[-1] if short else name
            path = _target(obj, name)
            return f"`{shown}`" if path is None else f"[`{shown}`][{path}]"

        obj.docstring.value = fence_doctests(_ROLE.sub(link, obj.docstring.value))
    for member in obj.members.values():
        if isinstance(member, griffe.Object):
            _rewrite(member)


class DocstringMarkup(griffe.Extension):
    """Rewrite docstrings once the whole package is loaded, so names resolve across modules."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _rewrite(pkg)
