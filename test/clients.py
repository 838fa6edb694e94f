"""One test, both clients: call an operation by name on the sync or the async client.

``Caller(kind, configuration)`` runs ``call(name, variant, **arguments)`` on ``openapi_client``'s
API classes (``kind="sync"``) or on ``openapi_client.aio``'s (``kind="async"``, each call in its
own ``asyncio.run`` with a fresh client, closed after) and returns what the method returned, or
raises what it raised. The one difference a test must not see is normalised: the
``*_without_preload_content`` variant gives a ``Raw`` (status, body read to the end) for both.
Waits between retries are instant and recorded in ``waits``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, List, Optional

from fakes import AsyncFakeTransport, FakeTransport

import openapi_client as oc
from openapi_client import aio
from openapi_client._registry import API_CLASSES, OPERATIONS

#: The two clients every shared test runs against.
KINDS = ("sync", "async")

RAW = "_without_preload_content"


@dataclass(frozen=True)
class Raw:
    """An undecoded answer, as either client's raw variant gave it."""

    status: int
    data: bytes


class Caller:
    """Calls operations by name on one kind of client; see the module docstring."""

    def __init__(
        self,
        kind: str,
        configuration: oc.Configuration,
        *,
        transport: Optional[FakeTransport] = None,
    ) -> None:
        assert kind in KINDS, kind
        self.kind = kind
        self.configuration = configuration
        self.transport = transport
        self.waits: List[float] = []
        self.client: Optional[oc.ApiClient] = None
        if kind == "sync":
            self.client = oc.ApiClient(configuration, transport=transport)
            self.client.sleep = self.waits.append  # type: ignore[method-assign,assignment]

    def call(self, name: str, variant: str = "", /, *args: Any, **arguments: Any) -> Any:
        """Run operation ``name`` (with ``variant``, e.g. ``"_with_http_info"``)."""
        if self.client is not None:
            api = API_CLASSES[OPERATIONS[name].api](self.client)
            result = getattr(api, name + variant)(*args, **arguments)
            return Raw(result.status, result.data) if variant == RAW else result
        return asyncio.run(self._call_async(name, variant, args, arguments))

    async def _call_async(self, name: str, variant: str, args: Any, arguments: Any) -> Any:
        transport = None if self.transport is None else AsyncFakeTransport(self.transport)
        async with aio.ApiClient(self.configuration, transport=transport) as client:

            async def sleep(seconds: float) -> None:
                self.waits.append(seconds)

            client.sleep = sleep  # type: ignore[method-assign]
            api = getattr(aio, OPERATIONS[name].api)(client)
            result = await getattr(api, name + variant)(*args, **arguments)
            if variant != RAW:
                return result
            if hasattr(result, "aread"):  # an httpx.Response, read and closed here
                try:
                    return Raw(result.status_code, await result.aread())
                finally:
                    await result.aclose()
            return Raw(result.status, result.data)  # a fake transport's stand-in

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
