"""Markup fixes for the docs site, applied at build time only (mkdocs.yml loads this file).

The sources stay as they are, written for doctest and ``help()``; the site needs two
changes to show them well:

- Doctest examples written bare (``>>>`` lines, as doctest wants them in docs/*.md and
  in docstrings) become ````` ```pycon ````` code blocks; Markdown would otherwise read
  ``>>>`` as three nested quotes. A ````` ```python ````` fence that holds a doctest is
  relabelled ``pycon`` and loses the blank line doctest needs before its closing fence.
  In every doctest, what only doctest reads goes: ``# doctest: +ELLIPSIS`` directives,
  and ``<BLANKLINE>``, which shows as the blank line it stands for. A fence label that
  is no option (```` ```text imports ````, a marker a script finds its block by) is
  dropped, so the fence still opens a code block.
- Sphinx roles in docstrings (``:func:`replay```, ``:class:`~tradeassure.errors.RuleViolation```)
  become mkdocstrings cross-references, resolved in the scope of the object whose
  docstring it is, so a reference to a name that no longer exists fails
  ``mkdocs build --strict``. A private name has no page to link to and stays plain code.

As a mkdocs hook, ``on_page_markdown`` rewrites every page; as a griffe extension,
``DocstringMarkup`` rewrites every docstring once the package is loaded.

A second griffe extension, ``AttrsClasses``, shows attrs classes as their users call
them. griffe reads source and an attrs class has no ``__init__`` there, so the page
would show no signature: the extension imports each class, asks attrs for the
``__init__`` it generated (``inspect.signature``: names, order, keyword-only, aliases)
and gives the class that ``__init__``, each parameter typed by the field's annotation
as written and defaulted by its ``default=`` as written (``factory=f`` shows ``f()``).
A class whose module needs an extra that is not installed keeps no signature (an info
message says so): install the extras the site documents (``.[test,docs]``) to build it whole.
It also keeps the API pages to the public surface: a field shows no value (the
signature shows its default, not ``attrs.field(validator=_text)``); a field the class
docstring's Attributes section describes gets that description as its own docstring, so
it is documented once, under its own heading; and dunder methods (``__add__``,
``__lt__``, ``__hash__``, ``__attrs_post_init__``) are not listed.

The hook also gives every public module an API page: one written in docs/api/ and
named in the nav is used as it is; for a module that has none yet, ``on_config`` adds a
nav entry under "API reference" and ``on_files`` a generated page holding only its
``::: tradeassure.<module>`` directive. So a module committed before its page does not
break ``mkdocs build --strict`` (other docstrings may already link to it).
"""

from __future__ import annotations

import inspect
import re
import sys
import typing
from pathlib import Path
from typing import Any

import attrs
import griffe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)(.*)$")
_ROLE = re.compile(r":(?:func|class|data|meth|attr|mod|exc|obj|const):`(~?)([\w.]+)`")
_DOCTEST_LANGS = {"", "python", "py", "pycon"}
_DIRECTIVE = re.compile(r"\s*#\s*doctest:\s*[+-]\w+(?:\s*,\s*[+-]\w+)*\s*$")
_PROMPT = re.compile(r"^\s*(>>>|\.\.\.)( |$)")
# A fence's options, as superfences reads them: ``{...}`` or ``key=value`` pairs.
_OPTIONS = re.compile(r"^\s*(\{.*\}|(?:[\w-]+=\S+\s*)*)$")
_PACKAGE = "tradeassure"
_API_SECTION = "API reference"
# The command-line entry point is documented as a guide (docs/cli.md), not as API.
_NOT_API = frozenset({"cli"})


def _for_readers(lines: list[str]) -> list[str]:
    """A doctest's lines less what only doctest reads: directives, ``<BLANKLINE>``."""
    out = []
    for line in lines:
        if _PROMPT.match(line):
            line = _DIRECTIVE.sub("", line)
        elif line.strip() == "<BLANKLINE>":
            line = ""
        out.append(line)
    return out


def fence_doctests(text: str) -> str:
    """Wrap bare doctest blocks in pycon fences; relabel python fences holding a doctest;
    drop what only doctest reads (directives, ``<BLANKLINE>``) and fence labels that are
    no options."""
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
            if not _OPTIONS.match(rest):
                rest = ""
            if lang in _DOCTEST_LANGS and first.lstrip().startswith(">>>"):
                while body and not body[-1].strip():
                    body.pop()
                out += [f"{indent}{marker}pycon{rest}", *_for_readers(body)]
            else:
                out += [f"{indent}{marker}{lang}{rest}", *body]
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
            out += [f"{indent}```pycon", *_for_readers(lines[i:j]), f"{indent}```"]
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


_FIELD_CALLS = frozenset({"attrs.field", "attr.ib", "attr.field", "attrib", "field"})
_logger = griffe.get_logger("docs_site")


def _written_default(value: str | griffe.Expr | None) -> str | griffe.Expr | None:
    """A field's default as its source writes it, or None when the source gives none.

    ``x: int = 5`` gives ``5``; ``attrs.field(default=5, ...)`` gives ``5``;
    ``attrs.field(factory=list)`` gives ``list()``.
    """
    if not isinstance(value, griffe.ExprCall):
        return value
    if str(value.function) not in _FIELD_CALLS:
        return value
    for argument in value.arguments:
        if isinstance(argument, griffe.ExprKeyword):
            if argument.name == "default":
                return argument.value
            if argument.name == "factory":
                return f"{argument.value}()"
    return None


