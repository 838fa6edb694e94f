"""The asyncio send loop: ``_sending.send`` with an awaited transport and ``asyncio.sleep``.

What to do after each try (retry, keep the answer, or raise what a failure means) is decided by
the same ``after_failure``/``after_answer`` the sync loop calls; only the waiting differs.

A ``CancelledError`` (the task was cancelled, or ``asyncio.timeout``/``asyncio.wait_for`` ran
out) is not a failure of the request: it passes through unchanged, and the transport has closed
the connection it was using, so the client stays usable.
"""

from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Mapping, Optional, Protocol

from .._operation import PreparedRequest
from .._retry import RetryPolicy
from .._sending import after_answer, after_failure, debugging, log_answer, log_retry
from ..configuration import Configuration
from ..rest import RESTResponse, TransportError

__all__ = ["AsyncTransport", "send"]


class AsyncTransport(Protocol):
    """What sends one request: ``AsyncRESTClientObject``, or a fake in tests (see ``Transport``)."""

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
    ) -> RESTResponse: ...


async def send(
    transport: AsyncTransport,
    request: PreparedRequest,
    *,
    policy: RetryPolicy,
    config: Configuration,
    sleep: Callable[[float], Awaitable[None]],
) -> RESTResponse:
    """Send ``request`` with the retries ``policy`` allows. Every failure leaves as ApiException."""
    number = 1
    debug = debugging(config)
    while True:
        started = time.perf_counter() if debug else 0.0
        try:
            response = await transport.request(
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
                # An unread streamed answer is closed; the next try opens what it needs.
                await response.response.aclose()
        log_retry(config, request, decision)
        await sleep(decision.wait)
        number += 1
