"""The asyncio transport: httpx underneath, the sync transport's contract above.

``AsyncRESTClientObject.request()`` keeps every promise of ``rest.RESTClientObject.request()``:
one request, no retries, no redirects followed, an answer of any status as ``rest.RESTResponse``,
and a failure below HTTP as ``rest.TransportError`` whose ``FailureKind`` says whether the
request could have reached the server. Only the I/O differs.

httpx is imported when the first transport is built, so ``import openapi_client`` (and even
``import openapi_client.aio``) works without it. httpx's transport layer is used directly rather
than its ``AsyncClient``: that layer adds no headers of its own, keeps no cookies and cannot
follow redirects, so the bytes on the wire are the caller's.

Connections belong to the event loop that opened them: use one transport per loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import zlib
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncContextManager,
    AsyncIterator,
    Dict,
    Iterator,
    Mapping,
    Optional,
    Type,
    cast,
)

from .._retry import FailureKind
from ..configuration import Configuration
from ..exceptions import ApiValueError
from ..rest import ResponseTooLarge, RESTResponse, TransportError, deadline_of, to_urllib3_timeout

if TYPE_CHECKING:
    import httpx

__all__ = ["AsyncRESTClientObject"]

INSTALL_HINT = 'the async client needs httpx: pip install "smsworks[async]"'

# Decompressed output is produced in pieces of at most this size, so a small compressed body
# that inflates to gigabytes is refused after max_response_bytes, not after it filled memory.
_PIECE = 64 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_GZIP_MAGIC = b"\x1f\x8b"


def _import_httpx() -> Any:
    try:
        import httpx
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return httpx


# asyncio.timeout is new in Python 3.11; before it, anyio (which httpx depends on) has the same.
_asyncio_timeout: Any = getattr(asyncio, "timeout", None)


def _deadline(seconds: Optional[float]) -> AsyncContextManager[Any]:
    # Runs in the caller's task (no second task), so a cancellation from outside reaches the
    # caller unchanged and a streamed response stays usable from the same task afterwards.
    if _asyncio_timeout is not None:
        return cast("AsyncContextManager[Any]", _asyncio_timeout(seconds))
    return _anyio_deadline(seconds)


@contextlib.asynccontextmanager
async def _anyio_deadline(seconds: Optional[float]) -> AsyncIterator[None]:
    import anyio

    with anyio.fail_after(seconds):
        yield


def _seconds(value: Any) -> Optional[float]:
    # urllib3.Timeout answers a sentinel for "the socket default": here that is no limit.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _caused_by(exc: BaseException, kind: Type[BaseException]) -> bool:
    seen = set()
    current: Optional[BaseException] = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class _Progress:
    """How far one attempt got, fed by httpcore's trace hook."""

    __slots__ = ("in_tls", "sent")

    def __init__(self) -> None:
        #: A TLS handshake has started and not finished.
        self.in_tls = False
        #: The request's first bytes may have been written to the server (or to a plain proxy).
        self.sent = False

    async def trace(self, event: str, info: Dict[str, Any]) -> None:
        if event.endswith(".start_tls.started"):
            self.in_tls = True
        elif event.endswith(".start_tls.complete"):
            self.in_tls = False
        elif event == "http11.send_request_headers.started":
            request = info.get("request")
            # A proxy's CONNECT only opens a tunnel: the API has not seen a byte yet.
            if getattr(request, "method", None) != b"CONNECT":
                self.sent = True


