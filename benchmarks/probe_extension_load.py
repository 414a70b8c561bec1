"""Time what one extension adds to a ServerApp's startup, from inside the server process.

Usage: python probe_extension_load.py PACKAGE  (in a server venv where PACKAGE is importable but
not enabled). Initializes a ServerApp with no extension, then adds, links and loads PACKAGE as the
server does at startup, and prints the seconds each step took as one JSON line.
"""

import json
import sys
import time

from jupyter_server.serverapp import ServerApp


def main(package: str) -> None:
    app = ServerApp(open_browser=False, reraise_server_extension_failures=True)
    app.initialize(argv=[], new_httpserver=False)
    manager = app.extension_manager
    if manager.extensions:
        raise SystemExit(
            f"expected no extension before the probe, found {sorted(manager.extensions)}"
        )
    rules_before = len(app.web_app.default_router.rules)
    start = time.perf_counter()
    manager.add_extension(package, enabled=True)  # imports it, reads its extension points
    imported = time.perf_counter()
    manager.link_extension(package)
    linked = time.perf_counter()
    manager.load_extension(package)  # _load_jupyter_server_extension: registers the routes
    loaded = time.perf_counter()
    if len(app.web_app.default_router.rules) <= rules_before:
        raise SystemExit(f"{package} registered no routes")
    print(
        json.dumps({"import": imported - start, "link": linked - imported, "load": loaded - linked})
    )


if __name__ == "__main__":
    main(sys.argv[1])
