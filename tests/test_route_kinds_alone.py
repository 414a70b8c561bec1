"""A route table of one kind alone renders lint-clean code: the generated files import only what
that kind uses (the curated combinations mix kinds, so an import needed by one kind and not
another would pass there and fail a user's `ruff check`)."""

from __future__ import annotations

import pytest
from support import bake, ruff_findings

TABLES = {
    "ws": "WS /rooms/{room_id}",
    "sse": "SSE /jobs/{job_id}/progress",
    "static": "STATIC /assets",
    "head": "HEAD /ping",
    "page": "GET /dashboard page",
    "download": "GET,HEAD /exports/{name} download",
    "delete-only": "DELETE /items/{item_id}",
}


# Pages need extension_app=yes (the hook refuses them otherwise).
CASES = [(kind, app) for kind in TABLES for app in ("no", "yes") if (kind, app) != ("page", "no")]


@pytest.mark.parametrize(("kind", "extension_app"), CASES)
def test_a_table_of_one_kind_is_ruff_clean(tmp_path, kind, extension_app):
    answers = {"handlers": TABLES[kind], "extension_app": extension_app, "_verify_load": "no"}
    project = bake(tmp_path, answers).project
    assert ruff_findings(project) == ""
