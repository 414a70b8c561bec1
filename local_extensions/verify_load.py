"""Load a freshly generated extension into a real jupyter_server and check its routes.

Run by the post-generation hook as ``python -B verify_load.py`` with a JSON plan on stdin, in an
interpreter that has jupyter_server (not necessarily cookiecutter's own). Standard library and
jupyter_server only: this file must not import the rest of local_extensions.
Prints one line per problem and exits 1 when the extension does not load or route as answered;
prints one line and exits 3 (CANNOT_JUDGE) when this interpreter's jupyter_server cannot judge the
project at all: missing, older than MIN_JUPYTER_SERVER, or failing to import itself.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from typing import Any

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
CANNOT_JUDGE = 3  # exit status: the hook then skips the check instead of calling the project broken
# The generated code imports JupyterServerAuthWarning and allow_unauthenticated, new in 2.13.
MIN_JUPYTER_SERVER = (2, 13)


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def version_tuple(version: str) -> tuple[int, ...]:
    """(2, 13, 0) for "2.13.0rc1": the release numbers a version starts with."""
    release = re.match(r"\d+(\.\d+)*", version)
    return tuple(int(part) for part in release.group().split(".")) if release else ()


def why_this_python_cannot_judge() -> str | None:
    """One line saying why this interpreter's jupyter_server cannot load any generated project."""
    try:
        import jupyter_server
    except Exception as err:
        return f"{sys.executable} cannot import jupyter_server: {_one_line(err)}"
    version = str(getattr(jupyter_server, "__version__", "unknown"))
    where = f"jupyter_server {version} ({sys.executable})"
    if version_tuple(version) < MIN_JUPYTER_SERVER:
        needed = ".".join(map(str, MIN_JUPYTER_SERVER))
        return f"{where} is too old to judge the project, which needs jupyter_server >= {needed}"
    try:
        import jupyter_server.serverapp
        from jupyter_server.auth.decorator import allow_unauthenticated  # noqa: F401
        from jupyter_server.utils import JupyterServerAuthWarning  # noqa: F401
    except Exception as err:
        return f"{where} is broken: importing it fails with {_one_line(err)}"
    return None


def _one_line(err: Exception) -> str:
    return f"{type(err).__name__}: {' '.join(str(err).split())}"


def main() -> int:
    plan = json.load(sys.stdin)
    # Judged before the project is importable, so that only jupyter_server's own failures count.
    reason = why_this_python_cannot_judge()  # no walrus: old Pythons must get this far
    if reason:
        print(reason)
        return CANNOT_JUDGE
    sys.path.insert(0, plan["project_dir"])
    from jupyter_server.serverapp import ServerApp
    from jupyter_server.utils import JupyterServerAuthWarning

    package = plan["package_name"]
    app = ServerApp(
        jpserver_extensions={package: True},
        base_url=plan["base_url"],
        reraise_server_extension_failures=True,
        allow_unauthenticated_access=False,
        open_browser=False,
    )
    installed = plan.get("extensions") == "installed"  # load what the environment enables too
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            app.initialize(argv=[], find_extensions=installed, new_httpserver=False)
        except Exception as err:  # any failure to load is the verdict, reported in one line
            print(f"the extension failed to load: {type(err).__name__}: {err}")
            return 1

    # Strict mode warns about every method without an auth decorator, other extensions' too.
    ours = [route["class_name"] for route in plan["routes"]]
    problems = [
        f"JupyterServerAuthWarning: no auth decorator on {line.lstrip('- ')}"
        for warning in caught
        if issubclass(warning.category, JupyterServerAuthWarning)
        for line in str(warning.message).splitlines()
        if line.startswith("- ")
        and (any(f" of {n} registered" in line for n in ours) or not installed)
    ]
    for expected in plan["routes"]:
        for url in expected.get("urls") or [expected["url"]]:
            problems += routing_problems(app, package, expected, url)
    problems += taken_urls(app, package, plan.get("server_samples", {}))
    for line in problems:
        print(line)
    return 1 if problems else 0


def request_for(path: str) -> Any:
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    start = RequestStartLine("GET", path, "HTTP/1.1")
    return HTTPServerRequest(start_line=start, headers=HTTPHeaders({"Host": "127.0.0.1"}))


def routing_problems(app: Any, package: str, expected: dict[str, Any], url: str) -> list[str]:
    """How `url` fails to reach the class and arguments of `expected` (a route of the plan)."""
    from tornado.web import RequestHandler

    delegate = app.web_app.find_handler(request_for(url))
    handler = delegate.handler_class
    where = f"{url} (route {expected['route']!r})"
    problems = []
    if handler.__name__ != expected["class_name"] or not handler.__module__.startswith(package):
        return [
            f"{where} reaches {handler.__module__}.{handler.__name__}, "
            f"not {package}.{expected['class_name']}"
        ]
    served = sorted(
        m for m in METHODS if getattr(handler, m.lower()) is not getattr(RequestHandler, m.lower())
    )
    if served != sorted(expected["methods"]):
        problems.append(f"{where} serves {served}, expected {sorted(expected['methods'])}")
    got = {k: _text(v) for k, v in delegate.path_kwargs.items()} or {
        name: _text(v)
        for name, v in zip(expected["params"], delegate.path_args)  # noqa: B905 (py3.9 servers)
    }
    if got != expected["sample_params"]:
        problems.append(
            f"{where} passes {got} to the handler, expected {expected['sample_params']}"
        )
    return problems


def taken_urls(app: Any, package: str, known: dict[str, list[str]]) -> list[str]:
    """A line for each URL that a route of the server (or of another extension loaded) serves
    and the extension takes: tried in Tornado's order, it reaches the extension's handler
    instead. Each server route is tried with the samples `known` for its pattern (relative to
    base_url), else with one sample_path makes."""
    from sample_paths import NoSamplePath, sample_path

    rules = [rule for host in app.web_app.default_router.rules for rule in host.target.rules]
    theirs = [rule for rule in rules if not _ours(rule, package)]
    prefix = app.base_url.rstrip("/")
    problems = []
    for rule in theirs:
        pattern = rule.matcher.regex.pattern
        pattern = pattern[:-1] if pattern.endswith("$") else pattern
        relative = pattern[len(prefix) :] if pattern.startswith(prefix + "/") else None
        urls = [prefix + sample for sample in known.get(relative or "", [])]
        try:
            urls.append(sample_path(pattern))
        except NoSamplePath:
            pass
        for url in dict.fromkeys(urls):
            request = request_for(url)
            reached = next((r for r in rules if r.matcher.match(request) is not None), None)
            if reached is not None and reached is not rule and _ours(reached, package):
                if next((r for r in theirs if r.matcher.match(request) is not None), None) is rule:
                    target = f"{rule.target.__module__}.{rule.target.__name__}"
                    problems.append(f"{url}, which {target} serves, reaches the extension")
    return problems


def _ours(rule: Any, package: str) -> bool:
    return str(getattr(rule.target, "__module__", "")).split(".")[0] == package


if __name__ == "__main__":
    sys.exit(main())
