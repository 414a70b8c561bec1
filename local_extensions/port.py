"""Bring your own extension: the answers that reproduce an installed Jupyter server extension's
URLs with this template, and where each of its handler classes goes.

    python -m local_extensions.port <import name> [--json]   # from a template checkout, run
                                                             # by the extension's own python
    uvx --from <template checkout> --with <distribution> port-jupyter-extension <import name>

It loads the extension in a ServerApp that never listens (ExtensionApps, and plain modules whose
`_load_jupyter_server_extension` calls `add_handlers`), reads the routes it registers, and
prints a cookiecutter command that bakes them (or, with --json, a JSON document): the answers,
the generated module each `module:qualname` goes to, the auth resources, handler arguments and
static/template paths to carry over, and what the template cannot express, with why. It exits
1 when something cannot be expressed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from .answers import validate
from .refresh_server_urls import path_rules, recording
from .routes import MAX_NAME, RESERVED_CLASS_NAMES, HandlerClass, handler_classes, parse_handlers

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
#: The generated project's introspect.py (plain Python): how the contract tests read a handler
#: class is how this command reads the extension's. (Installed by uvx, it comes as a copy.)
INTROSPECT = TEMPLATE_DIR.joinpath(*["{{cookiecutter.package_name}}"] * 2, "introspect.py")
if not INTROSPECT.exists():
    INTROSPECT = Path(__file__).with_name("_introspect.py")
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
#: The template's base class for each kind of route, and the generated module holding it.
BASES = {
    "api": ("ExtensionAPIHandler", "base"), "page": ("PageHandler", "pages"),
    "download": ("DownloadHandler", "downloads"), "ws": ("SocketHandler", "sockets"),
    "sse": ("EventStreamHandler", "streams"), "static": ("StaticFilesHandler", "static_files"),
}  # fmt: skip
#: A literal character as routes.either_encoding lets it match raw or percent-encoded.
_EITHER = re.compile(r"\(\?:(\\?[!$&'()*+,;=:@])\|%([0-9A-F]{2})\)")
_PARAMETER = re.compile(r"\(\?P<(\w+)>\[\^/\]\+\)")


@dataclass
class Registered:
    """One route the extension registers."""

    pattern: str  # relative to base_url, without Tornado's trailing $
    handler: type
    kwargs: dict[str, Any]


@dataclass
class Port:
    """What the command found: the answers, and what goes with them."""

    package: str
    answers: dict[str, str] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)  # module:qualname -> generated module
    #: class name -> (the template's base class it should have, the module holding that class)
    rebase: dict[str, tuple[str, str]] = field(default_factory=dict)
    carry_over: list[str] = field(default_factory=list)
    cannot_express: list[str] = field(default_factory=list)

    def command(self, template: str) -> str:
        def value(text: str) -> str:  # cookiecutter renders --no-input answers as Jinja
            return "{% raw %}" + text + "{% endraw %}" if "{" in text else text

        words = [f"{name}={value(text)}" for name, text in self.answers.items()]
        return shlex.join(["cookiecutter", "--no-input", template, *words])


def load_introspect() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_template_introspect", INTROSPECT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def isolated_jupyter() -> Iterator[str]:
    """Jupyter's config, data and runtime folders of a temporary home: the user's own config
    (other extensions enabled there) stays out of it."""
    with tempfile.TemporaryDirectory() as home:
        saved = {name: os.environ.get(name) for name in ("CONFIG", "DATA", "RUNTIME")}
        for name, sub in (("CONFIG", ".jupyter"), ("DATA", "data"), ("RUNTIME", "runtime")):
            os.environ[f"JUPYTER_{name}_DIR"] = os.path.join(home, sub)
        try:
            yield home
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(f"JUPYTER_{name}_DIR", None)
                else:
                    os.environ[f"JUPYTER_{name}_DIR"] = value


def load(package: str) -> tuple[list[Registered], Any]:
    """The routes `package` registers in a ServerApp under base_url /, and the ExtensionApp
    (or None) it loads as."""
    from jupyter_server.extension.manager import ExtensionManager
    from jupyter_server.serverapp import ServerApp

    with isolated_jupyter() as home, contextlib.redirect_stdout(sys.stderr):
        app = ServerApp(
            jpserver_extensions={package: True}, root_dir=home, open_browser=False,
            log_level="WARN", reraise_server_extension_failures=True,
        )  # fmt: skip
        with recording(ExtensionManager, "load_extension") as added:
            app.initialize(argv=[], find_extensions=False, new_httpserver=False)
    routes = [
        Registered(rule.matcher.regex.pattern.removesuffix("$"), rule.target, rule.target_kwargs)
        for _, rule in path_rules(app.web_app)
        if added.get(id(rule)) == package
    ]
    extension = app.extension_manager.extensions.get(package)
    points = extension.extension_points.values() if extension else []
    apps = [point.app for point in points if point.app is not None]
    return routes, (apps[0] if apps else None)


def plain_pattern(pattern: str) -> str:
    """A registered pattern as the `handlers` answer writes it: characters matched raw or
    percent-encoded back to themselves, `(?P<name>[^/]+)` as `{name}`."""

    def literal(match: re.Match[str]) -> str:
        char = match.group(1)
        return char if char.lstrip("\\") == chr(int(match.group(2), 16)) else match.group()

    return _PARAMETER.sub(r"{\1}", _EITHER.sub(literal, pattern))


def namespace_of(patterns: list[str], template_namespace: str | None) -> str:
    """The URL namespace: the template's own when the extension was made with it, else the
    literal path segments every pattern starts with (none for a single route)."""
    if template_namespace is not None:
        return template_namespace
    if len(patterns) < 2:
        return ""
    heads = [re.match(r"[^\\()\[\]{}.*+?|^$]*", pattern).group() for pattern in patterns]  # type: ignore[union-attr]
    common = ""
    for parts in zip(*(head.split("/")[1:] for head in heads), strict=False):  # the shortest
        longer = f"{common}/{parts[0]}"
        whole = (p == longer or p.startswith((longer + "/", longer + "(")) for p in patterns)
        if len(set(parts)) > 1 or not parts[0] or not all(whole):
            break
        common = longer
    return common.strip("/")


def port(package: str) -> Port:
    introspect = load_introspect()
    routes, extension_app = load(package)
    found = Port(package)
    if not routes:
        found.cannot_express.append(f"{package} registers no route when it loads")
        return found
    if extension_app is not None:  # the route an ExtensionApp adds for its static_paths
        app_static = f"/static/{extension_app.name}/"
        if any(r.pattern.startswith(app_static) for r in routes):
            found.carry_over.append(
                f'static_paths {list(extension_app.static_paths)}: @default("static_paths") '
                "in settings.py"
            )
        routes = [r for r in routes if not r.pattern.startswith(app_static)]
    template_routes = sys.modules.get(f"{package}.routes")
    namespace = namespace_of(
        [r.pattern for r in routes if not _is_templates_own(r.handler, package)],
        getattr(template_routes, "URL_NAMESPACE", None),
    )
    prefix = ("/" + namespace) if namespace else ""
    entries: list[str] = []
    upstream: dict[str, str] = {}  # class name in the answers -> module:qualname
    taken: dict[str, type] = {}
    guarded = False
    for route in routes:
        handler = route.handler
        where = f"{route.pattern} ({handler.__module__}.{handler.__qualname__})"
        if _is_templates_own(handler, package):
            continue
        relative = plain_pattern(route.pattern)
        if prefix and not relative.startswith(prefix):
            found.cannot_express.append(f"{where} lies outside the namespace /{namespace}")
            continue
        relative = relative[len(prefix) :] or "/"
        kind = introspect.route_kind(handler)
        methods = [m for m in introspect.served_methods(handler) if m != "OPTIONS"]
        public = [m for m in methods if introspect.is_public(handler, m)]
        guarded |= any(introspect.authorization(handler, m) for m in methods)
        if public and len(public) < len(methods):
            found.cannot_express.append(
                f"{where}: {', '.join(public)} public and {', '.join(sorted(set(methods) - set(public)))} "
                "not; a route of the table is public or not as a whole (give them two classes)"
            )
        word, flag = _kind_words(kind, methods, where, found)
        if kind == "static":
            relative = re.sub(r"/\((?:\?P<\w+>)?\.[*+]\)$", "", relative)
        name = _class_name(handler, taken, kind, found)
        base, module = BASES[kind if flag or kind not in ("page", "download") else "api"]
        if base not in {cls.__name__ for cls in handler.__mro__}:
            found.rebase[name] = (base, module)
            found.carry_over.append(
                f"{name}: put the template's {base} (from ..{module}) in place of "
                f"{', '.join(b.__name__ for b in handler.__bases__)} among its bases: it answers "
                "unknown methods and errors as the contract tests check"
            )
        upstream[name] = f"{handler.__module__}:{handler.__qualname__}"
        words = [word, relative, name, *(["public"] if public else []), *([flag] if flag else [])]
        entries.append(" ".join(words))
        resource = getattr(handler, "auth_resource", None)
        if isinstance(resource, str) and resource != package:
            found.carry_over.append(
                f"auth_resource {resource!r} of {name}: it comes with the class"
            )
        arguments = sorted(set(route.kwargs) - _app_arguments(extension_app, route.kwargs))
        if arguments:
            found.carry_over.append(
                f"handler arguments {arguments} of {name}: the template passes none; "
                "create them in settings.py's initialize_settings and read them in the handler as "
                "self.extension_settings.<name>"
            )
    if extension_app is not None and list(getattr(extension_app, "template_paths", [])):
        found.carry_over.append(
            f'template_paths {list(extension_app.template_paths)}: @default("template_paths") '
            "in settings.py"
        )
    found.answers = {
        **_names(package),
        "url_namespace": namespace or "/",
        "handlers": "; ".join(entries),
        "auth": "authorized" if guarded else "authenticated",
        "extension_app": "yes" if extension_app is not None else "no",
        "classic_notebook": "yes" if _enabled_in_notebook6(package) else "no",
    }
    # The answers the command leaves out take the template's defaults.
    defaults = {"full_name": "Jane Developer", "email": "jane@example.com", "description": ""}
    found.cannot_express += validate({**defaults, **found.answers})
    if entries and not [p for p in found.cannot_express if "'handlers'" in p]:
        for handler_class in handler_classes(parse_handlers(found.answers["handlers"])):
            found.modules[upstream[handler_class.name]] = _module_path(package, handler_class)
    return found


def _app_arguments(extension_app: Any, kwargs: dict[str, Any]) -> set[str]:
    """The arguments an ExtensionApp gives each of its handlers itself (its name)."""
    name = getattr(extension_app, "name", None)
    return {"name"} if name is not None and kwargs.get("name") == name else set()


def _is_templates_own(handler: type, package: str) -> bool:
    """The routes a project made with this template registers besides its table."""
    return handler.__module__ in (f"{package}.openapi", f"{package}.base") and (
        handler.__name__ in ("OpenAPIHandler", "NotFoundHandler")
    )


def _kind_words(kind: str, methods: list[str], where: str, found: Port) -> tuple[str, str]:
    """The entry's first word and its flag for a handler of `kind` serving `methods`."""
    if kind in ("ws", "sse", "static"):
        return kind.upper(), ""
    word = ",".join(methods) or "GET"
    allowed = {"page": {"GET"}, "download": {"GET", "HEAD"}}.get(kind)
    if allowed is None:
        return word, ""
    if set(methods) <= allowed:
        return word, kind
    found.carry_over.append(
        f"{where} answers {', '.join(methods)} without JSON errors (a {kind} handler): listed as "
        "a JSON route, keep its base class; the contract tests read the kind from the class"
    )
    return word, ""


