"""Settings read from the server's configuration (files, command line)."""

from __future__ import annotations

from traitlets import Unicode
from traitlets.config import Configurable


class {{ cookiecutter.package_name | camel_case }}Settings(Configurable):
    """Set with ``c.{{ cookiecutter.package_name | camel_case }}Settings.<name>`` in jupyter_server_config.py or on the command line."""

    greeting = Unicode("Hello, world!", help="The greeting every GET route answers with.").tag(
        config=True
    )
