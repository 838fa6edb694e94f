"""The asyncio transport over real HTTP on 127.0.0.1: the sync transport's contract, kept.

Every test drives ``AsyncRESTClientObject`` with ``asyncio.run`` against a server from
``async_servers`` that misbehaves in one precise way, and checks the ``FailureKind`` the
transport reports and what the server saw.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import ssl
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple, TypeVar

import pytest
import urllib3
from async_servers import Conn, RawServer, refused_port, self_signed, serve_forever

from openapi_client import ApiValueError, Configuration
from openapi_client._retry import FailureKind
from openapi_client.aio import _transport
from openapi_client.aio._transport import INSTALL_HINT, AsyncRESTClientObject
from openapi_client.rest import ResponseTooLarge, RESTClientObject, RESTResponse, TransportError

T = TypeVar("T")
TIMEOUT = (0.5, 1.0)  # connect, read: the whole attempt may take 1.5 s
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["asyncio.timeout", "anyio.fail_after"])
def deadline_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each way the deadline is kept: Python 3.11's, and anyio's before it."""
    if request.param == "anyio.fail_after":
        monkeypatch.setattr(_transport, "_asyncio_timeout", None)
    return str(request.param)


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(make(), 30)

    return asyncio.run(bounded())


def config(**settings: Any) -> Configuration:
    cfg = Configuration(host="http://127.0.0.1")
    for name, value in settings.items():
        setattr(cfg, name, value)
    return cfg


async def fetch(
    url: str, cfg: Optional[Configuration] = None, method: str = "GET", **kwargs: Any
) -> RESTResponse:
    async with AsyncRESTClientObject(cfg or config()) as client:
        kwargs.setdefault("_request_timeout", TIMEOUT)
        return await client.request(method, url, **kwargs)


def failure(url: str, cfg: Optional[Configuration] = None, **kwargs: Any) -> TransportError:
    with pytest.raises(TransportError) as info:
        run(lambda: fetch(url, cfg, **kwargs))
    return info.value


# --- imports -------------------------------------------------------------------------------


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_the_sdk_does_not_import_httpx() -> None:
    out = _python(
        "import sys, openapi_client, openapi_client.aio\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore')))"
    )
    assert out.strip() == "[]"


