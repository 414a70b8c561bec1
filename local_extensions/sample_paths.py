"""A concrete path that a route's regular expression matches: for curl examples, generated tests
and the post-generation check. Handles what route patterns use (literals, classes, groups,
repeats, alternatives); anything else raises NoSamplePath."""

from __future__ import annotations

import re

try:  # Python 3.11+ renamed the regex parser modules
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


class NoSamplePath(ValueError):
    """No example path could be built for this pattern."""


def sample_path(pattern: str) -> str:
    """A concrete path matching `pattern`, used for curl examples and generated tests."""
    try:
        parsed = sre_parse.parse(pattern)
        path = _example(parsed)
    except (ValueError, IndexError, KeyError):
        path = None
    if path is None or re.fullmatch(pattern, path) is None:
        raise NoSamplePath(pattern)
    return path


def _example(parsed: sre_parse.SubPattern) -> str | None:
    out: list[str] = []
    for op, arg in parsed:
        piece: str | None
        if op is sre_constants.LITERAL:
            piece = chr(arg)
        elif op is sre_constants.NOT_LITERAL:
            piece = next(ch for ch in _SAMPLE_CHARS if ord(ch) != arg)
        elif op is sre_constants.SUBPATTERN:
            piece = _example(arg[-1])
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, _high, item = arg
            piece = _repeat_example(item, max(low, 1))
        elif op is sre_constants.IN:
            piece = _char_in(arg)
        elif op is sre_constants.ANY:
            piece = "x"
        elif op is sre_constants.BRANCH:
            piece = _example(arg[1][0])
        elif op is sre_constants.AT:
            piece = ""
        else:
            piece = None
        if piece is None:
            return None
        out.append(piece)
    return "".join(out)


def _repeat_example(item: sre_parse.SubPattern, count: int) -> str | None:
    """Prefer a readable word ("example") where a repeated character class allows it."""
    word = "example"
    if count <= len(word) and len(item) == 1 and all(_single_char_ok(*item[0], ch) for ch in word):
        return word
    piece = _example(item)
    return None if piece is None else piece * count


def _single_char_ok(op: object, arg: object, ch: str) -> bool:
    if op is sre_constants.ANY:
        return True
    if op is sre_constants.NOT_LITERAL:
        return ord(ch) != arg
    if op is sre_constants.IN:
        negated = any(o is sre_constants.NEGATE for o, _ in arg)  # type: ignore[attr-defined]
        hit = any(_in_item(o, a, ch) for o, a in arg if o is not sre_constants.NEGATE)  # type: ignore[attr-defined]
        return hit != negated
    return False


_SAMPLE_CHARS = "example0123456789-_xyzABC"


def _char_in(items: list) -> str:
    for ch in _SAMPLE_CHARS:
        if _single_char_ok(sre_constants.IN, items, ch):
            return ch
    raise ValueError("no example character")


def _in_item(op: object, arg: object, ch: str) -> bool:
    if op is sre_constants.LITERAL:
        return chr(arg) == ch  # type: ignore[arg-type]
    if op is sre_constants.RANGE:
        low, high = arg  # type: ignore[misc]
        return low <= ord(ch) <= high
    if op is sre_constants.CATEGORY:
        return bool(
            re.match(
                {
                    sre_constants.CATEGORY_DIGIT: r"\d",
                    sre_constants.CATEGORY_WORD: r"\w",
                    sre_constants.CATEGORY_SPACE: r"\s",
                    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
                    sre_constants.CATEGORY_NOT_WORD: r"\W",
                    sre_constants.CATEGORY_NOT_SPACE: r"\S",
                }.get(arg, r"(?!)"),
                ch,
            )
        )  # type: ignore[call-overload]
    return False
