"""openapi-generator's client of the upstream document reads every answer our sandbox gives.

Users test clients generated from The SMS Works' own document against the sandbox, so each
answer must be one that client can decode: the five operations with and without optional
fields, and the 400/401/402/404 answers (raised as the generated client's exceptions, with
their body parsed where the document declares one).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import ModuleType
from typing import Any, Iterator

import pytest
from generated_client import gen  # noqa: F401  (a fixture)

from openapi_client.sandbox import Sandbox

TO = ["447700900001", "447700900002"]
FULL = {
    "deliveryreporturl": "http://127.0.0.1:9/reports",
    "tag": "campaign",
    "ttl": 10,
    "validity": 1440,
}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(credits=10_000) as sb:
        yield sb


@pytest.fixture
def api(gen: ModuleType, sandbox: Sandbox) -> Iterator[Any]:  # noqa: F811
    cfg = gen.Configuration(
        host=sandbox.url, api_key={"JWT": sandbox.token}, api_key_prefix={"JWT": "JWT"}
    )
    with gen.ApiClient(cfg) as client:
        yield gen.BatchMessagesApi(client)


def _send_any(api: Any, messages: Any) -> Any:
    """``/batch/any`` through the generated client's own request steps.

    Its typed ``batch_any_post`` takes upstream's ``MessageArray``, an object with no items, so
    it cannot send the array the API takes; the answer is still decoded by the generated code.
    """
    client = api.api_client
    request = client.param_serialize(
        method="POST",
        resource_path="/batch/any",
        header_params={"Content-Type": "application/json", "Accept": "application/json"},
        body=messages,
        auth_settings=["JWT"],
    )
    answer = client.call_api(*request)
    answer.read()
    return client.response_deserialize(answer, {"201": "BatchMessageResponse"}).data


def _when() -> str:
    return (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("optional", [False, True], ids=["required-only", "with-optional"])
def test_every_operation_is_read(gen: ModuleType, api: Any, optional: bool) -> None:  # noqa: F811
    extra = FULL if optional else {}
    sent = api.batch_send_post(
        gen.BatchMessage(sender="Acme", destinations=TO, content="Hi", **extra)
    )
    assert sent.batchid
    anyone = _send_any(
        api, [{"sender": "Acme", "destination": to, "content": "Hi", **extra} for to in TO]
    )
    assert anyone.batchid
    records = api.batch_batchid_get(str(sent.batchid))
    assert [str(int(r.destination)) for r in records] == TO
    scheduled = api.batch_schedule_post(
        gen.BatchMessage(sender="Acme", destinations=TO, content="Hi", schedule=_when(), **extra)
    )
    assert scheduled.batchid
    assert api.batch_batchid_get(str(scheduled.batchid))
    cancelled = api.batches_schedule_batchid_delete(str(scheduled.batchid))
    assert cancelled.status == "CANCELLED"
    info = api.batch_batchid_get_with_http_info(str(anyone.batchid))
    assert info.status_code == 200 and len(info.data) == 2


def test_error_answers_are_read(gen: ModuleType, api: Any, sandbox: Sandbox) -> None:  # noqa: F811
    with pytest.raises(gen.exceptions.BadRequestException) as bad:
        api.batch_send_post(gen.BatchMessage(sender="Acme", destinations=TO, content="x" * 2000))
    assert bad.value.status == 400 and bad.value.body
    with pytest.raises(gen.exceptions.NotFoundException) as missing:
        api.batch_batchid_get("999999999")
    assert missing.value.status == 404
    with pytest.raises(gen.exceptions.NotFoundException):
        api.batches_schedule_batchid_delete("999999999")
    sandbox.credits = 0
    with pytest.raises(gen.exceptions.ApiException) as broke:
        api.batch_send_post(gen.BatchMessage(sender="Acme", destinations=TO, content="Hi"))
    assert broke.value.status == 402 and broke.value.data is not None
    cfg = gen.Configuration(
        host=sandbox.url, api_key={"JWT": "wrong"}, api_key_prefix={"JWT": "JWT"}
    )
    with (
        gen.ApiClient(cfg) as client,
        pytest.raises(gen.exceptions.UnauthorizedException) as denied,
    ):
        gen.BatchMessagesApi(client).batch_batchid_get("1")
    assert denied.value.status == 401
