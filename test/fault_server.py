"""A small HTTP/1.1 server that misbehaves on purpose, for tests of the SDK's transport.

It listens on 127.0.0.1 on a port chosen by the operating system, records every request it
reads, and answers each one with a *fault*: a well-formed reply, an error status, a broken
reply, or no reply at all. It uses only the standard library (``socket`` and ``threading``)
so it can test the SDK without depending on it.

Everything is bounded in time: every socket operation has a short timeout, all threads are
daemons, an idle keep-alive connection is dropped after ``idle_timeout`` seconds, and
:meth:`FaultServer.stop` returns within about two seconds whatever the clients are doing.

Faults (the ``kind`` of a :class:`Fault`, or its name as a plain string):

``ok``
    A complete response; ``status`` (default 200), ``headers`` and ``body`` (default ``{}``)
    are configurable. The connection is kept alive for the next request.
``refuse``
    Nothing listens on the port, so connecting fails with ``ECONNREFUSED``. Only valid as
    the server's single fault; the request count stays 0.
``close_before_response``
    Read the whole request (it is recorded), then close the connection without answering.
``reset``
    Like ``close_before_response`` but the connection is aborted with a TCP RST.
``close_mid_body``
    Send the headers with ``Content-Length: N``, then half of the body, then close.
``truncated_json``
    A complete 200 response whose JSON body is cut off: ``{"batchid": "12``.
``html_502``
    A 502 with an HTML page, as a proxy in front of the API would send.
``503``
    A 503 with an ``ExtendedErrorModel`` JSON body (``permanent`` is false).
``429``
    A 429 with ``Retry-After: <retry_after>`` (default ``"1"``; ``None`` omits the header).
``no_headers``
    Read the request, then send nothing. The connection is held until the client gives up,
    ``hold`` seconds pass (default 10) or the server stops.
``trickle``
    A valid response whose body is sent one byte every ``interval`` seconds (default 0.05),
    so no single read times out but the whole body takes long.
``huge_body``
    A 200 with a JSON array of ``size`` bytes (default 50 MiB), streamed in 64 KiB chunks.
``invalid_utf8``
    A 200 with ``Content-Type: application/json`` and a body that is not valid UTF-8.

Every fault that sends a response adds the fault's extra ``headers`` (which may override
the defaults, e.g. ``{"Retry-After": "2"}`` on a ``503``). Complete responses keep the
connection alive unless the client asked to close it.

Scripts let a test say "fail first, then succeed"::

    with FaultServer("ok", script=["503", "close_before_response"]) as srv:
        ...  # 1st request: 503, 2nd: connection closed, then 200 {} for every later one

    with FaultServer(by_path={"/batch/send": [Fault("ok", status=201, body={"batchid": "1"})]}):
        ...

For each request the server takes, in this order, the next unused fault listed for its
path in ``by_path`` (keys are paths relative to :attr:`FaultServer.url`, such as
``"/batch/send"``, or full paths like ``"/v1/batch/send"``; the query string is ignored),
else the next unused fault of ``script``, else the server's own fault.

The records are :class:`RecordedRequest` objects in :attr:`FaultServer.requests`; a
request is recorded as soon as its request line, headers and body have been read.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from types import TracebackType
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Type, Union
from urllib.parse import urlsplit

__all__ = ["FAULTS", "Fault", "FaultServer", "RecordedRequest"]

FAULTS = frozenset(
    {
        "ok",
        "refuse",
        "close_before_response",
        "reset",
        "close_mid_body",
        "truncated_json",
        "html_502",
        "503",
        "429",
        "no_headers",
        "trickle",
        "huge_body",
        "invalid_utf8",
    }
)

# How often blocked socket calls wake up to look at the stop flag.
_POLL = 0.05
# A send that makes no progress for this long is abandoned (the client stopped reading).
_SEND_STALL = 10.0
_MAX_HEAD = 64 * 1024
_MAX_BODY = 64 * 1024 * 1024
_STOP_BUDGET = 2.0

_DEFAULT_BODIES: Dict[str, bytes] = {
    "ok": b"{}",
    "close_mid_body": b'{"batchid": "2586749", "status": "SCHEDULED"}',
    "truncated_json": b'{"batchid": "12',
    "html_502": (
        b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
    ),
    "503": (
        b'{"message": "The service is temporarily unavailable, please try again later", '
        b'"errorCode": 503, "status": "SERVICE_UNAVAILABLE", "permanent": false}'
    ),
    "429": b'{"message": "Too many requests"}',
    "trickle": b'{"batchid": "2586749", "status": "SCHEDULED"}',
    # 0xE9 is Latin-1 "é" and 0xFF/0xFE never occur in UTF-8.
    "invalid_utf8": b'{"message": "caf\xe9 \xff\xfe"}',
}

_DEFAULT_STATUS: Dict[str, int] = {"html_502": 502, "503": 503, "429": 429}

_HUGE_CHUNK_ITEMS = 32 * 1024  # "0," items per chunk: 64 KiB


@dataclass(frozen=True)
class Fault:
    """One way of answering a request.

    Attributes:
        kind: One of :data:`FAULTS`.
        status: Status line code; defaults per kind (200, or 502/503/429 for those faults).
        headers: Extra response headers; they override the defaults of the same name.
        body: Response body as bytes, text (UTF-8 encoded) or any JSON-serialisable value;
            ``None`` uses the kind's default body.
        retry_after: ``Retry-After`` value of a ``429``; ``None`` sends no such header.
        interval: Seconds between two bytes of a ``trickle`` body.
        hold: Longest time in seconds a ``no_headers`` connection is held open.
        size: Body size in bytes of ``huge_body`` (at least 3).
    """

    kind: str = "ok"
    status: Optional[int] = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    retry_after: Union[str, int, None] = "1"
    interval: float = 0.05
    hold: float = 10.0
    size: int = 50 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.kind not in FAULTS:
            raise ValueError(f"unknown fault {self.kind!r}; expected one of {sorted(FAULTS)}")
        if self.size < 3:
            raise ValueError("huge_body needs a size of at least 3 bytes")
        if self.interval < 0 or self.hold < 0:
            raise ValueError("interval and hold must not be negative")

    def body_bytes(self) -> bytes:
        """The body to send, as bytes."""
        if self.body is None:
            return _DEFAULT_BODIES.get(self.kind, b"")
        if isinstance(self.body, (bytes, bytearray, memoryview)):
            return bytes(self.body)
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")

    def status_code(self) -> int:
        """The status to send."""
        if self.status is not None:
            return self.status
        return _DEFAULT_STATUS.get(self.kind, 200)


FaultSpec = Union[str, Fault]


def _as_fault(spec: FaultSpec) -> Fault:
    return spec if isinstance(spec, Fault) else Fault(spec)


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server read it.

    Attributes:
        method: The method from the request line.
        path: The request target exactly as sent (percent-encoding and query kept).
        version: The HTTP version from the request line, e.g. ``"HTTP/1.1"``.
        headers: Header names in lower case; repeated headers joined with ``", "``.
        body: The body bytes (chunked bodies are decoded).
        connection: Number of the TCP connection it came on (1 for the first accepted),
            so tests can tell whether a client reused a connection.
        fault: The kind of fault used to answer it.
    """

    method: str
    path: str
    version: str
    headers: Dict[str, str]
    body: bytes
    connection: int
    fault: str

    def header(self, name: str) -> Optional[str]:
        """The value of header ``name`` (any case), or ``None``."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


class _Stopped(Exception):
    """The server is stopping, the client went away, or a limit was hit."""


class _BadRequest(Exception):
    """The bytes on the wire are not an HTTP request we can read."""


class _Conn:
    """A client socket with a read buffer and stop-aware, deadline-bounded I/O."""

    def __init__(self, sock: socket.socket, stop: threading.Event, idle: float) -> None:
        self.sock = sock
        self.stop = stop
        self.idle = idle
        self.buf = bytearray()

    def _fill(self, deadline: float) -> None:
        while True:
            if self.stop.is_set():
                raise _Stopped("server stopping")
            if time.monotonic() > deadline:
                raise _Stopped("client idle")
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise _Stopped("client closed")
            self.buf += data
            return

    def read_until(self, marker: bytes, limit: int) -> bytes:
        deadline = time.monotonic() + self.idle
        while True:
            at = self.buf.find(marker)
            if at >= 0:
                end = at + len(marker)
                out = bytes(self.buf[:end])
                del self.buf[:end]
                return out
            if len(self.buf) > limit:
                raise _BadRequest("line or header block too long")
            self._fill(deadline)

    def read_exact(self, n: int) -> bytes:
        deadline = time.monotonic() + self.idle
        while len(self.buf) < n:
            self._fill(deadline)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def wait_closed(self, seconds: float) -> None:
        """Discard input until the client closes, ``seconds`` pass or the server stops."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.stop.is_set():
            try:
                if not self.sock.recv(65536):
                    return
            except socket.timeout:
                continue

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        stalled_since = time.monotonic()
        while view:
            if self.stop.is_set():
                raise _Stopped("server stopping")
            try:
                sent = self.sock.send(view)
            except socket.timeout:
                if time.monotonic() - stalled_since > _SEND_STALL:
                    raise _Stopped("client stopped reading") from None
                continue
            view = view[sent:]
            stalled_since = time.monotonic()


