"""Remove files the answers turned off, then check that the extension compiles, loads and routes."""

import json
import sys
from pathlib import Path

sys.path.insert(0, {{ template_dir | tojson }})
from local_extensions.post_gen import run  # noqa: E402

sys.exit(run(Path.cwd(), json.loads({{ cookiecutter | tojson | tojson }})))
