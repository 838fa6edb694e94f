"""Measure one implementation on one workload, in this (fresh) process, and print JSON.

Started by ``benchmarks.run`` as ``python -m benchmarks.runner '<json spec>'``; the spec names
``impl`` (ours | raw | generated), ``workload`` (send5000 | any5000 | get5000 | small | rss),
``url``, ``size``, ``iterations``, ``calls`` (for ``small``) and, for ``generated``,
``gen_path``. The process imports the implementation, builds one client, runs the workload
once to warm up, then times ``iterations`` runs with ``time.perf_counter``.

The last line of stdout is a JSON object: ``{"times": [seconds, ...]}`` (per call for
``small``), ``{"maxrss_mb": float, "after_import_mb": float}`` for ``rss``, or
``{"error": "..."}``.

Kept to the standard library on purpose: whatever this module imports is charged to every
implementation's memory and start-up alike.
"""

import importlib
import json
import sys
import time
from typing import Any, Callable, Dict, List


def _maxrss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def _workload(spec: Dict[str, Any], client: Any) -> Callable[[], None]:
    from benchmarks import data

    size = int(spec["size"])
    name = spec["workload"]
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
    module = importlib.import_module("benchmarks.impl_" + spec["impl"])
    imported_mb = _maxrss_mb()
    client = module.Client(spec["url"])
    try:
        run = _workload(spec, client)
        run()  # warm-up: connection opened, caches and lazy imports filled
        if spec["workload"] == "rss":
            run()
            return {"maxrss_mb": _maxrss_mb(), "after_import_mb": imported_mb}
        iterations = int(spec["iterations"])
        if spec.get("profile"):
            return {"profile": _profile(run, iterations)}
        per = int(spec["calls"]) if spec["workload"] == "small" else 1
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
    except Exception as exc:
        message = " ".join(str(exc).split())
        print(json.dumps({"error": f"{type(exc).__name__}: {message[:300]}"}))
        return 3
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
