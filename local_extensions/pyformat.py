"""Lines of generated Python whose length depends on the answers, written so that `ruff format`
keeps them as they are: on one line when it fits, otherwise one item per line with a trailing
comma (a "magic trailing comma", which tells ruff to keep the items exploded)."""

from __future__ import annotations

LINE_LENGTH = 100
INDENT = "    "


def fit(head: str, items: list[str], tail: str, indent: int = 0) -> str:
    """`head` + items joined by ", " + `tail` at `indent` spaces, exploded if too long.

    E.g. fit("Route(", ['r"/items"', "ItemsHandler"], "),", 4).
    """
    pad = " " * indent
    line = f"{pad}{head}{', '.join(items)}{tail}"
    if len(line) <= LINE_LENGTH:
        return line
    inner = "".join(f"{pad}{INDENT}{item},\n" for item in items)
    return f"{pad}{head}\n{inner}{pad}{tail.lstrip()}"


def assignment(target: str, value: str, indent: int = 0) -> str:
    """`target = value`, the value moved into parentheses when only that makes it fit (as ruff
    does with a long string it cannot split)."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    inner = f"{pad}{INDENT}{value}"
    if len(line) <= LINE_LENGTH or len(inner) > LINE_LENGTH:
        return line
    return f"{pad}{target} = (\n{inner}\n{pad})"


def from_import(module: str, names: list[str]) -> str:
    """`from module import names` (names already in isort order), wrapped as ruff's isort does."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return line
    return f"from {module} import (\n" + "".join(f"{INDENT}{name},\n" for name in names) + ")"
