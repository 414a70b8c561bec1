"""The base class of download routes: files and other bytes, answered as jupyter_server's own
file handlers answer them. This module belongs to the template."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

from tornado import web
from tornado.iostream import StreamClosedError

from .base import ExtensionHandler


def file_in(folder: str | Path, name: str) -> Path:
    """The file at `name`, a path relative to `folder` (as in a URL: leading slashes ignored);
    raises 404 for anything else: a missing file, a folder, a name leading outside (`..`, a
    symlink out)."""
    try:
        root = Path(folder).resolve()
        path = (root / name.lstrip("/")).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    except (OSError, ValueError):  # a name the file system cannot take (a NUL byte, say)
        pass
    raise web.HTTPError(404)


def attachment(filename: str) -> str:
    """A Content-Disposition header value that makes browsers save the answer as `filename`."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}"


class DownloadHandler(ExtensionHandler):
    """Routes answering files or other bytes (downloads, exports, images), as a plain
    JupyterHandler: browsers without credentials are sent to the login page, errors are HTML
    pages. `send_file` streams a file in chunks, so a large one never sits in memory."""

    #: Bytes read and sent at a time.
    chunk_size: ClassVar[int] = 64 * 1024
    file_in = staticmethod(file_in)

    async def send_file(
        self, path: Path, *, content_type: str = "application/octet-stream", filename: str = ""
    ) -> None:
        """Answer the file at `path` as an attachment (saved as `filename`, by default its
        name), chunk by chunk; a client that leaves stops the stream."""
        self.set_header("Content-Type", content_type)
        self.set_header("Content-Disposition", attachment(filename or path.name))
        self.set_header("Content-Length", str(path.stat().st_size))
        if self.request.method == "HEAD":  # the headers alone
            self.finish()
            return
        with path.open("rb") as file:
            while chunk := file.read(self.chunk_size):
                self.write(chunk)
                try:
                    await self.flush()
                except StreamClosedError:
                    return  # the client went away
        self.finish()