def _class_name(handler: type, taken: dict[str, type], kind: str, found: Port) -> str:
    name = handler.__name__
    if name in taken and (taken[name] is not handler or kind != "api"):
        found.carry_over.append(
            f"{name} serves several {kind} routes: each gets a class of its own here "
            f"({name}2...); subclass {name} in them"
        )
    valid = _CLASS_NAME.match(name) and name not in RESERVED_CLASS_NAMES and len(name) <= MAX_NAME
    candidate, n = (name if valid else "Ported" + re.sub(r"\W|^_+", "", name)[:40]), 2
    while candidate in taken and (taken[candidate] is not handler or kind != "api"):
        candidate, n = f"{name}{n}", n + 1
    if candidate != name and name not in taken:
        found.carry_over.append(f"class {name} is called {candidate} here (the name is taken)")
    taken[candidate] = handler
    return candidate


def _names(package: str) -> dict[str, str]:
    """The package's names and description, from the metadata of the distribution that
    installs it (else made from the import name)."""
    names = {"package_name": package, "project_slug": package.replace("_", "-")}
    meta = _distribution(package)
    if meta is None:
        return {**names, "project_name": package}
    names |= {"project_name": meta["Name"], "project_slug": meta["Name"]}
    if meta.get("Summary"):
        names["description"] = " ".join(meta["Summary"].split())
    return names