def test_without_httpx_the_package_imports_and_building_a_transport_says_what_to_install() -> None:
    out = _python(
        "import sys\n"
        "sys.modules['httpx'] = None  # what an absent package looks like to import\n"
        "import openapi_client.aio\n"
        "from openapi_client.aio._transport import AsyncRESTClientObject\n"
        "try:\n"
        "    AsyncRESTClientObject(openapi_client.Configuration())\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    assert out.strip() == INSTALL_HINT
    assert 'pip install "smsworks[async]"' in out


# --- the request itself ----------------------------------------------------------------------


def test_sends_the_callers_request_and_asks_for_an_uncompressed_answer() -> None:
    with RawServer(serve_forever) as server:
        resp = run(
            lambda: fetch(
                server.url("/batch/send"),
                method="POST",
                headers={"Authorization": "JWT t", "Content-Type": "application/json"},
                body=b'{"a": 1}',
            )
        )
    assert (resp.status, resp.reason, resp.data) == (200, "OK", b'{"ok": true}')
    assert resp.getheader("content-type") == "application/json"
    (request,) = server.requests
    assert request.line == "POST /batch/send HTTP/1.1"
    assert request.body == b'{"a": 1}'
    # No User-Agent or Connection of httpx's own, and an uncompressed answer asked for.
    assert set(request.headers) == {
        "host",
        "authorization",
        "content-type",
        "content-length",
        "accept-encoding",
    }
    assert request.headers["accept-encoding"] == "identity"


def _fields(head: bytes) -> List[Tuple[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    return sorted((n.lower(), v.strip()) for n, _, v in (line.partition(":") for line in lines[1:]))


@pytest.mark.parametrize(
    ("method", "body", "extra"),
    [
        ("GET", None, {}),
        ("POST", b'{"a": 1}', {"Content-Type": "application/json"}),
        ("POST", None, {}),
        ("DELETE", None, {"Accept-Encoding": "gzip"}),
    ],
)
def test_sends_the_same_request_as_the_sync_transport(
    method: str, body: Optional[bytes], extra: Dict[str, str]
) -> None:
    # ApiClient always sets a User-Agent; the sync transport would add its own otherwise.
    headers = {"Accept": "application/json", "Authorization": "JWT t", "User-Agent": "ua/1"}
    headers.update(extra)
    with RawServer(serve_forever) as server:
        sync = RESTClientObject(config())
        sync.request(method, server.url("/b/1"), headers, body, _request_timeout=TIMEOUT)
        sync.clear()
        run(lambda: fetch(server.url("/b/1"), method=method, headers=headers, body=body))
    by_sync, by_async = server.requests
    assert by_async.line == by_sync.line == f"{method} /b/1 HTTP/1.1"
    assert _fields(by_async.head) == _fields(by_sync.head)
    assert by_async.body == by_sync.body == (body or b"")


def test_keeps_the_connection_for_the_next_request() -> None:
    async def twice() -> Tuple[int, int]:
        async with AsyncRESTClientObject(config()) as client:
            first = await client.request("GET", server.url(), _request_timeout=TIMEOUT)
            second = await client.request("GET", server.url(), _request_timeout=TIMEOUT)
            return first.status, second.status

    with RawServer(serve_forever) as server:
        assert run(twice) == (200, 200)
    assert (len(server.requests), server.connections) == (2, 1)


def test_a_redirect_is_returned_not_followed() -> None:
    def redirect(conn: Conn) -> None:
        while conn.read_request() is not None:
            conn.respond(302, b"", {"Location": "/elsewhere"}, "Found")

    with RawServer(redirect) as server:
        resp = run(lambda: fetch(server.url(), method="POST", body=b"{}"))
    assert (resp.status, resp.getheader("location")) == (302, "/elsewhere")
    assert [r.target for r in server.requests] == ["/x"]


def test_without_preload_the_httpx_response_is_left_to_the_caller() -> None:
    async def stream() -> Tuple[int, bytes]:
        async with AsyncRESTClientObject(config()) as client:
            resp = await client.request("GET", server.url(), preload_content=False)
            assert resp.data is None
            body = await resp.response.aread()
            await resp.response.aclose()
            return resp.status, body

    with RawServer(serve_forever) as server:
        assert run(stream) == (200, b'{"ok": true}')


@pytest.mark.parametrize(
    "value", [2, 2.5, (1, 2), urllib3.Timeout(connect=1, read=2), urllib3.Timeout(total=3), None]
)
def test_accepts_every_timeout_form_of_the_sync_transport(value: Any) -> None:
    with RawServer(serve_forever) as server:
        assert run(lambda: fetch(server.url(), _request_timeout=value)).status == 200


@pytest.mark.parametrize("value", [0, -1, "5", (1, 2, 3), True])
def test_refuses_a_timeout_the_sync_transport_refuses(value: Any) -> None:
    with pytest.raises(ApiValueError, match="_request_timeout"):
        run(lambda: fetch("http://127.0.0.1:9/x", _request_timeout=value))


# --- failures before the request was sent ----------------------------------------------------


def test_refused_connection_is_connect() -> None:
    err = failure(f"http://127.0.0.1:{refused_port()}/x")
    assert (err.kind, err.final) == (FailureKind.CONNECT, False)


def test_silent_tls_handshake_is_connect_timeout() -> None:
    # The server accepts the TCP connection and never answers the ClientHello.
    with RawServer(Conn.stall) as server:
        err = failure(f"https://127.0.0.1:{server.port}/x")
    assert err.kind is FailureKind.CONNECT_TIMEOUT
    assert server.requests == []


def test_a_full_pool_counts_against_the_deadline_as_connect_timeout(deadline_kind: str) -> None:
    # One connection allowed and held by a stalled request: the second never gets to connect.
    async def second_waits() -> TransportError:
        async with AsyncRESTClientObject(config(connection_pool_maxsize=1)) as client:
            first = asyncio.ensure_future(client.request("GET", server.url(), _request_timeout=5))
            while not server.requests:
                await asyncio.sleep(0.01)
            try:
                with pytest.raises(TransportError) as info:
                    await client.request("GET", server.url(), _request_timeout=(0.2, 0.2))
            finally:
                first.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await first
            return info.value

    def stall_after_request(conn: Conn) -> None:
        conn.read_request()
        conn.stall()

    with RawServer(stall_after_request) as server:
        err = run(second_waits)
    assert err.kind is FailureKind.CONNECT_TIMEOUT
    assert len(server.requests) == 1


# --- failures after the request may have been sent -------------------------------------------


def _after_request(act: Callable[[Conn], None]) -> Callable[[Conn], None]:
    def handler(conn: Conn) -> None:
        if conn.read_request() is not None:
            act(conn)

    return handler


DROPS = {
    "close before response": lambda conn: None,
    "reset before response": Conn.reset,
    "close mid-body": lambda conn: conn.send(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 10
    ),
    "reset mid-body": lambda conn: (
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 10),
        conn.reset(),
    ),
    "not HTTP": lambda conn: conn.send(b"garbage\r\n\r\n"),
    "bad gzip": lambda conn: conn.respond(body=b"not gzip", headers={"Content-Encoding": "gzip"}),
}


@pytest.mark.parametrize("name", sorted(DROPS))
def test_a_connection_lost_after_sending_is_dropped(name: str) -> None:
    with RawServer(_after_request(DROPS[name])) as server:
        err = failure(server.url(), method="POST", body=b"{}")
    assert (err.kind, err.final) == (FailureKind.DROPPED, False)
    assert len(server.requests) == 1


def _stall(conn: Conn) -> None:
    conn.stall()


def _endless_continue(conn: Conn) -> None:
    while conn.send(b"HTTP/1.1 100 Continue\r\n\r\n") and not conn.server.stopping.is_set():
        conn.server.stopping.wait(0.1)


def _trickled_head(conn: Conn) -> None:
    conn.trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 200)


def _trickled_body(conn: Conn) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n")
    conn.trickle(b"z" * 200)


def _trickled_chunks(conn: Conn) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    for _ in range(200):
        if not conn.send(b"1\r\nz\r\n") or conn.server.stopping.wait(0.1):
            return


@pytest.mark.parametrize(
    "act",
    [_stall, _endless_continue, _trickled_head, _trickled_body, _trickled_chunks],
    ids=["no answer", "endless 100 Continue", "trickled headers", "trickled body", "chunks"],
)
def test_an_answer_that_never_completes_is_a_read_timeout(
    act: Callable[[Conn], None], deadline_kind: str
) -> None:
    # Every read gets a byte well within the read timeout except in the first case: only the
    # deadline on the whole attempt (connect + read) can end the others.
    with RawServer(_after_request(act)) as server:
        err = failure(server.url(), method="POST", body=b"{}")
    assert err.kind is FailureKind.READ_TIMEOUT
    assert len(server.requests) == 1


# --- TLS -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def _tls_server(cert: Tuple[Path, Path], client_ca: Optional[Path] = None) -> RawServer:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*cert)
    if client_ca is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile=str(client_ca))
    return RawServer(serve_forever, tls=ctx)


