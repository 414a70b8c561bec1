"""Template support shared by cookiecutter (Jinja filters), the hooks and the template's tests.

cookiecutter loads `TemplateExtension` through `local_extensions.fresh` (`_extensions` in
cookiecutter.json), which re-imports this package when a cruft update changed it on disk.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension
from markupsafe import escape

from .answers import camel_case, namespace_404, normalized_namespace, validate
from .examples import example_for
from .fresh import source_stamp
from .pyformat import assignment, fit, from_import
from .routes import ENCODABLE, Route, handler_classes, landing_route, parse_handlers, route_url
from .template_commit import template_commit

__all__ = ["Route", "TemplateExtension", "answers_for_replay", "parse_handlers", "validate"]

#: The template repository (this package's parent), wherever cookiecutter was pointed at it:
#: the hooks import this package from there, whatever the current directory is by then.
TEMPLATE_DIR = Path(__file__).resolve().parent.parent
#: The sources this copy of the package was imported from: `fresh` compares them with the files
#: on disk, which a cruft update replaces with another commit's between its two renders.
SOURCE_STAMP = source_stamp(Path(__file__).resolve().parent)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def quoted(value: object) -> str:
    """A double-quoted string literal valid in Python, TOML, JSON and YAML alike."""
    return json.dumps(str(value), ensure_ascii=False)


def py_regex(pattern: str) -> str:
    """A regex as a Python literal: a raw string when possible, for readability."""
    if '"' not in pattern and not pattern.endswith("\\") and "\n" not in pattern:
        return f'r"{pattern}"'
    return quoted(pattern)


def html_text(value: object) -> str:
    """Text placed in page.html, which Jinja renders again at run time: HTML-escaped, and with
    braces as character references so that no `{{`, `{%` or `{#` reaches the run-time Jinja."""
    return str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;")


def docstring_text(value: object) -> str:
    """Text safe inside a triple-double-quoted docstring."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"')


def command_name(project_slug: str) -> str:
    """The console script behind `jupyter <name>`: jupyter-hello for jupyter-hello or hello."""
    name = re.sub(r"[^a-z0-9-]+", "-", project_slug.lower()).strip("-")
    return name if name.startswith("jupyter-") else f"jupyter-{name}"


def markdown_text(value: object) -> str:
    """Text placed in Markdown prose, with the characters Markdown would interpret escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def answers_for_replay(cookiecutter: dict[str, Any]) -> dict[str, Any]:
    """The user's answers in cookiecutter's replay format, without machine-specific paths."""
    return {"cookiecutter": {k: v for k, v in cookiecutter.items() if not k.startswith("_")}}


def replay_json(cookiecutter: dict[str, Any]) -> str:
    """The replay file, plus the template commit it was made from (for `cruft link`)."""
    recorded = {**answers_for_replay(cookiecutter), "template": template_commit(TEMPLATE_DIR)}
    return json.dumps(recorded, indent=2, ensure_ascii=False)


def import_order(names: list[str]) -> list[str]:
    """Names in the order ruff's isort puts them inside one `from x import (...)`: constants
    (all capitals), then classes, then the rest; each group in natural, case-blind order."""

    def key(name: str) -> tuple[object, ...]:
        kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
        return kind, natural(name.lower()), natural(name)

    return sorted(names, key=key)


def natural(name: str) -> list[object]:
    """A sort key that orders b2 before b10, as ruff's isort does."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def py_string(value: object) -> str:
    """A Python string literal as ruff format writes it (double quotes unless the text holds
    more of them than single quotes), ASCII only so that ruff's RUF001 finds no look-alikes."""
    text = str(value).replace("\\", "\\\\")
    quote = "'" if text.count('"') > text.count("'") else '"'
    text = text.replace(quote, "\\" + quote)
    return quote + text.encode("ascii", "backslashreplace").decode("ascii") + quote


class TemplateExtension(Extension):
    """Registers the filters the templates use."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals.update(
            py_fit=fit, py_import=from_import, py_assign=assignment, template_dir=str(TEMPLATE_DIR)
        )
        environment.filters.update(
            routes=parse_handlers,
            handler_classes=handler_classes,
            module_order=lambda classes: sorted(classes, key=lambda c: natural(c.module)),
            example=example_for,
            quoted=quoted,
            html_text=html_text,
            py_string=py_string,
            landing_route=landing_route,
            import_order=import_order,
            py_regex=py_regex,
            docstring_text=docstring_text,
            command_name=command_name,
            markdown_text=markdown_text,
            camel_case=camel_case,
            namespace=normalized_namespace,
            namespace_404=namespace_404,
            replay_json=replay_json,
            route_url=lambda path, namespace: route_url("/", namespace, path),
            typed_param=typed_param,
            keyword_arg=lambda name: f"{name}={name}",
            py_literal=lambda value: json.dumps(value, ensure_ascii=False),
            py_pair=lambda pair: f"{quoted(pair[0])}: {quoted(pair[1])}",
        )
        environment.tests.update(
            encodable=lambda path: any(ch in ENCODABLE for ch in path),
        )


def typed_param(name: str, optional: tuple[str, ...] = ()) -> str:
    """A handler method's parameter: `item_id: str`, or `item_id: str | None = None` when some
    route of a shared class does not pass it."""
    return f"{name}: str | None = None" if name in optional else f"{name}: str"
