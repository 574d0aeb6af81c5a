"""docs/cli.md's shell sessions, run as tests by sybil.

A ```` ```console ```` block is a session: each ``$ `` line is a command (``> `` lines
continue it), and the lines after it, up to the next command, are what it prints, its
standard output and error together, as a terminal shows them. A command that exits with
a status other than 0 ends with that status in brackets, ``[1]``, as cram writes it.
``...`` in the expected output stands for any text (doctest's ELLIPSIS).

Each command runs in bash, in a scratch folder the page's sessions share (so one block
can write a file the next reads), with ``tradeassure`` the command of the package under
test (``python -m tradeassure``, this checkout's source first on the path) and the
terminal of a reader who set ``COLUMNS=80`` and ``NO_COLOR``.
"""

from __future__ import annotations

import doctest
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sybil import Example, Sybil
from sybil.parsers.markdown import CodeBlockParser

import tradeassure

#: The folder that holds the package under test, put first on the commands' path.
_SOURCE = Path(tradeassure.__file__).resolve().parent.parent

_CHECKER = doctest.OutputChecker()


def _session(text: str) -> Iterator[tuple[str, str]]:
    """The block's (command, expected output) pairs."""
    command: list[str] = []
    output: list[str] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            if command:
                yield "\n".join(command), "".join(output)
            command, output = [line[2:]], []
        elif line.startswith("> ") and command and not output:
            command.append(line[2:])
        elif command:
            output.append(line + "\n")
        elif line.strip():
            raise ValueError(f"a console block starts with a $ command, not {line!r}")
    if command:
        yield "\n".join(command), "".join(output)


def _environment(scratch: str) -> dict[str, str]:
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "HOME": scratch,
        "PYTHONPATH": str(_SOURCE),
        "PYTHONIOENCODING": "utf-8",
        "LC_ALL": "C.UTF-8",
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "TZ": "UTC",
    }


def _run(command: str, scratch: str) -> str:
    """What ``command`` prints in bash, with ``[N]`` after it for a status N other than 0."""
    prelude = f'tradeassure() {{ {shlex.quote(sys.executable)} -m tradeassure "$@"; }}\n'
    done = subprocess.run(
        ["bash", "-c", prelude + command],
        cwd=scratch,
        env=_environment(scratch),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=300,
    )
    return done.stdout + (f"[{done.returncode}]\n" if done.returncode else "")


def evaluate(example: Example) -> str | None:
    """Run the block's commands in turn; the first whose output differs fails it."""
    scratch = example.namespace["scratch"].name
    for command, expected in _session(example.parsed):
        got = _run(command, scratch)
        if not _CHECKER.check_output(expected, got, doctest.ELLIPSIS):
            return f"$ {command}\nexpected:\n{expected}got:\n{got}"
    return None


def _setup(namespace: dict[str, Any]) -> None:
    namespace["scratch"] = tempfile.TemporaryDirectory(prefix="tradeassure-cli-docs-")


def _teardown(namespace: dict[str, Any]) -> None:
    namespace["scratch"].cleanup()


def sybil(docs: Path) -> Sybil:
    """The sybil that runs the console sessions of docs/cli.md."""
    return Sybil(
        parsers=[CodeBlockParser(language="console", evaluator=evaluate)],
        path=str(docs),
        patterns=["cli.md"],
        setup=_setup,
        teardown=_teardown,
    )
