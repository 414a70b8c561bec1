import json

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web


class MottoHandler(ExtensionHandlerMixin, APIHandler):
    """The motto, which only users allowed on "showcase:admin" may read and change."""

    auth_resource = "showcase:admin"

    @web.authenticated
    @authorized
    def get(self):
        self.finish(json.dumps({"motto": self.extensionapp.motto}))

    @web.authenticated
    @authorized
    def put(self):
        body = self.get_json_body()
        if not isinstance(body, dict) or not isinstance(body.get("motto"), str):
            raise web.HTTPError(400, 'Send {"motto": <text>}')
        self.extensionapp.motto = body["motto"]
        self.finish(json.dumps({"motto": self.extensionapp.motto}))