class _Inflater:
    """gzip or deflate decoding with bounded output per step."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._fresh = True
        self._obj = zlib.decompressobj(_GZIP_WBITS if gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._obj.decompress(data, _PIECE)
            except zlib.error:
                if self._gzip or not self._fresh:
                    raise
                # RFC 9110 says deflate is zlib-wrapped, but some servers send the raw stream.
                self._fresh = False
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._fresh = False
            if out:
                yield out
            data = self._obj.unconsumed_tail
            if self._obj.eof:
                rest = self._obj.unused_data
                if not (self._gzip and rest.startswith(_GZIP_MAGIC)):
                    return  # bytes after the end of the stream are not part of the body
                self._obj = zlib.decompressobj(_GZIP_WBITS)  # another gzip member follows
                data = rest
            elif not data and len(out) < _PIECE:
                return


def _decoder_for(content_encoding: Optional[str]) -> Optional[_Inflater]:
    if not content_encoding:
        return None
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    # Like urllib3 without optional decoders: a coding we do not know (or a stack of them)
    # leaves the body as it was sent.
    if codings == ["gzip"] or codings == ["x-gzip"]:
        return _Inflater(gzip=True)
    if codings == ["deflate"]:
        return _Inflater(gzip=False)
    return None


def _ssl_context(cfg: Configuration) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if isinstance(cfg.assert_hostname, str):
        raise ApiValueError(
            "the async transport cannot check the certificate against a name other than the one "
            "it sends as SNI; set tls_server_name instead",
            ["assert_hostname"],
        )
    if cfg.verify_ssl:
        field = "ssl_ca_cert" if cfg.ssl_ca_cert else "ca_cert_data"
        try:
            if cfg.ssl_ca_cert or cfg.ca_cert_data:
                ctx.load_verify_locations(cafile=cfg.ssl_ca_cert, cadata=cfg.ca_cert_data)
            else:
                ctx.load_default_certs()
        except (OSError, ValueError, TypeError) as exc:  # ssl.SSLError is an OSError
            raise ApiValueError(f"cannot load CA certificates: {exc}", [field]) from exc
        if cfg.assert_hostname is False:
            ctx.check_hostname = False
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if cfg.cert_file:
        try:
            ctx.load_cert_chain(cfg.cert_file, cfg.key_file)
        except (OSError, ValueError, TypeError) as exc:
            raise ApiValueError(
                f"cannot load the client certificate: {exc}", ["cert_file"]
            ) from exc
    elif cfg.key_file:
        raise ApiValueError("a key_file needs a cert_file", ["key_file"])
    return ctx


class AsyncRESTClientObject:
    """The httpx transport for asyncio. Safe to share between the tasks of one event loop."""

    def __init__(self, configuration: Configuration) -> None:
        self._httpx = _import_httpx()
        self._configuration = configuration
        cfg = configuration
        size = cfg.connection_pool_maxsize
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ApiValueError(
                f"must be a positive number of connections, got {size!r}",
                ["connection_pool_maxsize"],
            )
        self._ssl_context = _ssl_context(cfg)
        self._proxy: Any = None
        if cfg.proxy:
            scheme = cfg.proxy.partition("://")[0].lower()
            if scheme not in ("http", "https"):
                raise ApiValueError(
                    f"only http:// and https:// proxies are supported, got {scheme or cfg.proxy!r}",
                    ["proxy"],
                )
            try:
                self._proxy = self._httpx.Proxy(cfg.proxy, headers=cfg.proxy_headers)
            except (self._httpx.InvalidURL, ValueError, TypeError) as exc:
                raise ApiValueError(f"not a usable proxy: {exc}", ["proxy"]) from exc
        self._extensions: Dict[str, Any] = {}
        if cfg.tls_server_name:
            # httpcore sends this name as SNI and checks the certificate against it, which is
            # what urllib3's server_hostname does.
            self._extensions["sni_hostname"] = cfg.tls_server_name
        self._transport: httpx.AsyncHTTPTransport = self._new_transport()

    def _new_transport(self) -> httpx.AsyncHTTPTransport:
        cfg = self._configuration
        size = cfg.connection_pool_maxsize
        transport: httpx.AsyncHTTPTransport = self._httpx.AsyncHTTPTransport(
            verify=self._ssl_context,
            # Like urllib3: no proxy or CA settings picked up from the environment.
            trust_env=False,
            http1=True,
            http2=False,
            limits=self._httpx.Limits(max_connections=size, max_keepalive_connections=size),
            proxy=self._proxy,
            retries=0,
            socket_options=cfg.socket_options,
        )
        return transport

    async def request(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
        post_params: Any = None,
        _request_timeout: Any = None,
        *,
        preload_content: bool = True,
    ) -> RESTResponse:
        """Send one request and return its answer (any status).

        With ``preload_content=False`` the answer's ``response`` is the open
        ``httpx.Response``; the caller reads it (``aread()``/``aiter_bytes()``) and closes it.

        Raises:
            TransportError: nothing usable came back; ``kind`` says whether the request could
                have reached the server.
            asyncio.CancelledError: the task was cancelled; the connection in use is closed.
        """
        httpx = self._httpx
        timeout = to_urllib3_timeout(_request_timeout)
        deadline = deadline_of(timeout)
        # With a ``total`` urllib3 works the read timeout out from a started clock; no time has
        # passed yet, so each read may take up to the whole total.
        clock = timeout.clone()
        clock.start_connect()
        read = _seconds(clock.read_timeout)
        progress = _Progress()
        extensions = dict(self._extensions)
        extensions["trace"] = progress.trace
        # Waiting for a free pooled connection has no limit of its own: it counts against the
        # deadline of the whole attempt instead.
        extensions["timeout"] = {
            "connect": _seconds(timeout.connect_timeout),
            "read": read,
            "write": read,
            "pool": None,
        }
        if headers is None or not any(k.lower() == "accept-encoding" for k in headers):
            # http.client, under the sync transport, asks for an uncompressed answer unless
            # told otherwise: ask the same, so both transports send the same header fields.
            headers = {**(headers or {}), "Accept-Encoding": "identity"}
        try:
            request = httpx.Request(
                method, url, headers=headers, content=body, extensions=extensions
            )
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise TransportError(
                FailureKind.CONNECT, f"request not sent: {exc}", exc, final=True
            ) from exc
        try:
            async with _deadline(deadline):
                response = await self._transport.handle_async_request(request)
                response.request = request
                if not preload_content:
                    return self._answer(response, None)
                try:
                    data = await self._read_body(response)
                finally:
                    # Closing a response that was not read to its end closes its connection
                    # instead of returning it to the pool half-read.
                    await response.aclose()
                return self._answer(response, data)
        except TimeoutError as exc:  # the deadline; httpx's own timeouts are not TimeoutError
            after = "in time" if deadline is None else f"after {deadline:g} s"
            if progress.sent:
                raise TransportError(
                    FailureKind.READ_TIMEOUT, f"response not complete {after}", exc
                ) from exc
            kind = FailureKind.CONNECT_TIMEOUT
            raise TransportError(kind, f"not connected {after}", exc) from exc
        except httpx.HTTPError as exc:
            raise self._failure(exc, progress) from exc
        except zlib.error as exc:
            raise TransportError(
                FailureKind.DROPPED, f"undecodable response body: {exc}", exc
            ) from exc
        except OSError as exc:
            raise TransportError(FailureKind.DROPPED, f"connection dropped: {exc}", exc) from exc

    @staticmethod
    def _answer(response: httpx.Response, data: Optional[bytes]) -> RESTResponse:
        return RESTResponse(
            response,
            data,
            status=response.status_code,
            reason=response.reason_phrase,
            headers=response.headers,
        )

    def _failure(self, exc: Exception, progress: _Progress) -> TransportError:
        httpx = self._httpx
        if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
            return TransportError(FailureKind.CONNECT_TIMEOUT, "connect timed out", exc)
        if isinstance(exc, httpx.TimeoutException):
            return TransportError(FailureKind.READ_TIMEOUT, "read timed out", exc)
        if isinstance(exc, httpx.ProxyError):
            return TransportError(FailureKind.CONNECT, f"proxy failure: {exc}", exc)
        if _caused_by(exc, ssl.SSLCertVerificationError):
            # Refused during the handshake, before any byte of the request was written.
            return TransportError(
                FailureKind.CONNECT, f"TLS verification failed: {exc}", exc, final=True
            )
        if progress.in_tls or _caused_by(exc, ssl.SSLError):
            # As in the sync transport: other TLS errors count as a drop, so a send is never
            # replayed on their account.
            return TransportError(FailureKind.DROPPED, f"TLS failure: {exc}", exc)
        if isinstance(exc, httpx.ConnectError):
            return TransportError(FailureKind.CONNECT, f"could not connect: {exc}", exc)
        if isinstance(exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)) and not (
            progress.sent
        ):
            return TransportError(FailureKind.CONNECT, f"request not sent: {exc}", exc, final=True)
        return TransportError(FailureKind.DROPPED, f"connection dropped: {exc}", exc)

    async def _read_body(self, response: httpx.Response) -> bytes:
        limit = self._configuration.max_response_bytes
        headers = response.headers
        if limit is not None:
            announced = headers.get("content-length", "")
            if announced.isdigit() and int(announced) > limit:
                raise ResponseTooLarge(limit, response.status_code, headers)
        decoder = _decoder_for(headers.get("content-encoding"))
        chunks = []
        size = 0
        async for raw in response.aiter_raw():
            for piece in decoder.feed(raw) if decoder is not None else (raw,):
                size += len(piece)
                if limit is not None and size > limit:
                    raise ResponseTooLarge(limit, response.status_code, headers)
                chunks.append(piece)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    async def clear(self) -> None:
        """Close every pooled connection; the transport stays usable."""
        old, self._transport = self._transport, self._new_transport()
        await old.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection (the same as :meth:`clear`)."""
        await self.clear()

    async def __aenter__(self) -> AsyncRESTClientObject:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()
