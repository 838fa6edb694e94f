"""Functions run in worker processes by test_reports_across_processes.py (importable by name)."""

from __future__ import annotations

from typing import Any, List

import openapi_client


def numbers(count: int, start: int = 0) -> List[str]:
    return [f"4477{i:08d}" for i in range(start, start + count)]


def failing_chunked_send(url: str, token: str, count: int) -> Any:
    """A chunked send whose second chunk the sandbox refuses (402): raises ChunkedSendError."""
    config = openapi_client.Configuration(host=url, api_key={"JWT": token})
    with openapi_client.ApiClient(config) as client:
        api = openapi_client.BatchMessagesApi(client)
        message = openapi_client.BatchMessage(
            sender="Acme", destinations=numbers(count), content="worker"
        )
        return api.batch_send_many(message, chunk_size=count // 2)
