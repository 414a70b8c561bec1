"""After generation: drop the files the answers turned off, then prove the extension loads.

Runs in cookiecutter's interpreter, which often lacks jupyter_server (pipx, uvx); the load check
then runs in the interpreter behind a `jupyter-server` found on PATH, or is skipped with a note.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .answers import normalized_namespace
from .examples import example_for, names_for
from .jupyter_python import find_jupyter_python
from .routes import (
    HandlerClass,
    Route,
    encoded_forms,
    handler_classes,
    parse_handlers,
    route_url,
)
from .server_urls import server_routes
from .verify_load import CANNOT_JUDGE

SKIP_ENV = "JUPYTER_EXTENSION_TEMPLATE_SKIP_VERIFY"
VERIFY_BASE_URL = "/user/verify/"
VERIFY_SCRIPT = Path(__file__).with_name("verify_load.py")
VERIFY_TIMEOUT = 120


#: Templates rendered once per handler class: the folder cookiecutter copied them to (one
#: template per kind of route, and per example shape of JSON routes), where each class's goes.
PER_HANDLER = {
    "{package}/handlers/_templates": "{package}/handlers/{module}.py",
    "tests/_templates": "tests/test_behaviour_{module}.py",
}


#: Template-owned modules of the package that serve one kind of route, and that kind.
KIND_MODULES = {
    "sockets": "ws",
    "streams": "sse",
    "static_files": "static",
    "downloads": "download",
    "pages": "page",
}


class VerificationError(Exception):
    """The generated project is broken; the message says how."""


class CannotJudge(Exception):
    """The jupyter_server found cannot judge the project (too old, broken, unrunnable)."""


def optional_paths(answers: Mapping[str, Any]) -> list[str]:
    """Paths (relative to the project) that the answers turned off."""
    package = answers["package_name"]
    kinds = {route.kind for route in parse_handlers(answers["handlers"])}
    paths = [f"{package}/{module}.py" for module, kind in KIND_MODULES.items() if kind not in kinds]
    if answers.get("github_actions") != "yes":
        paths.append(".github")
    if answers.get("classic_notebook") != "yes":
        paths += ["jupyter-config/nb-config", f"{package}/classic.py"]
    if answers.get("extension_app") != "yes":
        paths += [f"{package}/app.py"]
    if "page" not in kinds:
        paths.append(f"{package}/templates")
    if "static" not in kinds:
        paths += [f"{package}/static", "tests/test_contract_static.py"]
    if "download" not in kinds:
        paths += [f"{package}/downloads", "tests/test_contract_downloads.py"]
    if not kinds & {"ws", "sse"}:
        paths += [f"{package}/connections.py", "tests/test_contract_realtime.py"]
    return paths


def template_name(handler: HandlerClass) -> str:
    """The template a handler class's files come from: its kind's, or for a JSON route its
    example shape's (see examples.py)."""
    kind = example_for(handler).shape if handler.kind == "api" else handler.kind
    return f"{kind}.py.jinja"


