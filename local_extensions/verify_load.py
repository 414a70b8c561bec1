"""Load a freshly generated extension into a real jupyter_server and check its routes.

Run by the post-generation hook as ``python -B verify_load.py`` with a JSON plan on stdin, in an
interpreter that has jupyter_server (not necessarily cookiecutter's own). Standard library and
jupyter_server only: this file must not import the rest of local_extensions.
Prints one line per problem and exits 1 when the extension does not load or route as answered.
"""

from __future__ import annotations

import json
import sys
import warnings

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def main() -> int:
    plan = json.load(sys.stdin)
    sys.path.insert(0, plan["project_dir"])
    from jupyter_server.serverapp import ServerApp
    from jupyter_server.utils import JupyterServerAuthWarning
    from tornado.httputil import HTTPHeaders, HTTPServerRequest
    from tornado.web import RequestHandler

    package = plan["package_name"]
    app = ServerApp(
        jpserver_extensions={package: True},
        base_url=plan["base_url"],
        reraise_server_extension_failures=True,
        allow_unauthenticated_access=False,
        open_browser=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", JupyterServerAuthWarning)
        try:
            app.initialize(argv=[], find_extensions=False, new_httpserver=False)
        except Exception as err:  # any failure to load is the verdict, reported in one line
            print(f"the extension failed to load: {type(err).__name__}: {err}")
            return 1

    problems = []
    for expected in plan["routes"]:
        request = HTTPServerRequest(
            method="GET", uri=expected["url"], headers=HTTPHeaders({"Host": "127.0.0.1"})
        )
        delegate = app.web_app.find_handler(request)
        handler = delegate.handler_class
        where = f"{expected['url']} (route {expected['route']!r})"
        if handler.__name__ != expected["class_name"] or not handler.__module__.startswith(package):
            problems.append(
                f"{where} reaches {handler.__module__}.{handler.__name__}, "
                f"not {package}.{expected['class_name']}"
            )
            continue
        served = sorted(
            m
            for m in METHODS
            if getattr(handler, m.lower()) is not getattr(RequestHandler, m.lower())
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
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