def test_an_untrusted_certificate_is_a_final_connect_failure(
    certificate: Tuple[Path, Path],
) -> None:
    with _tls_server(certificate) as server:
        err = failure(server.url())
    assert (err.kind, err.final) == (FailureKind.CONNECT, True)
    assert "verification" in str(err)
    assert server.requests == []


def test_another_tls_failure_is_a_drop() -> None:
    # A plain HTTP server answering the ClientHello with HTTP: the handshake fails, not on trust.
    def plain(conn: Conn) -> None:
        conn.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    with RawServer(plain) as server:
        err = failure(f"https://127.0.0.1:{server.port}/x")
    assert (err.kind, err.final) == (FailureKind.DROPPED, False)


@pytest.mark.parametrize(
    "settings",
    [
        {"ssl_ca_cert": "CERT"},
        {"ca_cert_data": "PEM"},
        {"ssl_ca_cert": "CERT", "tls_server_name": "localhost"},
        {"ssl_ca_cert": "CERT", "assert_hostname": False, "tls_server_name": "other.example"},
        {"verify_ssl": False},
    ],
    ids=["ca file", "ca data", "server name", "no hostname check", "no verification"],
)
def test_tls_settings_take_effect(certificate: Tuple[Path, Path], settings: Any) -> None:
    cert = certificate[0]
    values = {
        k: str(cert) if v == "CERT" else cert.read_text() if v == "PEM" else v
        for k, v in settings.items()
    }
    with _tls_server(certificate) as server:
        assert run(lambda: fetch(server.url(), config(**values))).status == 200


