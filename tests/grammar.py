"""Hypothesis strategies that draw answer sets from everything the template accepts: every route
kind (JSON methods, page, download, WS, SSE, STATIC, HEAD), public routes, shared classes,
characters that clients percent-encode, regex groups (named and unnamed, `(.*)`, `(\\d+)`), `/?`,
group-first routes, parameter names real APIs use (and names the generated code itself uses),
namespaces at the root, with one or several segments and inside the servers' URL space, and
every option. Many drawn sets are refused by validate(): that is part of what is drawn."""

from __future__ import annotations

import keyword
import shlex
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from local_extensions.routes import METHODS, RESERVED_CLASS_NAMES

CONTROL_CHARS = [chr(c) for c in range(0x20)] + ["\x7f"]
#: Characters that have broken templates before: quoting, escaping, Jinja, Markdown, HTML.
SPICE = "\"'\\{}[]<>&#*`_%|$~@,;: üÑé日本語—Ω€😀"
#: Parameter names of real APIs (JupyterHub's /users/{name}...) and names the generated code,
#: Python and its standard library use; the template must take each of them.
PARAM_NAMES = (
    "name", "user", "key", "status", "message", "data", "item", "items", "item_id", "id",
    "path", "body", "json", "web", "range", "str", "int", "super", "asyncio", "uuid", "type",
    "answer", "changes", "job", "last", "start", "step", "greeting", "html", "folder", "l", "_",
    "builtins", "self_", "file_in", "send_file",
)  # fmt: skip
WORDS = ("items", "users", "hello", "v1", "api", "rooms", "jobs", "files", "a", "x-y", "a_b", "42")
#: Literal characters clients may percent-encode, as written in a route (regex-escaped where
#: they mean something in a regular expression).
ENCODABLE_LITERALS = (":", "@", "=", "!", ",", "&", "'", r"\$", r"\(", r"\)", r"\*", r"\+")
NAMESPACES = (
    "", "/", "jupyter-hello", "acme/inventory", "a/b/c", "api", "api/metrics", "api/x-y",
    "login", "metrics", "lsp", "lab", "static", "files-x", "user",
)  # fmt: skip
#: Base URLs the routing is checked under: the root, JupyterHub's, and pytest-jupyter's.
BASE_URLS = ("/", "/user/ada/", "/a%40b/")
GROUP_FIRST = "(?P<path>(?:(?:/[^/]+)+|/?))"


@dataclass(frozen=True)
class AnswerSet:
    answers: dict[str, Any]
    base_url: str  # where a routing check serves it

    @property
    def cli_answers(self) -> dict[str, str]:
        return {name: cli_value(value) for name, value in self.answers.items()}

    def command(self) -> str:
        """The cookiecutter command that bakes these answers (to replay a failure)."""
        parts = [shlex.quote(f"{name}={value}") for name, value in self.cli_answers.items()]
        return "cookiecutter --no-input <this template> " + " ".join(parts)


def cli_value(value: str) -> str:
    """cookiecutter renders --no-input answers as Jinja: pass text with braces verbatim."""
    return "{% raw %}" + value + "{% endraw %}" if "{" in value else value


def baseline() -> dict[str, Any]:
    """The default answers, as cookiecutter resolves them."""
    return {
        "full_name": "Jane Developer",
        "email": "jane@example.com",
        "project_name": "Jupyter Hello",
        "project_slug": "jupyter-hello",
        "package_name": "jupyter_hello",
        "description": "A Jupyter server extension.",
        "repository_url": "https://github.com/jane/jupyter-hello",
        "url_namespace": "jupyter-hello",
        "handlers": "GET /hello HelloWorldHandler",
        "auth": "authorized",
        "extension_app": "no",
        "classic_notebook": "no",
        "license": "BSD-3-Clause",
        "github_actions": "yes",
    }


def text(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """Single-line text with a good share of quotes, backslashes, braces and non-ASCII letters."""
    plain = st.characters(
        codec="utf-8", exclude_categories=("Cs",), exclude_characters=CONTROL_CHARS
    )
    return st.text(st.one_of(st.sampled_from(SPICE), plain), min_size=min_size, max_size=max_size)


def identifiers() -> st.SearchStrategy[str]:
    """Any name a path parameter may take."""
    return st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True).filter(
        lambda n: not keyword.iskeyword(n) and n != "self" and not n.startswith("__")
    )


@st.composite
def literal_segments(draw: st.DrawFn) -> str:
    word = draw(
        st.sampled_from(WORDS) | st.from_regex(r"[a-z0-9][a-z0-9_~.-]{0,8}", fullmatch=True)
    )
    if draw(st.integers(0, 3)) == 0:  # a character clients encode, inside or around the word
        at = draw(st.integers(0, len(word)))
        word = word[:at] + draw(st.sampled_from(ENCODABLE_LITERALS)) + word[at:]
    return word


