"""What the template's tests share: baking projects, per-flavour virtual environments, and real
`jupyter` server processes spoken to over HTTP on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from filelock import FileLock

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TEMPLATE_DIR))

from local_extensions.answers import normalized_namespace  # noqa: E402
from local_extensions.post_gen import route_url  # noqa: E402
from local_extensions.routes import Route, parse_handlers  # noqa: E402

CACHE_DIR = Path(
    os.environ.get(
        "TEMPLATE_TEST_CACHE", Path.home() / ".cache" / "cookiecutter-jupyter-server-extension"
    )
)
DEFAULTS: dict[str, Any] = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())

# What each server flavour's base environment holds (built once, reused by every test run).
FLAVOURS: dict[str, list[str]] = {
    "modern": [
        "jupyter_server>=2.13", "notebook>=7", "jupyterlab>=4", "nbclassic>=1",
        "pytest>=7", "pytest-jupyter[server]>=0.10", "hatchling>=1.27", "editables>=0.5",
        "jsonschema>=4.18", "openapi-spec-validator>=0.7", "schemathesis>=4", "pytest-timeout>=2",
        "mypy>=1.10", "pyright>=1.1.370", "types-jsonschema",
    ],
    "classic": ["notebook>=6.5,<7", "hatchling>=1.27"],
    "hub": ["jupyterhub>=5", "jupyter_server>=2.13", "hatchling>=1.27"],
    "cookiecutter-only": ["cookiecutter>=2.6"],  # like a pipx/uvx install: no jupyter_server
    "jupyter-server-1": ["jupyter_server>=1.24,<2"],  # too old for the generated code
    "launcher-tools": ["uv>=0.5", "pipx>=1.7", "cruft>=2.15"],  # what users run cookiecutter with
}  # fmt: skip


# --------------------------------------------------------------------------- baking


@dataclass
class Bake:
    returncode: int
    stdout: str
    stderr: str
    output_dir: Path
    answers: dict[str, Any]

    @property
    def project(self) -> Path:
        (project,) = [p for p in self.output_dir.iterdir() if p.is_dir()]
        return project

    @property
    def context(self) -> dict[str, Any]:
        """The answers cookiecutter actually used (from the replay file the project carries)."""
        return json.loads((self.project / ".cookiecutter.json").read_text())["cookiecutter"]

    @property
    def routes(self) -> list[Route]:
        return parse_handlers(self.context["handlers"])

    @property
    def namespace(self) -> str:
        return normalized_namespace(self.context["url_namespace"])

    def url(self, base_url: str, route: Route) -> str:
        return route_url(base_url, self.namespace, route.sample_path)


def bake(
    output_dir: Path, answers: Mapping[str, Any] | None = None, *, env: Mapping[str, str] | None = None,
    python: str = sys.executable, check: bool = True,
) -> Bake:  # fmt: skip
    """Run `cookiecutter --no-input` on this checkout, as a user would from a shell."""
    answers = dict(answers or {})
    output_dir.mkdir(parents=True, exist_ok=True)
    argv = [python, "-m", "cookiecutter", "--no-input", "-o", str(output_dir), str(TEMPLATE_DIR)]
    argv += [f"{key}={value}" for key, value in answers.items()]
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )
    baked = Bake(result.returncode, result.stdout, result.stderr, output_dir, answers)
    if check and result.returncode != 0:
        raise AssertionError(
            f"bake failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return baked


def ruff_findings(project: Path) -> str:
    """What the generated project's own lint job (ruff check + format --check) reports."""
    found = ""
    for command in (
        ["check", "--no-cache", "."],
        ["format", "--no-cache", "--check", "--diff", "."],
    ):
        lint = subprocess.run(
            [sys.executable, "-m", "ruff", *command], cwd=project, capture_output=True, text=True
        )
        found += lint.stdout + lint.stderr if lint.returncode else ""
    return found


# --------------------------------------------------------------------------- environments

