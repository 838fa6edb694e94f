"""The examples of the reference page run unchanged against this SDK.

``../shared/reference/BatchMessagesApi.md`` (beside the repository) is the generated-style page
this SDK is specified from. Its five python examples are read at test time, never copied here.
Only their placeholders are filled in: ``import os`` is prepended, the empty
``openapi_client.Message()`` / ``openapi_client.BatchMessage()`` become real messages,
``'batchid_example'`` becomes the id of a batch that exists, ``API_KEY`` holds the sandbox's
token and the production host string is replaced by the sandbox's URL. Each example must then
print its "The response of BatchMessagesApi->..." line and no "Exception when calling".
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import reference_files

import openapi_client
from openapi_client.sandbox import RequestRecord, Sandbox

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"

PRODUCTION_HOST = '"https://api.thesmsworks.co.uk/v1"'
OPERATIONS = [
    "batch_any_post",
    "batch_batchid_get",
    "batch_schedule_post",
    "batch_send_post",
    "batches_schedule_batchid_delete",
]

MESSAGE = (
    'openapi_client.Message(sender="Acme", destination="447700900001", '
    'content="Hello from the reference example")'
)
BATCH_MESSAGE = (
    'openapi_client.BatchMessage(sender="Acme", destinations=["447700900001", "447700900002"], '
    'content="Hello from the reference example")'
)


def _reference_text() -> str:
    return reference_files.require("BatchMessagesApi.md").read_text(encoding="utf-8")


def reference_blocks(text: str) -> Dict[str, str]:
    """The page's python examples, keyed by the operation each one calls."""
    blocks = re.findall(r"^```python\n(.*?)^```\s*$", text, re.M | re.S)
    found: Dict[str, str] = {}
    for block in blocks:
        called = re.findall(r"api_instance\.(\w+)\(", block)
        assert len(called) == 1, f"expected one operation per example, got {called}"
        found[called[0]] = block
    assert len(blocks) == len(found), "two examples call the same operation"
    return found


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(credits=100_000) as sb:
        yield sb


def _replace(source: str, old: str, new: str) -> str:
    assert old in source, f"placeholder {old!r} not found in the example"
    return source.replace(old, new)


def _batch_ids(sandbox: Sandbox) -> Dict[str, str]:
    """A batch that was sent (to read back) and one that is scheduled (to cancel)."""
    with openapi_client.ApiClient(sandbox.configuration()) as client:
        api = openapi_client.BatchMessagesApi(client)
        sent = api.batch_send_post(
            openapi_client.BatchMessage(
                sender="Acme", destinations=["447700900001"], content="to read back"
            )
        )
        booked = api.batch_schedule_post(
            openapi_client.BatchMessage(
                sender="Acme",
                destinations=["447700900001"],
                content="to cancel",
                schedule=datetime.now(timezone.utc) + timedelta(days=1),
            )
        )
    return {
        "batch_batchid_get": sent.batchid,
        "batches_schedule_batchid_delete": booked.batchid,
    }


def fill(operation: str, source: str, sandbox: Sandbox, batch_ids: Dict[str, str]) -> str:
    """The example with only its placeholders filled in."""
    source = _replace(source, PRODUCTION_HOST, repr(sandbox.url))
    if operation == "batch_any_post":
        source = _replace(source, "openapi_client.Message()", MESSAGE)
    elif operation == "batch_send_post":
        source = _replace(source, "openapi_client.BatchMessage()", BATCH_MESSAGE)
    elif operation == "batch_schedule_post":
        when = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
        scheduled = BATCH_MESSAGE[:-1] + f", schedule={when!r})"
        source = _replace(source, "openapi_client.BatchMessage()", scheduled)
    else:
        source = _replace(source, "'batchid_example'", repr(batch_ids[operation]))
    return "import os\n" + source


def test_reference_page_has_one_example_per_operation() -> None:
    blocks = reference_blocks(_reference_text())
    assert sorted(blocks) == OPERATIONS
    for operation, block in blocks.items():
        assert f"The response of BatchMessagesApi->{operation}" in block
        assert 'os.environ["API_KEY"]' in block


@pytest.mark.parametrize("operation", OPERATIONS)
def test_reference_example_runs(
    operation: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = reference_blocks(_reference_text())[operation]
    # The examples configure the token themselves, from API_KEY; nothing else may supply it.
    monkeypatch.setenv("API_KEY", sandbox.token)
    before = len(sandbox.requests)
    program = fill(operation, source, sandbox, _batch_ids(sandbox))

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(program, f"reference:{operation}", "exec"), {"__name__": "__reference__"})
    printed = output.getvalue()

    assert "Exception when calling" not in printed, printed
    assert f"The response of BatchMessagesApi->{operation}:" in printed, printed
    assert sandbox.token not in printed
    # The example really reached the sandbox, with a status that means success.
    calls: List[RequestRecord] = sandbox.requests[before:]
    assert calls[-1].status in (200, 201), calls
    assert calls[-1].path.split("/")[2] in ("batch", "batches")


def test_fill_replaces_only_placeholders() -> None:
    source = (
        'configuration = openapi_client.Configuration(host = "https://api.thesmsworks.co.uk/v1")\n'
        "batchid = 'batchid_example' # str\n"
    )

    class FakeSandbox:
        url = "http://127.0.0.1:1/v1"

    filled = fill(
        "batch_batchid_get",
        source,
        FakeSandbox(),  # type: ignore[arg-type]
        {"batch_batchid_get": "3000001"},
    )
    assert filled == (
        "import os\n"
        "configuration = openapi_client.Configuration(host = 'http://127.0.0.1:1/v1')\n"
        "batchid = '3000001' # str\n"
    )
    with pytest.raises(AssertionError, match="placeholder"):
        fill("batch_any_post", "nothing to fill", FakeSandbox(), {})  # type: ignore[arg-type]
