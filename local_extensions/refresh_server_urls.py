"""Rewrite server_urls.json from the route tables of live servers (initialized, never listening).

    python -m local_extensions.refresh_server_urls            # every flavour, each in its venv
    python -m local_extensions.refresh_server_urls --flavour modern  # this interpreter's servers
    python -m local_extensions.refresh_server_urls --flavour modern --print  # print, write nothing

Flavours: "modern" is a ServerApp with every bundled extension that is installed (JupyterLab,
Notebook 7, nbclassic, terminals, jupyter-lsp), "classic" is Notebook 6's NotebookApp and "hub" is
JupyterHub's single-user server (its hub is not running: the version check and activity reports
are stubbed). Without --flavour, each flavour is read by the python of its venv in --venvs (the
template tests' cache by default); the snapshot is then written sorted, one route a line.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .sample_paths import NoSamplePath, sample_path
from .server_urls import AFTER_EXTENSIONS, BEFORE_EXTENSIONS, FLAVOURS, IN_LOAD_ORDER, SNAPSHOT

BASE_URL = "/user/alice/"  # any prefix but "/", to tell base_url's routes from the host's
MODULE = "local_extensions.refresh_server_urls"
REFRESH_COMMAND = f"python -m {MODULE}"
DEFAULT_VENVS = (
    Path(os.environ.get("TEMPLATE_TEST_CACHE", Path.home() / ".cache/cookiecutter-jupyter-server-extension"))
    / "venvs"
)  # fmt: skip

# The jupyter_server extensions that the bundled apps install; each one installed is enabled.
BUNDLED_EXTENSIONS = (
    "jupyter_lsp", "jupyter_server_terminals", "jupyterlab", "nbclassic", "notebook", "notebook_shim",
)  # fmt: skip
VERSIONS_OF = (
    "jupyter_server", "jupyter_lsp", "jupyter_server_terminals", "jupyterhub", "jupyterlab",
    "jupyterlab_server", "nbclassic", "notebook", "tornado",
)  # fmt: skip
# Handlers outside base_url (robots.txt and favicon.ico at the host root) are left out too.
SKIPPED_HANDLERS = {
    "Template404": "the final catch-all (.*): answers 404 for every URL nothing else serves",
    "TrailingSlashHandler": "<base_url>.*/ redirects any URL ending in '/' to the URL without it",
}
# Packages whose handlers are the server's own when no extension registered them.
CORE_PACKAGES = frozenset({"jupyter_server", "notebook", "tornado"})

# Samples chosen by hand where sample_path's one example is odd (/treeexample for /tree(.*), an
# unescaped '.' read as 'x') or misses the URL that matters (the bare /lab, /api/contents).
_CONTENTS_PATH = "(?P<path>(?:(?:/[^/]+)+|/?))"
SAMPLES: dict[str, tuple[str, ...]] = {
    "/(?P<mode>lab|doc)(?P<workspace>/workspaces/[a-zA-Z0-9\\-\\_]+)?(?P<tree>/tree/.*)?": (
        "/lab", "/doc", "/lab/tree/example", "/lab/workspaces/example",
    ),
    "/tree(.*)": ("/tree", "/tree/example"),
    "/notebooks(.*)": ("/notebooks", "/notebooks/example.ipynb"),
    "/edit(.*)": ("/edit", "/edit/example.txt"),
    "/(robots\\.txt|favicon\\.ico)": ("/robots.txt", "/favicon.ico"),
    "/api/spec.yaml": ("/api/spec.yaml",),
    "/custom/custom.css": ("/custom/custom.css",),
    "/api/notebooks/?(.*)": ("/api/notebooks", "/api/notebooks/example.ipynb"),
    **{
        f"/{prefix}{_CONTENTS_PATH}": (f"/{prefix}", f"/{prefix}/example")
        for prefix in (
            "api/contents", "view", "tree", "notebooks", "edit", "nbclassic/tree",
            "nbclassic/notebooks", "nbclassic/edit", "nbclassic/view",
        )
    },
    **{
        f"/lab/api/{name}/?": (f"/lab/api/{name}", f"/lab/api/{name}/")
        for name in ("settings", "translations", "workspaces")
    },
}  # fmt: skip

_BEFORE, _DURING = "(before extensions)", "(while extensions load)"  # not package names


# --------------------------------------------------------------------------- reading


def read(flavour: str) -> dict[str, Any]:
    """This interpreter's live route table for `flavour`: versions and [pattern, owner, tried]."""
    readers = {"modern": _modern_app, "classic": _notebook6_app, "hub": _singleuser_app}
    with tempfile.TemporaryDirectory() as home, contextlib.redirect_stdout(sys.stderr):
        for name, sub in (("CONFIG", ".jupyter"), ("DATA", "data"), ("RUNTIME", "runtime")):
            os.environ[f"JUPYTER_{name}_DIR"] = os.path.join(home, sub)  # ignore the user's own
        try:
            web_app, notes = readers[flavour](home)
        except ImportError as err:
            raise SystemExit(
                f"{sys.executable} cannot serve the {flavour!r} flavour: {err}"
            ) from None
        routes = list(_walk(web_app, notes))
    versions = {}
    for dist in VERSIONS_OF:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[dist] = importlib.metadata.version(dist)
    return {"versions": versions, "routes": routes}