def render_per_handler(project: Path, answers: Mapping[str, Any]) -> None:
    """Write one module (and one behaviour test) per handler class from the `.jinja` templates
    cookiecutter copied unrendered, then remove those templates."""
    from . import TemplateExtension  # the Jinja filters cookiecutter rendered the rest with

    package = answers["package_name"]
    classes = handler_classes(parse_handlers(answers["handlers"]))
    for source, target in PER_HANDLER.items():
        folder = project / source.format(package=package)
        environment = Environment(
            loader=FileSystemLoader(folder),
            extensions=[TemplateExtension],
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        for handler in classes:
            template = environment.get_template(template_name(handler))
            text = template.render(cookiecutter=answers, handler=handler, names=names_for(handler))
            output = project / target.format(package=package, module=handler.module)
            output.write_text(text, encoding="utf-8")
        shutil.rmtree(folder)


def remove_optional_files(project: Path, answers: Mapping[str, Any]) -> None:
    for relative in optional_paths(answers):
        path = project / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def compile_python_files(project: Path) -> None:
    """Compile every generated Python file in memory (no __pycache__ left behind)."""
    for path in sorted(project.rglob("*.py")):
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
        except SyntaxError as err:
            raise VerificationError(
                f"{path.relative_to(project)} does not compile: {err}"
            ) from None


def verification_plan(
    project: Path, answers: Mapping[str, Any], base_url: str = VERIFY_BASE_URL
) -> dict[str, Any]:
    """What verify_load.py checks: each route's example URL, raw and percent-encoded, reaches
    its class and arguments; no URL the server serves (tried with the snapshot's samples)
    reaches the extension."""
    namespace = normalized_namespace(answers["url_namespace"])
    return {
        "project_dir": str(project),
        "package_name": answers["package_name"],
        "base_url": base_url,
        "routes": [
            {
                "route": route.route,
                "urls": list(
                    dict.fromkeys(
                        route_url(base_url, namespace, path)
                        for path in [route.sample_path, *encoded_forms(route.sample_path).values()]
                    )
                ),
                "class_name": route.class_name,
                "methods": list(route.methods),
                "params": list(route.params),
                "sample_params": route.sample_params(),
            }
            for route in parse_handlers(answers["handlers"])
        ],
        "server_samples": {route.pattern: list(route.samples) for route in server_routes()},
    }


def load_check(project: Path, answers: Mapping[str, Any]) -> str:
    """Run the load check where a jupyter_server can judge the project, or say why it cannot.
    Only a project that fails in a supported jupyter_server raises (VerificationError)."""
    later = f'Run it later: cd {project.name} && pip install -e ".[test]" && pytest'
    found = find_jupyter_python()
    if found is None:
        return (
            "Load check skipped: no jupyter_server in this Python and no `jupyter-server` on PATH. "
            + later
        )
    if found.version is None:
        return f"Load check skipped: no usable jupyter_server ({found.problem}). {later}"
    try:
        run_load_check(found.python, verification_plan(project, answers))
    except CannotJudge as err:
        return f"Load check skipped: {err}. {later}"
    return f"Load check passed: the extension loads in jupyter_server ({found.python})."


def run_load_check(python: str, plan: dict[str, Any]) -> None:
    """Load the extension in a real ServerApp (isolated from the user's Jupyter config)."""
    with tempfile.TemporaryDirectory(prefix="verify-jupyter-") as home:
        env = {
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "1",
            "JUPYTER_CONFIG_DIR": os.path.join(home, "config"),
            "JUPYTER_DATA_DIR": os.path.join(home, "data"),
            "JUPYTER_RUNTIME_DIR": os.path.join(home, "runtime"),
            "JUPYTER_CONFIG_PATH": "",
            "JUPYTER_PLATFORM_DIRS": "0",
        }
        env.pop("PYTHONPATH", None)
        try:
            result = subprocess.run(
                [python, "-B", str(VERIFY_SCRIPT)],
                input=json.dumps(plan),
                capture_output=True,
                text=True,
                env=env,
                cwd=home,
                timeout=VERIFY_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise VerificationError(f"loading the extension took over {VERIFY_TIMEOUT} s") from None
        except OSError as err:
            raise CannotJudge(f"{python} cannot run: {err.strerror}") from None
    if result.returncode == CANNOT_JUDGE:
        raise CannotJudge(result.stdout.strip())
    if result.returncode != 0:
        details = result.stdout.strip() or result.stderr.strip().splitlines()[-1:]
        raise VerificationError(f"load check failed: {details}")


def summary(answers: Mapping[str, Any], routes: list[Route], load_note: str) -> str:
    namespace = normalized_namespace(answers["url_namespace"])
    width = max(len(r.label) for r in routes)
    lines = [f"\nCreated {answers['package_name']}/ with {len(routes)} route(s):"]
    for route in routes:
        url = "{base_url}" + route_url("/", namespace, route.pattern).lstrip("/")
        access = "public" if route.public else answers["auth"]
        lines.append(
            f"  {route.label:<{width}}  {url}  -> {route.class_name} ({route.kind}, {access})"
        )
    lines += [
        load_note,
        "Next steps:",
        f"  cd {answers['package_name']}",
        '  python -m pip install -e ".[test]"   # installing also enables the extension',
        "  pytest                               # the generated test suite",
        "  jupyter server                       # then open a route with the printed token",
    ]
    return "\n".join(lines)


def run(project: Path, answers: Mapping[str, Any]) -> int:
    """The whole post-generation step; returns the hook's exit status."""
    try:
        render_per_handler(project, answers)
        remove_optional_files(project, answers)
        compile_python_files(project)
        routes = parse_handlers(answers["handlers"])
        if answers.get("_verify_load", "yes") == "no" or os.environ.get(SKIP_ENV):
            note = f"Load check skipped (asked for). Run it later: cd {project.name} && pytest"
        else:
            note = load_check(project, answers)
    except VerificationError as err:
        print(f"ERROR: the generated project is broken: {err}", file=sys.stderr)
        return 1
    print(summary(answers, routes, note))
    return 0
