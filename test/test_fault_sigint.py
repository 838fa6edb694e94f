"""Fault-suite row: SIGINT at random moments in a chunked send.

A child process sends 12,000 recipients in chunks of 1,000 to a real sandbox over HTTP and is
interrupted after a random delay. Whatever moment the signal lands, the report the child
prints must agree with what the sandbox received: every number the sandbox got is reported
sent or uncertain, every batch reported sent exists there with exactly those numbers, and no
number is counted twice or lost.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional, Sequence

import pytest

from openapi_client.sandbox import Sandbox

TRIALS = 30 if os.environ.get("CI") else 8
RECIPIENTS = 12_000

CHILD = """
import json, signal, sys
import openapi_client

url, token, content, count = sys.argv[1:5]
numbers = [f"4477{i:08d}" for i in range(int(count))]
config = openapi_client.Configuration(host=url, api_key={"JWT": token}, timeout=(5, 30))
result = {"report": None, "finished": False}
with openapi_client.ApiClient(config) as client:
    api = openapi_client.BatchMessagesApi(client)
    message = openapi_client.BatchMessage(sender="Acme", destinations=numbers, content=content)
    try:
        print("ready", flush=True)
        result["report"] = api.batch_send_many(message, chunk_size=1000)
        result["finished"] = True
    except KeyboardInterrupt as exc:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if result["report"] is None:
            result["report"] = getattr(exc, "report", None)
signal.signal(signal.SIGINT, signal.SIG_IGN)
report = result["report"]
out = {"finished": result["finished"], "report": None}
if report is not None:
    out["report"] = {
        "sent": [[c.batchid, list(c.destinations)] for c in report.chunks],
        "uncertain": report.uncertain_destinations,
        "unsent": report.unsent,
    }
print(json.dumps(out), flush=True)
"""


def _run_child(
    sandbox: Sandbox,
    content: str,
    delay: Optional[float],
    child: str = CHILD,
    extra: Sequence[str] = (),
) -> Dict[str, Any]:
    """Run one send (``child``, a script); ``delay`` seconds after it starts, SIGINT (never, for
    ``None``). The script gets the sandbox's URL and token, the content, the number of recipients
    and ``extra``, and prints ``ready`` once its imports are done, then its report as JSON."""
    argv = [sandbox.url, sandbox.token, content, str(RECIPIENTS), *extra]
    proc = subprocess.Popen(
        [sys.executable, "-c", child, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # bounded: the child prints it once imports are done
        assert first.strip() == "ready", proc.stderr.read() if proc.stderr else ""
        began = time.monotonic()
        if delay is not None:
            time.sleep(delay)
            proc.send_signal(signal.SIGINT)
        # Bounded: a thread still in a request when the signal came ends with its timeout.
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - began
    finally:
        proc.kill()
        proc.wait(timeout=10)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    assert lines, f"no report printed (exit {proc.returncode}): {err[-2000:]}"
    result: Dict[str, Any] = json.loads(lines[-1])
    result["took"] = took
    return result


def _received(sandbox: Sandbox, content: str) -> Dict[str, List[str]]:
    """The batches the sandbox accepted for this trial, with their numbers in order."""
    found: Dict[str, List[str]] = {}
    for batchid in sandbox.batches:
        records = sandbox.messages(batchid)
        if records and records[0].get("content") == content:
            found[batchid] = [str(r["destination"]) for r in records]
    return found


def _check(result: Dict[str, Any], received: Dict[str, List[str]], trial: str) -> None:
    everyone = [f"4477{i:08d}" for i in range(RECIPIENTS)]
    got = [n for batch in received.values() for n in batch]
    report = result["report"]
    if report is None:  # interrupted before the chunked send began
        assert got == [], f"{trial}: the server got numbers but no report came back"
        return
    sent = [n for _, batch in report["sent"] for n in batch]
    assert sorted(sent + report["uncertain"] + report["unsent"]) == everyone, trial
    assert set(got) <= set(sent) | set(report["uncertain"]), f"{trial}: got but reported unsent"
    for batchid, numbers in report["sent"]:
        assert received.get(batchid) == numbers, f"{trial}: batch {batchid} not as reported"
    if result["finished"]:
        assert sorted(got) == everyone and not report["uncertain"] and not report["unsent"]


@pytest.mark.timeout(600)
def test_sigint_at_random_moments_leaves_a_report_consistent_with_the_server() -> None:
    rng = random.Random(os.environ.get("SIGINT_SEED", str(time.time_ns())))
    with Sandbox(credits=10**8) as sandbox:
        calibration = _run_child(sandbox, "trial calibration", None)
        whole = calibration["took"]
        assert calibration["finished"]
        _check(calibration, _received(sandbox, "trial calibration"), "calibration")
        outcomes = {"before": 0, "during": 0, "after": 0}
        for n in range(TRIALS):
            content = f"trial {n}"
            # From right after "ready" to a little past the usual end of the send.
            result = _run_child(sandbox, content, rng.uniform(0, whole * 1.1))
            _check(result, _received(sandbox, content), f"trial {n}")
            report = result["report"]
            if result["finished"]:
                outcomes["after"] += 1
            elif report is None or not (report["sent"] or report["uncertain"]):
                outcomes["before"] += 1
            else:
                outcomes["during"] += 1
        print(f"SIGINT outcomes over {TRIALS} trials: {outcomes}")
        # The delays must really land inside the send, or the row tests nothing.
        assert outcomes["during"] >= 1, outcomes