def _installed_extensions() -> dict[str, bool]:
    import importlib.util

    return {name: True for name in BUNDLED_EXTENSIONS if importlib.util.find_spec(name)}


def _modern_app(home: str) -> tuple[Any, dict[int, str]]:
    from jupyter_server.serverapp import ServerApp

    app = ServerApp(
        jpserver_extensions=_installed_extensions(), base_url=BASE_URL, root_dir=home,
        open_browser=False, log_level="WARN",
    )  # fmt: skip
    with _server_app_notes() as notes:
        app.initialize(argv=[], find_extensions=False, new_httpserver=False)
    return app.web_app, notes


def _notebook6_app(home: str) -> tuple[Any, dict[int, str]]:
    from notebook.notebookapp import NotebookApp

    app = NotebookApp(base_url=BASE_URL, notebook_dir=home, open_browser=False, log_level="WARN")
    loading = recording(NotebookApp, "init_server_extensions", _DURING, existing=_BEFORE)
    with loading as notes:
        app.initialize(argv=[])  # Notebook 6 binds its port in start(), not here
    return app.web_app, notes


def _singleuser_app(home: str) -> tuple[Any, dict[int, str]]:
    os.environ.update(
        JUPYTERHUB_API_TOKEN="0" * 32, JUPYTERHUB_API_URL="http://127.0.0.1:9/hub/api",
        JUPYTERHUB_BASE_URL="/", JUPYTERHUB_SERVICE_PREFIX=BASE_URL, JUPYTERHUB_USER="alice",
        JUPYTERHUB_CLIENT_ID="jupyterhub-user-alice", JUPYTERHUB_SERVICE_URL="http://127.0.0.1:9/",
        JUPYTERHUB_OAUTH_CALLBACK_URL=BASE_URL + "oauth_callback",
    )  # fmt: skip
    from jupyterhub.singleuser.extension import JupyterHubSingleUser

    async def no_hub(self: Any) -> None:  # there is no hub to ask for its version or report to
        return None

    JupyterHubSingleUser.check_hub_version = no_hub
    JupyterHubSingleUser.keep_activity_updated = no_hub
    package = JupyterHubSingleUser.get_extension_package()
    app = JupyterHubSingleUser.make_serverapp(
        jpserver_extensions={package: True, **_installed_extensions()}, root_dir=home,
        log_level="WARN",
    )  # fmt: skip
    with _server_app_notes() as notes:
        app.initialize(
            argv=[], starter_extension=JupyterHubSingleUser.name, find_extensions=False,
            new_httpserver=False,
        )  # fmt: skip
    return app.web_app, notes


@contextlib.contextmanager
def _server_app_notes() -> Iterator[dict[int, str]]:
    from jupyter_server.extension.manager import ExtensionManager
    from jupyter_server.serverapp import ServerApp

    loading = recording(ServerApp, "load_server_extensions", _DURING, existing=_BEFORE)
    with loading as notes, recording(ExtensionManager, "load_extension") as named:
        yield notes
    notes.update(named)


@contextlib.contextmanager
def recording(
    cls: type, method: str, label: str | None = None, *, existing: str | None = None
) -> Iterator[dict[int, str]]:
    """While `cls.method` runs, note which path rules it adds: {id(rule): label}, by default the
    method's first argument (an extension's name). With `existing`, note the rules that are there
    when it starts too."""
    notes: dict[int, str] = {}
    original = getattr(cls, method)

    def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
        web_app = getattr(self, "serverapp", self).web_app  # an ExtensionManager has .serverapp
        before = {id(rule) for _, rule in path_rules(web_app)}
        if existing:
            notes.update(dict.fromkeys(before, existing))
        try:
            return original(self, *args, **kwargs)
        finally:
            for _, rule in path_rules(web_app):
                if id(rule) not in before:
                    notes[id(rule)] = args[0] if label is None else label

    setattr(cls, method, recorded)
    try:
        yield notes
    finally:
        setattr(cls, method, original)


def path_rules(web_app: Any) -> Iterator[tuple[bool, Any]]:
    """(in the wildcard router, rule) for every path rule, in the order Tornado tries them."""
    for host_rule in web_app.default_router.rules:
        wildcard = host_rule.target is web_app.wildcard_router
        for rule in host_rule.target.rules:
            yield wildcard, rule


