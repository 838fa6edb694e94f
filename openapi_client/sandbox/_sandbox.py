"""The :class:`Sandbox`: a stand-in for The SMS Works API on a loopback port."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import threading
import time
import uuid
from datetime import datetime, timezone
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Type, Union

from .. import _limits
from ._reports import ReportWorker
from ._server import Fault, RequestRecord, SandboxServer
from ._state import State, default_clock

if TYPE_CHECKING:
    from ..configuration import Configuration

__all__ = ["INBOX_NUMBER", "Sandbox"]

#: The account's number that simulated replies (``Sandbox.receive``) are sent to by default.
INBOX_NUMBER = "447700900500"
_NUMBER = re.compile(r"[0-9]{7,15}")


def _b64(data: Dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _new_token(customer_id: str) -> str:
    # Shaped like the JWTs The SMS Works issues, so code that inspects tokens sees a familiar
    # form; the signature is random and the sandbox compares the whole string.
    header = _b64({"alg": "HS256", "typ": "JWT"})
    claims = _b64({"customerid": customer_id, "iat": int(time.time()), "sandbox": True})
    return f"{header}.{claims}.{secrets.token_urlsafe(32)}"


class Sandbox:
    """A faithful, stateful stand-in for The SMS Works API, on a loopback port.

    It serves all 21 operations: it validates requests with the real API's limits, charges and
    refunds credits, runs scheduled batches and messages when they fall due, moves messages
    through SENT to their outcome, POSTs delivery reports, searches what it holds, keeps an
    inbox of simulated replies (:meth:`receive`) and texts and checks one-time passcodes
    (:meth:`last_otp`). The account is kept in SQLite: in memory, or in ``state_file`` when one is
    given, where every change is committed before its answer is sent.

    Args:
        credits: opening balance (a new SMS Works account starts with 50).
        token: the bare token clients must send as ``Authorization: JWT <token>``; a random
            JWT-shaped one when ``None``. A leading ``"JWT "`` is dropped.
        port: TCP port; 0 lets the OS choose one (read it back from :attr:`url`).
        host: interface to listen on.
        delivery_delay: seconds, on the sandbox clock, between SENT and a message's outcome;
            0 settles every message within the request that sends it.
        delivery_report_url: the account's default delivery report URL, used for messages
            that carry no ``deliveryreporturl`` of their own.
        customer_id: what ``GET /utils/test`` returns; a random UUID when ``None``.
        clock: returns the time in epoch seconds; defaults to ``time.time``.
        overdraft: how far below zero the balance may go before sends get 402.
        state_file: SQLite file that holds the account: opened (or created with ``credits``
            and ``customer_id``) here, written on every change. The token is never stored.
        report_timeout: seconds each delivery report POST may take.

    Raises:
        ValueError: a bad argument.
        StateFileError: ``state_file`` cannot be used (a ``ValueError`` too): not SQLite, a
            JSON file from an older smsworks, another program's database, unreadable.
    """

    def __init__(
        self,
        credits: float = _limits.DEFAULT_CREDITS,
        token: Optional[str] = None,
        port: int = 0,
        host: str = "127.0.0.1",
        delivery_delay: float = 0.0,
        *,
        delivery_report_url: Optional[str] = None,
        customer_id: Optional[str] = None,
        clock: Optional[Callable[[], float]] = None,
        overdraft: float = 0.0,
        state_file: Union[str, os.PathLike[str], None] = None,
        report_timeout: float = 5.0,
    ) -> None:
        if delivery_delay < 0:
            raise ValueError("delivery_delay must not be negative")
        customer = customer_id or str(uuid.uuid4())
        if token is not None and token.startswith("JWT "):
            token = token[4:]
        if token is not None and not token.strip():
            raise ValueError("token must not be empty")
        self._token = token or _new_token(customer)
        self._host = host
        self._port = port
        self._state_file = os.fspath(state_file) if state_file is not None else None
        self._reports = ReportWorker(report_timeout)
        self._state = State(
            credits=credits,
            customer_id=customer,
            delivery_delay=delivery_delay,
            clock=clock or default_clock,
            overdraft=overdraft,
            report_url=delivery_report_url,
            reports=self._reports.submit,
            path=self._state_file,
        )
        self._requests: List[RequestRecord] = []
        self._faults: List[List[Any]] = []  # [Fault, remaining count]
        self._server: Optional[SandboxServer] = None
        self._threads: List[threading.Thread] = []
        self._stopping = False

    def __repr__(self) -> str:  # the token stays out of reprs, logs and tracebacks
        where = self.url if self._server is not None else "stopped"
        return f"<Sandbox {where} credits={self.credits:g}>"

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Bind the port and serve in daemon threads. Returns ``self``."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        self._server = SandboxServer((self._host, self._port), self)
        self._stopping = False
        self._reports.start()
        self._threads = [
            threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="smsworks-sandbox-http",
                daemon=True,
            ),
            threading.Thread(target=self._tick_loop, name="smsworks-sandbox-clock", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections, stop the workers, close ``state_file``."""
        server, self._server = self._server, None
        if server is None:
            if self._state.persistent:
                self._state.close()
            return
        with self._state.lock:
            self._stopping = True
            self._state.changed.notify_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        for thread in self._threads:
            thread.join(5.0)
        self._threads = []
        self._reports.stop()
        if self._state.persistent:
            # Folds the write-ahead log into the file; reading the sandbox later reopens it.
            self._state.close()

    def save(self) -> None:
        """Kept for compatibility: every change is already in ``state_file`` when it is answered.

        Raises:
            RuntimeError: the sandbox has no ``state_file``.
        """
        if self._state_file is None:
            raise RuntimeError("this sandbox has no state_file")

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    def _tick_loop(self) -> None:
        # Applies due events while nobody is calling: a scheduled batch goes out and delivery
        # reports are POSTed on time even if no request arrives. Requests also apply due
        # events themselves, so what they read never depends on this thread's timing.
        state = self._state
        with state.lock:
            while not self._stopping:
                state.tick()
                due = state.next_due()
                # With an injected clock real time says little about sandbox time: recheck
                # at least twice a second while anything is pending.
                wait = None if due is None else min(max(due - state.now(), 0.01), 0.5)
                state.changed.wait(wait)

    # -- connection details -----------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL of the running sandbox, ending in ``/v1``."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() or use 'with'")
        address: Any = self._server.server_address
        host, port = str(address[0]), int(address[1])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/v1"

    @property
    def token(self) -> str:
        """The bare token; clients send it as ``Authorization: JWT <token>``."""
        return self._token

    @property
    def customer_id(self) -> str:
        """The account's customer id, as ``GET /utils/test`` returns it."""
        return self._state.customer_id

    def configuration(self) -> Configuration:
        """A client :class:`~openapi_client.configuration.Configuration` for this sandbox."""
        from ..configuration import Configuration

        return Configuration(host=self.url, api_key={"JWT": self._token})

    # -- the account ------------------------------------------------------------------------

    @property
    def credits(self) -> float:
        """The current balance."""
        with self._state.lock:
            return self._state.balance()

    @credits.setter
    def credits(self, value: float) -> None:
        with self._state.lock:
            self._state.set_balance(value)

    @property
    def delivery_delay(self) -> float:
        """Seconds between SENT and a message's outcome; may be changed while running."""
        return self._state.delivery_delay

    @delivery_delay.setter
    def delivery_delay(self, value: float) -> None:
        if value < 0:
            raise ValueError("delivery_delay must not be negative")
        with self._state.lock:
            self._state.delivery_delay = float(value)

    def now(self) -> datetime:
        """The sandbox clock, as an aware UTC ``datetime``."""
        return datetime.fromtimestamp(self._state.now(), tz=timezone.utc)

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock forward: scheduled batches fall due, messages settle."""
        self._state.advance(seconds)

    # -- introspection for tests ------------------------------------------------------------

    @property
    def requests(self) -> List[RequestRecord]:
        """Every request answered so far, oldest first: ``(method, path, status)``.

        A connection dropped by an injected fault is recorded with status 0.
        """
        with self._state.lock:
            return list(self._requests)

    @property
    def batches(self) -> Dict[str, Dict[str, Any]]:
        """Every batch by id: ``status`` (SENT, SCHEDULED, PROCESSED or CANCELLED), ``kind``
        (send, any or schedule), ``messages`` (count), ``credits`` (still charged) and
        ``schedule`` (aware ``datetime`` or ``None``).
        """
        with self._state.lock:
            summaries = self._state.batch_summaries()
        return {
            batchid: {
                "batchid": batchid,
                "status": status,
                "kind": kind,
                "messages": count,
                "credits": credits,
                "schedule": None
                if schedule is None
                else datetime.fromtimestamp(schedule, tz=timezone.utc),
            }
            for batchid, status, kind, count, credits, schedule in summaries
        }

    def messages(self, batchid: str) -> List[Dict[str, Any]]:
        """A batch's messages exactly as ``GET /batch/{batchid}`` returns them."""
        return self._state.batch_records(batchid)

    @property
    def sent_messages(self) -> List[Dict[str, Any]]:
        """Every message that has gone out (not scheduled, not cancelled), oldest first."""
        with self._state.lock:
            return self._state.sent_records()

    def receive(
        self,
        sender: str,
        content: str,
        *,
        destination: str = INBOX_NUMBER,
        keyword: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Simulate a reply: ``sender`` texts ``content`` to the account's number.

        The message lands in the inbox (``POST /messages/inbox``) unread, and is found by
        ``POST /messages`` with status ``INCOMING``; ``GET /messages/{messageid}`` marks it read.

        Args:
            sender: the replier's number, international form without ``+`` (7 to 15 digits).
            content: the text of the reply.
            destination: the account's number the reply was sent to.
            keyword: the reply's keyword; its first word, upper-cased, when ``None``.

        Returns:
            The stored record, exactly as the API returns it.

        Raises:
            ValueError: ``sender`` or ``destination`` is not a number, or ``content`` is empty.
        """
        for name, number in (("sender", sender), ("destination", destination)):
            if not _NUMBER.fullmatch(number.lstrip("+")):
                raise ValueError(f"{name} must be 7 to 15 digits, not {number!r}")
        if not content.strip():
            raise ValueError("content must not be empty")
        return self._state.receive(sender.lstrip("+"), content, destination.lstrip("+"), keyword)

    def last_otp(self, destination: str) -> str:
        """The one-time passcode most recently texted to ``destination`` (what the handset got).

        Raises:
            KeyError: no passcode was ever sent to ``destination``.
        """
        passcode = self._state.last_otp(destination.lstrip("+"))
        if passcode is None:
            raise KeyError(f"no one-time passcode was sent to {destination}")
        return passcode

    @property
    def delivery_reports(self) -> List[Dict[str, Any]]:
        """Every delivery report attempted: ``url``, ``payload``, ``status``, ``error``."""
        return self._reports.snapshot()

    def wait_for_reports(self, timeout: float = 5.0) -> bool:
        """Block until every queued delivery report has been attempted; ``False`` on timeout."""
        return self._reports.wait_idle(timeout)

    # -- fault injection --------------------------------------------------------------------

    def inject_fault(
        self,
        status: int = 503,
        *,
        times: int = 1,
        method: Optional[str] = None,
        path: Optional[str] = None,
        retry_after: Optional[float] = None,
        delay: float = 0.0,
        drop: bool = False,
        after_processing: bool = False,
        body: Optional[Dict[str, Any]] = None,
    ) -> None:
        """Make the next ``times`` matching requests fail.

        Args:
            status: HTTP status to answer (ignored with ``drop``).
            times: how many matching requests fail.
            method: only requests with this method (``"POST"``); any when ``None``.
            path: only paths (after ``/v1``) starting with this, e.g. ``"/batch/send"``.
            retry_after: seconds to put in a ``Retry-After`` header.
            delay: real seconds to wait before answering (to trigger client timeouts).
            drop: close the connection without any answer.
            after_processing: do the real work first (the batch *is* sent and charged), then
                fail: what a client sees when an answer is lost on the way back.
            body: JSON body to answer; an ``ExtendedErrorModel`` when ``None``.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = Fault(
            status,
            method.upper() if method else None,
            path,
            retry_after,
            delay,
            drop,
            after_processing,
            body,
        )
        with self._state.lock:
            self._faults.append([fault, times])

    def clear_faults(self) -> None:
        """Forget every fault not yet played back."""
        with self._state.lock:
            self._faults.clear()

    def _take_fault(self, method: str, path: str) -> Optional[Fault]:
        with self._state.lock:
            for entry in self._faults:
                fault: Fault = entry[0]
                if fault.matches(method, path):
                    entry[1] -= 1
                    if entry[1] <= 0:
                        self._faults.remove(entry)
                    return fault
        return None

    def _record(self, record: RequestRecord) -> None:
        with self._state.lock:
            self._requests.append(record)
