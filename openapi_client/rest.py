"""The HTTP transport: urllib3 underneath, one small interface above.

``ApiClient`` talks to a transport through ``request()`` only, so tests can swap in a fake one.
The transport sends exactly one request: retries and error mapping belong to the client. It
reports a failure as ``TransportError`` with a ``FailureKind`` saying whether the request could
have reached the server, which is what decides if a send may be tried again.
"""

from __future__ import annotations

import contextlib
import io
import os
import ssl
import threading
import time
from typing import Any, Dict, Mapping, Optional, Tuple

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import parse_url

from ._retry import FailureKind
from .configuration import Configuration
from .exceptions import ApiException, ApiValueError

__all__ = [
    "ApiException",
    "RESTClientObject",
    "RESTResponse",
    "ResponseTooLarge",
    "TransportError",
]

_CHUNK = 1 << 20


class TransportError(Exception):
    """One request failed below HTTP. ``kind`` says how far it got."""

    def __init__(
        self, kind: FailureKind, message: str, cause: BaseException, *, final: bool = False
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.cause = cause
        #: True when trying again cannot help (a certificate the client does not trust).
        self.final = final


class ResponseTooLarge(TransportError):
    """The answer's body is larger than ``Configuration.max_response_bytes``; it was not read."""

    def __init__(self, limit: int, status: int, headers: Mapping[str, str]) -> None:
        super().__init__(
            FailureKind.DROPPED,
            f"the response body is larger than {limit} bytes (max_response_bytes); not read",
            OverflowError(limit),
            final=True,
        )
        self.status = status
        self.headers = headers


class RESTResponse(io.IOBase):
    """An HTTP answer: ``status``, ``reason``, ``headers`` and the body in ``data``.

    ``response`` is the underlying ``urllib3.HTTPResponse`` (its body unread when the request
    was made with ``preload_content=False``).
    """

    def __init__(
        self,
        resp: Any,
        data: Optional[bytes] = None,
        *,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.response = resp
        self.status: int = status if status is not None else resp.status
        self.reason: Optional[str] = reason if reason is not None else getattr(resp, "reason", "")
        self.headers: Mapping[str, str] = headers if headers is not None else resp.headers
        self.data = data

    def read(self) -> bytes:
        """The body (read once, then kept)."""
        if self.data is None:
            self.data = self.response.data
        return self.data or b""

    def getheaders(self) -> Mapping[str, str]:
        """All response headers."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One response header, case-insensitively."""
        value = self.headers.get(name)
        if value is None:
            lower = name.lower()
            for key, candidate in self.headers.items():
                if key.lower() == lower:
                    return candidate
            return default
        return value


def to_urllib3_timeout(value: Any) -> urllib3.Timeout:
    """Turn a user's timeout setting into a ``urllib3.Timeout``.

    ``None`` means no timeout; a number applies to connecting and to each read; a pair is
    ``(connect, read)``.
    """
    if isinstance(value, urllib3.Timeout):
        return value
    if value is None:
        return urllib3.Timeout(connect=None, read=None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value <= 0:
            raise ApiValueError("a timeout must be positive", ["_request_timeout"])
        return urllib3.Timeout(connect=float(value), read=float(value))
    if isinstance(value, tuple) and len(value) == 2:
        return urllib3.Timeout(connect=value[0], read=value[1])
    raise ApiValueError(
        f"expected seconds, (connect, read), urllib3.Timeout or None, got {value!r}",
        ["_request_timeout"],
    )


def deadline_of(timeout: urllib3.Timeout) -> Optional[float]:
    """Seconds one whole attempt may take: connect + read, so a trickling body cannot stall us.

    urllib3's read timeout bounds each wait for data, not the whole body; a server sending one
    byte a second would otherwise hold a call for as long as it likes.
    """
    total = timeout.total
    if isinstance(total, (int, float)):
        return float(total)
    connect, read = timeout.connect_timeout, timeout.read_timeout
    if isinstance(connect, (int, float)) and isinstance(read, (int, float)):
        return float(connect) + float(read)
    return None


class RESTClientObject:
    """The urllib3 transport. Thread-safe; rebuilt in a forked child so no socket is shared."""

    def __init__(self, configuration: Configuration) -> None:
        self._configuration = configuration
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._pools: Dict[Tuple[str, str], Any] = {}
        self._timeout_cache: Dict[Any, Tuple[urllib3.Timeout, Optional[float]]] = {}
        self.pool_manager = self._new_pool_manager()

    def _new_pool_manager(self) -> urllib3.PoolManager:
        cfg = self._configuration
        kwargs: Dict[str, Any] = {
            "num_pools": 4,
            "maxsize": cfg.connection_pool_maxsize,
            "block": False,
            "retries": False,
            "cert_reqs": ssl.CERT_REQUIRED if cfg.verify_ssl else ssl.CERT_NONE,
            "ca_certs": cfg.ssl_ca_cert,
            "ca_cert_data": cfg.ca_cert_data,
            "cert_file": cfg.cert_file,
            "key_file": cfg.key_file,
        }
        if cfg.assert_hostname is not None:
            kwargs["assert_hostname"] = cfg.assert_hostname
        if cfg.tls_server_name:
            kwargs["server_hostname"] = cfg.tls_server_name
        if cfg.socket_options is not None:
            kwargs["socket_options"] = cfg.socket_options
        if cfg.proxy:
            return urllib3.ProxyManager(
                proxy_url=cfg.proxy, proxy_headers=cfg.proxy_headers, **kwargs
            )
        return urllib3.PoolManager(**kwargs)

    def _timeouts(self, value: Any) -> Tuple[urllib3.Timeout, Optional[float]]:
        # Nearly every call uses the configured default: convert each setting once.
        try:
            found = self._timeout_cache.get(value)
        except TypeError:  # an unhashable setting: convert it every time
            found = None
        if found is None:
            timeout = to_urllib3_timeout(value)
            found = (timeout, deadline_of(timeout))
            with contextlib.suppress(TypeError):
                if len(self._timeout_cache) < 64:
                    self._timeout_cache[value] = found
        return found

    def _pool_for(self, url: str) -> Tuple[Any, str]:
        # Splitting the URL and finding its pool costs more than the rest of a small call, so
        # pools are kept per (scheme, host, port) and the path is split off by hand.
        if os.getpid() != self._pid:
            self._after_fork()
        scheme, _, rest = url.partition("://")
        slash = rest.find("/")
        authority, path = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
        key = (scheme, authority)
        pool = self._pools.get(key)
        if pool is None:
            with self._lock:
                pool = self._pools.get(key)
                if pool is None:
                    parsed = parse_url(url)
                    pool = self.pool_manager.connection_from_host(
                        parsed.host, port=parsed.port, scheme=parsed.scheme
                    )
                    self._pools[key] = pool
        return pool, path

    def _after_fork(self) -> None:
        # The parent's sockets are inherited by a forked child. Using one from both processes
        # would interleave two conversations on one connection, and closing it here could send
        # a TLS close_notify on the parent's behalf: drop the references and start afresh.
        with self._lock:
            if os.getpid() != self._pid:
                self._pid = os.getpid()
                self._pools = {}
                self.pool_manager = self._new_pool_manager()

    def request(
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

        Raises:
            TransportError: nothing usable came back; ``kind`` says whether the request could
                have reached the server.
        """
        timeout, deadline = self._timeouts(_request_timeout)
        pool, path = self._pool_for(url)
        started = time.monotonic()
        try:
            resp = pool.urlopen(
                method,
                path,
                body=body,
                headers=headers,
                retries=False,
                redirect=False,
                timeout=timeout,
                preload_content=False,
                assert_same_host=False,
            )
        except SSLError as exc:
            if isinstance(exc.__context__, ssl.SSLCertVerificationError) or "CERTIFICATE" in str(
                exc
            ):
                # Refused during the handshake, before any byte of the request was written.
                raise TransportError(
                    FailureKind.CONNECT, f"TLS verification failed: {exc}", exc, final=True
                ) from exc
            # Other TLS errors can come after the request went out: treat them as a drop, so a
            # send is never replayed on their account.
            raise TransportError(FailureKind.DROPPED, f"TLS failure: {exc}", exc) from exc
        except ProxyError as exc:
            raise TransportError(FailureKind.CONNECT, f"proxy failure: {exc}", exc) from exc
        except NewConnectionError as exc:
            raise TransportError(FailureKind.CONNECT, "could not connect", exc) from exc
        except ConnectTimeoutError as exc:
            raise TransportError(FailureKind.CONNECT_TIMEOUT, "connect timed out", exc) from exc
        except ReadTimeoutError as exc:
            raise TransportError(FailureKind.READ_TIMEOUT, "read timed out", exc) from exc
        except (ProtocolError, HTTPError, OSError) as exc:
            raise TransportError(FailureKind.DROPPED, f"connection dropped: {exc}", exc) from exc
        if not preload_content:
            return RESTResponse(resp)
        limit = self._configuration.max_response_bytes
        return RESTResponse(resp, self._read_body(resp, started, deadline, limit))

    @staticmethod
    def _read_body(
        resp: Any, started: float, deadline: Optional[float], limit: Optional[int]
    ) -> bytes:
        ok = False
        try:
            if deadline is None and limit is None:
                body = bytes(resp.data)
            else:
                # A body is read in chunks so that neither a trickle (deadline) nor a flood
                # (limit) can hold the call or the process's memory for as long as it likes.
                announced = resp.length_remaining
                if limit is not None and announced is not None and announced > limit:
                    raise ResponseTooLarge(limit, resp.status, resp.headers)
                chunks = []
                size = 0
                while True:
                    chunk = resp.read1(_CHUNK)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise ResponseTooLarge(limit, resp.status, resp.headers)
                    if resp.length_remaining == 0:
                        break  # all of a Content-Length body is in: no need to ask again
                    if deadline is not None and time.monotonic() - started > deadline:
                        raise TransportError(
                            FailureKind.READ_TIMEOUT,
                            f"response not complete after {deadline:g} s",
                            TimeoutError("deadline exceeded"),
                        )
                body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
            ok = True
            return body
        except ReadTimeoutError as exc:
            raise TransportError(FailureKind.READ_TIMEOUT, "read timed out", exc) from exc
        except (ProtocolError, HTTPError, OSError) as exc:
            raise TransportError(FailureKind.DROPPED, f"connection dropped: {exc}", exc) from exc
        finally:
            if not ok:
                # A half-read connection cannot carry another request: close it before the
                # pool gets it back.
                resp.close()
            resp.release_conn()

    def clear(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            self._pools = {}
            self.pool_manager.clear()
