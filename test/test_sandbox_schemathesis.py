"""Schemathesis, a fuzzer written elsewhere, against the sandbox with our ``openapi.yaml``.

It generates requests from the document (valid and invalid ones, every undeclared method on every
path, and chains of calls through the document's links) and checks each answer: no server error,
a status code and a Content-Type the document declares for the operation, a body that matches the
declared schema, and 405 for a method a path does not serve. The run is bounded (examples per
operation, a fixed seed, a time budget) and must end with no failure at all.

Schemathesis runs as its command-line tool in a child process, against a sandbox served by this
process: its command line is its stable interface, and its own warnings stay out of this suite's
``filterwarnings = error``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import pytest

from openapi_client.sandbox import Sandbox
from openapi_client.sandbox._server import OPERATION_ROUTES

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "unsupported_method",
)
SEED = 20261130
MAX_EXAMPLES = 40
MAX_SECONDS = 50  # schemathesis stops its fuzzing and stateful phases when this is spent
TOKEN = "schemathesis-token"

pytestmark = pytest.mark.slow


def _schemathesis() -> None:
    if sys.version_info < (3, 11):
        pytest.skip("schemathesis 4 needs Python 3.11 or newer")
    if importlib.util.find_spec("schemathesis") is None:
        message = "schemathesis is not installed (pip install -e '.[test]')"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def _no_reports(url: str, payload: Dict[str, Any]) -> Tuple[Optional[int], Optional[str]]:
    # The fuzzer invents delivery report URLs; the sandbox must not go out to them.
    return 204, None


def test_schemathesis_finds_nothing_wrong_with_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _schemathesis()
    report = tmp_path / "report.json"
    with Sandbox(credits=10**9, token=TOKEN) as sandbox:
        monkeypatch.setattr(sandbox._reports, "_post", _no_reports)
        command = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            str(REPO / "openapi.yaml"),
            "--url",
            sandbox.url,
            "--header",
            f"Authorization: JWT {TOKEN}",
            "--checks",
            ",".join(CHECKS),
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--max-time",
            str(MAX_SECONDS),
            "--request-timeout",
            "10",
            "--workers",
            "1",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=MAX_SECONDS + 120,
            cwd=tmp_path,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"},
        )
        answered = len(sandbox.requests)
    assert report.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads(report.read_text(encoding="utf-8"))
    details = result.stdout[-6000:]
    assert summary["errors"] == [], details
    assert summary["failures"] == [], details
    assert summary["test_cases"]["with_failures"] == 0, details
    assert summary["test_cases"]["errored"] == 0, details
    assert (
        summary["operations"]["tested"] == summary["operations"]["total"] == len(OPERATION_ROUTES)
    ), details
    assert all(phase["status"] == "success" for phase in summary["phases"].values()), details
    assert summary["test_cases"]["generated"] >= 1000, details
    assert answered >= 1000
    assert result.returncode == 0, details
