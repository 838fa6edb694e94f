"""openapi-generator's ``library=asyncio`` client (on aiohttp), generated from openapi.yaml.

The runner puts the cached generated package (``smsworks_generated_asyncio``) on ``sys.path``
before importing this module. It has no chunked send, so a chunked send is the loop a user
would write over ``batch_send_post``: batches of ``chunk_size``, at most ``in_flight`` at once.
"""

import importlib.util
from types import TracebackType
from typing import Any, List, Optional, Type

from benchmarks import Unavailable, data
from benchmarks.concurrency import chunks, gather_bounded

for _needed in ("aiohttp", "aiohttp_retry"):
    if importlib.util.find_spec(_needed) is None:
        raise Unavailable(
            f"{_needed} is not installed (the generated asyncio client runs on it:"
            " pip install aiohttp aiohttp-retry)"
        )

import smsworks_generated_asyncio as gen  # type: ignore[import-not-found]  # noqa: E402

ASYNC = True


def _batchid(response: Any) -> str:
    # A ``oneOf`` (string or number) in the document becomes a wrapper class whose value is
    # in ``actual_instance``; a plain string field stays a string.
    batchid = response.batchid
    return str(getattr(batchid, "actual_instance", batchid))


class Client:
    def __init__(self, url: str) -> None:
        # debug=False keeps the generated Configuration from switching on DEBUG logging.
        cfg = gen.Configuration(
            host=url, api_key={"JWT": "x"}, api_key_prefix={"JWT": "JWT"}, debug=False
        )
        self.client = gen.ApiClient(cfg)
        self.api = gen.BatchMessagesApi(self.client)

    async def __aenter__(self) -> "Client":
        await self.client.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.client.__aexit__(exc_type, exc, tb)

    async def send_batch(self, destinations: List[str]) -> str:
        message = gen.BatchMessage(
            sender=data.SENDER, destinations=destinations, content=data.CONTENT
        )
        return _batchid(await self.api.batch_send_post(message))

    async def get_batch(self, batchid: str) -> Any:
        return await self.api.batch_batchid_get(batchid)

    async def send_chunked(self, destinations: List[str], chunk_size: int, in_flight: int) -> int:
        parts = chunks(destinations, chunk_size)
        ids = await gather_bounded(in_flight, (self.send_batch(part) for part in parts))
        if any(batchid != "1" for batchid in ids):
            raise AssertionError("unexpected batch id")
        return sum(len(part) for part in parts)
