"""The bare Tornado "Hello, world" app from Tornado's docs: the ceiling for a Python handler.

Usage: python hello_app.py PORT  (listens on 127.0.0.1 only; stop it with SIGTERM)
"""

import asyncio
import sys

import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def get(self) -> None:
        self.write("Hello, world")


async def main(port: int) -> None:
    app = tornado.web.Application([(r"/", MainHandler)])
    app.listen(port, address="127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
