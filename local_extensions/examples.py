"""What the example body of each generated JSON handler does, chosen from the shape of its routes:

* hello: GET without path parameters (nothing to change there): greets the caller;
* collection: POST without parameters, with GET: lists items, creates them (201);
* inbox: POST without parameters and without GET (a webhook): accepts deliveries (202);
* document: PUT or PATCH without parameters: one JSON object, read, replaced, merged;
* item: parameters and a method that changes something: one item of a collection, 404 if absent;
* echo: everything else (GET-only parameters, catch-all regexes, shared classes): answers what
  the URL matched.

Collections and their items share their data when their routes start with the same word
(`/items` and `/items/{item_id}` both use the store "items").
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .routes import HandlerClass


@dataclass(frozen=True)
class Example:
    shape: str
    store: str  # the name of the in-memory store the example keeps its data in
    key: str  # the path parameter naming an item (item shape only)

    def status(self, method: str) -> int:
        """What the example's `method` answers when it succeeds."""
        if method == "POST":
            return {"collection": 201, "item": 201, "echo": 201, "inbox": 202}.get(self.shape, 200)
        return 204 if method == "DELETE" else 200


def example_for(handler: HandlerClass) -> Example:
    route = handler.first
    words = re.findall(r"[A-Za-z][A-Za-z0-9_-]*", route.route.split("(")[0].split("{")[0])
    store = words[0] if words else "root"
    methods = set(handler.methods)
    if len(handler.routes) > 1 or (handler.positional and handler.params):
        shape = "echo"
    elif handler.params:
        shape = "item" if methods & {"POST", "PUT", "PATCH", "DELETE"} else "echo"
    elif "POST" in methods:
        shape = "collection" if "GET" in methods else "inbox"
    elif methods & {"PUT", "PATCH", "DELETE"}:
        shape = "document"
    else:
        shape = "hello"
    return Example(shape, store, handler.params[-1] if handler.params else "")


class Names:
    """How a handler module's example code spells the names it uses, so that a path parameter
    (a local variable of each method that receives it) never hides one: `names.items` is
    `items`, or `items_` when a parameter is named `items`; a builtin such as `range` becomes
    `builtins.range`. The module imports `json as json_` when a parameter is named `json`."""

    def __init__(self, params: Iterable[str]) -> None:
        self._taken = frozenset(params)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._taken:
            return name
        if name in _BUILTINS:
            return f"{self.builtins}.{name}"
        spelled = name + "_"
        while spelled in self._taken:
            spelled += "_"
        return spelled

    def used_builtins(self, *names: str) -> bool:
        """Whether the code needs `import builtins` to reach one of `names`."""
        return any(name in self._taken for name in names)

    def import_as(self, name: str) -> str:
        """` as json_` when the module `name` is imported under another name, else ''."""
        spelled = getattr(self, name)
        return "" if spelled == name else f" as {spelled}"


_BUILTINS = frozenset(dir(builtins))


def names_for(handler: HandlerClass) -> Names:
    return Names(handler.params)