def _parse_head(head: bytes) -> Tuple[str, str, str, Dict[str, str]]:
    try:
        text = head.decode("iso-8859-1")
    except UnicodeDecodeError as exc:  # pragma: no cover - latin-1 decodes every byte
        raise _BadRequest(str(exc)) from exc
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise _BadRequest(f"bad request line {lines[0]!r}")
    method, target, version = parts
    headers: Dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise _BadRequest(f"bad header line {line!r}")
        key = name.lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return method, target, version, headers


def _read_body(conn: _Conn, headers: Dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = bytearray()
        while True:
            size_line = conn.read_until(b"\r\n", 1024).decode("iso-8859-1")
            try:
                size = int(size_line.split(";", 1)[0].strip(), 16)
            except ValueError as exc:
                raise _BadRequest(f"bad chunk size {size_line!r}") from exc
            if size == 0:
                # Trailer fields, if any, end with an empty line.
                while conn.read_until(b"\r\n", _MAX_HEAD) != b"\r\n":
                    pass
                return bytes(body)
            if len(body) + size > _MAX_BODY:
                raise _BadRequest("body too large")
            body += conn.read_exact(size)
            if conn.read_exact(2) != b"\r\n":
                raise _BadRequest("chunk not followed by CRLF")
    length_text = headers.get("content-length")
    if length_text is None:
        return b""
    try:
        length = int(length_text)
    except ValueError as exc:
        raise _BadRequest(f"bad Content-Length {length_text!r}") from exc
    if not 0 <= length <= _MAX_BODY:
        raise _BadRequest(f"unacceptable Content-Length {length}")
    return conn.read_exact(length)


def _wants_keep_alive(version: str, headers: Dict[str, str]) -> bool:
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens


def _head_bytes(
    status: int, headers: Mapping[str, str], content_length: int, keep_alive: bool
) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    merged: Dict[str, str] = {
        "Date": formatdate(usegmt=True),
        "Server": "fault-server",
        "Content-Type": "application/json",
        "Content-Length": str(content_length),
        "Connection": "keep-alive" if keep_alive else "close",
    }
    lower = {k.lower(): k for k in merged}
    for name, value in headers.items():
        merged.pop(lower.get(name.lower(), name), None)
        merged[name] = value
    lines = [f"HTTP/1.1 {status} {phrase}"]
    lines += [f"{k}: {v}" for k, v in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1")


class FaultServer:
    """A local HTTP server that answers with scripted faults.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.

    Args:
        fault: The fault used when no script entry applies, as a :class:`Fault` or a kind
            name. With a name, ``options`` configure it: ``FaultServer("429",
            retry_after="5")``.
        script: Faults consumed one per request, in order, before ``fault`` takes over.
        by_path: Per-path fault lists, consumed before ``script`` (see the module docs).
        idle_timeout: Seconds a connection may sit idle between or inside requests.
        **options: Fields of :class:`Fault` for ``fault`` when it is given by name.

    Raises:
        ValueError: For an unknown fault, or ``"refuse"`` combined with a script (a closed
            port cannot take turns).
        TypeError: If ``options`` are given together with a :class:`Fault` object.
    """

    def __init__(
        self,
        fault: FaultSpec = "ok",
        *,
        script: Sequence[FaultSpec] = (),
        by_path: Optional[Mapping[str, Sequence[FaultSpec]]] = None,
        idle_timeout: float = 5.0,
        **options: Any,
    ) -> None:
        if isinstance(fault, Fault):
            if options:
                raise TypeError("options apply only to a fault given by name")
            self.fault = fault
        else:
            self.fault = Fault(fault, **options)
        self._script: List[Fault] = [_as_fault(f) for f in script]
        self._by_path: Dict[str, List[Fault]] = {
            self._path_key(k): [_as_fault(f) for f in v] for k, v in (by_path or {}).items()
        }
        scripted = self._script + [f for v in self._by_path.values() for f in v]
        if any(f.kind == "refuse" for f in scripted) or (self.fault.kind == "refuse" and scripted):
            raise ValueError('"refuse" can only be the single fault of a server')
        self.idle_timeout = idle_timeout
        self.host = "127.0.0.1"
        self.port = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._records: List[RecordedRequest] = []
        self._connections = 0
        self._open: Set[socket.socket] = set()
        self._threads: List[threading.Thread] = []
        self._listener: Optional[socket.socket] = None
        self._acceptor: Optional[threading.Thread] = None
        self._started = False

    # ------------------------------------------------------------------ public API

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """Base URL of the fake API, ending in ``/v1``."""
        return f"{self.origin}/v1"

    @property
    def requests(self) -> List[RecordedRequest]:
        """A copy of the requests recorded so far, oldest first."""
        with self._lock:
            return list(self._records)

    @property
    def request_count(self) -> int:
        """How many requests have been read in full."""
        with self._lock:
            return len(self._records)

    @property
    def connection_count(self) -> int:
        """How many TCP connections have been accepted."""
        with self._lock:
            return self._connections

    def wait_for_requests(self, count: int, timeout: float = 2.0) -> bool:
        """Wait until at least ``count`` requests are recorded; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.request_count < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def start(self) -> FaultServer:
        """Start listening (or, for ``refuse``, pick a port nobody listens on)."""
        if self._started:
            raise RuntimeError("a FaultServer can be started only once")
        self._started = True
        if self.fault.kind == "refuse":
            # Bind to get a free port from the OS, then close it: connects to it are refused.
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.bind((self.host, 0))
                self.port = probe.getsockname()[1]
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind((self.host, 0))
        listener.listen(64)
        listener.settimeout(_POLL)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"fault-server-{self.port}", daemon=True
        )
        self._acceptor.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and join all threads (about 2 s at most)."""
        deadline = time.monotonic() + _STOP_BUDGET
        self._stop.set()
        if self._acceptor is not None:
            self._acceptor.join(max(0.0, deadline - time.monotonic()))
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            still_open = list(self._open)
            threads = list(self._threads)
        for sock in still_open:
            # Wakes a handler blocked in recv/send at once instead of at its next poll.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _path_key(path: str) -> str:
        path = urlsplit(path).path or "/"
        if path == "/v1" or path.startswith("/v1/"):
            path = path[3:] or "/"
        return path

    def _choose(self, target: str) -> Fault:
        key = self._path_key(target)
        with self._lock:
            queue = self._by_path.get(key)
            if queue:
                return queue.pop(0)
            if self._script:
                return self._script.pop(0)
        return self.fault

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            sock.settimeout(_POLL)
            with self._lock:
                self._connections += 1
                number = self._connections
                self._open.add(sock)
                self._threads = [t for t in self._threads if t.is_alive()]
                thread = threading.Thread(
                    target=self._serve,
                    args=(sock, number),
                    name=f"fault-server-{self.port}-conn-{number}",
                    daemon=True,
                )
                self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket, number: int) -> None:
        conn = _Conn(sock, self._stop, self.idle_timeout)
        abort = False
        try:
            while not self._stop.is_set():
                try:
                    head = conn.read_until(b"\r\n\r\n", _MAX_HEAD)
                    method, target, version, headers = _parse_head(head)
                    body = _read_body(conn, headers)
                except _BadRequest:
                    conn.send(_head_bytes(400, {}, 0, False))
                    return
                fault = self._choose(target)
                record = RecordedRequest(method, target, version, headers, body, number, fault.kind)
                with self._lock:
                    self._records.append(record)
                keep_alive = _wants_keep_alive(version, headers)
                if fault.kind == "reset":
                    abort = True
                    return
                if not self._answer(conn, fault, method, keep_alive):
                    return
        except (_Stopped, OSError):
            return
        finally:
            self._close(sock, abort)

    def _close(self, sock: socket.socket, abort: bool) -> None:
        with self._lock:
            self._open.discard(sock)
        with contextlib.suppress(OSError):
            if abort:
                # SO_LINGER on with a zero timeout makes close() send RST, not FIN.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                # FIN after whatever was sent, so the client reads it all before the EOF.
                sock.shutdown(socket.SHUT_WR)
        sock.close()

    def _answer(self, conn: _Conn, fault: Fault, method: str, keep_alive: bool) -> bool:
        """Send the fault's answer; return whether the connection may serve another request."""
        kind = fault.kind
        if kind == "close_before_response":
            return False
        if kind == "no_headers":
            conn.wait_closed(fault.hold)
            return False
        headers = dict(fault.headers)
        if kind == "429" and fault.retry_after is not None:
            headers = {"Retry-After": str(fault.retry_after), **headers}
        if kind == "html_502":
            headers = {"Content-Type": "text/html; charset=utf-8", **headers}
        status = fault.status_code()
        if kind == "huge_body":
            self._send_huge(conn, status, headers, fault.size, keep_alive)
            return keep_alive
        body = fault.body_bytes()
        if kind == "close_mid_body":
            conn.send(_head_bytes(status, headers, len(body), False) + body[: len(body) // 2])
            return False
        if method == "HEAD":
            conn.send(_head_bytes(status, headers, len(body), keep_alive))
            return keep_alive
        if kind == "trickle":
            conn.send(_head_bytes(status, headers, len(body), keep_alive))
            for i in range(len(body)):
                if self._stop.wait(fault.interval):
                    raise _Stopped("server stopping")
                conn.send(body[i : i + 1])
            return keep_alive
        conn.send(_head_bytes(status, headers, len(body), keep_alive) + body)
        return keep_alive

    @staticmethod
    def _send_huge(
        conn: _Conn, status: int, headers: Mapping[str, str], size: int, keep_alive: bool
    ) -> None:
        # "[" + "0," * items + "0" + padding + "]" is exactly `size` bytes of valid JSON.
        items, pad = divmod(size - 3, 2)
        conn.send(_head_bytes(status, headers, size, keep_alive) + b"[")
        full, rest = divmod(items, _HUGE_CHUNK_ITEMS)
        chunk = b"0," * _HUGE_CHUNK_ITEMS
        for _ in range(full):
            conn.send(chunk)
        conn.send(b"0," * rest + b"0" + b" " * pad + b"]")