def _runtime_default(default: object) -> str:
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        factory = default.factory
        return f"{getattr(factory, '__qualname__', repr(factory))}()"
    return repr(default)


def _converter_accepts(converter: Any) -> str | None:
    """The type a field's converter takes (its first parameter's), written out: what
    the constructor accepts for that field, where the attribute's own type says what
    it holds. None without a converter or an annotation."""
    if converter is None:
        return None
    try:
        hints = typing.get_type_hints(converter)
        first = next(iter(inspect.signature(converter).parameters))
    except (TypeError, NameError, StopIteration):
        return None
    if first not in hints:
        return None
    # Written as the library's modules write them: Decimal, datetime, not decimal.Decimal.
    return re.sub(
        r"\b(?:typing|decimal|datetime|collections\.abc)\.",
        "",
        inspect.formatannotation(hints[first]),
    )


def _attrs_init(cls: griffe.Class, runtime: type) -> griffe.Function:
    """The ``__init__`` attrs generated for ``runtime``, typed and defaulted as written."""
    fields = {f.alias: f for f in attrs.fields(runtime)}
    parameters = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
    for name, found in inspect.signature(runtime).parameters.items():
        field = fields[name]
        # An inherited field is an alias of the base class's attribute.
        member = cls.all_members.get(field.name)
        attribute = member if member is not None and member.is_attribute else None
        annotation = attribute.annotation if attribute is not None else None
        accepted = _converter_accepts(field.converter)
        if accepted is not None:  # what the constructor takes, as a checker reads it
            annotation = accepted
        default: str | griffe.Expr | None = None
        if found.default is not inspect.Parameter.empty:
            written = _written_default(attribute.value) if attribute is not None else None
            default = written if written is not None else _runtime_default(field.default)
        parameters.append(
            griffe.Parameter(
                name,
                annotation=annotation,
                kind=griffe.ParameterKind[found.kind.name.lower()],
                default=default,
            )
        )
    return griffe.Function(
        "__init__",
        parameters=griffe.Parameters(*parameters),
        returns="None",
        lineno=cls.lineno,
        endlineno=cls.lineno,
        parent=cls,
    )


def _move_field_docs(cls: griffe.Class, fields: set[str]) -> None:
    """Give each field the class docstring's Attributes entry for it, as its own docstring.

    The field is then documented once, under its own heading (which other docstrings link
    to), instead of in a table and again, undescribed, as a member. Needs the docstring
    already rewritten by ``DocstringMarkup`` (listed before this extension).
    """
    if cls.docstring is None:
        return
    sections = cls.docstring.parsed
    for section in list(sections):
        if section.kind is not griffe.DocstringSectionKind.attributes:
            continue
        kept = []
        for item in section.value:
            member = cls.members.get(item.name)
            if item.name in fields and isinstance(member, griffe.Attribute):
                if member.docstring is None:
                    member.docstring = griffe.Docstring(
                        item.description,
                        parent=member,
                        parser=cls.docstring.parser,
                        parser_options=cls.docstring.parser_options,
                    )
            else:
                kept.append(item)
        section.value[:] = kept
        if not kept:
            sections.remove(section)


def _show_attrs_class(cls: griffe.Class, runtime: type) -> None:
    """Clear the fields' values and move their docs; every ``__init__`` is made first,
    since a subclass's reads its base's fields as written."""
    names = {field.name for field in attrs.fields(runtime)}
    for name in names:
        member = cls.members.get(name)
        if isinstance(member, griffe.Attribute):
            # The signature shows the default; the attrs.field(...) call is no reader's.
            # Nor is it a class attribute: attrs gives each instance its own (slots).
            member.value = None
            member.labels.discard("class-attribute")
    _move_field_docs(cls, names)


def _drop_dunders(cls: griffe.Class) -> None:
    """Take the class's dunder members (but ``__init__``) off its page. They are dropped,
    not marked private: a class re-exported elsewhere is rendered through aliases that
    griffe makes anew for each of its members, and those do not keep such a mark."""
    for name in [n for n in cls.members if n.startswith("__") and n.endswith("__")]:
        if name != "__init__":
            cls.del_member(name)


def _classes(obj: griffe.Object) -> list[griffe.Class]:
    found = []
    for member in obj.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Class):
            found.append(member)
        if isinstance(member, griffe.Module | griffe.Class):
            found += _classes(member)
    return found


class AttrsClasses(griffe.Extension):
    """Give attrs classes their generated ``__init__``; keep members to the public ones."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        # The package griffe read is the one imported (griffe's own import_paths would
        # replace sys.path, and the package's dependencies with it).
        src = str(Path(str(pkg.filepath)).parent.parent)
        sys.path.insert(0, src)
        found: list[tuple[griffe.Class, type]] = []
        try:
            for cls in _classes(pkg):
                _drop_dunders(cls)
                try:
                    runtime = griffe.dynamic_import(cls.path)
                except ImportError as error:
                    # A module needing an extra that is not installed (store: SQLAlchemy,
                    # testing: hypothesis): its classes keep the page griffe reads from
                    # source, without a signature; the docs extra alone still builds.
                    _logger.info("no signature for %s, which cannot import: %s", cls.path, error)
                    continue
                if isinstance(runtime, type) and attrs.has(runtime):
                    found.append((cls, runtime))
        finally:
            sys.path.remove(src)
        for cls, runtime in found:
            if "__init__" not in cls.members:
                cls.set_member("__init__", _attrs_init(cls, runtime))
        for cls, runtime in found:
            _show_attrs_class(cls, runtime)
