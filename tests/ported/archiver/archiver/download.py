import io
import zipfile
from pathlib import Path

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from tornado import web


def folder_in(root, path):
    """The folder at `path` under `root`, or None (outside it, missing, unreadable)."""
    try:
        root = Path(root).resolve()
        folder = (root / path.lstrip("/")).resolve()
    except (OSError, ValueError):
        return None
    return folder if folder.is_relative_to(root) and folder.is_dir() else None


class DownloadArchiveHandler(JupyterHandler):
    """GET /directories/<path>: the folder as a zip archive, streamed in chunks."""

    auth_resource = "contents"

    @web.authenticated
    @authorized
    async def get(self, path=""):
        root = Path(self.contents_manager.root_dir).resolve()
        folder = folder_in(root, path)
        if folder is None:
            raise web.HTTPError(404, "No such folder")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.rglob("*")):
                if file.is_file() and file.resolve().is_relative_to(root):
                    archive.write(file, file.relative_to(folder).as_posix())
        data = buffer.getvalue()
        name = (folder.name or "root") + ".zip"
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        chunk_size = self.settings["archiver"].chunk_size
        for start in range(0, len(data), chunk_size):
            self.write(data[start : start + chunk_size])
            await self.flush()
        self.finish()
