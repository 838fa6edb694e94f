"""Run coroutines with at most ``limit`` of them in flight, as the async workloads need.

A separate module so that ``asyncio`` is imported only by the processes that measure an async
implementation: a sync measurement must not pay for it.
"""

import asyncio
from typing import Awaitable, Iterable, List, TypeVar

T = TypeVar("T")


async def gather_bounded(limit: int, calls: Iterable[Awaitable[T]]) -> List[T]:
    """``asyncio.gather`` over ``calls`` behind a semaphore of ``limit``; results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(call: Awaitable[T]) -> T:
        async with gate:
            return await call

    return await asyncio.gather(*(one(call) for call in calls))


def chunks(items: List[str], size: int) -> List[List[str]]:
    """``items`` cut into consecutive pieces of at most ``size``."""
    return [items[start : start + size] for start in range(0, len(items), size)]
