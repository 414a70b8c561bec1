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
        ("POST /p DashHandler page", "a 'page' route serves GET only"),
        ("GET", "needs at least METHODS and ROUTE"),
    ],
)
def test_bad_route_tables_are_refused_with_a_reason(text, fragment):
    with pytest.raises(HandlersError, match=re.escape(fragment)):
        parse_handlers(text)