def test_a_server_name_the_certificate_does_not_cover_fails_verification(
    certificate: Tuple[Path, Path],
) -> None:
    cfg = config(ssl_ca_cert=str(certificate[0]), tls_server_name="other.example")
    with _tls_server(certificate) as server:
        err = failure(server.url(), cfg)
    assert (err.kind, err.final) == (FailureKind.CONNECT, True)


def test_client_certificate_is_presented(certificate: Tuple[Path, Path]) -> None:
    cert, key = certificate
    with _tls_server(certificate, client_ca=cert) as server:
        cfg = config(ssl_ca_cert=str(cert))
        # Without the client certificate the server ends the handshake.
        assert failure(server.url(), cfg).kind in (FailureKind.DROPPED, FailureKind.CONNECT)
        cfg = config(ssl_ca_cert=str(cert), cert_file=str(cert), key_file=str(key))
        assert run(lambda: fetch(server.url(), cfg)).status == 200


# --- proxies ---------------------------------------------------------------------------------


def test_a_refused_proxy_is_connect() -> None:
    cfg = config(proxy=f"http://127.0.0.1:{refused_port()}")
    assert failure("http://api.example/x", cfg).kind is FailureKind.CONNECT


def test_a_proxy_refusing_the_tunnel_is_connect() -> None:
    def refuse_tunnel(conn: Conn) -> None:
        if conn.read_request() is not None:
            conn.respond(407, b"", {}, "Proxy Authentication Required")

    with RawServer(refuse_tunnel) as proxy:
        err = failure("https://api.example/x", config(proxy=proxy.url("")), method="POST")
    assert err.kind is FailureKind.CONNECT
    assert [r.line for r in proxy.requests] == ["CONNECT api.example:443 HTTP/1.1"]


def test_a_plain_http_request_goes_through_the_proxy_with_its_headers() -> None:
    cfg = config(proxy="", proxy_headers={"Proxy-Authorization": "Basic cDpx"})
    with RawServer(serve_forever) as proxy:
        cfg.proxy = proxy.url("")
        resp = run(lambda: fetch("http://api.example/batch/1", cfg))
    assert resp.status == 200
    (request,) = proxy.requests
    assert request.line == "GET http://api.example/batch/1 HTTP/1.1"
    assert request.headers["proxy-authorization"] == "Basic cDpx"


# --- settings that cannot take effect --------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"assert_hostname": "api.example"}, "assert_hostname"),
        ({"proxy": "socks5://127.0.0.1:1080"}, "proxy"),
        ({"connection_pool_maxsize": 0}, "connection_pool_maxsize"),
        ({"key_file": "/nonexistent/key.pem"}, "key_file"),
        ({"cert_file": "/nonexistent/cert.pem"}, "cert_file"),
        ({"ssl_ca_cert": "/nonexistent/ca.pem"}, "ssl_ca_cert"),
        ({"ca_cert_data": "not a certificate"}, "ca_cert_data"),
    ],
)
def test_a_setting_that_cannot_take_effect_is_refused_when_built(settings: Any, field: str) -> None:
    with pytest.raises(ApiValueError, match=field):
        AsyncRESTClientObject(config(**settings))


