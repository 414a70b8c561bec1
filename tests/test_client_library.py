"""The generated README's "Call it from a JupyterLab extension" code is known to work: its
TypeScript, taken from baked READMEs, type-checks with `tsc --strict` against
`@jupyterlab/services` from npm, and runs under Node.js against one live `jupyter server` at
/user/alice/ with the token (the `ws` package as WebSocket), calling every JSON route of every
curated combination but one with the README's requestAPI and fetchAPI, and its examples."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from combinations import COMBINATIONS
from filelock import FileLock
from support import (
    CACHE_DIR,
    Bake,
    Server,
    bake,
    jupyter_server,
    overlay_venv,
    pip_install,
    run,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("client-library")]

SECTION = "## Call it from a JupyterLab extension"
NEXT_SECTION = "## Deploying on JupyterHub"
TS_DIR = Path(__file__).parent / "ts"  # package.json (pinned), package-lock.json, tsconfig, harness
NPM_DIR = CACHE_DIR / "npm" / "client-library"
# Run against one live server holding them all, so each needs a package name and URLs of its own.
NOT_LIVE = {
    "auth=authenticated-license=MIT": "its package is named like the defaults' (jupyter_hello)"
}
LIVE = [c.id for c in COMBINATIONS if c.id not in NOT_LIVE]
BASE_URL = "/user/alice/"
OPENAPI_PATH = "openapi.json"


def readme_typescript(project: Path) -> str:
    """The ```ts blocks of the README's section, in order: one module."""
    readme = (project / "README.md").read_text()
    assert SECTION in readme, f"{project}: no {SECTION!r}"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    assert readme.split(SECTION, 1)[1].startswith(section + "\n" + NEXT_SECTION), (
        f"{SECTION!r} must come right before {NEXT_SECTION!r}"
    )
    blocks = re.findall(r"^```ts\n(.*?)^```$", section, re.S | re.M)
    assert blocks, f"no TypeScript in {SECTION!r}"
    return "\n".join(blocks)


def folder(combo: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", combo)


def main_ts(baked: Bake) -> str:
    """The entry point calling the README's functions for this project's route kinds."""
    kinds = {route.kind for route in baked.routes}
    examples = ["example"]
    examples += ["exampleSocket"] * ("ws" in kinds) + ["exampleStream"] * ("sse" in kinds)
    entries = "".join(f"  {name}: client.{name},\n" for name in examples)
    return (
        "import { run } from '../harness';\n"
        "import * as client from './client';\n\n"
        f"void run(client.requestAPI, client.fetchAPI, {{\n{entries}}});\n"
    )


def plan(baked: Bake) -> list[dict[str, str]]:
    """Every JSON route's methods at their example paths, and the API description."""
    calls = [
        {"method": method, "path": route.sample_path[1:]}
        for route in baked.routes
        if route.kind == "api"
        for method in route.methods
    ]
    return [*calls, {"method": "GET", "path": OPENAPI_PATH}]


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """tests/ts/package-lock.json installed with `npm ci` into the test cache, once per
    version of the lock file."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        pytest.skip(
            "Node.js and npm are not installed: the README's TypeScript is checked with tsc and "
            "run under Node.js (`apt-get install nodejs npm`, or Node.js 20 from nodejs.org)"
        )
    wanted = hashlib.sha256((TS_DIR / "package-lock.json").read_bytes()).hexdigest()
    stamp = NPM_DIR / ".installed"
    NPM_DIR.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(NPM_DIR) + ".lock"):
        if not (stamp.exists() and stamp.read_text() == wanted):
            shutil.rmtree(NPM_DIR, ignore_errors=True)
            NPM_DIR.mkdir()
            for name in ("package.json", "package-lock.json"):
                shutil.copy(TS_DIR / name, NPM_DIR / name)
            run([npm, "ci", "--no-fund", "--no-audit", "--loglevel=error"], cwd=NPM_DIR)
            stamp.write_text(wanted)
    return NPM_DIR / "node_modules"


@dataclass
class Compiled:
    root: Path  # tsconfig.json, harness.ts, <folder>/client.ts and main.ts, out/ (the JS)
    bakes: dict[str, Bake]
    errors: dict[str, list[str]]  # folder -> tsc's errors in its files

    def main_js(self, combo: str) -> Path:
        return self.root / "out" / folder(combo) / "main.js"


@pytest.fixture(scope="module")
def compiled(node_modules: Path, tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    """Every curated combination's README TypeScript, type-checked and compiled in one tsc run."""
    root = tmp_path_factory.mktemp("client-library")
    (root / "node_modules").symlink_to(node_modules)
    for name in ("tsconfig.json", "harness.ts"):
        shutil.copy(TS_DIR / name, root / name)
    bakes = {}
    for combo in COMBINATIONS:
        answers = {**combo.answers, "_verify_load": "no"}  # not what this layer tests
        baked = bakes[combo.id] = bake(root / "bakes" / folder(combo.id), answers)
        (root / folder(combo.id)).mkdir()
        (root / folder(combo.id) / "client.ts").write_text(readme_typescript(baked.project))
        (root / folder(combo.id) / "main.ts").write_text(main_ts(baked))
    tsc = subprocess.run(
        ["node", str(node_modules / "typescript" / "bin" / "tsc"), "-p", str(root)],
        cwd=root, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    errors: dict[str, list[str]] = {}
    key = ""
    for line in tsc.stdout.splitlines():  # "<folder>/client.ts(3,7): error TS2322: ..." and
        match = re.match(r"(?:([^/\s]+)/)?[^/\s]+\.ts\(\d+,\d+\): error", line)  # indented rest
        key = (match.group(1) or "") if match else key
        errors.setdefault(key, []).append(line)
    assert tsc.returncode == 0 or errors, f"tsc failed:\n{tsc.stdout}\n{tsc.stderr}"
    assert "" not in errors, f"the harness does not type-check:\n{errors['']}"
    return Compiled(root, bakes, errors)


@pytest.mark.parametrize("combo", [c.id for c in COMBINATIONS])
def test_readme_typescript_type_checks(compiled: Compiled, combo: str) -> None:
    """`tsc --strict` against @jupyterlab/services accepts the section's code, and the calls
    the harness makes with it (each function takes the settings)."""
    problems = compiled.errors.get(folder(combo), [])
    source = (compiled.root / folder(combo) / "client.ts").read_text()
    assert not problems, "\n".join(problems) + "\n--- client.ts ---\n" + source
    assert compiled.main_js(combo).is_file()


@pytest.fixture(scope="module")
def server(compiled: Compiled, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One `jupyter server` at /user/alice/ with the LIVE combinations installed."""
    workdir = tmp_path_factory.mktemp("client-library-server")
    venv = overlay_venv("modern", workdir / "venv")
    pip_install(venv, *(arg for c in LIVE for arg in ("-e", str(compiled.bakes[c].project))))
    with jupyter_server(venv, workdir / "home", ["server"], base_url=BASE_URL) as running:
        yield running


def run_client(compiled: Compiled, server: Server, combo: str) -> dict[str, Any]:
    reply = subprocess.run(
        ["node", str(compiled.main_js(combo)), server.root, server.token,
         json.dumps(plan(compiled.bakes[combo]))],
        cwd=compiled.root, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert reply.returncode == 0, f"node exited {reply.returncode}:\n{reply.stdout}\n{reply.stderr}"
    return json.loads(reply.stdout.strip().splitlines()[-1])


def assert_answered(outcome: dict[str, Any], what: str) -> None:
    """Resolved, or rejected by the route itself (such as 404 for an item that is not there):
    never by authentication, XSRF checks or a server error."""
    if "error" in outcome:
        status = outcome.get("status")
        assert status is not None and status not in (401, 403) and status < 500, (what, outcome)


@pytest.mark.parametrize("combo", LIVE)
def test_readme_typescript_runs_against_a_live_server(
    compiled: Compiled, server: Server, combo: str
) -> None:
    """Under Node.js with the server's token: requestAPI and fetchAPI reach every method of every
    JSON route; the examples resolve (the socket echoes, the stream reports each step); a wrong
    token is refused with 403."""
    report = run_client(compiled, server, combo)
    for call in report["calls"]:
        for client in ("requestAPI", "fetchAPI"):
            assert_answered(call[client], f"{client} {call['method']} {call['path']}")
        if call["path"] == OPENAPI_PATH:
            assert "paths" in call["requestAPI"]["value"], call
            assert call["fetchAPI"]["value"] == call["requestAPI"]["value"], call

    example = report["example"]
    assert "value" in example, example
    routes = compiled.bakes[combo].routes
    assert len(example["value"]["routes"]) >= len({r.route for r in routes}), example
    kinds = {route.kind for route in routes}
    if "ws" in kinds:
        assert report["exampleSocket"].get("value", {}).get("echo") == {"text": "hello"}, report
    if "sse" in kinds:
        steps = [event.get("step") for event in report["exampleStream"].get("value", [])]
        assert steps == [1, 2, 3, 4, 5], report["exampleStream"]
    for client, outcome in report["wrongToken"].items():
        assert outcome.get("status") == 403, (client, outcome)
    assert "Traceback" not in server.log(), server.log()[-3000:]
