"""A mistake in a handler's JSON Schema is reported when its module is imported (the load check
and the first `pytest` see it), not as a server error on the first request that has a body."""

from __future__ import annotations

import subprocess
import sys

from support import bake


def test_an_invalid_request_schema_fails_at_import(tmp_path):
    project = bake(tmp_path, {"handlers": "GET,POST /items", "_verify_load": "no"}).project
    module = project / "jupyter_hello" / "handlers" / "items.py"
    source = module.read_text()
    assert '"minLength": 1' in source
    module.write_text(source.replace('"minLength": 1', '"minLength": "one"', 1))
    imported = subprocess.run(
        [sys.executable, "-c", "import jupyter_hello.handlers.items"],
        cwd=project, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert imported.returncode != 0
    assert "SchemaError" in imported.stderr and "'one' is not of type 'integer'" in imported.stderr
