"""The benchmark harness runs end to end and its loopback server answers like the API.

Nothing here asserts anything about speed: the numbers of a smoke run on a shared machine mean
nothing. The full run is ``python -m benchmarks`` (docs/Performance.md).
"""

import http.client
import importlib.util
import inspect
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

import openapi_client
import openapi_client.aio

#: Runs the benchmark harness in subprocesses.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ("send5000", "any5000", "get5000", "small", "import", "rss")
CHUNKED = ("chunked100k-1", "chunked100k-4", "chunked100k-8")
ASYNC_WORKLOADS = ("small-async", "send5000-async", "get5000-async", *CHUNKED)
IN_CI = bool(os.environ.get("CI"))
AUTH = {"Authorization": "JWT x"}  # the token the benchmark server expects


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory: pytest.TempPathFactory) -> Tuple[str, Dict[str, object]]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--rounds",
            "1",
            "--generated",
            "cached",  # compare with the generated client only if it was generated before
            "--json",
            str(out),
        ],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, json.loads(out.read_text(encoding="utf-8"))


def _table(
    stdout: str, workloads: Tuple[str, ...] = WORKLOADS
) -> Tuple[List[str], Dict[str, List[str]]]:
    """The printed table holding ``workloads``: its column names and its rows by workload.

    Cells are cut at the columns the dashes under the header mark, as a cell may hold a space
    ("n/a [1]").
    """
    lines = stdout.splitlines()
    for n, line in enumerate(lines):
        if not line.startswith("workload "):
            continue
        spans = [m.span() for m in re.finditer(r"-+", lines[n + 1])]
        rows = {}
        for row in lines[n + 2 :]:
            if not row.strip():
                break  # a blank line ends a table
            cells = [row[start:end].strip() for start, end in spans]
            rows[cells[0]] = cells
        if set(rows) & set(workloads):
            columns = [line[start:end].strip() for start, end in spans]
            return columns, {w: cells for w, cells in rows.items() if w in workloads}
    raise AssertionError(f"no table with {workloads} in:\n{stdout}")


def test_table_has_every_workload_measured_for_ours_and_raw(
    smoke_run: Tuple[str, Dict[str, object]],
) -> None:
    stdout, _ = smoke_run
    columns, rows = _table(stdout)
    assert columns[:4] == ["workload", "unit", "ours", "raw"]
    assert "ours/raw" in columns
    assert sorted(rows) == sorted(WORKLOADS)
    for workload, cells in rows.items():
        for impl in ("ours", "raw"):
            value = cells[columns.index(impl)]
            assert float(value) >= 0, f"{workload}/{impl}: {value!r}"


def test_header_names_machine_and_versions(smoke_run: Tuple[str, Dict[str, object]]) -> None:
    stdout, _ = smoke_run
    assert "machine: " in stdout
    assert "cores" in stdout
    assert "urllib3 " in stdout
    assert "pydantic " in stdout
    assert "QUICK MODE" in stdout


def test_json_output_holds_samples_and_verdicts(smoke_run: Tuple[str, Dict[str, object]]) -> None:
    _, report = smoke_run
    results = report["results"]
    verdicts = report["verdicts"]
    assert isinstance(results, dict)
    assert isinstance(verdicts, dict)
    assert set(results) == set(WORKLOADS)
    assert set(verdicts) == set(WORKLOADS)
    for workload in WORKLOADS:
        for impl in ("ours", "raw"):
            cell = results[workload][impl]
            assert "error" not in cell, cell
            assert len(cell["samples"]) == 1
            assert cell["median"] == cell["samples"][0]
        # The import target is relative to the generated client, which a smoke run may lack.
        judged = workload != "import" or "generated" in results[workload]
        assert verdicts[workload]["target_met"] in ((True, False) if judged else (None,))


def test_unknown_workload_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--only", "nosuch", "--generated", "never"],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "nosuch" in done.stderr


