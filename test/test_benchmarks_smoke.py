"""The benchmark harness runs end to end and its loopback server answers like the API.

Nothing here asserts anything about speed: the numbers of a smoke run on a shared machine mean
nothing. The full run is ``python -m benchmarks`` (docs/Performance.md).
"""

import http.client
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

#: Runs the benchmark harness in subprocesses.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ("send5000", "any5000", "get5000", "small", "import", "rss")
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


def _table(stdout: str) -> Tuple[List[str], Dict[str, List[str]]]:
    lines = stdout.splitlines()
    header = next(line for line in lines if line.startswith("workload "))
    columns = header.split()
    rows = {}
    for line in lines[lines.index(header) + 2 :]:
        cells = line.split()
        if cells and cells[0] in WORKLOADS:
            rows[cells[0]] = cells
    return columns, rows


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
