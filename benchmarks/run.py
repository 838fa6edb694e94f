"""Benchmark openapi_client against bare urllib3, bare httpx and openapi-generator's clients.

Usage (from the repository root)::

    python -m benchmarks                     # full run: 5 rounds, every sync workload
    python -m benchmarks --async             # the same for the async workloads
    python -m benchmarks --quick             # seconds, tiny sizes: checks the harness only
    python -m benchmarks --only get5000,small --rounds 9 --json out.json
    python -m benchmarks --profile get5000   # where openapi_client spends its time

Every measurement runs in a fresh process. Each round runs every selected workload once per
implementation, in an order rotated from round to round so that no implementation always goes
first; the table shows the median over rounds. See docs/Performance.md.
"""

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

if __package__ in (None, ""):  # run as ``python benchmarks/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import generated

ROOT = Path(__file__).resolve().parent.parent
SYNC_IMPLS = ("ours", "raw", "generated")
ASYNC_IMPLS = ("ours-async", "generated-asyncio", "httpx")
IMPLS = SYNC_IMPLS + ASYNC_IMPLS
#: openapi-generator's HTTP library behind each generated implementation.
GENERATED = {"generated": "urllib3", "generated-asyncio": "asyncio"}
WORKLOADS = ("send5000", "any5000", "get5000", "small", "import", "rss")
IN_FLIGHT = (1, 4, 8)
CHUNKED = tuple(f"chunked100k-{n}" for n in IN_FLIGHT)
ASYNC_WORKLOADS = ("small-async", "send5000-async", "get5000-async", *CHUNKED)
ALL_WORKLOADS = WORKLOADS + ASYNC_WORKLOADS
#: The implementations that run each workload; ``ours`` sends the chunked ones from its
#: thread pool, next to the async client.
RUNS_ON: Dict[str, Tuple[str, ...]] = {
    **dict.fromkeys(WORKLOADS, SYNC_IMPLS),
    **dict.fromkeys(ASYNC_WORKLOADS, ASYNC_IMPLS),
    **dict.fromkeys(CHUNKED, ("ours-async", "ours", "generated-asyncio", "httpx")),
}
IMPORT_STATEMENT = {
    # The names a send needs: ``import openapi_client`` alone loads them on first use.
    "ours": "from openapi_client import ApiClient, BatchMessage, BatchMessagesApi, Configuration",
    "raw": "import urllib3, json",
    "generated": "import " + generated.PACKAGE,
}
DESCRIPTION = {
    "send5000": "batch_send_post, one BatchMessage to N destinations (model built in the loop)",
    "any5000": "batch_any_post, N Messages with metadata (models built in the loop)",
    "get5000": "batch_batchid_get returning N MessageResponse records",
    "small": "batch_batchid_get returning 1 record, per call, one client",
    "import": "cold import in a fresh interpreter, minus a bare interpreter start",
    "rss": "peak RSS (ru_maxrss) of a process doing get5000",
    "small-async": "batch_batchid_get returning 1 record, N calls with 50 in flight, per call",
    "send5000-async": "batch_send_post awaited, one BatchMessage to N destinations",
    "get5000-async": "batch_batchid_get awaited, returning N MessageResponse records",
    **{
        name: f"100,000 recipients in chunks of 5,000, {n} in flight, server waits 200 ms a chunk"
        for name, n in zip(CHUNKED, IN_FLIGHT)
    },
}
# (baseline implementation, highest allowed ratio of ours to it); ours must also beat
# the generated client on every workload.
TARGETS: Dict[str, Tuple[str, float]] = {
    "small": ("raw", 1.0),
    "send5000": ("raw", 1.3),
    "any5000": ("raw", 1.0),
    "get5000": ("raw", 1.3),
    "import": ("generated", 0.5),
    "rss": ("raw", 1.2),
}
# Server routes hit by each workload (for the server-side cost line).
ROUTES = {"send5000": "send", "any5000": "any", "get5000": "get", "small": "get1", "rss": "get"}