def _distribution(package: str) -> Any:
    normalized = re.sub(r"[-_.]+", "-", package).lower()
    dists = importlib.metadata.packages_distributions().get(package, [])
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"] or ""
        if name in dists or re.sub(r"[-_.]+", "-", name).lower() == normalized:
            return dist.metadata
    return None


def _enabled_in_notebook6(package: str) -> bool:
    from jupyter_core.paths import jupyter_config_path

    names = ("jupyter_notebook_config.d",)
    return any(
        (Path(folder) / name / f"{package}.json").exists()
        for folder in jupyter_config_path()
        for name in names
    )


def _module_path(package: str, handler_class: HandlerClass) -> str:
    return f"{package}/handlers/{handler_class.module}.py"


def report(found: Port, template: str) -> str:
    count = found.answers.get("handlers", "").count(";") + 1 if found.answers.get("handlers") else 0
    lines = [
        f"Answers that reproduce the {count} route(s) of {found.package} with this template:",
        "",
    ]
    lines += ["  " + found.command(template), ""]
    if found.modules:
        lines.append("Where each handler class's code goes (after baking):")
        lines += [f"  {source} -> {target}" for source, target in found.modules.items()]
    if found.carry_over:
        lines += ["", "Carry over by hand:"] + [f"  - {item}" for item in found.carry_over]
    if found.cannot_express:
        lines += ["", "Cannot be expressed:"] + [f"  - {item}" for item in found.cannot_express]
    return "\n".join(lines)


