"""What the user writes in the ported project's settings.py: upstream's ArchiverConfig moves
here, and the template's settings class inherits it, so that `web_app.settings["archiver"]`
(where the template keeps its settings) is still an ArchiverConfig for the upstream code, and
`c.ArchiverConfig.chunk_size` still configures it."""

from __future__ import annotations

from traitlets import Int
from traitlets.config import Configurable

from .base import ExtensionSettings


class ArchiverConfig(Configurable):
    """How archives are sent."""

    chunk_size = Int(64 * 1024, help="Bytes of an archive sent at a time.").tag(config=True)


class ArchiverSettings(ExtensionSettings, ArchiverConfig):
    """The extension's settings: the template's, and upstream's ArchiverConfig."""
