import zipfile
from pathlib import Path

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from tornado import web


class ExtractArchiveHandler(JupyterHandler):
    """GET /extract-archive/<path>.zip: extracts the archive into a folder beside it."""

    auth_resource = "contents"

    @web.authenticated
    @authorized
    async def get(self, path=""):
        root = Path(self.contents_manager.root_dir).resolve()
        try:
            archive_path = (root / path.lstrip("/")).resolve()
        except (OSError, ValueError):
            raise web.HTTPError(404, "No such archive") from None
        if not archive_path.is_relative_to(root) or not archive_path.is_file():
            raise web.HTTPError(404, "No such archive")
        target = archive_path.with_suffix("")
        try:
            with zipfile.ZipFile(archive_path) as archive:
                for member in archive.namelist():
                    if not (target / member).resolve().is_relative_to(target):
                        raise web.HTTPError(400, "The archive writes outside its folder")
                archive.extractall(target)
        except zipfile.BadZipFile:
            raise web.HTTPError(400, "Not a zip archive") from None
        self.finish()
