"""A loopback HTTP/1.1 server that answers the batch endpoints from canned, pre-encoded bytes.

It exists so that client-side cost dominates what the benchmark measures:

* every response (status line, headers and body) is encoded once at start-up and written with
  a single ``sendall``, so a 5,000-record batch costs the server one system call, and a single
  write also keeps Nagle's algorithm from delaying the tail of a response;
* connections are kept alive (HTTP/1.1) and each is served by its own thread;
* request bodies are read into a reused buffer and thrown away, never parsed;
* it runs in its own process, so on a multi-core machine it does not compete with the measured
  client for the interpreter lock.

With ``--delay-ms N`` every API answer waits N milliseconds first, in the connection's own
thread, so requests in flight together wait together: a stand-in for an API that takes its
time over each batch, for the chunked-send workloads.

Each request is timed from its request line to the end of its response; ``GET /_bench/stats``
returns the totals (and ``POST /_bench/reset`` clears them) so the benchmark can print how much
of a round trip the server accounts for.

Run on its own with ``python -m benchmarks.server --port 8080``; it prints ``PORT <n>``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import socket
import socketserver
import sys
import threading
import time
from typing import Dict, List, Optional, Tuple

from benchmarks import data

_JSON = b"application/json;charset=UTF-8"
_MAX_HEADER_LINES = 100


def _response(status: int, reason: str, body: bytes, content_type: bytes = _JSON) -> bytes:
    head = b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (
        status,
        reason.encode(),
        content_type,
        len(body),
    )
    return head + body


class _Stats:
    """Server-side time per request, kept apart per route so workloads can be told apart."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._totals: Dict[str, List[float]] = {}

    def add(self, route: str, seconds: float) -> None:
        with self._lock:
            entry = self._totals.get(route)
            if entry is None:
                self._totals[route] = [1.0, seconds]
            else:
                entry[0] += 1.0
                entry[1] += seconds

    def snapshot(self) -> Dict[str, Dict[str, float]]:
        with self._lock:
            return {
                route: {"requests": count, "seconds": total}
                for route, (count, total) in self._totals.items()
            }

    def reset(self) -> None:
        with self._lock:
            self._totals.clear()


class CannedServer(socketserver.ThreadingTCPServer):
    """Serves /v1/batch/send, /v1/batch/any, /v1/batch/schedule and GET /v1/batch/{id}."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: Tuple[str, int], records: int, delay: float = 0.0) -> None:
        self.stats = _Stats()
        self.delay = delay
        created = _response(201, "Created", data.SEND_RESPONSE)
        self.post_routes: Dict[bytes, Tuple[str, bytes]] = {
            b"/v1/batch/send": ("send", created),
            b"/v1/batch/any": ("any", created),
            b"/v1/batch/schedule": ("schedule", created),
        }
        self.small_batch = _response(
            200, "OK", data.batch_records_json(1, batchid=data.SMALL_BATCH_ID)
        )
        self.big_batch = _response(200, "OK", data.batch_records_json(records))
        self.not_found = _response(404, "Not Found", b'{"message":"Not found"}')
        self.unauthorized = _response(401, "Unauthorized", b'{"message":"Unauthorized"}')
        self.expected_auth = data.AUTH_HEADER.encode()
        super().__init__(address, _Handler)

    def route(self, method: bytes, target: bytes) -> Tuple[str, bytes]:
        if method == b"GET" and target.startswith(b"/v1/batch/"):
            batchid = target[len(b"/v1/batch/") :]
            if batchid == data.SMALL_BATCH_ID.encode():
                return "get1", self.small_batch
            return "get", self.big_batch
        if method == b"POST":
            found = self.post_routes.get(target)
            if found is not None:
                return found
        return "other", self.not_found


class _Handler(socketserver.BaseRequestHandler):
    server: CannedServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # A buffered reader: header lines come out of its buffer without a system call each.
        rfile = io.BufferedReader(socket.SocketIO(sock, "rb"), buffer_size=65536)
        sink = bytearray(65536)
        view = memoryview(sink)
        try:
            while self._one_request(sock, rfile, view):
                pass
        except (ConnectionError, OSError, ValueError):
            pass
        finally:
            rfile.close()

    def _one_request(
        self, sock: socket.socket, rfile: io.BufferedReader[socket.SocketIO], view: memoryview
    ) -> bool:
        line = rfile.readline(65537)
        if not line:
            return False
        started = time.perf_counter()
        parts = line.split()
        if len(parts) != 3:
            return False
        method, target = parts[0], parts[1]
        length = 0
        chunked = False
        close = False
        auth: Optional[bytes] = None
        for _ in range(_MAX_HEADER_LINES):
            header = rfile.readline(65537)
            if header in (b"\r\n", b"\n", b""):
                break
            name, _, value = header.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"authorization":
                auth = value.strip()
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if chunked:
            self._discard_chunked(rfile, view)
        else:
            self._discard(rfile, view, length)

        server = self.server
        if target.startswith(b"/_bench/"):
            body = b"{}"
            if target == b"/_bench/stats":
                body = json.dumps(server.stats.snapshot()).encode()
            elif target == b"/_bench/reset":
                server.stats.reset()
            sock.sendall(_response(200, "OK", body))
            return not close
        if auth != server.expected_auth:
            route, response = "unauthorized", server.unauthorized
        else:
            route, response = server.route(method, target)
        if server.delay:
            time.sleep(server.delay)
        sock.sendall(response)
        server.stats.add(route, time.perf_counter() - started)
        return not close

    @staticmethod
    def _discard(rfile: io.BufferedReader[socket.SocketIO], view: memoryview, length: int) -> None:
        size = len(view)
        while length > 0:
            got = rfile.readinto(view[: min(length, size)])
            if not got:
                raise ConnectionError("client closed mid-body")
            length -= got

    def _discard_chunked(self, rfile: io.BufferedReader[socket.SocketIO], view: memoryview) -> None:
        while True:
            size = int(rfile.readline(1024).split(b";")[0], 16)
            if size == 0:
                # Trailer section ends with an empty line.
                while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return
            self._discard(rfile, view, size + 2)  # the chunk and its CRLF


def start(records: int, port: int = 0, delay: float = 0.0) -> Tuple[CannedServer, threading.Thread]:
    """Start a server on 127.0.0.1 in a background thread (used by tests and ``main``)."""
    server = CannedServer(("127.0.0.1", port), records, delay)
    thread = threading.Thread(target=server.serve_forever, name="canned-server", daemon=True)
    thread.start()
    return server, thread


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 lets the OS choose")
    parser.add_argument("--records", type=int, default=5000, help="records in GET /v1/batch/{id}")
    parser.add_argument(
        "--delay-ms", type=float, default=0.0, help="wait this long before each API answer"
    )
    args = parser.parse_args(argv)
    if args.delay_ms < 0:
        parser.error("--delay-ms must not be negative")
    server, _ = start(args.records, args.port, args.delay_ms / 1000.0)
    print(f"PORT {server.server_address[1]}", flush=True)
    # The parent closes our stdin to stop us; reading it also ends us if the parent dies.
    with contextlib.suppress(KeyboardInterrupt):
        sys.stdin.read()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
