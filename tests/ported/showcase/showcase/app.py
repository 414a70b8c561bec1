from pathlib import Path

from jupyter_server.extension.application import ExtensionApp, ExtensionAppJinjaMixin
from traitlets import Unicode

from .motto import MottoHandler
from .page import ShowcasePageHandler

HERE = Path(__file__).parent


class ShowcaseApp(ExtensionAppJinjaMixin, ExtensionApp):
    name = "showcase"
    extension_url = "/showcase"
    load_other_extensions = True
    static_paths = [str(HERE / "static")]
    template_paths = [str(HERE / "templates")]

    motto = Unicode("Make it so", help="What the page and the API say.").tag(config=True)

    def initialize_handlers(self):
        self.handlers.extend(
            [("/showcase", ShowcasePageHandler), ("/showcase/api/motto", MottoHandler)]
        )
