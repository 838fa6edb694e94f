"""The asyncio ``ApiClient``: the sync client's request path with an awaited send.

Preparing a request (URL, body checks, headers, the token) and interpreting its answer (typed
errors, decoding) are ``BaseApiClient``'s, the very code the sync client runs; this class adds
the httpx transport (``AsyncRESTClientObject``) and the send loop of ``aio._sending``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, Mapping, Optional, TypeVar

from typing_extensions import Unpack

from .._operation import Operation, PreparedRequest, RequestOptions
from ..api_client import _UNSET, BaseApiClient
from ..api_response import ApiResponse
from ..rest import RESTResponse
from . import _sending
from ._transport import AsyncRESTClientObject

if TYPE_CHECKING:
    import httpx

__all__ = ["ApiClient"]

R = TypeVar("R")


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


class ApiClient(BaseApiClient[_sending.AsyncTransport]):
    """Talks HTTP to The SMS Works for the async API classes, over httpx.

    Takes the sync ``ApiClient``'s arguments. Use it as ``async with``, or ``await close()``,
    to release its connections. Share one client between the tasks of one event loop: its
    connections belong to the loop that opened them.
    """

    #: How retries wait; tests replace it to make waits instant without changing the policy.
    sleep: Callable[[float], Awaitable[None]] = staticmethod(_sleep)

    _default: Any = None

    def _new_transport(self) -> _sending.AsyncTransport:
        return AsyncRESTClientObject(self.configuration)

    # -- lifecycle --------------------------------------------------------------------------

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Release every pooled connection; the client stays usable."""
        clear = getattr(self.rest_client, "clear", None)
        if clear is not None:
            await clear()

    async def aclose(self) -> None:
        """The same as :meth:`close`."""
        await self.close()

    # -- the request path: prepare, send, interpret ----------------------------------------

    async def _request(
        self,
        op: Operation[Any, R],
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        body: object = None,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[R]:
        """Run ``op`` and decode its answer."""
        request = self._prepare(op, path_params, body, True, options)
        answer = await self._send(request)
        return self._answer(answer, op.responses, request)

    async def _request_raw(
        self,
        op: Operation[Any, Any],
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        body: object = None,
        **options: Unpack[RequestOptions],
    ) -> httpx.Response:
        """Run ``op``; the open ``httpx.Response``, its body unread, whatever its status."""
        request = self._prepare(op, path_params, body, False, options)
        answer = await self._send(request)
        response: httpx.Response = answer.response
        return response

    async def _send(self, request: PreparedRequest) -> RESTResponse:
        """Send with retries. Every failure leaves here as an ``ApiException``."""
        return await _sending.send(
            self.rest_client,
            request,
            policy=self._retry_policy,
            config=self.configuration,
            sleep=self.sleep,
        )

    async def call_api(
        self,
        method: str,
        url: str,
        header_params: Optional[Dict[str, str]] = None,
        body: Any = None,
        post_params: Any = None,
        _request_timeout: Any = _UNSET,
    ) -> RESTResponse:
        """As the sync ``ApiClient.call_api``, awaited; the answer comes back already read."""
        return await self._send(
            self._call_request(method, url, header_params, body, _request_timeout)
        )
