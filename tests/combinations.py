"""The curated answer sets every test layer runs: each option value at least once, plus the pairs
that interact (public routes with auth=authorized, empty namespace with path parameters,
extension_app with classic_notebook, hostile text). One list, readable ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HOSTILE_TEXT = "Quotes \" ' and \\ backslashes, {{ braces }}, ünïcödé — 日本語 </script> & more"


@dataclass(frozen=True)
class Combination:
    id: str
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def extension_app(self) -> bool:
        return self.answers.get("extension_app") == "yes"

    @property
    def classic(self) -> bool:
        return self.answers.get("classic_notebook") == "yes"


COMBINATIONS = [
    Combination("defaults"),
    Combination(
        "auth=authenticated-license=MIT",
        {
            "auth": "authenticated",
            "license": "MIT",
            "handlers": "GET,POST /items; GET,DELETE /items/{item_id}",
        },
    ),
    Combination(
        "public+authorized-crud",
        {
            "project_name": "Acme Inventory",
            "handlers": (
                "GET /hello HelloWorldHandler; GET,POST /items; "
                "GET,PUT,PATCH,DELETE /items/{item_id}; GET /health HealthHandler public; "
                "POST /webhook public"
            ),
            "license": "Apache-2.0",
        },
    ),
    Combination(
        "namespace=root-path-params",
        {
            "project_name": "Widget Store",
            "url_namespace": "",
            # long parameter names: signatures and answers too long for one line; a proxy's
            # host:port, which clients percent-encode, at the server root
            "handlers": (
                "GET,POST /widgets; GET,PUT,PATCH,DELETE "
                "/widgets/{widget_identifier}/parts/{part_identifier}/revisions/{revision_number}; "
                "GET,POST /proxy/{host}:{port}/(?P<proxied_path>.*)"
            ),
            "github_actions": "no",
            "license": "proprietary",
        },
    ),
    Combination(
        "regex-routes-nested-namespace",
        {
            "project_name": "Regex Routes",
            "url_namespace": "acme/regex",
            "handlers": (
                r"GET / IndexHandler; GET /files/(.*) FileHandler; "
                r"GET /numbers/(?P<number>\d+); PATCH /tags/{tag}"
            ),
        },
    ),
    Combination(
        "hostile-text",
        {
            "full_name": 'Zoë O\'Brien "Z" \\ Ñandú',
            "project_name": 'Quote\'s "Extension"',
            "project_slug": "quote-extension",
            "package_name": "quote_extension",
            "description": "{% raw %}" + HOSTILE_TEXT + "{% endraw %}",
        },
    ),
    Combination(
        "extension_app=yes-page",
        {
            "project_name": "Jupyter Dashboard",
            "extension_app": "yes",
            "handlers": "GET /page DashboardPageHandler page; GET,POST /data; GET /ping public",
        },
    ),
    Combination(
        "realtime-static-shared",
        {
            "project_name": "Live Rooms",
            # sockets, streams, static files, HEAD, a shared class, a document, a URL with ':'
            "handlers": (
                "WS /rooms/{room_id}; SSE /jobs/{job_id}/progress; STATIC /assets; "
                "GET,HEAD /items/?; PUT,PATCH /settings; GET,POST /things ThingsHandler; "
                "GET,POST /things/{thing_id} ThingsHandler; GET /proxy/{host}:{port}; "
                "GET /report download public"
            ),
        },
    ),
    Combination(
        "extension_app=yes-realtime-public",
        {
            "project_name": "Live App",
            "extension_app": "yes",
            "auth": "authenticated",
            "handlers": (
                "WS /feed public; SSE /jobs/{job_id}/progress; STATIC /assets public; "
                "GET /page LivePageHandler page; GET,HEAD /exports/{name} download"
            ),
        },
    ),
    Combination(
        "api-namespace-path-regex",
        {
            "project_name": "Git Style",
            "url_namespace": "api/gitstyle",
            "handlers": r"GET,POST (?P<path>(?:(?:/[^/]+)+|/?))/add; HEAD,GET /status",
        },
    ),
    Combination(
        "namespace=api-real-parameter-names",
        {
            "project_name": "Metrics Hub",
            # a namespace inside jupyter_server's own /api: no catch-all may take its URLs;
            # parameter names JupyterHub's API uses, and names the generated code uses itself
            "url_namespace": "api",
            "handlers": (
                "GET /metrics/v1; GET,PUT /users/{user}/settings/{key}; "
                "GET,DELETE /jobs/{status}/messages/{message}; POST /inbox/{data}/{item}; "
                "GET /echo/{json}/{web}/{range}"
            ),
        },
    ),
    Combination(
        "classic_notebook=yes", {"project_name": "Classic Hello", "classic_notebook": "yes"}
    ),
    Combination(
        "extension_app=yes-classic_notebook=yes",
        {
            "project_name": "Both Worlds",
            "extension_app": "yes",
            "classic_notebook": "yes",
            "auth": "authenticated",
            "handlers": (
                "GET /hello; GET,POST,DELETE /things/{thing_id}; GET,POST /open public; "
                "WS /chat/{room}; SSE /jobs/{job_id}/progress; STATIC /assets"
            ),
        },
    ),
]

BY_ID = {c.id: c for c in COMBINATIONS}