# --- the size limit on the decoded body ------------------------------------------------------

LIMIT = 1 << 20


def test_an_announced_length_over_the_limit_is_refused_unread() -> None:
    # The head promises more than the limit and no body follows: only refusing unread returns.
    def announce(conn: Conn) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (LIMIT + 1))
            conn.stall()

    with RawServer(announce) as server:
        err = failure(server.url(), config(max_response_bytes=LIMIT), _request_timeout=10)
    assert isinstance(err, ResponseTooLarge)
    assert (err.status, err.final) == (200, True)


def test_a_streamed_body_over_the_limit_is_refused() -> None:
    def flood(conn: Conn) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
            for _ in range(4 * LIMIT // 0x10000):
                if not conn.send(chunk):
                    return

    with RawServer(flood) as server:
        err = failure(server.url(), config(max_response_bytes=LIMIT), _request_timeout=10)
    assert isinstance(err, ResponseTooLarge)


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_a_decompression_bomb_is_refused_by_its_decoded_size(coding: str) -> None:
    bomb = _encode(coding, b"\0" * (256 * LIMIT))  # 256 MiB of zeros in about 256 KiB
    assert len(bomb) < LIMIT

    def answer(conn: Conn) -> None:
        if conn.read_request() is not None:
            conn.respond(body=bomb, headers={"Content-Encoding": coding})

    with RawServer(answer) as server:
        err = failure(server.url(), config(max_response_bytes=LIMIT), _request_timeout=10)
    assert isinstance(err, ResponseTooLarge)


def _encode(coding: str, data: bytes, raw_deflate: bool = False) -> bytes:
    if coding == "gzip":
        return gzip.compress(data)
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def _chunked(body: bytes) -> bytes:
    step = 100_000
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + step]), body[i : i + step])
        for i in range(0, len(body), step)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
@pytest.mark.parametrize(
    ("coding", "raw_deflate"), [("gzip", False), ("deflate", False), ("deflate", True)]
)
def test_a_large_compressed_body_comes_back_whole(
    framing: str, coding: str, raw_deflate: bool
) -> None:
    original = os.urandom(2 * LIMIT).hex().encode()  # 4 MiB, compressed to about 2.3 MiB
    packed = _encode(coding, original, raw_deflate)
    assert len(packed) > 2 * LIMIT

    def answer(conn: Conn) -> None:
        if conn.read_request() is None:
            return
        if framing == "chunked":
            head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: %s\r\n\r\n"
            conn.send(head % coding.encode() + _chunked(packed))
        else:
            conn.respond(body=packed, headers={"Content-Encoding": coding})

    cfg = config(max_response_bytes=5 * LIMIT)
    with RawServer(answer) as server:
        resp = run(lambda: fetch(server.url(), cfg, _request_timeout=10))
    assert resp.data == original


def test_a_multi_member_gzip_body_is_decoded_whole() -> None:
    packed = gzip.compress(b"first,") + gzip.compress(b"second")

    def answer(conn: Conn) -> None:
        if conn.read_request() is not None:
            conn.respond(body=packed, headers={"Content-Encoding": "gzip"})

    with RawServer(answer) as server:
        assert run(lambda: fetch(server.url())).data == b"first,second"


def test_an_unknown_coding_is_returned_as_sent() -> None:
    def answer(conn: Conn) -> None:
        if conn.read_request() is not None:
            conn.respond(body=b"opaque", headers={"Content-Encoding": "br"})

    with RawServer(answer) as server:
        assert run(lambda: fetch(server.url())).data == b"opaque"


