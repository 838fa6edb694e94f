"""The HTTP face of the sandbox: routing, auth, bodies, faults, JSON answers."""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Callable, Dict, List, NamedTuple, Optional, Set, Tuple
from urllib.parse import unquote, urlsplit

from ._errors import ERROR_CODES, SandboxError, error_body
from ._validate import (
    parse_json,
    validate_batch,
    validate_message,
    validate_messages,
    validate_otp,
    validate_query,
)

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["OPERATION_ROUTES", "Fault", "RequestRecord", "SandboxServer"]

logger = logging.getLogger("openapi_client.sandbox")

#: Bodies above this are refused with 413; 5,000 messages of 1,280 characters fit easily.
MAX_BODY_BYTES = 32 * 1024 * 1024

_Answer = Tuple[int, Any]


class RequestRecord(NamedTuple):
    """One request the sandbox answered (never its headers: they hold the token)."""

    method: str
    path: str
    status: int


class Fault(NamedTuple):
    """A failure to play back instead of (or after) a real answer; see ``Sandbox.inject_fault``."""

    status: int
    method: Optional[str]
    path: Optional[str]
    retry_after: Optional[float]
    delay: float
    drop: bool
    after_processing: bool
    body: Optional[Dict[str, Any]]

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.path is None or path.startswith(self.path)


#: Every operation the sandbox serves: operation name (the ``operationId`` of ``openapi.yaml``,
#: the SDK's method name) -> (HTTP method, path template exactly as in ``openapi.yaml``).
OPERATION_ROUTES: Dict[str, Tuple[str, str]] = {
    "batch_send_post": ("POST", "/batch/send"),
    "batch_any_post": ("POST", "/batch/any"),
    "batch_schedule_post": ("POST", "/batch/schedule"),
    "batch_batchid_get": ("GET", "/batch/{batchid}"),
    "batches_schedule_batchid_delete": ("DELETE", "/batches/schedule/{batchid}"),
    "message_send_post": ("POST", "/message/send"),
    "send_flash_message": ("POST", "/message/flash"),
    "message_schedule_post": ("POST", "/message/schedule"),
    "messages_post": ("POST", "/messages"),
    "messages_inbox_post": ("POST", "/messages/inbox"),
    "messages_failed_post": ("POST", "/messages/failed"),
    "messages_schedule_get": ("GET", "/messages/schedule"),
    "messages_messageid_get": ("GET", "/messages/{messageid}"),
    "messages_messageid_delete": ("DELETE", "/messages/{messageid}"),
    "messages_schedule_messageid_delete": ("DELETE", "/messages/schedule/{messageid}"),
    "otp_send_post": ("POST", "/otp/send"),
    "otp_verify_post": ("POST", "/otp/verify"),
    "otp_messageid_get": ("GET", "/otp/{messageid}"),
    "credits_balance_get": ("GET", "/credits/balance"),
    "utils_test_get": ("GET", "/utils/test"),
    "utils_errors_errorcode_get": ("GET", "/utils/errors/{errorcode}"),
}


