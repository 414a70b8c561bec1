"""The edits a user makes to the files a generated project hands over: every line of every method
body in the handler modules (docstring and last line included), and one more line at the end of
every behaviour test. The code keeps answering as before, so the generated suite still passes."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

#: An edited line, as (path relative to the project, the line's full text).
Edit = tuple[str, str]


def _inside_strings(source: str) -> set[int]:
    """Line numbers whose end lies inside a multi-line string (no comment can go there)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {
        line
        for token in tokens
        if token.type == tokenize.STRING
        for line in range(token.start[0], token.end[0])
    }


def edit_handler_module(path: Path, project: Path) -> list[Edit]:
    """Rewrite every line of every method: a new docstring, a comment on each other line."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    unsafe = _inside_strings(source)
    for cls in (node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)):
        for method in cls.body:
            if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            tag = f"user edit: {cls.name}.{method.name}"
            first, last = method.body[0].lineno, method.end_lineno or method.body[0].lineno
            one_line_docstring = ast.get_docstring(method) is not None and (
                method.body[0].end_lineno == first
            )
            for number in range(first, last + 1):
                line = lines[number - 1]
                indent = line[: len(line) - len(line.lstrip())]
                if number == first and one_line_docstring:
                    lines[number - 1] = f'{indent}"""What {method.name} does ({tag})."""'
                elif number not in unsafe and line.strip():
                    lines[number - 1] = f"{line}  # {tag}, line {number - first + 1}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _changed(source, path, project)


def add_line_to_each_test(path: Path, project: Path) -> list[Edit]:
    """One more assertion at the end of every test function."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tests = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    ]
    for test in sorted(tests, key=lambda node: node.lineno, reverse=True):
        indent = " " * test.body[-1].col_offset
        end = test.end_lineno or test.lineno
        lines.insert(end, f'{indent}assert PATH, "user edit: {path.stem}::{test.name}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _changed(source, path, project)


def _changed(before: str, path: Path, project: Path) -> list[Edit]:
    old = set(before.splitlines())
    relative = str(path.relative_to(project))
    return [(relative, line) for line in path.read_text().splitlines() if line not in old]


def edit_project(project: Path, package: str, *, spare: tuple[str, ...] = ()) -> list[Edit]:
    """Edit every handler module and behaviour test except those of the `spare` modules."""
    edits: list[Edit] = []
    for module in sorted((project / package / "handlers").glob("*.py")):
        if module.stem == "__init__" or module.stem in spare:
            continue
        edits += edit_handler_module(module, project)
        edits += add_line_to_each_test(
            project / "tests" / f"test_behaviour_{module.stem}.py", project
        )
    return edits


def missing(project: Path, edits: list[Edit]) -> list[Edit]:
    """The edits no longer found, line for line, in their files."""
    return [
        (relative, line)
        for relative, line in edits
        if not (project / relative).exists()
        or line not in (project / relative).read_text().splitlines()
    ]
