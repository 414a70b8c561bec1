"""Facts about the machine and software a benchmark run used, for the results page."""

from __future__ import annotations

import os
import platform
import time
from importlib import metadata
from pathlib import Path

import load
from common import support


def cpu_model() -> str:
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def version_in(python: Path, package: str) -> str:
    code = f"from importlib.metadata import version; print(version({package!r}))"
    return support.run([str(python), "-c", code], timeout=60).stdout.strip()


def facts() -> dict[str, str]:
    server_python = support.base_venv("modern") / "bin" / "python"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "CPU": cpu_model(),
        "nproc": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "cookiecutter": metadata.version("cookiecutter"),
        "jupyter_server (servers)": version_in(server_python, "jupyter_server"),
        "tornado (servers)": version_in(server_python, "tornado"),
        "jupyter_server (bake, load check)": metadata.version("jupyter_server"),
        "wrk": load.wrk_version(),
        "load average at start (1/5/15 min)": load_average(),
    }