class Settings:
    def __init__(self, args: argparse.Namespace) -> None:
        self.quick: bool = args.quick
        self.stat: str = args.stat
        self.rounds: int = args.rounds if args.rounds is not None else (1 if args.quick else 5)
        self.size: int = args.size if args.size is not None else (200 if args.quick else 5000)
        self.calls: int = 50 if args.quick else 1000
        self.concurrency: int = 10 if args.quick else 50
        # The chunked sends: a smaller send with the same number of chunks keeps --quick quick.
        self.recipients: int = 1000 if args.quick else 100_000
        self.chunk_size: int = 50 if args.quick else 5000
        self.delay: float = 0.02 if args.quick else 0.2
        self.import_pairs: int = 1 if args.quick else 3
        base = {
            "send5000": 20,
            "any5000": 6,
            "get5000": 6,
            "small": 3,
            "small-async": 3,
            "send5000-async": 20,
            "get5000-async": 6,
            **dict.fromkeys(CHUNKED, 1),
        }
        self.iterations: Dict[str, int] = {w: (2 if args.quick else n) for w, n in base.items()}
        if args.iterations is not None:
            self.iterations = dict.fromkeys(base, args.iterations)


# ----------------------------------------------------------------------------- processes


def _child_env(gen_path: Optional[Path]) -> Dict[str, str]:
    env = dict(os.environ)
    # Byte code must be cached, or every cold import would include compiling the package.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    paths = [str(ROOT)] + ([str(gen_path)] if gen_path else [])
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


class Server:
    """The loopback server (benchmarks/server.py) in its own process."""

    def __init__(self, records: int, delay: float = 0.0) -> None:
        command = [sys.executable, "-m", "benchmarks.server", "--records", str(records)]
        if delay:
            command += ["--delay-ms", str(delay * 1000.0)]
        self.proc = subprocess.Popen(
            command,
            cwd=str(ROOT),
            env=_child_env(None),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def _call(self, method: str, path: str) -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path)
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def reset(self) -> None:
        self._call("POST", "/_bench/reset")

    def stats(self) -> Dict[str, Dict[str, float]]:
        result: Dict[str, Dict[str, float]] = self._call("GET", "/_bench/stats")
        return result

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()


def run_child(spec: Dict[str, Any], gen_path: Optional[Path]) -> Dict[str, Any]:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.runner", json.dumps(spec)],
            cwd=str(ROOT),
            env=_child_env(gen_path),
            capture_output=True,
            timeout=900,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    lines = done.stdout.decode(errors="replace").strip().splitlines()
    try:
        result: Dict[str, Any] = json.loads(lines[-1])
    except (IndexError, ValueError):
        err = done.stderr.decode(errors="replace").strip().splitlines()
        last = (err or ["?"])[-1]
        return {"error": f"runner exited {done.returncode}: {last}"}
    return result


