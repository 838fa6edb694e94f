"""Measure one implementation on one workload, in this (fresh) process, and print JSON.

Started by ``benchmarks.run`` as ``python -m benchmarks.runner '<json spec>'``; the spec names
``impl`` (ours | raw | generated | ours-async | generated-asyncio | httpx), ``workload``
(send5000 | any5000 | get5000 | small | rss, and for the async implementations small-async |
send5000-async | get5000-async | chunked100k-<n>, which ``ours`` runs too), ``url``, ``size``,
``iterations``, ``calls`` and ``concurrency`` (for the small workloads), ``recipients``,
``chunk_size`` and ``in_flight`` (for a chunked send) and, for the generated clients,
``gen_path``. The process imports the implementation, builds one client, runs the workload
once to warm up (a chunked send warms up with one chunk), then times ``iterations`` runs with
``time.perf_counter``. An async implementation (``ASYNC = True`` in its module) runs all of
that inside one ``asyncio.run``.

The last line of stdout is a JSON object: ``{"times": [seconds, ...]}`` (per call for the small
workloads), ``{"maxrss_mb": float, "after_import_mb": float}`` for ``rss``,
``{"unavailable": "..."}`` when the implementation cannot run here, or ``{"error": "..."}``.

Kept to the standard library on purpose: whatever this module imports is charged to every
implementation's memory and start-up alike.
"""

import importlib
import json
import sys
import time
from typing import Any, Awaitable, Callable, Dict, List, Tuple

from benchmarks import Unavailable

Run = Callable[[], None]
AsyncRun = Callable[[], Awaitable[None]]


def _maxrss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def _chunked(spec: Dict[str, Any]) -> Tuple[List[str], int, int]:
    from benchmarks import data

    recipients = data.distinct_destinations(int(spec["recipients"]))
    return recipients, int(spec["chunk_size"]), int(spec["in_flight"])


def _workload(spec: Dict[str, Any], client: Any) -> Tuple[Run, Run]:
    """The timed run and its warm-up, for a sync implementation."""
    size = int(spec["size"])
    name = spec["workload"]
    if name.startswith("chunked"):
        recipients, chunk_size, in_flight = _chunked(spec)

        def send(part: List[str], limit: int) -> None:
            if client.send_chunked(part, chunk_size, limit) != len(part):
                raise AssertionError("not every recipient was sent")

        return (
            lambda: send(recipients, in_flight),
            lambda: send(recipients[:chunk_size], 1),
        )
    run = _workload_run(name, size, spec, client)
    return run, run


def _workload_run(name: str, size: int, spec: Dict[str, Any], client: Any) -> Run:
    from benchmarks import data

    if name == "send5000":
        dests = data.destinations(size)

        def run() -> None:
            if client.send_batch(dests) != "1":
                raise AssertionError("unexpected batch id")

        return run
    if name == "any5000":
        rows = data.any_rows(size)

        def run() -> None:
            if client.send_any(rows) != "1":
                raise AssertionError("unexpected batch id")

        return run
    if name in ("get5000", "rss"):

        def run() -> None:
            records = client.get_batch(data.BIG_BATCH_ID)
            if len(records) != size:
                raise AssertionError(f"expected {size} records, got {len(records)}")

        return run
    if name == "small":
        calls = range(int(spec["calls"]))

        def run() -> None:
            for _ in calls:
                client.get_batch(data.SMALL_BATCH_ID)

        return run
    raise ValueError(f"unknown workload {name!r}")


def _async_workload(spec: Dict[str, Any], client: Any) -> Tuple[AsyncRun, AsyncRun]:
    """The timed run and its warm-up, for an async implementation."""
    from benchmarks import data
    from benchmarks.concurrency import gather_bounded

    size = int(spec["size"])
    name = spec["workload"]
    if name.startswith("chunked"):
        recipients, chunk_size, in_flight = _chunked(spec)

        async def send(part: List[str], limit: int) -> None:
            if await client.send_chunked(part, chunk_size, limit) != len(part):
                raise AssertionError("not every recipient was sent")

        async def chunked() -> None:
            await send(recipients, in_flight)

        async def one_chunk() -> None:
            await send(recipients[:chunk_size], 1)

        return chunked, one_chunk
    if name == "send5000-async":
        dests = data.destinations(size)

        async def send_batch() -> None:
            if await client.send_batch(dests) != "1":
                raise AssertionError("unexpected batch id")

        return send_batch, send_batch
    if name == "get5000-async":

        async def get_batch() -> None:
            records = await client.get_batch(data.BIG_BATCH_ID)
            if len(records) != size:
                raise AssertionError(f"expected {size} records, got {len(records)}")

        return get_batch, get_batch
    if name == "small-async":
        calls, limit = int(spec["calls"]), int(spec["concurrency"])

        async def small() -> None:
            answers = await gather_bounded(
                limit, (client.get_batch(data.SMALL_BATCH_ID) for _ in range(calls))
            )
            if any(len(records) != 1 for records in answers):
                raise AssertionError("expected 1 record per call")

        return small, small
    raise ValueError(f"unknown async workload {name!r}")


def _per_call(spec: Dict[str, Any]) -> int:
    return int(spec["calls"]) if spec["workload"] in ("small", "small-async") else 1


async def _measure_async(module: Any, spec: Dict[str, Any]) -> Dict[str, Any]:
    async with module.Client(spec["url"]) as client:
        run, warm_up = _async_workload(spec, client)
        await warm_up()  # connections opened, caches and lazy imports filled
        per = _per_call(spec)
        times: List[float] = []
        clock = time.perf_counter
        for _ in range(int(spec["iterations"])):
            started = clock()
            await run()
            times.append((clock() - started) / per)
        return {"times": times}


def _profile(run: Callable[[], None], iterations: int) -> Dict[str, Any]:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(iterations):
        run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows: List[Dict[str, Any]] = []
    total = 0.0
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        rows.append(
            {
                "where": f"{filename}:{line}:{func}",
                "calls": ncalls,
                "tottime": tottime,
                "cumtime": cumtime,
            }
        )
    return {"total": total, "rows": rows}


def measure(spec: Dict[str, Any]) -> Dict[str, Any]:
    gen_path = spec.get("gen_path")
    if gen_path:
        sys.path.insert(0, gen_path)
    module = importlib.import_module("benchmarks.impl_" + spec["impl"].replace("-", "_"))
    if getattr(module, "ASYNC", False):
        import asyncio

        result: Dict[str, Any] = asyncio.run(_measure_async(module, spec))
        return result
    imported_mb = _maxrss_mb()
    client = module.Client(spec["url"])
    try:
        run, warm_up = _workload(spec, client)
        warm_up()  # connection opened, caches and lazy imports filled
        if spec["workload"] == "rss":
            run()
            return {"maxrss_mb": _maxrss_mb(), "after_import_mb": imported_mb}
        iterations = int(spec["iterations"])
        if spec.get("profile"):
            return {"profile": _profile(run, iterations)}
        per = _per_call(spec)
        times: List[float] = []
        clock = time.perf_counter
        for _ in range(iterations):
            started = clock()
            run()
            times.append((clock() - started) / per)
        return {"times": times}
    finally:
        client.close()


def main(argv: List[str]) -> int:
    spec = json.loads(argv[1])
    try:
        result = measure(spec)
    except Unavailable as exc:
        print(json.dumps({"unavailable": str(exc)}))
        return 0
    except Exception as exc:
        message = " ".join(str(exc).split())
        print(json.dumps({"error": f"{type(exc).__name__}: {message[:300]}"}))
        return 3
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
