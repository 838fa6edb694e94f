"""openapi_client's asyncio client (``openapi_client.aio``), used as its docs show.

``async with aio.ApiClient(cfg) as c``, ``aio.BatchMessagesApi(c)``, the same method names as
the sync client, awaited; a chunked send is ``batch_send_many(..., max_in_flight=N)``.
"""

import importlib.util
from types import TracebackType
from typing import Any, List, Optional, Type

from benchmarks import Unavailable, data

if importlib.util.find_spec("httpx") is None:
    raise Unavailable('httpx is not installed (pip install "smsworks[async]")')

import openapi_client
from openapi_client import aio as _aio

if not hasattr(_aio, "ApiClient"):
    raise Unavailable("this openapi_client has no openapi_client.aio.ApiClient")
# Typed loosely so that this file type-checks before and after the async client exists.
aio: Any = _aio

ASYNC = True


class Client:
    def __init__(self, url: str) -> None:
        self.config = openapi_client.Configuration(host=url, api_key={"JWT": data.AUTH_HEADER})
        self.client: Any = aio.ApiClient(self.config)
        self.api: Any = None

    async def __aenter__(self) -> "Client":
        self.api = aio.BatchMessagesApi(await self.client.__aenter__())
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.client.__aexit__(exc_type, exc, tb)

    async def send_batch(self, destinations: List[str]) -> str:
        message = openapi_client.BatchMessage(
            sender=data.SENDER, destinations=destinations, content=data.CONTENT
        )
        return str((await self.api.batch_send_post(message)).batchid)

    async def get_batch(self, batchid: str) -> Any:
        return await self.api.batch_batchid_get(batchid)

    async def send_chunked(self, destinations: List[str], chunk_size: int, in_flight: int) -> int:
        message = openapi_client.BatchMessage(
            sender=data.SENDER, destinations=destinations, content=data.CONTENT
        )
        report = await self.api.batch_send_many(message, chunk_size, max_in_flight=in_flight)
        return sum(len(chunk) for chunk in report.chunks)
