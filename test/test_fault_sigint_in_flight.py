"""Fault-suite row: SIGINT at random moments in a chunked send with 4 chunks in flight.

As test_fault_sigint.py, with ``max_in_flight=4``: the child process sends 12,000 recipients
in chunks of 1,000 to a real sandbox, four requests at a time from a thread pool, and is
interrupted after a random delay. Whatever moment the signal lands (handing out a chunk,
waiting for the pool, while answers are being recorded in other threads), every number the
sandbox got must be reported sent or uncertain, every batch reported sent must exist there with
exactly those numbers, and no number may be counted twice or lost.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any, Dict, Optional

import pytest
from test_fault_sigint import _check, _received
from test_fault_sigint import _run_child as _run_sigint_child

from openapi_client.sandbox import Sandbox

TRIALS = 30 if os.environ.get("CI") else 8
IN_FLIGHT = 4

CHILD = """
import json, signal, sys
import openapi_client
import openapi_client._batching  # loaded before "ready": the signal is for the send

url, token, content, count, in_flight = sys.argv[1:6]
numbers = [f"4477{i:08d}" for i in range(int(count))]
config = openapi_client.Configuration(host=url, api_key={"JWT": token}, timeout=(5, 30))
result = {"report": None, "finished": False}
with openapi_client.ApiClient(config) as client:
    api = openapi_client.BatchMessagesApi(client)
    message = openapi_client.BatchMessage(sender="Acme", destinations=numbers, content=content)
    try:
        print("ready", flush=True)
        result["report"] = api.batch_send_many(
            message, chunk_size=1000, max_in_flight=int(in_flight)
        )
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
        "indices": [c.index for c in report.chunks],
    }
print(json.dumps(out), flush=True)
"""


def _run_child(sandbox: Sandbox, content: str, delay: Optional[float]) -> Dict[str, Any]:
    """Run one send with ``IN_FLIGHT`` chunks at once; SIGINT ``delay`` seconds after it starts."""
    return _run_sigint_child(sandbox, content, delay, CHILD, (str(IN_FLIGHT),))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigint_with_4_in_flight_leaves_a_report_consistent_with_the_server() -> None:
    rng = random.Random(os.environ.get("SIGINT_SEED", str(time.time_ns())))
    with Sandbox(credits=10**8) as sandbox:
        calibration = _run_child(sandbox, "in flight calibration", None)
        whole = calibration["took"]
        assert calibration["finished"]
        _check(calibration, _received(sandbox, "in flight calibration"), "calibration")
        outcomes = {"before": 0, "during": 0, "after": 0}
        for n in range(TRIALS):
            content = f"in flight trial {n}"
            result = _run_child(sandbox, content, rng.uniform(0, whole * 1.1))
            _check(result, _received(sandbox, content), f"trial {n}")
            report = result["report"]
            if report is not None:
                # Sent chunks are listed in input order, whatever order they finished in.
                assert report["indices"] == sorted(report["indices"]), f"trial {n}"
            if result["finished"]:
                outcomes["after"] += 1
            elif report is None or not (report["sent"] or report["uncertain"]):
                outcomes["before"] += 1
            else:
                outcomes["during"] += 1
        print(f"SIGINT outcomes over {TRIALS} trials with {IN_FLIGHT} in flight: {outcomes}")
        # The delays must really land inside the send, or the row tests nothing.
        assert outcomes["during"] >= 1, outcomes
