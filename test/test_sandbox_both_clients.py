"""Every operation of the registry against the sandbox over real HTTP, on both clients.

Each operation runs with its example call (test/operation_examples.py); those that address
something (a batch, a message, a passcode) first make it with the same client, so the call is
answered with its success status and decodes into the declared type. An operation added to the
registry fails here until it has an entry in ``SETUP`` or runs with its example as it is.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator

import pytest
from clients import KINDS, Caller
from operation_examples import EXAMPLES

from openapi_client._registry import OPERATIONS
from openapi_client.sandbox import Sandbox

Setup = Callable[[Caller, Sandbox], Dict[str, Any]]


def _example(name: str) -> Dict[str, Any]:
    return EXAMPLES[name].arguments()


def _batch(caller: Caller, sandbox: Sandbox) -> Dict[str, Any]:
    sent = caller.call("batch_send_post", **_example("batch_send_post"))
    return {"batchid": sent.batchid}


def _scheduled_batch(caller: Caller, sandbox: Sandbox) -> Dict[str, Any]:
    made = caller.call("batch_schedule_post", **_example("batch_schedule_post"))
    return {"batchid": made.batchid}


def _message(caller: Caller, sandbox: Sandbox) -> Dict[str, Any]:
    sent = caller.call("message_send_post", **_example("message_send_post"))
    return {"messageid": sent.messageid}


def _scheduled_message(caller: Caller, sandbox: Sandbox) -> Dict[str, Any]:
    (made,) = caller.call("message_schedule_post", **_example("message_schedule_post"))
    return {"messageid": made.messageid}


def _otp(caller: Caller, sandbox: Sandbox) -> Dict[str, Any]:
    sent = caller.call("otp_send_post", **_example("otp_send_post"))
    return {"messageid": sent.messageid}


def _passcode(caller: Caller, sandbox: Sandbox) -> Dict[str, Any]:
    otp = _example("otp_send_post")["otp"]
    caller.call("otp_send_post", otp=otp)
    return {"passcode": {"passcode": sandbox.last_otp(otp["destination"])}}


#: Operations whose example addresses something that must exist first.
SETUP: Dict[str, Setup] = {
    "batch_batchid_get": _batch,
    "batches_schedule_batchid_delete": _scheduled_batch,
    "messages_messageid_get": _message,
    "messages_messageid_delete": _message,
    "messages_schedule_messageid_delete": _scheduled_message,
    "otp_messageid_get": _otp,
    "otp_verify_post": _passcode,
}


@pytest.fixture
def sandbox_plenty() -> Iterator[Sandbox]:
    with Sandbox(credits=1_000) as sb:
        yield sb


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variant", ["", "_with_http_info", "_without_preload_content"])
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_each_operation_succeeds_on_the_sandbox(
    sandbox_plenty: Sandbox, kind: str, variant: str, name: str
) -> None:
    caller = Caller(kind, sandbox_plenty.configuration())
    try:
        setup = SETUP.get(name)
        arguments = setup(caller, sandbox_plenty) if setup else _example(name)
        result = caller.call(name, variant, **arguments)
    finally:
        caller.close()
    example = EXAMPLES[name]
    if variant == "":
        assert isinstance(result, example.result), result
    elif variant == "_with_http_info":
        assert result.status_code == OPERATIONS[name].status
        assert isinstance(result.data, example.result)
    else:
        assert result.status == OPERATIONS[name].status, result.data
        assert result.data[:1] in (b"{", b"[")
