"""A recording HTTP proxy and a self-signed TLS origin, both on 127.0.0.1, for proxy/TLS tests.

``RecordingProxy`` forwards plain-http requests (absolute-form request line) and tunnels
``CONNECT``; it keeps every request line and header block it read. ``tls_origin()`` serves a
fixed JSON answer over HTTPS with a certificate made by the ``openssl`` command for this run.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import ClassVar, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest

_IO_TIMEOUT = 5.0


class RecordingProxy:
    """Forwarding (http) and tunnelling (CONNECT) proxy that records what it was asked."""

    def __init__(self) -> None:
        self.lines: List[str] = []
        self.headers: List[Dict[str, str]] = []
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        self._threads: List[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> RecordingProxy:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._acceptor.join(2)
        self._listener.close()
        for thread in self._threads:
            thread.join(2)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(_IO_TIMEOUT)
        with contextlib.closing(conn):
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                head += chunk
            head, _, rest = head.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            fields = {
                k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])
            }
            self.lines.append(lines[0])
            self.headers.append(fields)
            method, target, _ = lines[0].split(" ", 2)
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)), timeout=_IO_TIMEOUT)
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._pipe(conn, upstream, rest)
                return
            parts = urlsplit(target)
            if not parts.scheme:  # origin-form: the proxy cannot know where to send it
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                return
            length = int(fields.get("content-length", "0"))
            while len(rest) < length:
                rest += conn.recv(65536)
            kept = [f"{k}: {v}" for k, v in fields.items() if k not in ("connection",)]
            request = "\r\n".join(
                [f"{method} {parts.path or '/'} HTTP/1.1", *kept, "Connection: close", "", ""]
            )
            upstream = socket.create_connection(
                (parts.hostname or "", parts.port or 80), timeout=_IO_TIMEOUT
            )
            with contextlib.closing(upstream):
                upstream.sendall(request.encode("latin-1") + rest)
                while True:
                    data = upstream.recv(65536)
                    if not data:
                        break
                    conn.sendall(data)

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket, first: bytes) -> None:
        if first:
            b.sendall(first)

        def one_way(src: socket.socket, dst: socket.socket) -> None:
            with contextlib.suppress(OSError):
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

        back = threading.Thread(target=one_way, args=(b, a), daemon=True)
        back.start()
        one_way(a, b)
        back.join(_IO_TIMEOUT)
        b.close()


def make_certificate(folder: Path) -> Tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with ``openssl``."""
    if shutil.which("openssl") is None:
        message = "the openssl command is needed to make a test certificate"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


class _Answer(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = json.dumps({"batchid": "77", "status": "SCHEDULED"}).encode()
    seen: ClassVar[List[str]] = []

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_POST = do_GET = _reply

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def tls_origin(cert_dir: Optional[Path] = None) -> Iterator[Tuple[str, Path, List[str]]]:
    """Serve HTTPS on 127.0.0.1; yields (base URL, certificate path, request lines seen)."""
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = make_certificate(Path(cert_dir or tmp))
        seen: ClassVar[List[str]] = []
        handler = type("Answer", (_Answer,), {"seen": seen})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
        thread.daemon = True
        thread.start()
        try:
            yield f"https://127.0.0.1:{server.server_address[1]}/v1", cert, seen
        finally:
            server.shutdown()
            server.server_close()
            thread.join(2)
