"""The template's code layout agrees with `ruff format` on generated shapes of every length."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from local_extensions.pyformat import assignment, call, dict_literal, from_import, layout

names = st.from_regex(r"[a-z][a-z_]{0,30}", fullmatch=True)
literals = st.from_regex(r'"[A-Za-z0-9 /_-]{0,110}"', fullmatch=True)


@st.composite
def snippets(draw) -> str:
    params = draw(st.lists(names, min_size=0, max_size=6, unique=True))
    cls = draw(st.from_regex(r"[A-Z][A-Za-z]{0,90}Handler", fullmatch=True))
    pairs = [f'"{p}": {p}' for p in params]
    lines = [
        layout(call(f"class {cls}(", ["ExtensionAPIHandler"], "):")),
        "    x = 1",
        "",
        layout(call("async def get(", ["self", *[f"{p}: str" for p in params]], ") -> None:"), 4),
        layout(call("self.finish(", [dict_literal(['"greeting": self.greeting', *pairs])]), 8),
        "",
        "",
        "ROUTES = [",
        layout(call("(", [f'r"/{"/".join(params)}"', cls]), 4, ","),
        "]",
        "CALLS = [",
        layout(call("pytest.param(", ['"/x"', '"GET"', dict_literal([f'"{p}": "example"' for p in params]), "False", 'id="GET /x"']), 4, ","),
        "]",
        "",
        "",
        "class Settings:",
        assignment("description", draw(literals), 4),
        assignment("extension_url", draw(literals), 4),
        "",
        "",
        assignment("URL_NAMESPACE", draw(literals)),
    ]  # fmt: skip
    module = draw(st.from_regex(r"[a-z][a-z_]{0,40}(\.[a-z]{1,20})?", fullmatch=True))
    imports = from_import(module, sorted(set(params), key=str.lower) or ["x"])
    return imports + "\n\n\n" + "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(snippets())
def test_layout_is_what_ruff_format_produces(source):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--line-length", "100", "--stdin-filename", "x.py", "-"],
        input=source, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout == source
