{%- set routes = cookiecutter.handlers | routes -%}
{%- set app = cookiecutter.extension_app == "yes" -%}
{%- set any_public = routes | selectattr("public") | list | length > 0 -%}
{%- set any_private = routes | rejectattr("public") | list | length > 0 -%}
{%- set any_page = routes | selectattr("page") | list | length > 0 -%}
{%- set authorize = cookiecutter.auth == "authorized" and any_private -%}
{%- set public_writes = routes | selectattr("public") | selectattr("writes") | list -%}
"""Request handlers: one class per route, one method per HTTP verb."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

{% if any_public and authorize -%}
from jupyter_server.auth.decorator import allow_unauthenticated, authorized
{% elif any_public -%}
from jupyter_server.auth.decorator import allow_unauthenticated
{% elif authorize -%}
from jupyter_server.auth.decorator import authorized
{% endif -%}
{% if any_page -%}
from jupyter_server.base.handlers import APIHandler, JupyterHandler
{% else -%}
from jupyter_server.base.handlers import APIHandler
{% endif -%}
{% if any_page -%}
from jupyter_server.extension.handler import ExtensionHandlerJinjaMixin, ExtensionHandlerMixin
{% elif app -%}
from jupyter_server.extension.handler import ExtensionHandlerMixin
{% endif -%}
from tornado import web

#: The resource the server's authorizer is asked about: "read" for GET,
#: "write" for POST, PUT, PATCH and DELETE.
AUTH_RESOURCE = "{{ cookiecutter.package_name }}"


def sha256_hexdigest(data: bytes) -> str:
    """Hash a request body: an example of work to keep off the event loop when it grows large."""
    return hashlib.sha256(data).hexdigest()

{% if app %}
class ExtensionAPIHandler(ExtensionHandlerMixin, APIHandler):
    """What every handler of this extension shares: settings, permissions, JSON bodies."""

    auth_resource = AUTH_RESOURCE

    @property
    def greeting(self) -> str:
        # Settings are traits of the extension app ({{ cookiecutter.package_name | camel_case }}App in app.py).
        return str(self.extensionapp.greeting)
{%- else %}
class ExtensionAPIHandler(APIHandler):
    """What every handler of this extension shares: settings, permissions, JSON bodies."""

    auth_resource = AUTH_RESOURCE

    def initialize(self, greeting: str) -> None:
        # The keyword arguments given after each class in the route table arrive here.
        self.greeting = greeting
{%- endif %}

    def get_json_object(self) -> dict[str, Any]:
        """Return the request body as a JSON object, or answer 400 with a JSON error."""
        # (APIHandler.get_json_body would log a traceback for every malformed body a client sends.)
        try:
            body = json.loads(self.request.body)
        except ValueError:
            raise web.HTTPError(400, "The request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise web.HTTPError(400, "The request body must be a JSON object")
        return body
{%- if public_writes %}


class PublicWriteMixin(web.RequestHandler):
    """For public routes: clients without cookies (webhooks, scripts) may POST, PUT, PATCH
    and DELETE without an XSRF token, since there is no browser session a forged request
    could ride on. Requests that carry cookies are still checked."""

    def check_xsrf_cookie(self) -> None:
        if self.request.cookies:
            super().check_xsrf_cookie()
{%- endif %}
{%- if any_page %}


class PageHandlerBase(ExtensionHandlerJinjaMixin, ExtensionHandlerMixin, JupyterHandler):
    """HTML pages rendered from the Jinja2 templates in the package's templates/ folder."""

    auth_resource = AUTH_RESOURCE
{%- endif %}
{%- macro decorators(route) %}
{%- if route.public %}
    @allow_unauthenticated
{%- else %}
    @web.authenticated
{%- if cookiecutter.auth == "authorized" %}
    @authorized
{%- endif %}
{%- endif %}
{%- endmacro %}
{%- macro signature(name, route) -%}
{{ py_layout(py_call("async def " ~ name ~ "(", ["self"] + route.params | map("typed_param") | list, ") -> None:"), 4) }}
{%- endmacro %}
{%- macro call_with_dict(prefix, items) -%}
{{ py_layout(py_call(prefix ~ "(", [py_dict(items)]), 8) }}
{%- endmacro %}
{%- set slow_work_comment %}
        # Blocking work (files, subprocesses, heavy computation) must not run on the event
        # loop, which serves every request: run it in a thread and await the result.
{%- endset %}
{%- set example = routes | blocking_work_example %}
{%- for route in routes %}
{%- set param_items = route.params | map("param_item") | list %}

{%- if route.page %}


{{ py_layout(py_call("class " ~ route.class_name ~ "(", ["PageHandlerBase"], "):")) }}
    """GET {{ route.route | docstring_text }}: an HTML page{% if route.public %} (public: no login needed){% endif %}."""
{{ decorators(route) }}
{{ signature("get", route) }}
        html = self.render_template(
            "page.html", title={{ route.class_name | quoted }}, greeting=self.extensionapp.greeting
        )
        self.finish(html)
{%- else %}


{{ py_layout(py_call("class " ~ route.class_name ~ "(", (["PublicWriteMixin"] if route in public_writes else []) + ["ExtensionAPIHandler"], "):")) }}
    """{{ route.methods | join(", ") }} {{ route.route | docstring_text }}{% if route.public %} (public: no login needed){% endif %}."""
{%- for method in route.methods %}
{%- set slow_work_example = example and (route, method) == example %}
{{ decorators(route) }}
{{ signature(method | lower, route) }}
{%- if method == "GET" %}
        """Answer with JSON describing the resource."""
{%- if slow_work_example %}
{{- slow_work_comment }}
        digest = await asyncio.to_thread(sha256_hexdigest, self.request.body)
{{ call_with_dict("self.finish", ['"greeting": self.greeting'] + param_items + ['"body_sha256": digest']) }}
{%- else %}
{{ call_with_dict("self.finish", ['"greeting": self.greeting'] + param_items) }}
{%- endif %}
{%- elif method == "DELETE" %}
        """Delete the resource and answer 204 No Content."""
{%- if slow_work_example %}
{{- slow_work_comment }}
        await asyncio.to_thread(sha256_hexdigest, self.request.body)
{%- endif %}
        self.set_status(204)
        self.finish()
{%- else %}
{%- set verb = {"POST": "created", "PUT": "replaced", "PATCH": "updated"}[method] %}
        """Read a JSON object from the request body and answer with what was {{ verb }}."""
        body = self.get_json_object()
{%- if slow_work_example %}
{{- slow_work_comment }}
        digest = await asyncio.to_thread(sha256_hexdigest, self.request.body)
{%- endif %}
{%- if method == "POST" %}
        self.set_status(201)
{%- endif %}
{{ call_with_dict("self.finish", param_items + ['"' ~ verb ~ '": body'] + (['"body_sha256": digest'] if slow_work_example else [])) }}
{%- endif %}
{%- endfor %}
{%- endif %}
{%- endfor %}
