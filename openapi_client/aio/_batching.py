"""Chunked sends for asyncio: the sync ``SendPlan``, driven by tasks.

The checks, the chunking and every entry of the report are ``_batching.SendPlan``'s, exactly as
for the sync client; this module is only the loop its docstring describes, with one task per
chunk in flight and ``asyncio.wait`` in place of a thread pool.

A cancellation (``task.cancel()``, ``asyncio.timeout``, ``asyncio.wait_for``) freezes the plan
before anything else: the chunks in flight stay uncertain in the report, whatever their tasks
do after, and those tasks are cancelled and waited for so that none outlives the call. The
``CancelledError`` then leaves unchanged, with the report on its ``report`` attribute.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, Optional, Set

from .._batching import ChunkedSendReport, ChunkResult, ProgressInfo, SendPlan, _attach
from ..exceptions import ChunkedSendError

__all__ = ["run"]


async def run(
    plan: SendPlan,
    send: Callable[..., Awaitable[Any]],
    progress: Optional[Callable[[ProgressInfo], None]],
    call_kwargs: Dict[str, Any],
) -> ChunkedSendReport:
    """Drive ``plan`` with up to ``plan.max_in_flight`` chunks in flight, one task each."""

    async def work(chunk: ChunkResult) -> None:
        try:
            answer = await send(plan.body(chunk), **call_kwargs)
        except Exception as exc:  # recorded here; the loop raises for it in finish()
            plan.failed(chunk, exc)
            return
        plan.succeeded(chunk, answer)

    running: Set[asyncio.Task[None]] = set()
    seen = 0
    try:
        while True:
            while len(running) < plan.max_in_flight:
                chunk = plan.next_chunk()
                if chunk is None:
                    break
                running.add(asyncio.ensure_future(work(chunk)))
            if not running:
                break
            _, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            if progress is not None:
                for info in plan.progress_since(seen):
                    seen += 1
                    progress(info)
        return plan.finish()
    except ChunkedSendError:
        raise
    except BaseException as exc:
        # Frozen first: from here an answer that still arrives changes nothing in the report.
        report = plan.interrupted(exc)
        for task in running:
            task.cancel()
        if running:
            # Each ends at its next await; none is left running when the call has returned.
            await asyncio.wait(running)
        _attach(exc, report)
        raise