def _walk(web_app: Any, notes: dict[int, str]) -> Iterator[list[str]]:
    """[pattern relative to base_url, owner, tried] for each route the server serves on purpose."""
    prefix = BASE_URL.rstrip("/")
    for wildcard, rule in path_rules(web_app):
        handler = rule.target
        pattern = rule.matcher.regex.pattern.removesuffix("$")
        if handler.__name__ in SKIPPED_HANDLERS or not pattern.startswith(prefix + "/"):
            continue
        note = notes.get(id(rule))
        if note in (None, _BEFORE, _DURING):  # no jupyter_server extension added it: by module
            package = handler.__module__.split(".")[0]
            owner = "core" if package in CORE_PACKAGES else package
        else:
            owner = note
        if wildcard or note is None:
            tried = AFTER_EXTENSIONS
        else:
            tried = BEFORE_EXTENSIONS if note == _BEFORE else IN_LOAD_ORDER
        yield [pattern.removeprefix(prefix), owner, tried]


# --------------------------------------------------------------------------- the snapshot


def samples(pattern: str) -> list[str]:
    """The sample paths recorded for a server pattern: chosen by hand, else sample_path's."""
    try:
        chosen = SAMPLES.get(pattern) or (sample_path(pattern),)
    except NoSamplePath:
        raise SystemExit(f"no sample path for {pattern!r}: add samples to SAMPLES") from None
    wrong = [s for s in chosen if not re.fullmatch(pattern, s)]
    if wrong:
        raise SystemExit(f"SAMPLES for {pattern!r} do not match it: {wrong}")
    return list(chosen)


def snapshot(readings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The snapshot of every flavour's reading: one entry per (pattern, owner, tried)."""
    flavours_of: dict[tuple[str, str, str], set[str]] = {}
    for flavour, reading in readings.items():
        for pattern, owner, tried in reading["routes"]:
            flavours_of.setdefault((pattern, owner, tried), set()).add(flavour)
    routes = [
        {"pattern": pattern, "owner": owner, "tried": tried, "flavours": sorted(flavours),
         "samples": samples(pattern)}
        for (pattern, owner, tried), flavours in sorted(
            flavours_of.items(), key=lambda item: (item[0][1], item[0][0], item[0][2])
        )
    ]  # fmt: skip
    unused = set(SAMPLES) - {pattern for pattern, _, _ in flavours_of}
    if unused:
        raise SystemExit(f"SAMPLES has patterns that no server serves any more: {sorted(unused)}")
    return {
        "about": f"URL patterns the servers serve, relative to base_url. Regenerate: {REFRESH_COMMAND}",
        "skipped": {**SKIPPED_HANDLERS, "outside base_url": "/robots.txt and /favicon.ico"},
        "versions": {flavour: readings[flavour]["versions"] for flavour in sorted(readings)},
        "routes": routes,
    }


def render(data: dict[str, Any]) -> str:
    """JSON with one route a line, for readable diffs."""
    head = json.dumps({k: v for k, v in data.items() if k != "routes"}, indent=2, sort_keys=True)
    rows = ",\n".join("    " + json.dumps(route) for route in data["routes"])
    return f'{head.removesuffix("}").rstrip()},\n  "routes": [\n{rows}\n  ]\n}}\n'


def readings_in(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The per-flavour readings a snapshot was made of (without their order)."""
    readings = {f: {"versions": v, "routes": []} for f, v in data["versions"].items()}
    for route in data["routes"]:
        for flavour in route["flavours"]:
            readings[flavour]["routes"].append([route["pattern"], route["owner"], route["tried"]])
    return readings


def read_in_venv(flavour: str, venvs: Path) -> dict[str, Any]:
    """Run the reading with the python of the flavour's venv."""
    python = venvs / flavour / "bin" / "python"
    argv = [str(python), "-m", MODULE, "--flavour", flavour, "--print"]
    result = subprocess.run(
        argv, cwd=Path(__file__).parent.parent, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flavour", choices=FLAVOURS, help="read this interpreter's servers")
    parser.add_argument("--print", action="store_true", help="print the reading, write nothing")
    parser.add_argument("--venvs", type=Path, default=DEFAULT_VENVS, help="<venvs>/<flavour>/")
    args = parser.parse_args(argv)
    if args.print:
        if not args.flavour:
            parser.error("--print needs --flavour")
        print(json.dumps(read(args.flavour), indent=1))
        return 0
    if args.flavour:
        readings = readings_in(json.loads(SNAPSHOT.read_text(encoding="utf-8")))
        readings[args.flavour] = read(args.flavour)
    else:
        readings = {flavour: read_in_venv(flavour, args.venvs) for flavour in FLAVOURS}
    SNAPSHOT.write_text(render(snapshot(readings)), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