def template_location() -> str:
    """Where cookiecutter finds this template: this checkout, or what uvx installed it from."""
    if (TEMPLATE_DIR / "cookiecutter.json").exists():
        return str(TEMPLATE_DIR)
    with contextlib.suppress(importlib.metadata.PackageNotFoundError, TypeError, ValueError):
        dist = importlib.metadata.distribution("cookiecutter-jupyter-server-extension")
        origin = json.loads(dist.read_text("direct_url.json") or "")
        url = str(origin["url"])
        if url.startswith("file://"):
            return url.removeprefix("file://")
        return f"git+{url}" if "vcs_info" in origin else url
    return "<this template>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", help="the extension's import name (as in jpserver_extensions)")
    parser.add_argument("--json", action="store_true", help="print a JSON document instead")
    parser.add_argument(
        "--template", default=template_location(), help="the template in the printed command"
    )
    args = parser.parse_args(argv)
    try:
        found = port(args.package)
    except Exception as err:  # a load failure is the answer, in one line
        print(f"{args.package} did not load: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    if args.json:
        document = {
            "answers": found.answers,
            "command": found.command(args.template),
            "modules": found.modules,
            "rebase": found.rebase,
            "carry_over": found.carry_over,
            "cannot_express": found.cannot_express,
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(report(found, args.template))
    return 1 if found.cannot_express else 0


if __name__ == "__main__":
    sys.exit(main())