@st.composite
def routes(draw: st.DrawFn, namespace: str) -> str:
    """ROUTE of one entry: literal segments, {params}, regex groups (all named or all not)."""
    named = draw(st.booleans())
    names = draw(st.permutations(PARAM_NAMES))[:4]
    other = draw(identifiers())
    if other not in names:  # now and then a name of no list
        names[draw(st.integers(0, 3))] = other
    names = iter(names)
    segments = []
    for _ in range(draw(st.integers(1, 4))):
        choice = draw(st.integers(0, 9))
        if choice <= 4:
            segments.append(draw(literal_segments()))
        elif choice <= 6:
            segments.append("{" + next(names) + "}" if named else r"(\d+)")
        elif choice == 7:
            segments.append(f"(?P<{next(names)}>\\d+)" if named else "([a-z]+)")
        else:
            segments.append(f"(?P<{next(names)}>.*)" if named else "(.*)")
            break  # a catch-all ends the route
    route = "/" + "/".join(segments)
    ending = draw(st.integers(0, 9))
    if ending == 0 and not route.endswith("*)"):
        route += "/?"
    elif ending == 1 and namespace.strip("/"):
        route = GROUP_FIRST + "/" + draw(st.sampled_from(WORDS))  # needs a namespace
    elif ending == 2:
        route = "/"
    return route


@st.composite
def entries(draw: st.DrawFn, namespace: str) -> str:
    kind = draw(st.sampled_from(["api"] * 6 + ["page", "download", "WS", "SSE", "STATIC"]))
    if kind == "STATIC":
        route = "/" + "/".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2)))
        words = ["STATIC", route]
    elif kind in ("WS", "SSE"):
        words = [kind, draw(routes(namespace))]
    else:
        allowed = {"api": METHODS, "page": ("GET",), "download": ("GET", "HEAD")}[kind]
        methods = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=4, unique=True))
        word = ",".join(draw(st.sampled_from([m, m.lower(), m.title()])) for m in methods)
        words = [word, draw(routes(namespace))] + ([] if kind == "api" else [kind])
    if draw(st.integers(0, 3)) == 0:
        words.insert(2, draw(class_names()))
    if draw(st.integers(0, 4)) == 0:
        words.append(draw(st.sampled_from(["public", "Public", "PUBLIC"])))
    return " ".join(words)


def class_names() -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Z][A-Za-z0-9]{0,12}Handler", fullmatch=True).filter(
        lambda n: n not in RESERVED_CLASS_NAMES
    )


@st.composite
def handler_tables(draw: st.DrawFn, namespace: str) -> str:
    table = draw(st.lists(entries(namespace), min_size=1, max_size=5))
    if len(table) >= 2 and draw(st.integers(0, 4)) == 0:  # two JSON routes share a class
        shared = draw(class_names())
        methods = draw(st.sampled_from(["GET", "GET,POST", "PUT,DELETE"]))
        table[0] = f"{methods} /{draw(literal_segments())} {shared}"
        name = draw(st.sampled_from(PARAM_NAMES) | identifiers())
        table[1] = f"{methods} /{draw(literal_segments())}/{{{name}}} {shared}"
    return draw(st.sampled_from(["; ", ";", " ; "])).join(table)


@st.composite
def answer_sets(draw: st.DrawFn) -> AnswerSet:
    namespace = draw(st.sampled_from(NAMESPACES))
    package = draw(st.from_regex(r"ext_[a-z][a-z0-9_]{0,11}[a-z0-9]", fullmatch=True))
    answers = {
        **baseline(),
        "full_name": draw(text()),
        "project_name": draw(text(min_size=1).filter(str.strip)),
        "description": draw(text(max_size=60)),
        "repository_url": draw(
            st.sampled_from(["", "https://gitlab.example.org:8443/group/sub/ext"])
            | st.from_regex(
                r"https://github\.com/[a-z0-9-]{1,12}/[A-Za-z0-9._-]{1,20}", fullmatch=True
            )
        ),
        "project_slug": package.replace("_", "-"),
        "package_name": package,
        "url_namespace": namespace,
        "handlers": draw(handler_tables(namespace)),
        "auth": draw(st.sampled_from(["authorized", "authenticated"])),
        "extension_app": draw(st.sampled_from(["no", "yes"])),
        "classic_notebook": draw(st.sampled_from(["no", "no", "yes"])),
        "license": draw(st.sampled_from(["BSD-3-Clause", "MIT", "Apache-2.0", "proprietary"])),
        "github_actions": draw(st.sampled_from(["yes", "no"])),
    }
    return AnswerSet(answers, draw(st.sampled_from(BASE_URLS)))
