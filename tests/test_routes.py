"""The `handlers` answer: parsing, derived names, path parameters, example URLs."""

from __future__ import annotations

import re

import pytest

from local_extensions.routes import HandlersError, derive_class_name, parse_handlers


def test_issue_example_parses_into_three_routes():
    routes = parse_handlers(
        "GET /hello HelloWorldHandler; GET,POST /items; GET,PUT,DELETE /items/{item_id}"
    )
    assert [(r.methods, r.route, r.class_name) for r in routes] == [
        (("GET",), "/hello", "HelloWorldHandler"),
        (("GET", "POST"), "/items", "ItemsHandler"),
        (("GET", "PUT", "DELETE"), "/items/{item_id}", "ItemsItemIdHandler"),
    ]
    assert routes[2].pattern == "/items/(?P<item_id>[^/]+)"
    assert routes[2].params == ("item_id",)
    assert not any(r.public for r in routes)


def test_methods_are_case_insensitive_deduplicated_and_ordered():
    (route,) = parse_handlers("delete,get,Post,GET /x")
    assert route.methods == ("GET", "POST", "DELETE")


def test_public_and_page_flags():
    public, page = parse_handlers("GET /status public; GET /dash DashHandler page")
    assert public.public and not public.page
    assert page.page and page.class_name == "DashHandler"


@pytest.mark.parametrize(
    ("route", "name"),
    [("/hello", "HelloHandler"), ("/", "RootHandler"), ("/user-data/{user_id}", "UserDataUserIdHandler"),
     ("/v2/files/(.*)", "V2FilesHandler"), ("/api_keys", "ApiKeysHandler")],
)  # fmt: skip
def test_derived_class_names_are_capwords_handlers(route, name):
    assert derive_class_name(route) == name


def test_derived_names_never_collide_with_given_or_each_other():
    routes = parse_handlers("GET /items ItemsHandler; GET /items/ ; GET /items//")
    names = [r.class_name for r in routes]
    assert len(set(names)) == 3
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*Handler", n) for n in names)


@pytest.mark.parametrize(
    "text",
    ["GET /a/{x}/b/{y}", r"GET /n/(?P<num>\d+)", "GET /files/(.*)", "GET /a/(x|y)/([a-f0-9]{3,})",
     "GET /(?:v1|v2)/things/{thing}", "GET /"],
)  # fmt: skip
def test_sample_path_matches_its_pattern_and_yields_the_params(text):
    (route,) = parse_handlers(text)
    match = re.fullmatch(route.pattern, route.sample_path)
    assert match is not None
    assert set(route.sample_params()) == set(route.params)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("GET /a;;GET /b", "empty entry"),
        ("FETCH /a", "unknown HTTP method 'FETCH'"),
        ("GET a", "must start with '/'"),
        ("GET /(", "not a valid regular expression"),
        ("GET /(?P<a>x)/(y)", "mixes named and unnamed groups"),
        ("GET /a lowercase", "not a CapWords identifier"),
        ("GET /a APIHandler", "shadow a base class"),
        ("GET /a JupyterHandler", "shadow a base class"),
        ("GET /a Same; POST /b Same", "one class serves the same methods on every route"),
        ("GET /a Same public; GET /b Same", "public on one route and not on another"),
        ("WS /a Same; WS /b Same", "only JSON routes share a class"),
        ("GET,WS /a", "stands alone in its entry"),
        ("STATIC /a; STATIC /b", "one static/ folder"),
        ("STATIC /files/{name}", "plain folder URL"),
        ("STATIC /", "plain folder URL"),
        ("WS /a page", "cannot be a 'page'"),
        ("GET /x/a[:]b", "when percent-encoded"),
        ("GET /items?id=1", "looks like it has a query string"),
        ("GET /a<b", "cannot carry unencoded"),
        ("GET /openapi.json", "the generated OpenAPI document"),
        ("GET (?P<x>abc)", "a leading group must begin with '/'"),
        ("GET /{" + "x" * 44 + "}", "too long"),
        ("GET /a; POST /a", "route '/a' appears in more than one entry"),
        ("GET /{Bad}", "lowercase Python identifier"),
        ("GET /{class}", "lowercase Python identifier"),
        ("GET /a One Two", "unexpected words"),
        ("POST /p DashHandler page", "a 'page' route serves GET"),
        ("GET,DELETE /d download", "a 'download' route serves GET and HEAD"),
        ("GET /d page download", "is marked both 'page' and 'download'"),
        ("WS /d download", "a WS route cannot be a 'download'"),
        ("GET", "needs at least METHODS and ROUTE"),
    ],
)
def test_bad_route_tables_are_refused_with_a_reason(text, fragment):
    with pytest.raises(HandlersError, match=re.escape(fragment)):
        parse_handlers(text)


def test_download_routes_name_the_example_file_where_the_pattern_allows():
    named, fixed, any_path, word = parse_handlers(
        r"GET,HEAD /exports/{name} download; GET /report download; GET /files/(.*) download; "
        r"GET /w/(?P<word>\w+) download"
    )
    assert [r.kind for r in (named, fixed, any_path, word)] == ["download"] * 4
    assert named.sample_path == "/exports/example.txt"
    assert fixed.sample_path == "/report"
    assert any_path.sample_path == "/files/example.txt"
    assert word.sample_path == "/w/example"  # \w+ cannot hold the '.'


@pytest.mark.parametrize(
    "name",
    # JupyterHub's /users/{name} and friends, and what example code, Python or its modules use
    ["user", "name", "key", "status", "message", "data", "item", "items", "body", "json", "web",
     "range", "str", "super", "builtins", "asyncio", "uuid", "l", "id", "type", "match", "_"],
)  # fmt: skip
def test_any_identifier_is_a_path_parameter(name):
    (route,) = parse_handlers(f"GET /things/{{{name}}}")
    assert route.params == (name,)
    assert route.sample_params() == {name: "example"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [("self", "the handler itself"), ("class", "keyword"), ("__dunder", "two underscores"),
     ("Item", "lowercase"), ("item-id", "lowercase")],
)  # fmt: skip
def test_what_tornado_or_python_cannot_take_is_refused_with_the_reason(name, reason):
    with pytest.raises(HandlersError, match=reason):
        parse_handlers(f"GET /things/{{{name}}}")
