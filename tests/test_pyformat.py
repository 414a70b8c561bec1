"""The few generated lines whose length depends on the answers are laid out as `ruff format`
keeps them: on one line when they fit, exploded with a magic trailing comma when they do not."""

from __future__ import annotations

import keyword
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from local_extensions.pyformat import fit, from_import

names = st.from_regex(r"[a-z][a-z_]{0,40}", fullmatch=True)
classes = st.from_regex(r"[A-Z][A-Za-z]{0,45}Handler", fullmatch=True)
literals = st.from_regex(r'"[A-Za-z0-9 /_-]{0,110}"', fullmatch=True)


@st.composite
def snippets(draw: st.DrawFn) -> str:
    params = draw(st.lists(names, min_size=0, max_size=5, unique=True))
    cls = draw(classes)
    module = draw(
        st.from_regex(r"\.handlers\.[a-z][a-z_]{0,50}", fullmatch=True).filter(
            lambda name: not keyword.iskeyword(name.rsplit(".", 1)[1])
        )
    )
    pattern = draw(literals)
    lines = [
        from_import(module, [cls]),
        "",
        "ROUTES = [",
        fit("Route(", [f"r{pattern}", cls, f"example={draw(literals)}"], "),", 4),
        "]",
        "",
        "",
        f"class {cls}:",
        fit("async def get(", ["self", *[f"{p}: str" for p in params]], ") -> None:", 4),
        "        pass",
        "",
        "    operations = {",
        fit('"GET": Operation(', ["response=ITEM", "request=NEW_ITEM", "status=201"], "),", 8),
        "    }",
    ]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(snippets())
def test_layout_is_what_ruff_format_produces(source: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--line-length", "100", "--stdin-filename", "x.py", "-"],
        input=source, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout == source


def test_short_calls_stay_on_one_line_and_long_ones_explode() -> None:
    assert fit("f(", ["a", "b"], ")") == "f(a, b)"
    long = fit("f(", ["x" * 60, "y" * 60], ")", 4)
    assert long.splitlines() == [
        "    f(",
        "        " + "x" * 60 + ",",
        "        " + "y" * 60 + ",",
        "    )",
    ]
