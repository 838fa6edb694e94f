"""An asyncio client needs only its own send loop: preparing and interpreting are shared.

These tests drive the asyncio transport with a loop written here over ``ApiClient._prepare``,
``_sending.after_failure`` / ``after_answer`` and ``ApiClient._answer``, against real servers on
127.0.0.1, and check it behaves as the sync client does: a replayable search is retried, a text
that timed out is sent once and raised as an unknown outcome.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fault_server import Fault, FaultServer
from operation_examples import EXAMPLES

import openapi_client as oc
from openapi_client._operation import PreparedRequest
from openapi_client._registry import OPERATIONS
from openapi_client._retry import RetryPolicy
from openapi_client._sending import after_answer, after_failure
from openapi_client.aio._transport import AsyncRESTClientObject
from openapi_client.exceptions import SendOutcomeUnknownTimeoutError
from openapi_client.rest import RESTResponse, TransportError


async def send_async(transport: Any, request: PreparedRequest, policy: RetryPolicy) -> RESTResponse:
    """The async twin of ``_sending.send``: the same decisions, awaited I/O, no real sleep."""
    number = 1
    while True:
        try:
            response: RESTResponse = await transport.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                body=request.body,
                _request_timeout=request.timeout,
                preload_content=True,
            )
        except TransportError as exc:
            after_failure(policy, request, number, exc)  # raises when no retry is left
        else:
            if after_answer(policy, request, number, response) is None:
                return response
        await asyncio.sleep(0)
        number += 1


def run(url: str, name: str) -> Any:
    config = oc.Configuration(host=url, api_key={"JWT": "t"}, timeout=(0.5, 0.5))
    client = oc.ApiClient(config)
    op = OPERATIONS[name]
    example = EXAMPLES[name]
    path = {k: v for k, v in example.kwargs.items() if k != op.body_name}
    body = example.kwargs.get(op.body_name) if op.body_name else None
    request = client._prepare(op, path, body, True, {})

    async def main() -> Any:
        transport = AsyncRESTClientObject(config)
        try:
            response = await send_async(transport, request, RetryPolicy())
        finally:
            await transport.aclose()
        return client._answer(response, op.responses, request).data

    try:
        return asyncio.run(main())
    finally:
        client.close()


@pytest.mark.timeout(30)
def test_an_async_loop_retries_a_search_answered_503() -> None:
    with FaultServer(Fault("ok", body=[{"messageid": "1"}]), script=["503"]) as server:
        records = run(server.url, "messages_post")
        assert [r.messageid for r in records] == ["1"]
        assert server.request_count == 2


@pytest.mark.timeout(30)
def test_an_async_loop_sends_a_timed_out_text_once() -> None:
    with FaultServer("no_headers", hold=5.0) as server:
        with pytest.raises(SendOutcomeUnknownTimeoutError):
            run(server.url, "message_send_post")
        assert not server.wait_for_requests(2, timeout=0.3)
        assert server.request_count == 1
