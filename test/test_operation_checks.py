"""Limits of the single-message, search and passcode operations, checked before anything is sent.

Each bad input raises ``LocalValidationError`` naming the field, and the transport sees no
request. Good inputs are normalised as batch ones are.
"""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

import openapi_client as oc

MESSAGE = {"sender": "Acme", "destination": "447700900001", "content": "Hi"}
OTP = {"sender": "Acme", "destination": "447700900001"}
SENT = (201, b'{"messageid": "1", "status": "SENT"}', {})


def _api(fake: Any, cls: type, answer: Any = SENT, **config: Any) -> Any:
    api, transport = fake(answer, **config)
    return cls(api.api_client), transport


@pytest.mark.parametrize(
    ("method", "body", "field"),
    [
        ("message_send_post", {**MESSAGE, "sender": "Far too long a sender"}, "sms_message.sender"),
        ("message_send_post", {**MESSAGE, "content": "  "}, "sms_message.content"),
        ("message_send_post", {**MESSAGE, "content": "x" * 1281}, "sms_message.content"),
        ("message_send_post", {**MESSAGE, "destination": "12ab"}, "sms_message.destination"),
        ("message_send_post", {**MESSAGE, "validity": 0}, "sms_message.validity"),
        ("send_flash_message", {**MESSAGE, "tag": "t" * 281}, "sms_message.tag"),
        (
            "send_flash_message",
            {**MESSAGE, "responseemail": ["nope"]},
            "sms_message.responseemail[0]",
        ),
        ("message_schedule_post", dict(MESSAGE), "sms_message.schedule"),
        ("message_schedule_post", {**MESSAGE, "schedule": " "}, "sms_message.schedule"),
    ],
)
def test_a_single_message_breaking_a_limit_is_refused_unsent(
    fake: Any, method: str, body: Dict[str, Any], field: str
) -> None:
    api, transport = _api(fake, oc.MessagesApi)
    with pytest.raises(oc.LocalValidationError) as caught:
        getattr(api, method)(body)
    assert str(caught.value).startswith(field + ":")
    assert transport.calls == []


def test_a_single_message_is_normalised_like_a_batch_one(fake: Any) -> None:
    api, transport = _api(fake, oc.MessagesApi)
    api.message_send_post({**MESSAGE, "destination": "07700 900123", "sender": "+447700900999"})
    assert json.loads(transport.calls[0]["body"]) == {
        "sender": "447700900999",
        "destination": "447700900123",
        "content": "Hi",
    }


@pytest.mark.parametrize("method", ["messages_post", "messages_inbox_post", "messages_failed_post"])
@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 0}, "query.limit"), ({"limit": 1001}, "query.limit"), ({"skip": -1}, "query.skip")],
)
def test_a_search_outside_its_paging_limits_is_refused_unsent(
    fake: Any, method: str, query: Dict[str, Any], field: str
) -> None:
    api, transport = _api(fake, oc.MessagesApi, (200, b"[]", {}))
    with pytest.raises(oc.LocalValidationError) as caught:
        getattr(api, method)(query)
    assert str(caught.value).startswith(field + ":")
    assert transport.calls == []
    assert getattr(api, method)({"limit": 1000, "skip": 0}) == []


@pytest.mark.parametrize(
    ("otp", "field"),
    [
        ({**OTP, "sender": "Far too long a sender"}, "otp.sender"),
        ({**OTP, "destination": "0"}, "otp.destination"),
        ({**OTP, "length": 0}, "otp.length"),
        ({**OTP, "validity": 0}, "otp.validity"),
        ({**OTP, "template": "Your code"}, "otp.template"),
        ({**OTP, "template": "{{passcode}}" + "x" * 1280}, "otp.template"),
        ({**OTP, "passcode": " "}, "otp.passcode"),
        ({**OTP, "metadata": {"k": "v" * 1100}}, "otp.metadata"),
    ],
)
def test_a_passcode_send_breaking_a_limit_is_refused_unsent(
    fake: Any, otp: Dict[str, Any], field: str
) -> None:
    api, transport = _api(fake, oc.OneTimePasswordApi)
    with pytest.raises(oc.LocalValidationError) as caught:
        api.otp_send_post(otp)
    assert str(caught.value).startswith(field + ":")
    assert transport.calls == []


