"""What the user writes in the ported project's settings.py: upstream's traits and paths, which
the template's ExtensionApp inherits."""

from __future__ import annotations

from pathlib import Path

from traitlets import Unicode, default

from .base import ExtensionSettings

HERE = Path(__file__).parent


class ShowcaseSettings(ExtensionSettings):
    motto = Unicode("Make it so", help="What the page and the API say.").tag(config=True)

    @default("static_paths")
    def _default_static_paths(self) -> list[str]:
        return [str(HERE / "static")]

    @default("template_paths")
    def _default_template_paths(self) -> list[str]:
        return [str(HERE / "templates")]