@pytest.fixture
def canned() -> Iterator[int]:
    """benchmarks/server.py in its own process, as the benchmark runs it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server", "--records", "3"],
        cwd=str(ROOT),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("PORT "), line
        yield int(line.split()[1])
    finally:
        proc.stdin.close()  # the server stops when its stdin closes
        try:
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            proc.stdout.close()
    assert proc.returncode == 0


def _request(
    port: int, method: str, path: str, body: bytes = b"", auth: bool = True
) -> Tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        headers = AUTH if auth else {}
        conn.request(method, path, body=body or None, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_server_answers_batch_get_with_records_shaped_like_the_api(canned: int) -> None:
    status, body = _request(canned, "GET", "/v1/batch/2586749")
    assert status == 200
    records = json.loads(body)
    assert len(records) == 3
    assert isinstance(records[0]["destination"], int)
    assert records[0]["created"].endswith("GMT+0100 (BST)")
    status, body = _request(canned, "GET", "/v1/batch/1")  # the one-record batch
    assert status == 200
    assert len(json.loads(body)) == 1


def test_server_discards_post_bodies_and_keeps_the_connection(canned: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", canned, timeout=5)
    try:
        payload = json.dumps({"destinations": ["447700900001"] * 3000}).encode()
        for _ in range(2):  # the second request reuses the connection
            conn.request("POST", "/v1/batch/send", body=payload, headers=AUTH)
            resp = conn.getresponse()
            assert resp.status == 201
            assert json.loads(resp.read()) == {"batchid": "1", "status": "SCHEDULED"}
    finally:
        conn.close()


def test_server_refuses_a_missing_token_and_unknown_paths(canned: int) -> None:
    assert _request(canned, "GET", "/v1/batch/7", auth=False)[0] == 401
    assert _request(canned, "GET", "/v1/nothing/here")[0] == 404


# ----------------------------------------------------------------------------- async workloads


def _missing_for_generated_asyncio() -> List[str]:
    """What the generated asyncio client needs and this machine lacks."""
    missing = [
        name
        for name in ("openapi_generator_cli", "aiohttp", "aiohttp_retry")
        if importlib.util.find_spec(name) is None
    ]
    if shutil.which("java") is None:
        missing.append("java")
    return missing


def _expected_async_columns() -> Dict[str, Tuple[bool, str]]:
    """Per implementation: (measured here?, what its "not available" note says otherwise)."""
    has_httpx = importlib.util.find_spec("httpx") is not None
    missing = _missing_for_generated_asyncio()
    has_in_flight = (
        "max_in_flight"
        in inspect.signature(openapi_client.BatchMessagesApi.batch_send_many).parameters
    )
    return {
        "ours-async": (
            has_httpx and hasattr(openapi_client.aio, "ApiClient"),
            "ours-async: not available: ",
        ),
        "generated-asyncio": (not missing, "generated-asyncio: not available: "),
        "httpx": (has_httpx, "httpx: not available: httpx is not installed"),
        "ours": (has_in_flight, "ours: not available: "),
    }


@pytest.fixture(scope="module")
def async_run(tmp_path_factory: pytest.TempPathFactory) -> Tuple[str, Dict[str, object]]:
    if IN_CI:
        # The comparison is the point of these workloads: under CI, no column may be missing.
        missing = _missing_for_generated_asyncio()
        if importlib.util.find_spec("httpx") is None:
            missing.append("httpx")
        assert not missing, f"the async benchmarks need {', '.join(missing)}"
    out = tmp_path_factory.mktemp("bench-async") / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--async",
            "--quick",
            "--rounds",
            "1",
            "--generated",
            "auto",  # generates the asyncio client on first use (seconds, with Java)
            "--json",
            str(out),
        ],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.timeout(300)
def test_async_table_has_a_row_per_workload_and_a_column_per_implementation(
    async_run: Tuple[str, Dict[str, object]],
) -> None:
    stdout, _ = async_run
    columns, rows = _table(stdout, ASYNC_WORKLOADS)
    assert columns[:2] == ["workload", "unit"]
    assert {"ours-async", "generated-asyncio", "httpx", "ours"} <= set(columns)
    assert {"async/gen", "async/httpx", "async/sync"} <= set(columns)
    assert sorted(rows) == sorted(ASYNC_WORKLOADS)
    assert "(10 in flight for small-async)" in stdout
    assert "the server waiting 20 ms before each answer" in stdout


@pytest.mark.timeout(300)
@pytest.mark.parametrize("impl", ["ours-async", "generated-asyncio", "httpx", "ours"])
def test_each_async_column_is_measured_or_says_why_not(
    async_run: Tuple[str, Dict[str, object]], impl: str
) -> None:
    stdout, report = async_run
    columns, rows = _table(stdout, ASYNC_WORKLOADS)
    measured, note = _expected_async_columns()[impl]
    # ours (the sync client) runs only the chunked sends, next to the async client.
    expected_rows = CHUNKED if impl == "ours" else ASYNC_WORKLOADS
    results = report["results"]
    assert isinstance(results, dict)
    for workload in ASYNC_WORKLOADS:
        text = rows[workload][columns.index(impl)]
        cell = results[workload].get(impl)
        if workload not in expected_rows:
            assert text == "–"
            assert cell is None
        elif measured:
            assert float(text) > 0, f"{workload}/{impl}: {text!r}"
            assert cell["median"] == cell["samples"][0]
        else:
            assert text.startswith("n/a ["), f"{workload}/{impl}: {text!r}"
            assert "unavailable" in cell
    notes = [line for line in stdout.splitlines() if line.startswith("[")]
    if measured:
        assert not any(note in line for line in notes), notes
    else:
        # One note for the whole column, named in every cell of it.
        (line,) = [line for line in notes if note in line]
        number = line.split("]")[0] + "]"
        for workload in expected_rows:
            assert rows[workload][columns.index(impl)] == f"n/a {number}"


@pytest.mark.timeout(300)
def test_async_ratios_are_printed_when_both_sides_ran(
    async_run: Tuple[str, Dict[str, object]],
) -> None:
    stdout, report = async_run
    columns, rows = _table(stdout, ASYNC_WORKLOADS)
    verdicts = report["verdicts"]
    assert isinstance(verdicts, dict)
    expected = _expected_async_columns()
    pairs = {
        "async/gen": ("generated-asyncio", "ours_async_over_generated_asyncio"),
        "async/httpx": ("httpx", "ours_async_over_httpx"),
        "async/sync": ("ours", "ours_async_over_ours"),
    }
    for column, (other, key) in pairs.items():
        for workload in ASYNC_WORKLOADS:
            text = rows[workload][columns.index(column)]
            ran = expected["ours-async"][0] and expected[other][0]
            ran = ran and (other != "ours" or workload in CHUNKED)
            if ran:
                assert text.endswith("×"), f"{workload} {column}: {text!r}"
                assert float(text[:-1]) == pytest.approx(verdicts[workload][key], abs=0.006)
            else:
                assert text == "–", f"{workload} {column}: {text!r}"
                assert verdicts[workload][key] is None


def test_sync_and_async_workloads_run_together_with_only() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "small,send5000-async",
            "--impls",
            "raw,httpx",
            "--generated",
            "never",
        ],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    columns, rows = _table(done.stdout, ("small",))
    assert float(rows["small"][columns.index("raw")]) > 0
    assert "httpx" not in columns  # httpx runs no sync workload
    columns, rows = _table(done.stdout, ("send5000-async",))
    assert float(rows["send5000-async"][columns.index("httpx")]) > 0
    assert "raw" not in columns  # raw runs no async workload


def _delayed_server(delay_ms: int) -> "subprocess.Popen[bytes]":
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server", "--records", "1", "--delay-ms", str(delay_ms)],
        cwd=str(ROOT),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def test_server_delay_holds_back_every_api_answer_but_not_its_own_routes() -> None:
    proc = _delayed_server(3000)
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("PORT "), line
        port = int(line.split()[1])
        # The server's own routes answer at once, the API routes only after the delay: a
        # client that gives up long before it hears nothing.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/_bench/reset")
        assert conn.getresponse().status == 200
        conn.close()
        impatient = http.client.HTTPConnection("127.0.0.1", port, timeout=0.5)
        impatient.request("POST", "/v1/batch/send", body=b"{}", headers=AUTH)
        with pytest.raises(socket.timeout):
            impatient.getresponse()
        impatient.close()
        patient = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        patient.request("POST", "/v1/batch/send", body=b"{}", headers=AUTH)
        assert patient.getresponse().status == 201
        patient.close()
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            proc.stdout.close()


def test_server_refuses_a_negative_delay() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.server", "--delay-ms", "-1"],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--delay-ms" in done.stderr


# ----------------------------------------------------------------------------- generated clients


def test_each_generator_library_has_its_own_cache_key(tmp_path: Path) -> None:
    from benchmarks import generated

    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.0.3\n", encoding="utf-8")
    sync_key = generated.cache_dir(spec)
    assert generated.cache_dir(spec, library="urllib3") == sync_key  # the key it always had
    assert generated.cache_dir(spec, library="asyncio") != sync_key
    assert generated.cache_dir(spec, with_tests=True, library="asyncio") not in (
        sync_key,
        generated.cache_dir(spec, library="asyncio"),
        generated.cache_dir(spec, with_tests=True),
    )
    reason = generated.ensure(spec, library="tornado")[1]
    assert "tornado" in reason


def test_generating_one_library_keeps_the_other_librarys_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import generated

    monkeypatch.setattr(generated, "CACHE_ROOT", tmp_path)

    def client(name: str, package: str, tests: bool = False) -> Path:
        folder = tmp_path / name
        (folder / package / "api").mkdir(parents=True)
        if tests:
            (folder / "test").mkdir()
        return folder

    sync_new = client("a" * 16, "smsworks_generated")
    sync_old = client("b" * 16, "smsworks_generated")
    sync_tests = client("c" * 16, "smsworks_generated", tests=True)
    async_old = client("d" * 16, "smsworks_generated_asyncio")
    async_new = client("e" * 16, "smsworks_generated_asyncio")
    generated._prune(keep=async_new)
    assert not async_old.exists()  # an older asyncio client is replaced
    assert sync_new.exists() and sync_old.exists() and sync_tests.exists()
    generated._prune(keep=sync_new)
    assert not sync_old.exists()
    assert sync_tests.exists() and async_new.exists()
