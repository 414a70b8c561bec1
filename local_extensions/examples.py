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

import re
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
