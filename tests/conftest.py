from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import Bake, bake


@pytest.fixture
def bake_in(tmp_path: Path):
    """bake_in(answers) -> Bake, generated under this test's tmp_path."""

    def _bake(answers: dict | None = None, **kwargs) -> Bake:
        return bake(tmp_path / "out", answers, **kwargs)

    return _bake


# Under CI every layer must run: a test skipped there (a tool missing, such as Chromium or
# configurable-http-proxy) fails instead, with the skip's reason, which names the tool and how
# to get it. Locally a skip stays a skip.
SKIPS_FAIL = os.environ.get("CI", "").lower() == "true"


def _fail_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    if SKIPS_FAIL and report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        reason = (longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)).removeprefix(
            "Skipped: "
        )
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every layer must run: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    report: pytest.TestReport = yield
    _fail_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    report: pytest.CollectReport = yield  # a whole module skipped (pytest.importorskip)
    _fail_skip(report)
    return report
