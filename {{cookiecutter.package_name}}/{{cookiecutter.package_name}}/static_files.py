{#- Kept only when the route table has a STATIC route. -#}
{%- set public = cookiecutter.handlers | routes | selectattr("kind", "equalto", "static") | selectattr("public") | list | length > 0 -%}
{%- set authorize = cookiecutter.auth == "authorized" and not public -%}
"""The base class of the STATIC route. This module belongs to the template."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

{% if public -%}
from jupyter_server.auth.decorator import allow_unauthenticated
{% elif authorize -%}
from jupyter_server.auth.decorator import authorized
{% endif -%}
from tornado import version_info, web

from .base import ExtensionHandler

#: The folder the STATIC route serves.
STATIC_DIR = Path(__file__).parent / "static"
#: Tornado 6.5.9 and later resolve symlinks themselves and refuse those leading out of the folder.
TORNADO_REFUSES_LINKS_OUT = version_info >= (6, 5, 9)


class StaticFilesHandler(  # pyright: ignore[reportIncompatibleMethodOverride]  # as upstream's
    ExtensionHandler, web.StaticFileHandler
):
    """Files of the package's static/ folder{% if public %} (public){% endif %}, cached like jupyter_server's own static
    files (an ETag, and `no-cache` unless the URL pins a version with `?v=`)."""

    static_dir: ClassVar[Path] = STATIC_DIR
    _real_roots: ClassVar[dict[str, str]] = {}  # os.path.realpath of each root served

    def initialize(self, path: str = "", *args: Any, **kwargs: Any) -> None:
        super().initialize(path or str(self.static_dir), *args, **kwargs)
{% for method in ("get", "head") %}
{%- if public %}
    @allow_unauthenticated
{%- else %}
    @web.authenticated
{%- if authorize %}
    @authorized
{%- endif %}
{%- endif %}
{%- if method == "get" %}
    async def get(self, path: str, include_body: bool = True) -> None:{% if not public %}  # type: ignore[override]{% endif %}
        await super().get(path, include_body)
{% else %}
    async def head(self, path: str) -> None:{% if not public %}  # type: ignore[override]{% endif %}
        await super().head(path)
{% endif %}
{%- endfor %}
    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        if TORNADO_REFUSES_LINKS_OUT:  # (with 403, as for ../ in the path)
            return super().validate_absolute_path(root, absolute_path)
        # Tornado before 6.5.9 follows symlinks out of the folder: compare the real paths.
        real_root = self._real_roots.get(root)
        if real_root is None:
            real_root = self._real_roots[root] = os.path.realpath(root)
        if os.path.commonpath([real_root, os.path.realpath(absolute_path)]) != real_root:
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def set_extra_headers(self, path: str) -> None:
        if "v" not in self.request.arguments:
            self.set_header("Cache-Control", "no-cache")
