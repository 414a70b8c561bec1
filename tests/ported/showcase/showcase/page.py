from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerJinjaMixin, ExtensionHandlerMixin
from tornado import web


class ShowcasePageHandler(ExtensionHandlerJinjaMixin, ExtensionHandlerMixin, JupyterHandler):
    auth_resource = "showcase"

    @web.authenticated
    @authorized
    def get(self):
        style = self.static_url("style.css")
        self.write(self.render_template("index.html", motto=self.extensionapp.motto, style=style))
