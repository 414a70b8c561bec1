"""Lay out generated Python calls, definitions and literals the way `ruff format` would.

Generated code must pass `ruff format --check` whatever the answers (long route tables, long
parameter names), without needing ruff where the template runs. A node is a string or a
`Bracketed(head, items, tail)`; `layout` tries, in ruff's order: everything on one line; the items
on one indented line between the brackets; one item per line with a trailing comma (a single
item is laid out on its own instead, without a comma). `assignment` does the same for the
right-hand side of `name = value`.
"""

from __future__ import annotations

from dataclasses import dataclass

LINE_LENGTH = 100
INDENT = 4


@dataclass(frozen=True)
class Bracketed:
    head: str  # up to and including the opening bracket, e.g. "self.finish("
    items: tuple[Node, ...]
    tail: str  # from the closing bracket on, e.g. ") -> None:"


Node = str | Bracketed


def flat(node: Node) -> str:
    if isinstance(node, str):
        return node
    return node.head + ", ".join(flat(item) for item in node.items) + node.tail


def layout(node: Node, indent: int = 0, suffix: str = "") -> str:
    """The lines of `node` at `indent` spaces, followed by `suffix` (e.g. a comma)."""
    return "\n".join(_lines(node, indent, suffix))


def _lines(node: Node, indent: int, suffix: str) -> list[str]:
    pad = " " * indent
    one_line = pad + flat(node) + suffix
    if isinstance(node, str) or len(one_line) <= LINE_LENGTH or not node.items:
        return [one_line]
    inner = " " * (indent + INDENT) + ", ".join(flat(item) for item in node.items)
    if len(inner) <= LINE_LENGTH:
        return [pad + node.head, inner, pad + node.tail + suffix]
    if len(node.items) == 1:
        body = _lines(node.items[0], indent + INDENT, "")
    else:
        body = [line for item in node.items for line in _lines(item, indent + INDENT, ",")]
    return [pad + node.head, *body, pad + node.tail + suffix]


def assignment(target: str, value: str, indent: int = 0) -> str:
    """`target = value`, the value moved into parentheses when only that makes it fit."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    inner = " " * (indent + INDENT) + value
    if len(line) <= LINE_LENGTH or len(inner) > LINE_LENGTH:
        return line
    return f"{pad}{target} = (\n{inner}\n{pad})"


def from_import(module: str, names: list[str]) -> str:
    """`from module import names` (names already in isort order), wrapped as ruff's isort does."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return line
    return f"from {module} import (\n" + "".join(f"    {name},\n" for name in names) + ")"


def call(head: str, items: list[Node], tail: str = ")") -> Bracketed:
    return Bracketed(head, tuple(items), tail)


def dict_literal(pairs: list[str]) -> Bracketed:
    return Bracketed("{", tuple(pairs), "}")
