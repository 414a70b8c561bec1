"""Refuse bad answers before any file is written (cookiecutter then removes the project dir)."""

import json
import sys

sys.path.insert(0, {{ template_dir | tojson }})
from local_extensions.answers import validate  # noqa: E402

problems = validate(json.loads({{ cookiecutter | tojson | tojson }}))
for message in problems:
    print(f"ERROR: {message}", file=sys.stderr)
sys.exit(1 if problems else 0)
