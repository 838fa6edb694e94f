"""The async floor: ``httpx.AsyncClient`` and json, no models, written as a competent user would.

One client reused across calls, its keep-alive pool as large as the most connections the
workloads open at once (httpx keeps only 20 idle by default, which would close and reopen
connections between bursts of 50), bodies encoded with ``json.dumps(...).encode()``, responses
decoded with ``json.loads``, the status checked on every call. A chunked send is the loop a user
would write: the recipients cut into batches, at most ``in_flight`` requests at once.
"""

import importlib.util
import json
from types import TracebackType
from typing import Any, Dict, List, Optional, Type

from benchmarks import Unavailable, data
from benchmarks.concurrency import chunks, gather_bounded

if importlib.util.find_spec("httpx") is None:
    raise Unavailable("httpx is not installed (pip install httpx)")

import httpx

ASYNC = True
_POOL = 64


class Client:
    def __init__(self, url: str) -> None:
        self.client = httpx.AsyncClient(
            base_url=url,
            headers={
                "Authorization": data.AUTH_HEADER,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            limits=httpx.Limits(max_connections=_POOL, max_keepalive_connections=_POOL),
            timeout=httpx.Timeout(60.0, connect=5.0),
        )

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

    async def _call(self, method: str, path: str, payload: Any = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        resp = await self.client.request(method, path, content=body)
        if resp.status_code >= 300:
            raise RuntimeError(f"HTTP {resp.status_code}: {resp.content[:200]!r}")
        return json.loads(resp.content)

    async def send_batch(self, destinations: List[str]) -> str:
        payload = {"sender": data.SENDER, "destinations": destinations, "content": data.CONTENT}
        result: Dict[str, Any] = await self._call("POST", "/batch/send", payload)
        return str(result["batchid"])

    async def get_batch(self, batchid: str) -> List[Dict[str, Any]]:
        records: List[Dict[str, Any]] = await self._call("GET", "/batch/" + batchid)
        return records

    async def send_chunked(self, destinations: List[str], chunk_size: int, in_flight: int) -> int:
        parts = chunks(destinations, chunk_size)
        ids = await gather_bounded(in_flight, (self.send_batch(part) for part in parts))
        if any(batchid != "1" for batchid in ids):
            raise AssertionError("unexpected batch id")
        return sum(len(part) for part in parts)
