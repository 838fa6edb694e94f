"""Tests of test/fault_server.py itself, using only http.client and raw sockets."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from typing import Dict, Iterator, List, Optional, Tuple

import pytest
from fault_server import FAULTS, Fault, FaultServer

HttpResult = Tuple[int, Dict[str, str], bytes]


@pytest.fixture(autouse=True)
def no_thread_leak() -> Iterator[None]:
    before = threading.active_count()
    yield
    # stop() joins its threads, so there is nothing to wait for here.
    assert threading.active_count() == before


@contextlib.contextmanager
def connect(srv: FaultServer, timeout: float = 2.0) -> Iterator[http.client.HTTPConnection]:
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=timeout)
    try:
        yield conn
    finally:
        conn.close()


def request(
    srv: FaultServer,
    method: str = "GET",
    path: str = "/v1/utils/test",
    body: Optional[bytes] = None,
    headers: Optional[Dict[str, str]] = None,
    timeout: float = 2.0,
) -> HttpResult:
    with connect(srv, timeout) as conn:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()


def raw_exchange(srv: FaultServer, data: bytes, timeout: float = 2.0) -> bytes:
    """Send raw bytes and read until the server closes."""
    with socket.create_connection((srv.host, srv.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks: List[bytes] = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


# ------------------------------------------------------------------------------- basics


def test_address_and_url() -> None:
    with FaultServer() as srv:
        assert srv.port > 0
        assert srv.host == "127.0.0.1"
        assert srv.url == f"http://127.0.0.1:{srv.port}/v1"
        assert srv.origin == f"http://127.0.0.1:{srv.port}"
        assert srv.request_count == 0


def test_fault_list_is_complete() -> None:
    assert {
        "ok",
        "refuse",
        "close_before_response",
        "close_mid_body",
        "truncated_json",
        "html_502",
        "503",
        "429",
        "no_headers",
        "trickle",
        "huge_body",
        "invalid_utf8",
    } <= FAULTS


def test_ok_default() -> None:
    with FaultServer() as srv:
        status, headers, body = request(srv)
        assert status == 200
        assert body == b"{}"
        assert headers["Content-Type"] == "application/json"
        assert headers["Content-Length"] == "2"
        assert srv.request_count == 1
        (rec,) = srv.requests
        assert rec.method == "GET"
        assert rec.path == "/v1/utils/test"
        assert rec.version == "HTTP/1.1"
        assert rec.body == b""
        assert rec.fault == "ok"
        assert rec.connection == 1


def test_ok_configured() -> None:
    with FaultServer(
        "ok", status=201, headers={"X-Request-Id": "abc"}, body={"batchid": "9", "status": "S"}
    ) as srv:
        status, headers, body = request(srv, "POST", "/v1/batch/send", b"{}")
        assert status == 201
        assert headers["X-Request-Id"] == "abc"
        assert json.loads(body) == {"batchid": "9", "status": "S"}


def test_body_as_text_and_header_override() -> None:
    fault = Fault("ok", body="plain", headers={"content-type": "text/plain"})
    with FaultServer(fault) as srv:
        _, headers, body = request(srv)
        assert body == b"plain"
        assert headers["content-type"] == "text/plain"
        assert "Content-Type" not in headers


def test_records_raw_path_headers_and_body() -> None:
    payload = json.dumps({"sender": "Acme", "destinations": ["447700900001"]}).encode()
    with FaultServer() as srv:
        request(
            srv,
            "POST",
            "/v1/batch/12%2F3?a=%20b",
            payload,
            {"Authorization": "JWT secret", "Content-Type": "application/json"},
        )
        (rec,) = srv.requests
        assert rec.method == "POST"
        assert rec.path == "/v1/batch/12%2F3?a=%20b"
        assert rec.headers["authorization"] == "JWT secret"
        assert rec.header("AUTHORIZATION") == "JWT secret"
        assert rec.header("x-missing") is None
        assert rec.headers["content-length"] == str(len(payload))
        assert rec.body == payload
        assert rec.json()["sender"] == "Acme"


def test_repeated_headers_are_joined() -> None:
    with FaultServer() as srv:
        raw_exchange(
            srv, b"GET /v1/x HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-A: 2\r\nConnection: close\r\n\r\n"
        )
        assert srv.requests[0].headers["x-a"] == "1, 2"


def test_chunked_request_body() -> None:
    with FaultServer() as srv:
        reply = raw_exchange(
            srv,
            b"POST /v1/batch/any HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
        )
        assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
        assert srv.requests[0].body == b"hello world"


def test_keep_alive_reuses_one_connection() -> None:
    with FaultServer() as srv, connect(srv) as conn:
        for i in range(3):
            conn.request("POST", f"/v1/batch/{i}", body=b"{}")
            resp = conn.getresponse()
            assert resp.status == 200
            assert resp.getheader("Connection") == "keep-alive"
            assert resp.read() == b"{}"
        assert srv.connection_count == 1
        assert [r.connection for r in srv.requests] == [1, 1, 1]
        assert [r.path for r in srv.requests] == ["/v1/batch/0", "/v1/batch/1", "/v1/batch/2"]


@pytest.mark.parametrize(
    "head",
    [
        b"GET /v1/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        b"GET /v1/x HTTP/1.0\r\n\r\n",
    ],
)
def test_server_closes_when_asked(head: bytes) -> None:
    with FaultServer() as srv:
        reply = raw_exchange(srv, head)  # returns only once the server has closed
        assert b"\r\nConnection: close\r\n" in reply
        assert reply.endswith(b"\r\n\r\n{}")


def test_head_request_gets_no_body() -> None:
    with FaultServer() as srv:
        reply = raw_exchange(srv, b"HEAD /v1/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 200 OK")
        assert reply.endswith(b"\r\n\r\n")
        assert b"Content-Length: 2\r\n" in reply


@pytest.mark.parametrize(
    "data",
    [
        b"garbage\r\n\r\n",
        b"GET /v1/x HTTP/1.1\r\nno colon here\r\n\r\n",
        b"POST /v1/x HTTP/1.1\r\nContent-Length: lots\r\n\r\n",
        b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_malformed_request_gets_400_and_is_not_recorded(data: bytes) -> None:
    with FaultServer() as srv:
        reply = raw_exchange(srv, data)
        assert reply.startswith(b"HTTP/1.1 400 Bad Request\r\n")
        assert srv.request_count == 0


def test_idle_connection_is_dropped() -> None:
    with FaultServer(idle_timeout=0.2) as srv:
        start = time.monotonic()
        assert raw_exchange(srv, b"") == b""
        assert 0.15 < time.monotonic() - start < 1.5
        assert srv.connection_count == 1
        assert srv.request_count == 0


def test_wait_for_requests() -> None:
    with FaultServer() as srv:
        assert not srv.wait_for_requests(1, timeout=0.05)
        request(srv)
        assert srv.wait_for_requests(1, timeout=0.05)


def test_start_twice_is_an_error() -> None:
    srv = FaultServer()
    with srv, pytest.raises(RuntimeError):
        srv.start()


# ------------------------------------------------------------------------------ faults


def test_refuse() -> None:
    with FaultServer("refuse") as srv:
        assert srv.port > 0
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((srv.host, srv.port), timeout=1.0).close()
        with connect(srv) as conn, pytest.raises(ConnectionRefusedError):
            conn.request("POST", "/v1/batch/send", body=b"{}")
        assert srv.request_count == 0
        assert srv.connection_count == 0


def test_close_before_response() -> None:
    with FaultServer("close_before_response") as srv:
        with pytest.raises(http.client.RemoteDisconnected):
            request(srv, "POST", "/v1/batch/send", b'{"content": "hi"}')
        assert srv.request_count == 1
        assert srv.requests[0].body == b'{"content": "hi"}'
        assert srv.requests[0].fault == "close_before_response"


def test_reset() -> None:
    with FaultServer("reset") as srv:
        with pytest.raises(ConnectionResetError):
            request(srv, "POST", "/v1/batch/send", b"{}")
        assert srv.request_count == 1


def test_close_mid_body() -> None:
    with FaultServer("close_mid_body") as srv, connect(srv) as conn:
        conn.request("GET", "/v1/batch/1")
        resp = conn.getresponse()
        assert resp.status == 200
        length = int(resp.getheader("Content-Length") or 0)
        assert length > 10
        with pytest.raises(http.client.IncompleteRead) as info:
            resp.read()
        assert len(info.value.partial) == length // 2
        assert srv.request_count == 1


def test_truncated_json() -> None:
    with FaultServer("truncated_json") as srv:
        status, headers, body = request(srv)
        assert status == 200
        assert headers["Content-Type"] == "application/json"
        assert body == b'{"batchid": "12'
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)


def test_html_502() -> None:
    with FaultServer("html_502") as srv:
        status, headers, body = request(srv)
        assert status == 502
        assert headers["Content-Type"].startswith("text/html")
        assert b"<h1>502 Bad Gateway</h1>" in body


def test_503_extended_error_model() -> None:
    with FaultServer("503") as srv:
        status, headers, body = request(srv)
        assert status == 503
        assert "Retry-After" not in headers
        doc = json.loads(body)
        assert set(doc) == {"message", "errorCode", "status", "permanent"}
        assert isinstance(doc["errorCode"], int)
        assert isinstance(doc["status"], str)
        assert doc["permanent"] is False


def test_503_with_retry_after_header() -> None:
    with FaultServer("503", headers={"Retry-After": "2"}) as srv:
        assert request(srv)[1]["Retry-After"] == "2"


@pytest.mark.parametrize(("retry_after", "expected"), [("1", "1"), (7, "7"), (None, None)])
def test_429(retry_after: Optional[str], expected: Optional[str]) -> None:
    with FaultServer("429", retry_after=retry_after) as srv:
        status, headers, body = request(srv)
        assert status == 429
        assert headers.get("Retry-After") == expected
        assert "message" in json.loads(body)


def test_429_default_retry_after() -> None:
    with FaultServer("429") as srv:
        assert request(srv)[1]["Retry-After"] == "1"


def test_no_headers_client_times_out() -> None:
    with FaultServer("no_headers") as srv:
        start = time.monotonic()
        with pytest.raises(socket.timeout):
            request(srv, "POST", "/v1/batch/send", b"{}", timeout=0.3)
        assert time.monotonic() - start < 1.5
        assert srv.request_count == 1


def test_no_headers_hold_is_bounded() -> None:
    with FaultServer("no_headers", hold=0.3) as srv:
        start = time.monotonic()
        with pytest.raises(http.client.RemoteDisconnected):
            request(srv, timeout=5.0)
        assert 0.25 < time.monotonic() - start < 2.0


def test_trickle_never_trips_a_per_read_timeout() -> None:
    body = b'{"batchid": "1", "x": "abcdefgh"}'
    with FaultServer("trickle", interval=0.02, body=body) as srv:
        start = time.monotonic()
        # A 0.3 s per-read timeout is far shorter than the whole body takes.
        status, _, got = request(srv, timeout=0.3)
        elapsed = time.monotonic() - start
        assert status == 200
        assert got == body
        assert elapsed > len(body) * 0.02 * 0.8
        assert elapsed > 0.3


def test_trickle_keeps_connection_alive() -> None:
    with FaultServer("trickle", interval=0.0, body=b"[]") as srv, connect(srv) as conn:
        for _ in range(2):
            conn.request("GET", "/v1/batch/1")
            assert conn.getresponse().read() == b"[]"
        assert srv.connection_count == 1


def test_huge_body_is_50_mib_and_streamed() -> None:
    size = 50 * 1024 * 1024
    with FaultServer("huge_body") as srv, connect(srv, timeout=10.0) as conn:
        conn.request("GET", "/v1/batch/1")
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.getheader("Content-Length") == str(size)
        first = resp.read(16)
        assert first == b"[0,0,0,0,0,0,0,0"
        total = len(first)
        last = b""
        while True:
            chunk = resp.read(1024 * 1024)
            if not chunk:
                break
            total += len(chunk)
            last = chunk
        assert total == size
        assert last.endswith((b",0]", b",0 ]"))  # an odd size gets one space of padding


@pytest.mark.parametrize("size", [3, 4, 1000, 1001, 200_003])
def test_huge_body_is_valid_json(size: int) -> None:
    with FaultServer("huge_body", size=size) as srv:
        _, _, body = request(srv)
        assert len(body) == size
        doc = json.loads(body)
        assert doc == [0] * ((size - 1) // 2)


def test_huge_body_client_walks_away() -> None:
    with FaultServer("huge_body") as srv:
        with connect(srv) as conn:
            conn.request("GET", "/v1/batch/1")
            assert conn.getresponse().read(10) == b"[0,0,0,0,0"
        start = time.monotonic()
    assert time.monotonic() - start < 2.5


def test_invalid_utf8() -> None:
    with FaultServer("invalid_utf8") as srv:
        status, headers, body = request(srv)
        assert status == 200
        assert headers["Content-Type"] == "application/json"
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")


# ----------------------------------------------------------------------------- scripts


def test_script_then_fallback() -> None:
    with FaultServer("ok", script=["503", Fault("429", retry_after="0")]) as srv:
        statuses = [request(srv)[0] for _ in range(4)]
        assert statuses == [503, 429, 200, 200]
        assert [r.fault for r in srv.requests] == ["503", "429", "ok", "ok"]


def test_script_fail_first_then_succeed_on_a_dropped_connection() -> None:
    ok = Fault("ok", status=201, body={"batchid": "1", "status": "SCHEDULED"})
    with FaultServer(ok, script=["close_before_response"]) as srv:
        with pytest.raises(http.client.RemoteDisconnected):
            request(srv, "POST", "/v1/batch/send", b"{}")
        status, _, body = request(srv, "POST", "/v1/batch/send", b"{}")
        assert status == 201
        assert json.loads(body)["batchid"] == "1"
        assert srv.request_count == 2
        assert srv.connection_count == 2


def test_script_on_a_kept_alive_connection() -> None:
    with FaultServer(script=["503"]) as srv, connect(srv) as conn:
        conn.request("GET", "/v1/batch/1")
        first = conn.getresponse()
        assert (first.status, first.getheader("Connection")) == (503, "keep-alive")
        first.read()
        conn.request("GET", "/v1/batch/1")
        assert conn.getresponse().status == 200
        assert srv.connection_count == 1


def test_by_path_before_script_before_fallback() -> None:
    with FaultServer(
        "ok",
        script=["429"],
        by_path={"/batch/send": ["503", "html_502"], "/v1/batch/any": ["truncated_json"]},
    ) as srv:
        assert request(srv, "POST", "/v1/batch/send?x=1", b"{}")[0] == 503
        assert request(srv, "GET", "/v1/batch/7")[0] == 429
        assert request(srv, "POST", "/v1/batch/send", b"{}")[0] == 502
        assert request(srv, "POST", "/v1/batch/any", b"[]")[2] == b'{"batchid": "12'
        assert request(srv, "POST", "/v1/batch/send", b"{}")[0] == 200
        assert request(srv, "POST", "/v1/batch/any", b"[]")[0] == 200
        assert [r.fault for r in srv.requests] == [
            "503",
            "429",
            "html_502",
            "truncated_json",
            "ok",
            "ok",
        ]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        FaultServer("explode")
    with pytest.raises(ValueError, match="refuse"):
        FaultServer("ok", script=["refuse"])
    with pytest.raises(ValueError, match="refuse"):
        FaultServer("refuse", script=["ok"])
    with pytest.raises(ValueError, match="refuse"):
        FaultServer(by_path={"/x": ["refuse"]})
    with pytest.raises(TypeError):
        FaultServer(Fault("429"), retry_after="3")
    with pytest.raises(ValueError, match="size"):
        Fault("huge_body", size=2)
    with pytest.raises(ValueError, match="negative"):
        Fault("trickle", interval=-1.0)


# -------------------------------------------------------------------------------- stop


def test_stop_is_quick_with_busy_connections() -> None:
    srv = FaultServer(
        "ok",
        by_path={
            "/hold": [Fault("no_headers", hold=30.0)],
            "/slow": [Fault("trickle", interval=1.0, body=b"x" * 100)],
        },
        idle_timeout=30.0,
    ).start()
    with contextlib.ExitStack() as stack:
        socks = []
        for path in ("/v1/hold", "/v1/slow", "/v1/idle"):
            sock = stack.enter_context(socket.create_connection((srv.host, srv.port), 2.0))
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: h\r\n\r\n".encode())
            socks.append(sock)
        assert srv.wait_for_requests(3)
        start = time.monotonic()
        srv.stop()
        assert time.monotonic() - start < 1.0
        # Every connection was closed by the server.
        for sock in socks:
            with contextlib.suppress(ConnectionResetError):
                while sock.recv(65536):
                    pass


def test_stop_is_idempotent_and_safe_before_start() -> None:
    FaultServer().stop()
    srv = FaultServer().start()
    srv.stop()
    srv.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((srv.host, srv.port), timeout=1.0).close()
