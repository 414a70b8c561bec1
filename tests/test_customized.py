"""The contract tests survive what users do to the handlers and settings: in every curated
combination, every method body is replaced by other code that answers 200, 201 or 204, the
example settings (greeting, downloads_dir) give way to a setting of the user's, and the
generated contract tests (authentication, authorizer, 405, 404, 413, sockets, streams, static
files, downloads, the OpenAPI document, the server intact) still pass. Only the behaviour tests,
which are the user's, may fail."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from combinations import COMBINATIONS
from support import bake, install_for_tests, run_generated_suite

pytestmark = pytest.mark.slow

HTTP_METHODS = {"get", "head", "post", "put", "patch", "delete"}
STATUS = {"post": 201, "delete": 204}
CONTRACT = ["tests/test_contract.py", "tests/test_openapi.py", "tests/test_server_intact.py"]


def replacement(
    cls: ast.ClassDef, method: ast.AsyncFunctionDef | ast.FunctionDef
) -> list[str] | None:
    """The user's new body for `method`, or None where the method is the kind's plumbing."""
    bases = {b.id for b in cls.bases if isinstance(b, ast.Name)}
    if "SocketHandler" in bases:
        return ['self.send_json({"replaced": True})'] if method.name == "on_message" else None
    if method.name not in HTTP_METHODS:
        return None
    if "EventStreamHandler" in bases:
        return ['await self.send_event({"replaced": True})', "self.finish()"]
    if "PageHandler" in bases:
        return ['self.finish("<p>replaced</p>")']
    if "DownloadHandler" in bases:
        return ['self.set_header("Content-Type", "application/octet-stream")', 'self.finish(b"")']
    return [f"self.set_status({STATUS.get(method.name, 200)})", "self.finish()"]


def replace_the_example_settings(settings: Path) -> None:
    """The settings class keeps its name and base, loses every example trait, gains one."""
    source = settings.read_text()
    lines = source.splitlines()
    (cls,) = [node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]
    traits = [node for node in cls.body if isinstance(node, ast.Assign)]
    assert traits, "no example setting to replace"
    for trait in sorted(traits, key=lambda node: node.lineno, reverse=True):
        del lines[trait.lineno - 1 : trait.end_lineno]
    lines.insert(traits[0].lineno - 1, '    region = Unicode("north").tag(config=True)')
    settings.write_text("\n".join(lines) + "\n")


def replace_every_body(module: Path) -> int:
    """Rewrite the module's method bodies; returns how many were replaced."""
    source = module.read_text()
    lines = source.splitlines()
    edits = []
    for cls in (node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)):
        for method in cls.body:
            if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                body = replacement(cls, method)
                if body is not None:
                    edits.append((method.body[0].lineno, method.end_lineno, body))
    for first, last, body in sorted(edits, reverse=True):
        indent = " " * 8
        lines[first - 1 : last] = [indent + line for line in body]
    module.write_text("\n".join(lines) + "\n")
    return len(edits)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: c.id)
def test_contract_tests_pass_after_every_body_is_rewritten(tmp_path, combination):
    baked = bake(tmp_path / "out", combination.answers)
    handlers = baked.project / baked.context["package_name"] / "handlers"
    replaced = sum(replace_every_body(m) for m in handlers.glob("*.py") if m.stem != "__init__")
    assert replaced >= sum(1 for r in baked.routes if r.kind in ("api", "sse", "page"))
    replace_the_example_settings(baked.project / baked.context["package_name"] / "settings.py")
    venv = install_for_tests(baked.project, tmp_path / "venv")
    optional = ("realtime", "static", "downloads")
    suites = CONTRACT + [
        f"tests/test_contract_{name}.py"
        for name in optional
        if (baked.project / "tests" / f"test_contract_{name}.py").exists()
    ]
    result = run_generated_suite(baked.project, venv, *suites)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
