from .app import ShowcaseApp


def _jupyter_server_extension_points():
    return [{"module": "showcase", "app": ShowcaseApp}]
