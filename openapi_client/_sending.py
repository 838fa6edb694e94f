"""Sending a prepared request, with retries: the only part of the request path that does I/O.

``send`` is the loop: it hands a ``PreparedRequest`` to the transport, asks the ``RetryPolicy``
after every try that did not succeed, sleeps and tries again, or raises the exception the
failure maps to. What the loop decides after each try (``after_failure``, ``after_answer``) is
written once, without I/O, so that a loop over an asyncio transport (same contract as
``rest.RESTClientObject``, see ``aio/_transport.py``) differs only in ``await`` and its sleep.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Mapping, Optional, Protocol

from ._operation import PreparedRequest
from ._retry import Attempt, Decision, FailureKind, RetryPolicy
from .configuration import Configuration, client_log
from .exceptions import ApiException, exception_for
from .rest import ResponseTooLarge, RESTResponse, TransportError

__all__ = [
    "Transport",
    "after_answer",
    "after_failure",
    "debugging",
    "log_answer",
    "log_retry",
    "send",
    "transport_exception",
]

logger = logging.getLogger("openapi_client")


class Transport(Protocol):
    """What sends one request: ``rest.RESTClientObject``, or a fake in tests.

    One request per call: no retries, no redirects. Any status comes back as a ``RESTResponse``;
    a failure below HTTP raises ``rest.TransportError`` whose ``kind`` says whether the request
    could have reached the server.
    """

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
    ) -> RESTResponse: ...


def replayable(request: PreparedRequest) -> bool:
    """Whether the request may be sent again; without an operation, anything but POST may."""
    if request.replayable is not None:
        return request.replayable
    return request.method.upper() != "POST"


def transport_exception(request: PreparedRequest, exc: TransportError, why: str) -> ApiException:
    """The exception a failure below HTTP raises, once no retry is left."""
    if isinstance(exc, ResponseTooLarge):
        # The server answered; only its body was too big to read.
        return exception_for(
            replayable=replayable(request),
            kind="unreadable",
            reason=str(exc),
            status=exc.status,
            headers=exc.headers,
            method=request.method,
            url=request.url,
        )
    return exception_for(
        replayable=replayable(request),
        kind=exc.kind.value,
        reason=str(exc),
        method=request.method,
        url=request.url,
        why=why,
    )


def after_failure(
    policy: RetryPolicy, request: PreparedRequest, number: int, exc: TransportError
) -> Decision:
    """Decide on a try that failed below HTTP: the decision to retry, or raise what it means."""
    decision = policy.decide(
        Attempt(request.method, number, exc.kind, replayable=request.replayable)
    )
    if decision.retry and not exc.final:
        return decision
    raise transport_exception(request, exc, decision.reason) from exc.cause


def after_answer(
    policy: RetryPolicy, request: PreparedRequest, number: int, response: RESTResponse
) -> Optional[Decision]:
    """Decide on an answer: a decision to retry it, or ``None`` to keep it."""
    status = response.status
    if status not in policy.retry_statuses:
        return None
    decision = policy.decide(
        Attempt(
            request.method,
            number,
            FailureKind.STATUS,
            status,
            response.getheader("Retry-After"),
            replayable=request.replayable,
        )
    )
    return decision if decision.retry else None


def debugging(config: Configuration) -> bool:
    """Whether each answer is logged with its time (``config.debug`` or DEBUG logging)."""
    return config.debug or logger.isEnabledFor(logging.DEBUG)


def log_answer(
    config: Configuration,
    request: PreparedRequest,
    response: RESTResponse,
    started: float,
    number: int,
) -> None:
    """Log one answer: status, time since ``started`` (``perf_counter``), attempt number."""
    client_log(
        config,
        logging.DEBUG,
        "%s %s -> %s in %.1f ms (attempt %d)",
        request.method,
        request.url,
        response.status,
        (time.perf_counter() - started) * 1000,
        number,
    )


def log_retry(config: Configuration, request: PreparedRequest, decision: Decision) -> None:
    """Log that ``request`` is tried again, and why."""
    client_log(
        config, logging.INFO, "retrying %s %s: %s", request.method, request.url, decision.reason
    )


def send(
    transport: Transport,
    request: PreparedRequest,
    *,
    policy: RetryPolicy,
    config: Configuration,
    sleep: Callable[[float], None],
) -> RESTResponse:
    """Send ``request`` with the retries ``policy`` allows. Every failure leaves as ApiException."""
    number = 1
    debug = debugging(config)
    while True:
        started = time.perf_counter() if debug else 0.0
        try:
            response = transport.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                body=request.body,
                _request_timeout=request.timeout,
                preload_content=request.preload,
            )
        except TransportError as exc:
            decision = after_failure(policy, request, number, exc)
        else:
            if debug:
                log_answer(config, request, response, started, number)
            answered = after_answer(policy, request, number, response)
            if answered is None:
                return response
            decision = answered
            if not request.preload:
                # The connection goes back to the pool for the next try.
                response.response.drain_conn()
                response.response.release_conn()
        log_retry(config, request, decision)
        sleep(decision.wait)
        number += 1