def test_metadata_of_exactly_1024_bytes_is_sent(fake: Any) -> None:
    api, transport = _api(fake, oc.OneTimePasswordApi)
    metadata = {"k": "v" * (1024 - len('{"k":""}'))}
    api.otp_send_post({**OTP, "metadata": metadata, "destination": "+44 7700 900001"})
    sent = json.loads(transport.calls[0]["body"])
    assert sent["metadata"] == metadata and sent["destination"] == "447700900001"


@pytest.mark.parametrize("passcode", ["", "   "])
def test_an_empty_passcode_is_not_checked(fake: Any, passcode: str) -> None:
    api, transport = _api(fake, oc.OneTimePasswordApi)
    with pytest.raises(oc.LocalValidationError) as caught:
        api.otp_verify_post({"passcode": passcode})
    assert str(caught.value).startswith("passcode.passcode:")
    assert transport.calls == []


def test_the_checks_can_be_switched_off(fake: Any) -> None:
    api, transport = _api(fake, oc.OneTimePasswordApi, client_side_validation=False)
    api.otp_send_post({**OTP, "length": 0})
    assert json.loads(transport.calls[0]["body"])["length"] == 0


def test_the_scheduled_list_is_a_list_whether_the_api_sends_one_or_many(fake: Any) -> None:
    job = {"status": "SCHEDULED", "id": "7", "batch": True, "message": {"destinations": [44]}}
    for body in (json.dumps(job), json.dumps([job, job])):
        api, _ = _api(fake, oc.MessagesApi, (200, body.encode(), {}))
        jobs = api.messages_schedule_get()
        assert isinstance(jobs, list) and jobs[0].id == "7"
        assert jobs[0].message.destinations == ["44"]


def test_an_error_code_sample_is_returned_not_raised(fake: Any) -> None:
    body = b'{"message": "Insufficient credits", "errorCode": 1030, "status": "x", "permanent": 0}'
    api, transport = _api(fake, oc.UtilsApi, (200, body, {}))
    sample = api.utils_errors_errorcode_get(1030)
    assert isinstance(sample, oc.ExtendedErrorModel) and sample.error_code == 1030
    assert transport.calls[0]["url"].endswith("/utils/errors/1030")
    api, _ = _api(fake, oc.UtilsApi, (404, b'{"message": "no such code"}', {}))
    with pytest.raises(oc.NotFoundException):
        api.utils_errors_errorcode_get("9999")


def test_the_twins_take_the_plain_methods_arguments_by_position_or_name(fake: Any) -> None:
    import inspect

    answer = (200, b'{"messageid": "5", "status": "DELETED"}', {})
    base, transport = fake(answer, answer, answer)
    api = oc.MessagesApi(base.api_client)
    assert api.messages_messageid_delete_with_http_info("5").data.messageid == "5"
    assert api.messages_messageid_delete_with_http_info(messageid=5).status_code == 200
    raw = api.messages_messageid_delete_without_preload_content("5", _headers={"X-Trace": "t"})
    assert raw.status == 200
    assert [c["url"].rsplit("/", 1)[1] for c in transport.calls] == ["5", "5", "5"]
    assert transport.calls[2]["headers"]["X-Trace"] == "t"
    with pytest.raises(TypeError, match="missing required argument: 'messageid'"):
        api.messages_messageid_delete_with_http_info()
    with pytest.raises(TypeError, match="positional"):
        api.messages_messageid_delete_with_http_info("5", "6")
    twin = oc.MessagesApi.message_send_post_with_http_info
    assert twin.__name__ == "message_send_post_with_http_info"
    assert "ApiResponse" in (twin.__doc__ or "")
    assert list(inspect.signature(twin).parameters) == ["self", "sms_message", "options"]