# --- cancellation ----------------------------------------------------------------------------


def _first_stalls(act: Callable[[Conn], None]) -> Tuple[Callable[[Conn], None], Dict[str, bool]]:
    """A handler whose first connection gets its request and then ``act``; later ones are served.

    The dict tells whether the client closed that first connection.
    """
    seen: List[Conn] = []
    state = {"first closed": False}

    def handler(conn: Conn) -> None:
        seen.append(conn)
        if len(seen) > 1:
            serve_forever(conn)
        elif conn.read_request() is not None:
            act(conn)
            state["first closed"] = conn.wait_closed()

    return handler, state


@pytest.mark.parametrize(
    "act",
    [
        lambda conn: None,
        lambda conn: conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 10),
    ],
    ids=["before the head", "mid-body"],
)
def test_a_cancelled_request_raises_cancelled_and_the_client_stays_usable(
    act: Callable[[Conn], None], deadline_kind: str
) -> None:
    async def cancel_then_reuse() -> int:
        async with AsyncRESTClientObject(config()) as client:
            task = asyncio.ensure_future(client.request("GET", server.url(), _request_timeout=10))
            while not server.requests:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)  # the head and part of the body are in flight
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert task.cancelled()
            resp = await client.request("GET", server.url(), _request_timeout=10)
            return resp.status

    handler, state = _first_stalls(act)
    with RawServer(handler) as server:
        assert run(cancel_then_reuse) == 200
        assert len(server.requests) == 2
        # The half-read connection was closed, not handed to the second request.
        assert server.connections == 2
    assert state["first closed"] is True


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
def test_an_outer_asyncio_timeout_sees_its_own_cancellation(deadline_kind: str) -> None:
    # asyncio.timeout turns the CancelledError it caused into TimeoutError only if that error
    # reaches it unchanged; a transport that mapped it to TransportError would break this.
    async def outer() -> int:
        async with AsyncRESTClientObject(config()) as client:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.3):
                    await client.request("GET", server.url(), _request_timeout=10)
            return (await client.request("GET", server.url(), _request_timeout=10)).status

    handler, state = _first_stalls(lambda conn: None)
    with RawServer(handler) as server:
        assert run(outer) == 200
    assert state["first closed"] is True


# --- pool size and closing -------------------------------------------------------------------


def test_the_pool_size_bounds_the_open_connections() -> None:
    def slow(conn: Conn) -> None:
        while conn.read_request() is not None:
            conn.server.stopping.wait(0.1)
            conn.respond()

    async def many() -> list[int]:
        async with AsyncRESTClientObject(config(connection_pool_maxsize=2)) as client:
            calls = [client.request("GET", server.url(), _request_timeout=10) for _ in range(8)]
            return [resp.status for resp in await asyncio.gather(*calls)]

    with RawServer(slow) as server:
        assert run(many) == [200] * 8
    assert (server.most_open, server.connections) == (2, 2)


def test_socket_options_are_set_on_the_connection() -> None:
    async def keepalive() -> int:
        options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
        async with AsyncRESTClientObject(config(socket_options=options)) as client:
            resp = await client.request("GET", server.url(), preload_content=False)
            sock = resp.response.extensions["network_stream"].get_extra_info("socket")
            value = int(sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))
            await resp.response.aclose()
            return value

    with RawServer(serve_forever) as server:
        assert run(keepalive) == 1


def test_closing_releases_connections_and_the_transport_can_go_on() -> None:
    async def close_between() -> int:
        client = AsyncRESTClientObject(config())
        await client.request("GET", server.url(), _request_timeout=TIMEOUT)
        await client.aclose()
        for _ in range(200):
            if server.open_now == 0:
                break
            await asyncio.sleep(0.01)
        assert server.open_now == 0
        status = (await client.request("GET", server.url(), _request_timeout=TIMEOUT)).status
        await client.clear()
        return status

    with RawServer(serve_forever) as server:
        assert run(close_between) == 200
    assert server.connections == 2