#: PATH for commands that must not find this venv's tools (cookiecutter, jupyter...).
SYSTEM_PATH = "/usr/bin:/bin"
#: uv with the shared test cache, never downloading a Python.
UV_ENV = {"UV_CACHE_DIR": str(CACHE_DIR / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never"}


def run(argv: list[str], timeout: float = 600, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command quietly; on failure raise with its output."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        raise AssertionError(
            f"{argv} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def base_venv(flavour: str) -> Path:
    """A venv with the flavour's packages, built once and shared (safe under pytest-xdist)."""
    path = CACHE_DIR / "venvs" / flavour
    stamp = path / ".requirements"
    wanted = "\n".join(FLAVOURS[flavour])
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        if stamp.exists() and stamp.read_text() == wanted:
            return path
        shutil.rmtree(path, ignore_errors=True)
        run([sys.executable, "-m", "venv", str(path)])
        pip = [
            str(path / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
        ]
        run([*pip, "-U", "pip"], timeout=600)
        run([*pip, *FLAVOURS[flavour]], timeout=1200)
        stamp.write_text(wanted)
    return path


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def overlay_venv(flavour: str, path: Path) -> Path:
    """A fresh venv of its own (own sys.prefix, own etc/jupyter) whose imports fall back to the
    flavour's base venv: installing a project into it takes seconds, not minutes."""
    base = base_venv(flavour)
    run([sys.executable, "-m", "venv", "--without-pip", str(path)])
    (site_packages(path) / "_flavour_base.pth").write_text(f"{site_packages(base)}\n")
    # The base's packages enable themselves by files under its prefix: enabled here too.
    for enabling in (base / "etc" / "jupyter").glob("*_config.d/*.json"):
        copy = path / enabling.relative_to(base)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(enabling.read_bytes())
    python = path / "bin" / "python"
    for script in (base / "bin").iterdir():  # console scripts, re-pointed at this venv's python
        if script.name.startswith(("jupyter", "pytest")) and script.is_file():
            lines = script.read_text().splitlines(keepends=True)
            if lines and lines[0].startswith("#!"):
                target = path / "bin" / script.name
                target.write_text(f"#!{python}\n" + "".join(lines[1:]))
                target.chmod(0o755)
    return path


def pip_install(venv: Path, *args: str) -> None:
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "--no-deps", "--no-build-isolation", *args])  # fmt: skip


def build_wheel(venv: Path, project: Path, dest: Path) -> Path:
    run([str(venv / "bin" / "python"), "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(dest), str(project)])  # fmt: skip
    return next(dest.glob("*.whl"))


def venv_env(venv: Path, home: Path) -> dict[str, str]:
    """Environment for running jupyter from `venv`, isolated from the user's Jupyter dirs."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        PATH=f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
        VIRTUAL_ENV=str(venv),
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_PLATFORM_DIRS="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    home.mkdir(parents=True, exist_ok=True)
    return env


# --------------------------------------------------------------------------- servers and HTTP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]  # case-blind, as HTTP header names are (proxies lowercase them)
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    method: str, url: str, *, headers: Mapping[str, str] | None = None, body: bytes | str | None = None,
    timeout: float = 30,
) -> Response:  # fmt: skip
    """One HTTP request that returns error statuses instead of raising."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as reply:
            return Response(reply.status, reply.headers, reply.read())
    except urllib.error.HTTPError as err:
        return Response(err.code, err.headers, err.read())


class BrowserSession:
    """A cookie-holding client that logs in through the server's login form, like a browser."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def login(self) -> None:
        self.request("GET", self.server.url("login"))
        xsrf = self.cookie("_xsrf") or ""
        form = urllib.parse.urlencode({"_xsrf": xsrf, "password": self.server.token})
        reply = self.request(
            "POST", self.server.url("login"), body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert reply.status in (200, 302), reply
        assert any(c.name.startswith("username-") for c in self.jar), "login set no session cookie"
        if not self.cookie("_xsrf"):
            self.request("GET", self.server.url("login"))

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> Response:  # fmt: skip
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        try:
            with self.opener.open(request, timeout=30) as reply:
                return Response(reply.status, reply.headers, reply.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, err.headers, err.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    root: str  # http://127.0.0.1:<port><base_url>
    token: str
    log_path: Path

    def url(self, path: str) -> str:
        return self.root.rstrip("/") + "/" + path.lstrip("/")

    @property
    def origin(self) -> str:
        return "/".join(self.root.split("/")[:3])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_until_ready(
    process: subprocess.Popen[bytes], probe: Callable[[], Response], *, what: str,
    log: Callable[[], str], timeout: float, interval: float = 0.25,
) -> None:  # fmt: skip
    """Poll `probe` until it answers 200; fail with the log if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log()}")
        with contextlib.suppress(OSError):
            if probe().status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer within {timeout} s:\n{log()}")
        time.sleep(interval)


@contextlib.contextmanager
def jupyter_server(
    venv: Path, home: Path, command: list[str], *, base_url: str = "/user/alice/",
    extra_args: list[str] | None = None, startup_timeout: float = 90, app: str = "ServerApp",
) -> Iterator[Server]:  # fmt: skip
    """Start a real `jupyter ...` process on 127.0.0.1 and stop it afterwards."""
    env = venv_env(venv, home)
    port, token = free_port(), secrets.token_hex(16)
    root_dir = home / "notebooks"
    root_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        str(venv / "bin" / "jupyter"), *command, "--no-browser", "--allow-root",
        f"--{app}.ip=127.0.0.1", f"--{app}.port={port}", f"--{app}.port_retries=0",
        f"--{app}.token={token}", f"--{app}.base_url={base_url}",
        f"--{app}.{'notebook_dir' if app == 'NotebookApp' else 'root_dir'}={root_dir}",
        *(extra_args or []),
    ]  # fmt: skip
    log_path = home / f"server-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home)
    server = Server(process, f"http://127.0.0.1:{port}{base_url}", token, log_path)
    try:
        wait_until_ready(
            process, lambda: http("GET", server.url("api/status"), headers=server.auth, timeout=5),
            what=" ".join(command), log=server.log, timeout=startup_timeout,
        )  # fmt: skip
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def install_for_tests(project: Path, venv_path: Path, *, editable: bool = True) -> Path:
    """An overlay venv on the 'modern' flavour with `project` installed (editable by default)."""
    venv = overlay_venv("modern", venv_path)
    if editable:
        pip_install(venv, "-e", str(project))
    else:
        pip_install(
            venv, str(build_wheel(venv, project, venv_path.parent / f"{venv_path.name}-dist"))
        )
    return venv


def run_generated_suite(
    project: Path, venv: Path, *pytest_args: str
) -> subprocess.CompletedProcess[str]:
    """Run the generated project's own test suite, as its README says (`pytest`), in `venv`."""
    env = venv_env(venv, venv.parent / f"{venv.name}-home")
    return subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