class _Route(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    name: str


def _pattern(template: str) -> re.Pattern[str]:
    """``/batch/{batchid}`` -> a pattern with one group per path parameter."""
    parts = re.split(r"\{[^}]+\}", template)
    return re.compile("([^/]+)".join(re.escape(part) for part in parts))


_ROUTES = [
    _Route(method, _pattern(template), name)
    for name, (method, template) in OPERATION_ROUTES.items()
]


def _route(method: str, path: str) -> Tuple[Optional[str], List[str], List[str]]:
    """(operation name, path parameters, every method the path serves).

    A literal path wins over a template, as in OpenAPI: ``GET /batch/send`` is a method
    ``/batch/send`` does not serve, not a read of a batch called "send".
    """
    matches = [(route, route.pattern.fullmatch(path)) for route in _ROUTES]
    found = [(route, match) for route, match in matches if match is not None]
    if any(not match.groups() for _, match in found):
        found = [(route, match) for route, match in found if not match.groups()]
    for route, match in found:
        if route.method == method:
            params = [unquote(group) for group in match.groups()]
            return route.name, params, [route.method for route, _ in found]
    return None, [], [route.method for route, _ in found]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many requests
    server_version = "smsworks-sandbox"
    sys_version = ""
    timeout = 120  # an idle kept-alive connection is closed after this many seconds
    # Headers and body go out in two writes; without TCP_NODELAY the second waits for the
    # client's delayed ACK, adding ~40 ms to every answer on a kept-alive connection.
    disable_nagle_algorithm = True
    server: SandboxServer

    def version_string(self) -> str:
        # The standard one appends " " + sys_version, which leaves a trailing space here.
        return self.server_version

    def __getattr__(self, name: str) -> Any:
        # http.server answers a method without a do_<METHOD> with a 501 HTML page. Every
        # method comes here instead, so a path answers 405 (with its own Allow) or 404, in JSON.
        if name.startswith("do_"):
            return lambda: self._handle(name[3:])
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines only, never headers: the Authorization header holds the token.
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    # -- plumbing ---------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: List[bytes] = []
            size = 0
            while True:
                line = self.rfile.readline(1024)
                length = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if length == 0:
                    while self.rfile.readline(1024).strip():  # trailers
                        pass
                    break
                size += length
                if size > MAX_BODY_BYTES:
                    raise ValueError("too large")
                chunks.append(self.rfile.read(length))
                self.rfile.readline(1024)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY_BYTES:
            raise ValueError("too large")
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> None:
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":  # a HEAD answer has the headers of a body, never the body
            self.wfile.write(data)

    def _authorised(self) -> bool:
        expected = f"JWT {self.server.sandbox.token}".encode()
        given = self.headers.get("Authorization", "").strip().encode("utf-8", "replace")
        return hmac.compare_digest(given, expected)

    # -- one request ------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        sandbox = self.server.sandbox
        full = urlsplit(self.path).path
        path = full[3:] if full.startswith("/v1/") else full
        path = path.rstrip("/") or "/"
        try:
            raw = self._read_body()
        except ValueError:
            self.close_connection = True
            self._finish(method, full, 413, error_body(1060, "request body is too large"))
            return
        fault = sandbox._take_fault(method, path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and not fault.after_processing:
            self._fail(method, full, fault)
            return
        try:
            status, body, headers = self._answer(method, full, path, raw)
        except Exception:  # a bug in the sandbox must not look like a dropped connection
            logger.exception("sandbox failed on %s %s", method, full)
            status, headers = 500, None
            body = error_body(1080, "internal error in the sandbox", permanent=False)
        if fault is not None:  # the work is done; now lose or replace the answer
            self._fail(method, full, fault)
            return
        self._finish(method, full, status, body, headers)

    def _fail(self, method: str, full: str, fault: Fault) -> None:
        if fault.drop:
            self.close_connection = True
            sandbox = self.server.sandbox
            sandbox._record(RequestRecord(method, full, 0))
            return
        headers: Dict[str, str] = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        body = fault.body or error_body(
            1070, f"injected fault: HTTP {fault.status}", permanent=False
        )
        self._finish(method, full, fault.status, body, headers)

    def _finish(
        self,
        method: str,
        full: str,
        status: int,
        body: Any,
        headers: Optional[Dict[str, str]] = None,
    ) -> None:
        self.server.sandbox._record(RequestRecord(method, full, status))
        self._send(status, body, headers)

    def _answer(
        self, method: str, full: str, path: str, raw: bytes
    ) -> Tuple[int, Any, Optional[Dict[str, str]]]:
        name, params, served = _route(method, path) if full.startswith("/v1/") else (None, [], [])
        if name is None:
            if served:
                allow = ", ".join(served)
                message = f"{method} is not served on {full}; it serves {allow}"
                return 405, error_body(1054, message), {"Allow": allow}
            return 404, error_body(1053, f"There is no {full} in this API"), None
        if not self._authorised():
            message = (
                "Authorization header is missing"
                if not self.headers.get("Authorization")
                else "Unauthorized: the token is invalid or not in the form 'JWT <token>'"
            )
            return 401, error_body(1040, message), None
        try:
            status, body = _HANDLERS[name](self.server.sandbox, params, raw, self.headers)
        except SandboxError as error:
            return error.status, error.body, error.headers or None
        return status, body, None


def _body(raw: bytes, headers: Any) -> Any:
    return parse_json(raw, headers.get("Content-Type"))


def _send_batch(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    common, destinations, _ = validate_batch(_body(raw, headers), scheduled=False)
    batchid = sandbox._state.submit("send", [(common, to) for to in destinations])
    # The API's own example answers SCHEDULED for an immediate send; the sandbox keeps it.
    return 201, {"batchid": batchid, "status": "SCHEDULED"}


def _send_any(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    messages = validate_messages(_body(raw, headers))
    batchid = sandbox._state.submit("any", messages)
    return 201, {"batchid": batchid, "status": "SCHEDULED"}


def _schedule(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    common, destinations, when = validate_batch(_body(raw, headers), scheduled=True)
    batchid = sandbox._state.submit("schedule", [(common, to) for to in destinations], when)
    return 201, {"batchid": batchid, "status": "SCHEDULED"}


def _get(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, sandbox._state.batch_records(params[0])


def _cancel(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, sandbox._state.cancel(params[0])


def _balance(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, {"credits": sandbox.credits}


def _test(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, {"message": sandbox.customer_id}


def _message_send(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    common, destination, _ = validate_message(_body(raw, headers), scheduled=False)
    return 201, sandbox._state.send_one("message", common, destination)


def _message_flash(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    common, destination, _ = validate_message(_body(raw, headers), scheduled=False)
    return 201, sandbox._state.send_one("flash", common, destination)


def _message_schedule(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    common, destination, when = validate_message(_body(raw, headers), scheduled=True)
    sent = sandbox._state.send_one("message-schedule", common, destination, when)
    # The API answers a list here (of one), unlike every other send.
    return 200, [{"messageid": sent["messageid"], "status": "SCHEDULED"}]


def _search(scope: str) -> Callable[[Sandbox, List[str], bytes, Any], _Answer]:
    def search(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
        return 200, sandbox._state.search(validate_query(_body(raw, headers)), scope)

    return search


def _scheduled(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, sandbox._state.scheduled_jobs()


def _message_get(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, sandbox._state.message_record(params[0])


def _message_delete(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, sandbox._state.delete_message(params[0])


def _message_cancel(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, sandbox._state.cancel_message(params[0])


def _otp_send(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 201, sandbox._state.send_otp(validate_otp(_body(raw, headers)))


def _otp_verify(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    body = _body(raw, headers)
    if not isinstance(body, dict):
        raise SandboxError.extended(1001, "request body must be a JSON object (an OTPVerify)")
    passcode = body.get("passcode")
    if passcode is None or passcode == "":
        raise SandboxError.extended(1002, "passcode is required")
    if not isinstance(passcode, str):
        raise SandboxError.extended(1003, "passcode must be a string")
    return 200, sandbox._state.verify_otp(passcode)


def _otp_get(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    return 200, sandbox._state.otp_record(params[0])


def _error_sample(sandbox: Sandbox, params: List[str], raw: bytes, headers: Any) -> _Answer:
    code = int(params[0]) if re.fullmatch(r"[0-9]{1,6}", params[0]) else None
    if code is None or code not in ERROR_CODES:
        # Upstream's only answer here is an ExtendedErrorModel, so the 404 is one too.
        raise SandboxError.extended(1053, f"The sandbox has no error code {params[0]}")
    status = ERROR_CODES[code][0]
    # A sample, not a failure: described in the body, answered with 200.
    return 200, error_body(code, f"a sample of error {code} (HTTP {status})", permanent=True)


_HANDLERS: Dict[str, Callable[[Sandbox, List[str], bytes, Any], _Answer]] = {
    "batch_send_post": _send_batch,
    "batch_any_post": _send_any,
    "batch_schedule_post": _schedule,
    "batch_batchid_get": _get,
    "batches_schedule_batchid_delete": _cancel,
    "message_send_post": _message_send,
    "send_flash_message": _message_flash,
    "message_schedule_post": _message_schedule,
    "messages_post": _search("all"),
    "messages_inbox_post": _search("inbox"),
    "messages_failed_post": _search("failed"),
    "messages_schedule_get": _scheduled,
    "messages_messageid_get": _message_get,
    "messages_messageid_delete": _message_delete,
    "messages_schedule_messageid_delete": _message_cancel,
    "otp_send_post": _otp_send,
    "otp_verify_post": _otp_verify,
    "otp_messageid_get": _otp_get,
    "credits_balance_get": _balance,
    "utils_test_get": _test,
    "utils_errors_errorcode_get": _error_sample,
}
assert set(_HANDLERS) == set(OPERATION_ROUTES)


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its sandbox and can close its open connections."""

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    # socketserver's default backlog of 5 overflows when a pool opens many connections at
    # once; the kernel then resets some of them after the request went out, which a client
    # can only report as "outcome unknown". Take bursts the way a production server does.
    request_queue_size = socket.SOMAXCONN

    def __init__(self, address: Tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._open: Set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out or hung up before its answer was written is the client's
        # business (and routine in fault tests); only real failures deserve a traceback.
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            logger.debug("client %s went away before its answer was written", client_address)
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Wake every handler blocked on a kept-alive connection so that it ends."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
