"""Route tables of widely used server extensions, written in the template's syntax, with URLs
each must route (to which class, with which arguments). The URLs are the extensions' own:
nothing here had to move to fit the template."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PATH = "(?P<path>(?:(?:/[^/]+)+|/?))"  # jupyterlab-git's path_regex
ALL = "GET,HEAD,POST,PUT,PATCH,DELETE"

#: jupyterlab-git's routes under /git: a repository path, then the command. Commands that end
#: in another command's name come first (/remote/add before /add), as Tornado tries in order.
GIT_COMMANDS = [
    "remote/add", "remote/fetch", "remote/show", "remote/remove", "branch/delete",
    "add_all_unstaged", "add_all_untracked", "all_history", "branch", "changed_files",
    "checkout", "clone", "commit", "config", "content", "delete_commit", "detailed_log", "diff",
    "discard", "fetch", "ignore", "init", "log", "merge", "pull", "push", "reset",
    "reset_to_commit", "show_prefix", "show_top_level", "stash", "stash_pop", "stash_apply",
    "status", "tags", "tag_checkout", "new_tag", "upstream", "lfs/track", "lfs/untrack",
    "check_notebooks", "add",
]  # fmt: skip


@dataclass(frozen=True)
class Table:
    id: str
    answers: dict[str, Any]
    #: (URL under the base URL, the class it must reach, the arguments the class receives)
    routed: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


TABLES = [
    Table(
        "metrics-under-api",  # jupyter-resource-usage
        {
            "project_name": "Resource Usage",
            "url_namespace": "",
            "handlers": "GET /api/metrics/v1 ApiMetricsHandler",
        },
        [("/api/metrics/v1", "ApiMetricsHandler", {})],
    ),
    Table(
        "git-path-regex",  # jupyterlab-git
        {
            "project_name": "Git Style",
            "url_namespace": "git",
            "handlers": "; ".join(
                [f"POST {PATH}/{command}" for command in GIT_COMMANDS]
                + [
                    "GET /settings GitSettingsHandler",
                    f"GET {PATH}/diffnotebook DiffNotebookHandler",
                ]
            ),
        },
        [
            ("/git/repos/project/add", "AddHandler", {"path": "/repos/project"}),
            ("/git/add", "AddHandler", {"path": ""}),
            ("/git/repos/project/remote/add", "RemoteAddHandler", {"path": "/repos/project"}),
            ("/git/project/branch/delete", "BranchDeleteHandler", {"path": "/project"}),
            ("/git/a/b/c/status", "StatusHandler", {"path": "/a/b/c"}),
            ("/git/settings", "GitSettingsHandler", {}),
        ],
    ),
    Table(
        "proxy-host-port",  # jupyter-server-proxy
        {
            "project_name": "Proxy Style",
            "url_namespace": "proxy",
            "handlers": (
                f"{ALL} /absolute/{{port}}/(?P<proxied_path>.*) AbsoluteProxyHandler; "
                "WS /ws/{port}/(?P<proxied_path>.*) ProxySocketHandler; "
                f"{ALL} /{{host}}:{{port}}/(?P<proxied_path>.*) RemoteProxyHandler; "
                f"{ALL} /{{port}}/(?P<proxied_path>.*) LocalProxyHandler"
            ),
        },
        [
            (
                "/proxy/localhost:8080/some/path",
                "RemoteProxyHandler",
                {"host": "localhost", "port": "8080", "proxied_path": "some/path"},
            ),
            (
                "/proxy/localhost%3A8080/some/path",
                "RemoteProxyHandler",
                {"host": "localhost", "port": "8080", "proxied_path": "some/path"},
            ),
            ("/proxy/8080/", "LocalProxyHandler", {"port": "8080", "proxied_path": ""}),
            (
                "/proxy/absolute/8080/a/b",
                "AbsoluteProxyHandler",
                {"port": "8080", "proxied_path": "a/b"},
            ),
            (
                "/proxy/ws/8080/socket",
                "ProxySocketHandler",
                {"port": "8080", "proxied_path": "socket"},
            ),
        ],
    ),
    Table(
        "pages-static-sockets",  # a dashboard extension
        {
            "project_name": "Dashboard Style",
            "url_namespace": "dashboard",
            "extension_app": "yes",
            "handlers": (
                "GET / IndexPageHandler page; STATIC /assets; WS /api/events; "
                "SSE /api/progress/{task_id}; GET,POST /api/tasks; GET,HEAD,DELETE /api/tasks/{task_id}"
            ),
        },
        [
            ("/dashboard", "IndexPageHandler", {}),
            ("/dashboard/", "IndexPageHandler", {}),
            ("/dashboard/assets/css/site.css", "AssetsHandler", {"path": "css/site.css"}),
            ("/dashboard/api/events", "ApiEventsHandler", {}),
            ("/dashboard/api/progress/t1", "ApiProgressTaskIdHandler", {"task_id": "t1"}),
            ("/dashboard/api/tasks/t%201", "ApiTasksTaskIdHandler", {"task_id": "t 1"}),
        ],
    ),
]
