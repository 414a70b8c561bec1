"""A real JupyterHub for the JupyterHub test layer: configurable-http-proxy from npm, the hub from
the "hub" base venv, SimpleLocalProcessSpawner single-user servers from a venv of the test's
choosing, all on 127.0.0.1 and all stopped afterwards, failures included."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import CACHE_DIR, Response, base_venv, free_port, http, venv_env, wait_until_ready

#: An explicit path to the configurable-http-proxy executable (checked first).
CHP_ENV_VAR = "CONFIGURABLE_HTTP_PROXY"
#: The local npm prefix searched after PATH:
#: `npm install --prefix <CHP_PREFIX> configurable-http-proxy`.
CHP_PREFIX = CACHE_DIR / "npm"
ADMIN_SERVICE = "template-tests"


def find_configurable_http_proxy() -> tuple[Path | None, str]:
    """(path, "") for a working configurable-http-proxy, (None, why) when Node.js or the proxy is
    missing; raises when one is installed but does not run."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        return None, (
            "Node.js is not installed: JupyterHub's proxy, configurable-http-proxy, runs on it "
            "(install nodejs and npm, then `npm install -g configurable-http-proxy`)"
        )
    candidates = [
        os.environ.get(CHP_ENV_VAR),
        shutil.which("configurable-http-proxy"),
        str(CHP_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"),
    ]
    tried = []
    for candidate in filter(None, candidates):
        path = Path(candidate)
        if not (path.is_file() and os.access(path, os.X_OK)):
            tried.append(str(path))
            continue
        # Found but broken (e.g. configurable-http-proxy 5.2+ on Node.js < 20) is a failure.
        env = {
            **os.environ,
            "PATH": f"{Path(node).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        }
        result = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=60, env=env
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{path} --version exited {result.returncode} under node "
                f"{tool_version([node, '--version'])}:\n{result.stdout}\n{result.stderr}"
            )
        return path, ""
    return None, (
        "configurable-http-proxy (JupyterHub's proxy, from npm) is not installed: run "
        f"`npm install -g configurable-http-proxy` or `npm install --prefix {CHP_PREFIX} "
        f"configurable-http-proxy`, or set {CHP_ENV_VAR}=/path/to/it"
        + (f" (looked for {', '.join(tried)})" if tried else "")
    )


def tool_version(argv: list[str]) -> str:
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        if result.returncode == 0:
            return result.stdout.strip().splitlines()[-1]
    return "?"


@dataclass
class Hub:
    process: subprocess.Popen[bytes]
    url: str  # the proxy's public URL, http://127.0.0.1:<port>
    admin_token: str
    log_path: Path
    workdir: Path
    tokens: dict[str, str] = field(default_factory=dict)  # user name -> that user's API token

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def user_url(self, name: str, path: str = "") -> str:
        return f"{self.url}/user/{name}/{path.lstrip('/')}"

    def api(self, method: str, path: str, body: Any = None, *, timeout: float = 30) -> Response:
        """Call the hub's REST API (through the proxy) as the admin service."""
        headers = {"Authorization": f"token {self.admin_token}"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        return http(method, f"{self.url}/hub/api/{path.lstrip('/')}", headers=headers, body=data,
                    timeout=timeout)  # fmt: skip

    def check(self, reply: Response, *expected: int, what: str) -> Response:
        if reply.status not in expected:
            raise AssertionError(
                f"{what}: hub answered {reply.status} {reply.body[:500]!r}\n{self.log()[-6000:]}"
            )
        return reply

    def create_users(self, *names: str) -> None:
        self.check(self.api("POST", "users", {"usernames": list(names)}), 201, what="create users")
        for name in names:
            reply = self.api(
                "POST", f"users/{name}/tokens", {"note": "template tests", "expires_in": 7200}
            )
            self.tokens[name] = self.check(reply, 201, what=f"token for {name}").json()["token"]

    def spawn(self, name: str, *, timeout: float = 180) -> None:
        """Start `name`'s default server and wait until it answers through the proxy."""
        self.check(self.api("POST", f"users/{name}/server"), 201, 202, what=f"spawn {name}")
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}:\n{self.log()}")
            model = self.check(self.api("GET", f"users/{name}"), 200, what=f"read {name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                status = http("GET", self.user_url(name, "api/status"),
                              headers={"Authorization": f"token {self.tokens[name]}"}, timeout=10)  # fmt: skip
                if status.status == 200:
                    return
            elif not model.get("pending") and not server:
                raise RuntimeError(f"{name}'s server stopped while starting:\n{self.log()[-8000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{name}'s server not ready within {timeout} s:\n{self.log()[-8000:]}"
                )
            time.sleep(0.5)

    def stop_server(self, name: str, *, timeout: float = 60) -> None:
        reply = self.api("DELETE", f"users/{name}/server", timeout=timeout)
        if reply.status == 202:  # stopping: wait (bounded) until it is gone
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                model = self.api("GET", f"users/{name}").json()
                if not model.get("servers") and not model.get("pending"):
                    break
                time.sleep(0.5)


def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time), from /proc (empty where there is none)."""
    table: dict[int, tuple[int, str]] = {}
    with contextlib.suppress(OSError):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                table[int(entry.name)] = (int(fields[1]), fields[19])
    return table


def descendants(root: int) -> dict[int, str]:
    """Every live process below `root` (pid -> start time, to recognise it later)."""
    table = _process_table()
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, start) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = start
                frontier.append(pid)
    return found


def kill_leftovers(processes: dict[int, str], *, timeout: float = 10) -> list[int]:
    """SIGTERM, then SIGKILL, the processes of a snapshot that are still the same processes."""

    def alive() -> list[int]:
        table = _process_table()
        return [pid for pid, start in processes.items() if table.get(pid, (0, ""))[1] == start]

    survivors = alive()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in survivors:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while (still := alive()) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not still:
            break
        survivors = still
    return survivors


def _config(**values: Any) -> str:
    lines = ["c = get_config()  # noqa: F821"]
    lines += [f"c.{name.replace('__', '.')} = {value!r}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def jupyterhub(
    workdir: Path, singleuser_venv: Path, chp: Path, *, startup_timeout: float = 120
) -> Iterator[Hub]:
    """Run JupyterHub (DummyAuthenticator, SimpleLocalProcessSpawner) with single-user servers
    from `singleuser_venv`; stop the hub, its proxy and every single-user server afterwards."""
    hub_venv = base_venv("hub")
    workdir.mkdir(parents=True, exist_ok=True)
    proxy_port, api_port, hub_port = free_port(), free_port(), free_port()
    while len({proxy_port, api_port, hub_port}) < 3:
        api_port, hub_port = free_port(), free_port()
    admin_token = secrets.token_hex(32)
    node_dir = Path(shutil.which("node") or shutil.which("nodejs") or "/usr/bin/node").parent
    system_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    singleuser_path = f"{singleuser_venv / 'bin'}:{system_path}"
    config = _config(
        JupyterHub__ip="127.0.0.1",
        JupyterHub__port=proxy_port,
        JupyterHub__hub_ip="127.0.0.1",
        JupyterHub__hub_port=hub_port,
        JupyterHub__db_url=f"sqlite:///{workdir / 'jupyterhub.sqlite'}",
        JupyterHub__cookie_secret_file=str(workdir / "jupyterhub_cookie_secret"),
        JupyterHub__pid_file=str(workdir / "jupyterhub.pid"),
        JupyterHub__cleanup_servers=True,
        JupyterHub__cleanup_proxy=True,
        JupyterHub__authenticator_class="dummy",
        Authenticator__allow_all=True,
        ConfigurableHTTPProxy__command=[str(chp)],
        ConfigurableHTTPProxy__api_url=f"http://127.0.0.1:{api_port}",
        ConfigurableHTTPProxy__pid_file=str(workdir / "proxy.pid"),
        ConfigurableHTTPProxy__should_start=True,
        JupyterHub__services=[{"name": ADMIN_SERVICE, "api_token": admin_token}],
        JupyterHub__load_roles=[
            {
                "name": ADMIN_SERVICE,
                "scopes": ["admin:users", "admin:servers", "tokens"],
                "services": [ADMIN_SERVICE],
            }
        ],
        JupyterHub__spawner_class="simple",
        SimpleLocalProcessSpawner__home_dir_template=str(workdir / "homes" / "{username}"),
        # The single-user server runs from the venv holding the extension, so pip's config.d
        # file in <that venv>/etc/jupyter enables it; as root it needs --allow-root.
        Spawner__cmd=[str(singleuser_venv / "bin" / "jupyterhub-singleuser")],
        Spawner__args=["--allow-root"],
        Spawner__ip="127.0.0.1",
        Spawner__environment={"PATH": singleuser_path, "VIRTUAL_ENV": str(singleuser_venv)},
        Spawner__start_timeout=150,
        Spawner__http_timeout=150,
    )
    config_path = workdir / "jupyterhub_config.py"
    config_path.write_text(config)
    env = venv_env(hub_venv, workdir / "hub-home")
    env["PATH"] = f"{hub_venv / 'bin'}:{chp.parent}:{node_dir}:{system_path}"
    log_path = workdir / "jupyterhub.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(hub_venv / "bin" / "jupyterhub"), "-f", str(config_path)],
            cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    hub = Hub(process, f"http://127.0.0.1:{proxy_port}", admin_token, log_path, workdir)
    try:
        wait_until_ready(
            process, lambda: http("GET", f"{hub.url}/hub/api/", timeout=5),
            what="jupyterhub", log=hub.log, timeout=startup_timeout, interval=0.3,
        )  # fmt: skip
        yield hub
    finally:
        _stop(hub)


def _stop(hub: Hub) -> None:
    """Stop single-user servers (through the hub), then the hub (which stops its proxy); kill
    whatever of the hub's process tree is left."""
    process = hub.process
    leftovers = descendants(process.pid)
    with contextlib.suppress(OSError, ValueError, KeyError):
        proxy_pid = int((hub.workdir / "proxy.pid").read_text().strip())
        leftovers.setdefault(proxy_pid, _process_table().get(proxy_pid, (0, ""))[1])
    if process.poll() is None:
        for name in list(hub.tokens):
            with contextlib.suppress(Exception):
                hub.stop_server(name, timeout=15)
        leftovers.update(descendants(process.pid))
        process.send_signal(signal.SIGTERM)  # the hub cleans up servers and proxy on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    kill_leftovers({pid: start for pid, start in leftovers.items() if start})
