"""The raw baseline as a process of its own: one SQLite statement served over a socket.

    python bench/raw_server.py DATABASE_FILE PORT  (then one line: the statement)

For every request on a keep-alive connection it runs the statement with the plain
sqlite3 driver, encodes the rows as JSON (orjson) and answers them with a
Content-Length, on uvloop like the server. No routing, no sign-in, no rendering:
what is left beside the statement is one request's trip through the loopback,
the wake-ups of two processes and the JSON of the raw rows, so the API timed
against it pays the same trips and wake-ups on the same shared cores
(bench/timing.py `served_statement`).
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from typing import Any

import orjson
import uvloop


class Answer(asyncio.Protocol):
    def __init__(self, connection: sqlite3.Connection, sql: str) -> None:
        self.connection, self.sql = connection, sql
        self.pending = b""

    def connection_made(self, transport: Any) -> None:  # uvloop's transport is no asyncio.Transport
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.pending += data
        while b"\r\n\r\n" in self.pending:
            _, _, self.pending = self.pending.partition(b"\r\n\r\n")
            body = orjson.dumps(self.connection.execute(self.sql).fetchall())
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


async def main(path: str, port: int, sql: str) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA query_only = ON")
    server = await asyncio.get_running_loop().create_server(lambda: Answer(connection, sql), "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(main(sys.argv[1], int(sys.argv[2]), sys.stdin.readline().strip()))
