"""Raw-socket HTTP servers on 127.0.0.1 for the async transport tests.

Each connection runs ``handler(conn)`` in its own thread, so a handler can misbehave at any byte
(stall, trickle, close, reset) without holding up the others. The server counts connections and
how many were open at once, and records every request head it read.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

_WAIT = 5.0  # the longest any server-side wait may last: nothing in a test can hang


class Request:
    def __init__(self, head: bytes, line: str, headers: Dict[str, str], body: bytes) -> None:
        self.head = head  # as received, up to the blank line
        self.line = line
        self.method, self.target, _ = line.split(" ", 2)
        self.headers = headers  # names in lower case
        self.body = body


class Conn:
    """One accepted connection, with the few moves the tests need."""

    def __init__(self, sock: socket.socket, server: RawServer) -> None:
        self.sock = sock
        self.server = server
        self._buf = b""

    def _recv(self) -> bytes:
        deadline = time.monotonic() + _WAIT
        while not self.server.stopping.is_set() and time.monotonic() < deadline:
            try:
                return self.sock.recv(65536)
            except socket.timeout:
                continue
        return b""

    def read_request(self) -> Optional[Request]:
        """The next request on this connection, or None once the client closed it."""
        while b"\r\n\r\n" not in self._buf:
            data = self._recv()
            if not data:
                return None
            self._buf += data
        head, self._buf = self._buf.split(b"\r\n\r\n", 1)
        line, *rest = head.decode("latin-1").split("\r\n")
        headers = {}
        for field in rest:
            name, _, value = field.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self._buf) < length:
            data = self._recv()
            if not data:
                return None
            self._buf += data
        body, self._buf = self._buf[:length], self._buf[length:]
        request = Request(head, line, headers, body)
        self.server.record(request)
        return request

    def send(self, data: bytes) -> bool:
        """Write ``data``; False when the client has gone."""
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def respond(
        self,
        status: int = 200,
        body: bytes = b'{"ok": true}',
        headers: Optional[Dict[str, str]] = None,
        reason: str = "OK",
    ) -> bool:
        fields = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        fields.update(headers or {})
        head = f"HTTP/1.1 {status} {reason}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in fields.items())
        return self.send(head.encode("latin-1") + b"\r\n" + body)

    def stall(self) -> None:
        """Say nothing until the client goes away or the server stops."""
        self.wait_closed()

    def wait_closed(self) -> bool:
        """Read and drop bytes until the client closes; True if it did within the wait."""
        deadline = time.monotonic() + _WAIT
        while not self.server.stopping.is_set() and time.monotonic() < deadline:
            try:
                if not self.sock.recv(65536):
                    return True
            except socket.timeout:
                continue
            except OSError:
                return True
        return False

    def trickle(self, data: bytes, every: float = 0.1) -> None:
        """Send ``data`` a byte at a time until it is all out or the client has gone."""
        for i in range(len(data)):
            if self.server.stopping.is_set() or not self.send(data[i : i + 1]):
                return
            time.sleep(every)

    def reset(self) -> None:
        """Close with a TCP reset instead of a clean close."""
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


class RawServer:
    """A threaded server on 127.0.0.1 whose behaviour is one function of a connection."""

    def __init__(
        self, handler: Callable[[Conn], None], tls: Optional[ssl.SSLContext] = None
    ) -> None:
        self.handler = handler
        self.tls = tls
        self.stopping = threading.Event()
        self.requests: List[Request] = []
        self.connections = 0
        self.open_now = 0
        self.most_open = 0
        self._lock = threading.Lock()
        self._threads: List[threading.Thread] = []
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]

    def url(self, path: str = "/x") -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def __enter__(self) -> RawServer:
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in list(self._threads):
            thread.join(_WAIT)
        self._sock.close()

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, sock: socket.socket) -> None:
        with self._lock:
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
        try:
            sock.settimeout(0.05)
            if self.tls is not None:
                sock.settimeout(_WAIT)
                try:
                    sock = self.tls.wrap_socket(sock, server_side=True)
                except (OSError, ssl.SSLError):
                    return
                sock.settimeout(0.05)
            self.handler(Conn(sock, self))
        finally:
            with contextlib.suppress(OSError):
                sock.close()
            with self._lock:
                self.open_now -= 1


def serve_forever(conn: Conn) -> None:
    """A well-behaved keep-alive server: 200 and a small JSON body to every request."""
    while conn.read_request() is not None:
        if not conn.respond():
            return


def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def self_signed(directory: Path) -> Tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, made with the openssl tool."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key
