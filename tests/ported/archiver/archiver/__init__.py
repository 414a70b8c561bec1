"""Download folders as zip archives and extract archives, in a Jupyter server."""

from jupyter_server.utils import url_path_join

from .config import ArchiverConfig
from .download import DownloadArchiveHandler
from .extract import ExtractArchiveHandler


def _jupyter_server_extension_points():
    return [{"module": "archiver"}]


def _load_jupyter_server_extension(serverapp):
    web_app = serverapp.web_app
    web_app.settings["archiver"] = ArchiverConfig(parent=serverapp)
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, r"/directories/(.*)"), DownloadArchiveHandler),
            (url_path_join(base_url, r"/extract-archive/(.*)"), ExtractArchiveHandler),
        ],
    )