def _wall(command: List[str], env: Dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=str(ROOT), env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure_import(impl: str, pairs: int, gen_path: Optional[Path]) -> Dict[str, Any]:
    """Seconds a cold import adds to a fresh interpreter (median of ``pairs`` pairs)."""
    env = _child_env(gen_path)
    bare = [sys.executable, "-c", "pass"]
    loaded = [sys.executable, "-c", IMPORT_STATEMENT[impl]]
    try:
        bare_times, import_times = [], []
        for _ in range(pairs):
            bare_times.append(_wall(bare, env))
            import_times.append(_wall(loaded, env))
    except subprocess.CalledProcessError:
        return {"error": f"`{IMPORT_STATEMENT[impl]}` failed"}
    return {
        "times": [statistics.median(import_times) - statistics.median(bare_times)],
        "best": min(import_times) - min(bare_times),
    }


# ----------------------------------------------------------------------------- machine


def _first_line(command: List[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stdout or done.stderr).decode(errors="replace").strip()
    return text.splitlines()[0] if text else "?"


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def load_average() -> Optional[float]:
    """The 1-minute load average, or ``None`` where the OS does not report one."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def machine_info(with_java: bool) -> Dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ours = "?"
    init = ROOT / "openapi_client" / "_version.py"
    if init.is_file():
        found = re.search(r"__version__\s*=\s*[\"']([^\"']+)", init.read_text(encoding="utf-8"))
        ours = found.group(1) if found else "?"
    commit = _first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = _first_line(["git", "-C", str(ROOT), "status", "--porcelain", "--", "openapi_client"])
    info = {
        "commit": commit + (" (openapi_client modified)" if dirty not in ("?", "") else ""),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "openapi_client": ours,
        "urllib3": _version("urllib3"),
        "pydantic": _version("pydantic"),
        "pydantic-core": _version("pydantic-core"),
        "openapi-generator-cli": _version("openapi-generator-cli"),
        "httpx": _version("httpx"),
        "aiohttp": _version("aiohttp"),
    }
    if with_java:
        info["java"] = _first_line(["java", "-version"])
    return info


# ----------------------------------------------------------------------------- the run


def benchmark(
    settings: Settings,
    workloads: Sequence[str],
    impls: Sequence[str],
    gen_paths: Dict[str, Optional[Path]],
    servers: Dict[str, Server],
    log: Any,
    unavailable: Optional[Dict[str, str]] = None,
) -> Tuple[Dict[str, Dict[str, Dict[str, Any]]], Dict[str, List[float]]]:
    """Run every round; return per-workload, per-implementation samples and server costs.

    ``gen_paths`` maps a generated implementation to its package's directory; ``servers`` has
    ``"plain"`` and, for the chunked sends, ``"slow"`` (the one that waits before answering);
    ``unavailable`` maps an implementation known not to run here to the reason.
    """
    results: Dict[str, Dict[str, Dict[str, Any]]] = {
        w: {i: {"samples": [], "best": []} for i in impls if i in RUNS_ON[w]} for w in workloads
    }
    for reason_impl, reason in (unavailable or {}).items():
        for cells in results.values():
            if reason_impl in cells:
                cells[reason_impl]["unavailable"] = reason
    server_cost: Dict[str, List[float]] = {w: [] for w in workloads}
    gen_path = gen_paths.get("generated")
    # Each cell's "samples" holds one number per round; "best" the fastest iteration of it.
    if "import" in workloads and not settings.quick:
        # Compile byte code once, so that no round pays for it.
        for impl in results["import"]:
            measure_import(impl, 1, gen_path)
    for rnd in range(settings.rounds):
        shift = rnd % len(impls)
        order = list(impls[shift:]) + list(impls[:shift])
        log(f"round {rnd + 1}/{settings.rounds} ({', '.join(order)})")
        for workload in workloads:
            server = servers["slow" if workload in CHUNKED else "plain"]
            for impl in order:
                cell = results[workload].get(impl)
                # A failure, or a missing package, is not going to go away next round.
                if cell is None or "error" in cell or "unavailable" in cell:
                    continue
                if workload == "import":
                    outcome = measure_import(impl, settings.import_pairs, gen_path)
                else:
                    spec = {
                        "impl": impl,
                        "workload": workload,
                        "url": server.url,
                        "size": settings.size,
                        "iterations": settings.iterations.get(workload, 1),
                        "calls": settings.calls,
                        "concurrency": settings.concurrency,
                        "recipients": settings.recipients,
                        "chunk_size": settings.chunk_size,
                        "in_flight": IN_FLIGHT[CHUNKED.index(workload)]
                        if workload in CHUNKED
                        else 1,
                    }
                    server.reset()
                    outcome = run_child(spec, gen_paths.get(impl))
                    if impl == "raw" and workload in ROUTES:
                        stats = server.stats().get(ROUTES[workload])
                        if stats and stats["requests"]:
                            server_cost[workload].append(stats["seconds"] / stats["requests"])
                if "unavailable" in outcome:
                    cell["unavailable"] = outcome["unavailable"]
                elif "error" in outcome:
                    cell["error"] = outcome["error"]
                elif "maxrss_mb" in outcome:
                    cell["samples"].append(outcome["maxrss_mb"])
                    cell["best"].append(outcome["maxrss_mb"])
                else:
                    cell["samples"].append(statistics.median(outcome["times"]))
                    cell["best"].append(outcome.get("best", min(outcome["times"])))
    for per_impl in results.values():
        for cell in per_impl.values():
            if cell["samples"] and "error" not in cell:
                if settings.stat == "best":
                    cell["samples"], cell["medians"] = cell["best"], cell["samples"]
                cell["median"] = statistics.median(cell["samples"])
    return results, server_cost


# ----------------------------------------------------------------------------- the table


def _scale(workload: str) -> Tuple[str, float]:
    if workload in ("small", "small-async"):
        return "µs/call", 1e6
    if workload == "rss":
        return "MB", 1.0
    if workload in CHUNKED:
        return "s", 1.0
    return "ms", 1e3


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def _paired(cells: Dict[str, Dict[str, Any]], top: str, bottom: str) -> Optional[float]:
    """Median over rounds of ``top / bottom`` measured in the same round.

    The two were measured back to back, so a change of load between rounds moves both; the
    median of these ratios is steadier than the ratio of the two medians.
    """
    a, b = cells.get(top, {}), cells.get(bottom, {})
    if "median" not in a or "median" not in b:
        return None
    ratios = [x / y for x, y in zip(a["samples"], b["samples"]) if y > 0]
    return statistics.median(ratios) if ratios else None


def evaluate(results: Dict[str, Dict[str, Dict[str, Any]]]) -> Dict[str, Dict[str, Any]]:
    """Ratios and target verdicts per workload."""
    verdicts: Dict[str, Dict[str, Any]] = {}
    for workload, cells in results.items():
        if workload in ASYNC_WORKLOADS:
            verdicts[workload] = {
                "ours_async_over_generated_asyncio": _paired(
                    cells, "ours-async", "generated-asyncio"
                ),
                "ours_async_over_httpx": _paired(cells, "ours-async", "httpx"),
                "ours_async_over_ours": _paired(cells, "ours-async", "ours"),
            }
            continue
        base, limit = TARGETS[workload]
        ratio_base = _paired(cells, "ours", base)
        ratio_gen = _paired(cells, "ours", "generated")
        verdicts[workload] = {
            "ours_over_raw": _paired(cells, "ours", "raw"),
            "ours_over_generated": ratio_gen,
            "generated_over_raw": _paired(cells, "generated", "raw"),
            "target": f"<= {limit:.1f}x {base}",
            "target_met": None if ratio_base is None else ratio_base <= limit,
            "beats_generated": None if ratio_gen is None else ratio_gen < 1.0,
        }
    return verdicts


def _mark(ok: Optional[bool]) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def _cell_text(
    workload: str, impl: str, cell: Optional[Dict[str, Any]], factor: float, notes: List[str]
) -> str:
    """A table cell: the median in the row's unit, or a label pointing at a footnote.

    An implementation that cannot run here gets one note for all its cells; an error gets
    one per cell. A failure of a generated client is its own ("n/a"), not ours ("ERROR").
    """
    if cell is None:
        return "–"  # the implementation does not run this workload
    if "unavailable" in cell:
        note = "{}: not available: {}".format(impl, cell["unavailable"])
        if note not in notes:
            notes.append(note)
        return f"n/a [{notes.index(note) + 1}]"
    if "error" in cell:
        notes.append("{}/{}: {}".format(workload, impl, cell["error"]))
        label = "n/a" if impl in GENERATED else "ERROR"
        return f"{label} [{len(notes)}]"
    if "median" in cell:
        return _fmt(cell["median"] * factor)
    return "–"


def _spread(cells: Dict[str, Dict[str, Any]], impls: Sequence[str]) -> str:
    """Half the range over rounds, relative to the median, for the noisiest of ``impls``."""
    spreads = []
    for impl in impls:
        samples = cells.get(impl, {}).get("samples", [])
        if len(samples) > 1 and "error" not in cells[impl]:
            spreads.append((max(samples) - min(samples)) / statistics.median(samples))
    return "±%.0f%%" % (50 * max(spreads)) if spreads else "–"


def _align(rows: List[List[str]]) -> str:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells_text = [
            row[c].ljust(widths[c]) if c < 2 else row[c].rjust(widths[c]) for c in range(len(row))
        ]
        lines.append("  ".join(cells_text).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _times(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}×"


def render_async(
    results: Dict[str, Dict[str, Dict[str, Any]]],
    verdicts: Dict[str, Dict[str, Any]],
    impls: Sequence[str],
    notes: List[str],
) -> str:
    """The async table: ours-async next to generated-asyncio, bare httpx and, for the
    chunked sends, the sync client's thread pool. Appends its footnotes to ``notes``."""
    columns = [i for i in ("ours-async", "generated-asyncio", "httpx", "ours") if i in impls]
    header = ["workload", "unit", *columns, "async/gen", "async/httpx", "async/sync", "spread"]
    rows = [header]
    for workload, cells in results.items():
        if workload not in ASYNC_WORKLOADS:
            continue
        unit, factor = _scale(workload)
        row = [workload, unit]
        row += [_cell_text(workload, i, cells.get(i), factor, notes) for i in columns]
        verdict = verdicts[workload]
        row.append(_times(verdict["ours_async_over_generated_asyncio"]))
        row.append(_times(verdict["ours_async_over_httpx"]))
        row.append(_times(verdict["ours_async_over_ours"]))
        row.append(_spread(cells, ("ours-async", "httpx")))
        rows.append(row)
    return _align(rows)


def render(
    results: Dict[str, Dict[str, Dict[str, Any]]],
    verdicts: Dict[str, Dict[str, Any]],
    impls: Sequence[str],
) -> Tuple[str, List[str]]:
    """The tables as text, and the footnotes explaining every n/a or error cell."""
    notes: List[str] = []
    tables = []
    if any(w in WORKLOADS for w in results):
        tables.append(render_sync(results, verdicts, [i for i in impls if i in SYNC_IMPLS], notes))
    if any(w in ASYNC_WORKLOADS for w in results):
        tables.append(render_async(results, verdicts, impls, notes))
    return "\n\n".join(tables), notes


def render_sync(
    results: Dict[str, Dict[str, Dict[str, Any]]],
    verdicts: Dict[str, Dict[str, Any]],
    impls: Sequence[str],
    notes: List[str],
) -> str:
    """The sync table: ours next to raw urllib3 and the generated client, with the targets."""
    header = ["workload", "unit", *list(impls), "ours/raw", "ours/gen", "target", "vs gen"]
    header.append("spread")
    rows = [header]
    for workload, cells in results.items():
        if workload not in WORKLOADS:
            continue
        unit, factor = _scale(workload)
        row = [workload, unit]
        row += [_cell_text(workload, i, cells.get(i), factor, notes) for i in impls]
        verdict = verdicts[workload]
        for key in ("ours_over_raw", "ours_over_generated"):
            row.append("–" if verdict[key] is None else f"{verdict[key]:.2f}×")
        base, limit = TARGETS[workload]
        row.append(
            "≤{:.1f}× {} {}".format(
                limit, "gen" if base == "generated" else base, _mark(verdict["target_met"])
            )
        )
        row.append("< gen {}".format(_mark(verdict["beats_generated"])))
        row.append(_spread(cells, ("ours", "raw")))
        rows.append(row)
    return _align(rows)


def server_line(
    server_cost: Dict[str, List[float]], results: Dict[str, Dict[str, Dict[str, Any]]]
) -> str:
    parts = []
    for workload, costs in server_cost.items():
        raw = results.get(workload, {}).get("raw", {}).get("median")
        if not costs or not raw:
            continue
        cost = statistics.median(costs)
        unit, factor = _scale(workload)
        parts.append(
            "{} {} {} ({:.0f}% of raw)".format(
                workload, _fmt(cost * factor), unit.split("/")[0], 100 * cost / raw
            )
        )
    if not parts:
        return ""
    return "server-side time per request (upper bound, incl. socket waits): " + "; ".join(parts)


# ----------------------------------------------------------------------------- profiling


def _short(where: str) -> str:
    where = where.replace(str(ROOT) + os.sep, "")
    return re.sub(r"^.*?(site-packages|lib/python[0-9.]+)/", "", where)


def _profile_line(share: float, row: Dict[str, Any]) -> str:
    return f"  {100 * share:5.1f}%  {row['calls']:8d} calls  {_short(row['where'])}"


def profile_import(impl: str, gen_path: Optional[Path]) -> None:
    """Print the modules that a cold import of ``impl`` spends its time on (-X importtime)."""
    env = _child_env(gen_path)
    command = [sys.executable, "-X", "importtime", "-c", IMPORT_STATEMENT[impl]]
    subprocess.run(command, cwd=str(ROOT), env=env, capture_output=True, check=False)  # warm
    done = subprocess.run(command, cwd=str(ROOT), env=env, capture_output=True, check=False)
    rows = []
    for line in done.stderr.decode(errors="replace").splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and parts[1].strip().isdigit():
            own = int(parts[0].split(":")[1])
            rows.append((own, int(parts[1]), parts[2].rstrip()))
    total = sum(own for own, _, _ in rows) or 1
    print(f"\nCold `{IMPORT_STATEMENT[impl]}`: {total / 1e3:.0f} ms of imports (-X importtime)")
    print("\nby cumulative time (share of all imports), top 25:")
    for _own, cumulative, name in sorted(rows, key=lambda r: -r[1])[:25]:
        print(f"  {100 * cumulative / total:5.1f}%  {cumulative / 1e3:7.1f} ms  {name}")
    print("\nby own time, top 15:")
    for own, _, name in sorted(rows, key=lambda r: -r[0])[:15]:
        print(f"  {100 * own / total:5.1f}%  {own / 1e3:7.1f} ms  {name.strip()}")


def profile_rss(
    settings: Settings, server: Server, impls: Sequence[str], gen_path: Optional[Path]
) -> None:
    """Print peak RSS after the import and after get5000, per implementation."""
    print("\nPeak RSS (ru_maxrss), MB: after import -> after get5000 (growth)")
    for impl in impls:
        spec = {"impl": impl, "workload": "rss", "url": server.url, "size": settings.size}
        outcome = run_child(spec, gen_path if impl == "generated" else None)
        if "error" in outcome:
            print(f"  {impl:10s} failed: {outcome['error']}")
            continue
        before, after = outcome["after_import_mb"], outcome["maxrss_mb"]
        print(f"  {impl:10s} {before:6.1f} -> {after:6.1f}  (+{after - before:.1f})")


def profile(settings: Settings, workload: str, server: Server, gen_path: Optional[Path]) -> None:
    if workload not in ("send5000", "any5000", "get5000", "small"):
        print("--profile takes one of send5000, any5000, get5000, small, import, rss")
        return
    spec = {
        "impl": "ours",
        "workload": workload,
        "url": server.url,
        "size": settings.size,
        "iterations": settings.iterations[workload],
        "calls": settings.calls,
        "profile": True,
    }
    outcome = run_child(spec, gen_path)
    if "error" in outcome:
        print("profile failed: {}".format(outcome["error"]))
        return
    prof = outcome["profile"]
    total = prof["total"] or 1.0
    rows = prof["rows"]
    print(
        f"\nProfile of ours on {workload} ({spec['iterations']} iterations,"
        f" {total * 1e3:.0f} ms profiled)"
    )
    print("\nown time (tottime), top 20:")
    for row in sorted(rows, key=lambda r: -r["tottime"])[:20]:
        print(_profile_line(row["tottime"] / total, row))
    print("\nopenapi_client functions by cumulative time (share of the whole run):")
    ours = [r for r in rows if (os.sep + "openapi_client" + os.sep) in r["where"]]
    for row in sorted(ours, key=lambda r: -r["cumtime"])[:20]:
        print(_profile_line(row["cumtime"] / total, row))


# ----------------------------------------------------------------------------- main


def _parse(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark openapi_client vs urllib3 vs openapi-generator.",
    )
    parser.add_argument("--rounds", type=int, help="rounds (default 5; 1 with --quick)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke mode: tiny sizes, few iterations"
    )
    parser.add_argument(
        "--async",
        dest="async_workloads",
        action="store_true",
        help="run the async workloads: " + ",".join(ASYNC_WORKLOADS),
    )
    parser.add_argument(
        "--only", help="comma-separated workloads, sync or async: " + ",".join(ALL_WORKLOADS)
    )
    parser.add_argument(
        "--impls",
        default=",".join(IMPLS),
        help="comma-separated, default all: " + ",".join(IMPLS),
    )
    parser.add_argument(
        "--stat",
        choices=("median", "best"),
        default="median",
        help="per process, report the median iteration (default) or the fastest one",
    )
    parser.add_argument("--json", metavar="PATH", help="also write every sample and verdict here")
    parser.add_argument("--size", type=int, help="records/destinations per batch (default 5000)")
    parser.add_argument("--iterations", type=int, help="timed iterations per process")
    parser.add_argument(
        "--spec",
        default=str(ROOT / "openapi.yaml"),
        help="document for `generated` and `generated-asyncio`",
    )
    parser.add_argument(
        "--generated",
        choices=("auto", "cached", "never"),
        default="auto",
        help="auto: generate if needed; cached: use only an existing one; never: leave it out",
    )
    parser.add_argument(
        "--profile",
        metavar="WORKLOAD",
        help="instead of the table: cProfile ours on a timed workload, or break down import / rss",
    )
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.size is not None and args.size < 1:
        parser.error("--size must be at least 1")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parse(argv)
    settings = Settings(args)
    if args.only:
        workloads = [w.strip() for w in args.only.split(",")]
    else:
        workloads = list(ASYNC_WORKLOADS if args.async_workloads else WORKLOADS)
    impls = [i.strip() for i in args.impls.split(",")]
    unknown = [w for w in workloads if w not in ALL_WORKLOADS]
    unknown += [i for i in impls if i not in IMPLS]
    if unknown:
        print("unknown workload or implementation: {}".format(", ".join(unknown)), file=sys.stderr)
        return 2
    # Only the implementations that run one of the chosen workloads.
    impls = [i for i in impls if any(i in RUNS_ON[w] for w in workloads)]

    def log(message: str) -> None:
        print("# " + message, file=sys.stderr, flush=True)

    if args.profile:
        # A cProfile run is of ours alone; the import and rss breakdowns are of the sync ones.
        impls = ["ours"] if args.profile not in ("import", "rss") else list(SYNC_IMPLS)
        impls = [i for i in impls if i in args.impls.split(",")]
    gen_paths: Dict[str, Optional[Path]] = {}
    gen_reason = ""  # why the sync generated client is left out: its column goes
    unavailable: Dict[str, str] = {}  # why the async one cannot run: its column says so
    for impl, library in GENERATED.items():
        if impl not in impls:
            continue
        if args.generated == "never":
            path, reason = None, "left out (--generated never)"
        else:
            log(f"preparing the generated {library} client from {args.spec}")
            path, reason = generated.ensure(
                Path(args.spec), args.generated == "auto", library=library
            )
        gen_paths[impl] = path
        if path is None and impl == "generated":
            gen_reason = reason
            impls.remove(impl)
        elif path is None:
            unavailable[impl] = reason
    gen_path = gen_paths.get("generated")
    load_before = load_average()
    servers = {"plain": Server(settings.size)}
    try:
        if any(w in CHUNKED for w in workloads) and not args.profile:
            servers["slow"] = Server(1, settings.delay)
        server = servers["plain"]
        if args.profile == "import":
            for impl in impls:
                profile_import(impl, gen_path)
            return 0
        if args.profile == "rss":
            profile_rss(settings, server, impls, gen_path)
            return 0
        if args.profile:
            profile(settings, args.profile, server, None)
            return 0
        results, server_cost = benchmark(
            settings, workloads, impls, gen_paths, servers, log, unavailable
        )
    finally:
        for running in servers.values():
            running.stop()

    load_after = load_average()
    verdicts = evaluate(results)
    table, notes = render(results, verdicts, impls)
    info = machine_info(with_java=any(path is not None for path in gen_paths.values()))
    out = sys.stdout
    java = f", {info['java']}" if "java" in info else ""
    quick = (
        "; QUICK MODE: sizes too small for the numbers to mean anything" if settings.quick else ""
    )
    out.write(
        f"openapi_client benchmark: median over {settings.rounds} round(s) of each process's"
        f" {'fastest' if settings.stat == 'best' else 'median'} iteration; a fresh process per"
        " measurement; ratios are medians of same-round ratios\n"
        f"machine: {info['cpu']}, {info['cores']} cores; {info['python']}; {info['os']}\n"
        f"versions: openapi_client {info['openapi_client']} at {info['commit']},"
        f" urllib3 {info['urllib3']},"
        f" pydantic {info['pydantic']} (core {info['pydantic-core']}),"
        f" openapi-generator-cli {info['openapi-generator-cli']}{java}"
        + (
            f", httpx {info['httpx']}, aiohttp {info['aiohttp']}"
            if any(w in ASYNC_WORKLOADS for w in workloads)
            else ""
        )
        + f"\nsize: {settings.size} per batch; small: {settings.calls} calls per iteration"
        + (
            f" ({settings.concurrency} in flight for small-async); chunked100k-<n>:"
            f" {settings.recipients} recipients in chunks of {settings.chunk_size}, the server"
            f" waiting {settings.delay * 1000:.0f} ms before each answer"
            if any(w in ASYNC_WORKLOADS for w in workloads)
            else ""
        )
        + f"{quick}\n"
    )
    if load_before is not None and load_after is not None:
        cores = os.cpu_count() or 1
        # The benchmark itself keeps about one core busy, so "after" is allowed more.
        busy = load_before > 0.5 * cores or load_after > cores
        out.write(
            f"load average: {load_before:.2f} before, {load_after:.2f} after"
            + ("  (other processes were busy: expect noise)" if busy else "")
            + "\n"
        )
    if gen_reason:
        out.write(f"generated: n/a — {gen_reason}\n")
    line = server_line(server_cost, results)
    if line:
        out.write(line + "\n")
    out.write("\n" + table + "\n")
    for n, note in enumerate(notes, 1):
        out.write(f"[{n}] {note}\n")
    if args.json:
        payload = {
            "machine": info,
            "settings": {
                "rounds": settings.rounds,
                "size": settings.size,
                "calls": settings.calls,
                "concurrency": settings.concurrency,
                "recipients": settings.recipients,
                "chunk_size": settings.chunk_size,
                "delay_seconds": settings.delay,
                "iterations": settings.iterations,
                "quick": settings.quick,
                "stat": settings.stat,
            },
            "units": {w: _scale(w)[0] for w in workloads},
            "results": results,
            "verdicts": verdicts,
            "server_seconds_per_request": server_cost,
            "load_average": {"before": load_before, "after": load_after},
            "generated": {"path": str(gen_path) if gen_path else None, "reason": gen_reason},
            "generated_asyncio": {
                "path": str(gen_paths["generated-asyncio"])
                if gen_paths.get("generated-asyncio")
                else None,
                "reason": unavailable.get("generated-asyncio", ""),
            },
            "unavailable": {
                impl: cell["unavailable"]
                for cells in results.values()
                for impl, cell in cells.items()
                if "unavailable" in cell
            },
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    # A failure of ours, or of a floor it is measured against, fails the run; a generated
    # client that cannot cope, or an implementation that cannot run here, does not.
    broken = [
        w
        for w, cells in results.items()
        for i in ("ours", "raw", "ours-async", "httpx")
        if "error" in cells.get(i, {})
    ]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
