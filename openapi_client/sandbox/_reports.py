"""Delivery reports: POSTed from one background thread so that a slow or dead receiver can
never hold up the sandbox's answers.
"""

from __future__ import annotations

import collections
import http.client
import json
import logging
import socket
import threading
from typing import Any, Deque, Dict, List, Optional, Tuple, Union
from urllib.parse import urlsplit

__all__ = ["ReportWorker"]

logger = logging.getLogger("openapi_client.sandbox")

_Connection = Union[http.client.HTTPConnection, http.client.HTTPSConnection]


def _where(url: str) -> str:
    """``scheme://host:port`` only: users are told to put a secret in the report URL's path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ReportWorker:
    """A queue of delivery reports and the daemon thread that POSTs them.

    Every attempt is kept in :attr:`attempts` (``url``, ``payload``, ``status`` or ``None``,
    ``error`` or ``None``) for tests to read. A receiver that fails is logged and skipped; the
    real service's retry policy is not published, so the sandbox does not retry.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.attempts: List[Dict[str, Any]] = []
        self._queue: Deque[Tuple[str, Dict[str, Any]]] = collections.deque()
        self._cond = threading.Condition()
        self._busy = False
        self._stopping = False
        self._connections: Dict[Tuple[str, str], _Connection] = {}
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        with self._cond:
            self._stopping = False
        self._thread = threading.Thread(
            target=self._run, name="smsworks-sandbox-reports", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def submit(self, url: str, payload: Dict[str, Any]) -> None:
        with self._cond:
            self._queue.append((url, payload))
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued report has been attempted; ``False`` on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout)

    def snapshot(self) -> List[Dict[str, Any]]:
        """A copy of :attr:`attempts`, taken under the worker's lock."""
        with self._cond:
            return list(self.attempts)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._stopping)
                if self._stopping:
                    return
                url, payload = self._queue.popleft()
                self._busy = True
            try:
                status, error = self._post(url, payload)
            except Exception as unexpected:  # never let one report kill the worker
                status, error = None, repr(unexpected)
            attempt = {"url": url, "payload": payload, "status": status, "error": error}
            if error is not None:
                logger.warning(
                    "delivery report for message %s to %s failed: %s",
                    payload.get("messageid"),
                    _where(url),
                    error,
                )
            with self._cond:
                self.attempts.append(attempt)
                self._busy = False
                self._cond.notify_all()

    def _connection(self, scheme: str, netloc: str) -> _Connection:
        key = (scheme, netloc)
        connection = self._connections.get(key)
        if connection is None:
            factory = (
                http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            )
            connection = factory(netloc, timeout=self.timeout)
            self._connections[key] = connection
        return connection

    def _post(self, url: str, payload: Dict[str, Any]) -> Tuple[Optional[int], Optional[str]]:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "smsworks-sandbox"}
        # A kept-alive connection the receiver has since closed fails on first use; then one
        # fresh connection is tried. A timeout is not retried: the receiver may have the report.
        key = (parts.scheme, parts.netloc)
        for _ in range(2):
            reused = key in self._connections
            connection = self._connection(*key)
            try:
                connection.request("POST", target, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.will_close:
                    connection.close()
                    self._connections.pop(key, None)
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                self._connections.pop(key, None)
                if reused and not isinstance(error, socket.timeout):
                    continue
                return None, f"{type(error).__name__}: {error}"
            if response.status >= 400:
                return response.status, f"receiver answered HTTP {response.status}"
            return response.status, None
        return None, "unreachable"  # pragma: no cover - the loop always returns
