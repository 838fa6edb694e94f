"""Tests of the request core: exact requests, status mapping, decoding.

Most run on a fake transport; the bad-value cases at the end run over real HTTP on 127.0.0.1, so
that "nothing was sent" is counted by a server.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, Tuple

import operation_examples as ex
import pytest
import urllib3
from clients import KINDS, Caller, Raw
from fakes import FakeTransport
from fault_server import Fault, FaultServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from operation_examples import EXAMPLES

import openapi_client as oc
from openapi_client._registry import API_CLASSES, OPERATIONS
from openapi_client._retry import FailureKind
from openapi_client.exceptions import (
    SendOutcomeUnknownResponseError,
    SendOutcomeUnknownServiceError,
    SendOutcomeUnknownTimeoutError,
)
from openapi_client.rest import TransportError

HOST = "https://api.example.test/v1"
BATCH = ex.BATCH
MESSAGES = EXAMPLES["batch_any_post"].kwargs["messages"]
CREATED = (201, ex.CREATED, {})
RECORD = ex.RECORD
LISTED = (200, ex.LISTED, {})
CANCELLED = (200, EXAMPLES["batches_schedule_batchid_delete"].answer, {})
SCHEDULE = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def api_for(name: str, api: Any) -> Any:
    """The API class instance that has operation ``name``, over ``api``'s client."""
    return API_CLASSES[OPERATIONS[name].api](api.api_client)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(OPERATIONS))
@pytest.mark.parametrize("variant", ["", "_with_http_info", "_without_preload_content"])
def test_each_operation_and_variant_sends_exactly_this(kind: str, name: str, variant: str) -> None:
    op, example = OPERATIONS[name], EXAMPLES[name]
    answer = (example.status, example.answer, {})
    transport = FakeTransport(answer)
    config = oc.Configuration(host=HOST, api_key={"JWT": "test-token"})
    caller = Caller(kind, config, transport=transport)
    result = caller.call(name, variant, **example.arguments())

    (call,) = transport.calls
    assert call["method"] == op.method
    assert call["url"] == HOST + example.path
    assert call["body"] == example.body
    headers = call["headers"]
    assert headers["Authorization"] == "JWT test-token"
    assert headers["Accept"].startswith("application/json")
    assert headers["User-Agent"] == f"smsworks-python/{oc.__version__}"
    assert ("Content-Type" in headers) == (example.body is not None)
    if example.body is not None:
        assert headers["Content-Type"] == "application/json"
    assert call["timeout"] == (5.0, 60.0)
    assert call["preload"] is (variant != "_without_preload_content")

    if variant == "":
        assert isinstance(result, example.result)
    elif variant == "_with_http_info":
        assert isinstance(result, oc.ApiResponse)
        assert result.status_code == answer[0]
        assert result.raw_data == answer[1]
        assert isinstance(result.data, example.result)
    else:
        assert result == Raw(answer[0], answer[1])


def test_models_and_dicts_give_the_same_bytes(fake: Any) -> None:
    api, transport = fake(CREATED)
    api.batch_send_post(BATCH)
    api.batch_send_post(oc.BatchMessage(**BATCH))
    api.batch_send_post(oc.BatchMessage.from_dict(BATCH))  # type: ignore[arg-type]
    assert len({c["body"] for c in transport.calls}) == 1


def test_read_back_is_lenient(fake: Any) -> None:
    api, _ = fake(LISTED)
    (record,) = api.batch_batchid_get(2586749)
    assert record.destination == "447700900001"
    assert record.messageid == "5620320"
    assert record.batchid == "2586749"
    assert record.tag is None
    assert record.model_extra == {"extra": {"kept": True}}
    assert record.created_at == datetime(2017, 7, 19, 19, 53, 46, tzinfo=timezone.utc)


# -- status mapping -------------------------------------------------------------------------

EXTENDED = b'{"message": "Not enough credits", "errorCode": 1002, "status": "x", "permanent": true}'


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, oc.BadRequestException),
        (401, oc.UnauthorizedException),
        (402, oc.InsufficientCreditsException),
        (403, oc.ForbiddenException),
        (404, oc.NotFoundException),
        (409, oc.ConflictException),
        (422, oc.UnprocessableEntityException),
        (418, oc.ApiException),
        (429, oc.RateLimitException),
        (500, oc.ServiceException),
        (502, oc.ServiceException),
        (503, oc.ServiceException),
        (599, oc.ServiceException),
    ],
)
def test_statuses_map_to_their_exception(fake: Any, status: int, cls: type) -> None:
    api, transport = fake((status, EXTENDED, {"X-Trace": "t1"}), retries=0)
    with pytest.raises(cls) as info:
        api.batch_batchid_get("1")
    exc = info.value
    assert type(exc) is cls
    assert exc.status == status
    assert exc.headers == {"X-Trace": "t1"}
    assert isinstance(exc.data, oc.ExtendedErrorModel)
    assert exc.error_code == 1002
    assert exc.permanent is True
    assert exc.message == "Not enough credits"
    assert "errorCode 1002: Not enough credits" in str(exc)
    assert len(transport.calls) == 1


def test_plain_error_body_and_html_body(fake: Any) -> None:
    api, _ = fake((404, b'{"message": "Batch not found"}', {}))
    with pytest.raises(oc.NotFoundException) as info:
        api.batch_batchid_get("1")
    assert isinstance(info.value.data, oc.ErrorModel)
    assert info.value.message == "Batch not found"
    assert info.value.error_code is None

    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    api, _ = fake((502, html, {"Content-Type": "text/html"}), retries=0)
    with pytest.raises(oc.ServiceException) as info:
        api.batch_batchid_get("1")
    assert info.value.data is None
    assert info.value.body == html.decode()
    assert "502 Bad Gateway" in str(info.value)


def test_a_send_answered_with_5xx_is_outcome_unknown_and_not_retried(fake: Any) -> None:
    api, transport = fake((502, b"<html>bad gateway</html>", {}))
    with pytest.raises(oc.SendOutcomeUnknownError) as info:
        api.batch_send_post(BATCH)
    assert isinstance(info.value, oc.ServiceException)
    assert type(info.value) is SendOutcomeUnknownServiceError
    assert info.value.status == 502
    assert info.value.method == "POST"
    assert info.value.url == HOST + "/batch/send"
    assert "may have been delivered" in str(info.value)
    assert len(transport.calls) == 1


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'{"batchid": "12', "not valid JSON"),
        (b"[1, 2]", "does not fit BatchMessageResponse"),
        (b'{"status": "SCHEDULED"}', "batchid"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"", "not valid JSON"),
    ],
)
def test_a_success_with_a_bad_body_raises_api_response_error(
    fake: Any, body: bytes, why: str
) -> None:
    api, _ = fake((201, body, {}))
    with pytest.raises(oc.ApiResponseError) as info:
        api.batch_send_post(BATCH)
    # The API said yes, but which batch it made is lost with the body.
    assert type(info.value) is SendOutcomeUnknownResponseError
    assert why in str(info.value)
    assert info.value.status == 201
    assert info.value.body == body.decode("utf-8", "replace")
    assert isinstance(info.value, oc.ApiException)


# -- authorization --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_key", "prefix"),
    [
        ("tok.en-1", None),
        ("JWT tok.en-1", None),
        ("tok.en-1", "JWT"),
        ("JWT tok.en-1", "JWT"),
        ("  JWT   tok.en-1 ", None),
        ("Bearer tok.en-1", None),
        ("tok.en-1", "Bearer"),
    ],
)
def test_the_authorization_header_is_always_jwt_once(fake: Any, api_key: str, prefix: Any) -> None:
    api, transport = fake(
        LISTED, api_key={"JWT": api_key}, api_key_prefix={"JWT": prefix} if prefix else None
    )
    api.batch_batchid_get("1")
    assert transport.calls[0]["headers"]["Authorization"] == "JWT tok.en-1"


def test_request_auth_overrides_and_no_token_sends_no_header(fake: Any) -> None:
    api, transport = fake(LISTED)
    api.batch_batchid_get("1", _request_auth={"in": "header", "key": "Authorization", "value": "x"})
    assert transport.calls[0]["headers"]["Authorization"] == "JWT x"
    api, transport = fake(LISTED, api_key={})
    with pytest.raises(oc.UnauthorizedException):  # no token: refused, nothing sent
        api.batch_batchid_get("1")
    assert transport.calls == []


@pytest.mark.parametrize("token", ["abc\r\nX-Evil: 1", "abc\x00", "", "JWT ", "a b"])
def test_bad_tokens_are_refused_before_sending(fake: Any, token: str) -> None:
    api, transport = fake(LISTED, api_key={"JWT": token})
    with pytest.raises(oc.ApiValueError) as info:
        api.batch_batchid_get("1")
    assert transport.calls == []
    assert "abc" not in str(info.value)


# -- per-call options -----------------------------------------------------------------------


def test_timeouts_default_override_and_none(fake: Any) -> None:
    api, transport = fake(LISTED)
    api.batch_batchid_get("1")
    api.batch_batchid_get("1", _request_timeout=3)
    api.batch_batchid_get("1", _request_timeout=(1, 2))
    api.batch_batchid_get("1", _request_timeout=None)
    assert [c["timeout"] for c in transport.calls] == [(5.0, 60.0), 3, (1, 2), None]
    api, transport = fake(LISTED, timeout=(2.0, 9.0))
    api.batch_batchid_get("1")
    assert transport.calls[0]["timeout"] == (2.0, 9.0)


def test_extra_headers_content_type_and_host_index(fake: Any) -> None:
    api, transport = fake(CREATED)
    api.batch_send_post(BATCH, _headers={"X-Request-Id": "r1"}, _content_type="application/json")
    assert transport.calls[0]["headers"]["X-Request-Id"] == "r1"
    with pytest.raises(oc.ApiValueError, match="_content_type"):
        api.batch_send_post(BATCH, _content_type="text/plain")
    with pytest.raises(oc.ApiValueError, match="headers"):
        api.batch_send_post(BATCH, _headers={"X-A": "1\r\nX-B: 2"})
    with pytest.raises(oc.ApiValueError, match="headers"):
        api.batch_send_post(BATCH, _headers={"X-A\n": "1"})
    with pytest.raises(oc.ApiValueError, match="set by the SDK"):
        api.batch_send_post(BATCH, _headers={"Content-Length": "1"})
    with pytest.raises(oc.ApiValueError, match="_host_index"):
        api.batch_send_post(BATCH, _host_index=3)
    api.batch_send_post(BATCH, _host_index=0)
    # Entry 0 is the configured host, never the production API behind the user's back.
    assert transport.calls[-1]["url"] == HOST + "/batch/send"
    assert len(transport.calls) == 2


def test_default_header_and_user_agent(fake: Any) -> None:
    api, transport = fake(LISTED)
    api.api_client.set_default_header("X-App", "reminders")
    api.api_client.user_agent = "my-app/2"
    api.batch_batchid_get("1")
    assert transport.calls[0]["headers"]["X-App"] == "reminders"
    assert transport.calls[0]["headers"]["User-Agent"] == "my-app/2"
    with pytest.raises(oc.ApiValueError):
        api.api_client.set_default_header("X-App", "a\nb")


# -- path parameters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("batchid", "path"),
    [
        ("2586749", "/batch/2586749"),
        (2586749, "/batch/2586749"),
        ("../credits/balance", "/batch/..%2Fcredits%2Fbalance"),
        ("1?x=1#f", "/batch/1%3Fx%3D1%23f"),
        ("100%", "/batch/100%25"),
        ("lot ñ", "/batch/lot%20%C3%B1"),
    ],
)
def test_batch_ids_address_only_their_batch(fake: Any, batchid: Any, path: str) -> None:
    api, transport = fake(LISTED, CANCELLED)
    api.batch_batchid_get(batchid)
    assert transport.calls[0]["url"] == HOST + path


@pytest.mark.parametrize("batchid", ["", "   ", ".", "..", "a\nb", "a\x00"])
def test_odd_batch_ids_are_refused(fake: Any, batchid: str) -> None:
    api, transport = fake(LISTED)
    with pytest.raises(oc.ApiValueError, match="batchid"):
        api.batch_batchid_get(batchid)
    with pytest.raises(oc.ApiValueError, match="batchid"):
        api.batches_schedule_batchid_delete(batchid)
    assert transport.calls == []


@pytest.mark.parametrize("batchid", [None, 1.5, True, ["1"]])
def test_batch_ids_of_the_wrong_type_are_refused(fake: Any, batchid: Any) -> None:
    api, transport = fake(LISTED)
    with pytest.raises(oc.ApiTypeError, match="batchid"):
        api.batch_batchid_get(batchid)
    assert transport.calls == []


# -- request bodies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "arg", "where", "cls"),
    [
        ("batch_send_post", {**BATCH, "sender": None}, "sms_message.sender", oc.ApiTypeError),
        ("batch_send_post", {"sender": "A", "content": "x"}, "destinations", oc.ApiValueError),
        ("batch_send_post", {**BATCH, "destination": "1"}, "message.destination", oc.ApiValueError),
        ("batch_send_post", {**BATCH, "validity": "10"}, "sms_message.validity", oc.ApiTypeError),
        ("batch_send_post", {**BATCH, "destinations": [44770090]}, "tions[0]", oc.ApiTypeError),
        ("batch_any_post", [MESSAGES[0], {"sender": "A"}], "[1].destination", oc.ApiValueError),
        ("batch_any_post", {"sender": "A"}, "messages", oc.ApiTypeError),
        ("batch_schedule_post", BATCH, "sms_message.schedule", oc.ApiValueError),
        (
            "batch_schedule_post",
            {**BATCH, "schedule": datetime(2026, 12, 1, 9, 0)},
            "schedule",
            oc.ApiValueError,
        ),
    ],
)  # fmt: skip
def test_bad_bodies_are_refused_naming_the_field(
    fake: Any, name: str, arg: Any, where: str, cls: type
) -> None:
    api, transport = fake(CREATED)
    with pytest.raises(cls) as info:
        getattr(api, name)(arg)
    assert where in str(info.value)
    assert transport.calls == []


def test_schedule_keeps_its_offset(fake: Any) -> None:
    api, transport = fake(CREATED)
    when = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    api.batch_schedule_post({**BATCH, "schedule": when})
    api.batch_schedule_post({**BATCH, "schedule": "Tue Dec 01 2026 09:00:00 GMT+0000 (GMT)"})
    bodies = [json.loads(c["body"]) for c in transport.calls]
    assert bodies[0]["schedule"] == "2026-12-01T09:00:00+01:00"
    assert bodies[1]["schedule"] == "Tue Dec 01 2026 09:00:00 GMT+0000 (GMT)"


# -- transport failures and retries ---------------------------------------------------------


def _failure(kind: FailureKind) -> TransportError:
    return TransportError(kind, kind.value, OSError(kind.value))


@pytest.mark.parametrize(
    ("kind", "method", "cls", "calls"),
    [
        (FailureKind.CONNECT, "batch_batchid_get", oc.ApiConnectionError, 3),
        (FailureKind.CONNECT, "batch_send_post", oc.ApiConnectionError, 3),
        (FailureKind.CONNECT_TIMEOUT, "batch_send_post", oc.ApiTimeoutError, 3),
        (FailureKind.READ_TIMEOUT, "batch_batchid_get", oc.ApiTimeoutError, 3),
        (FailureKind.READ_TIMEOUT, "batch_send_post", SendOutcomeUnknownTimeoutError, 1),
        (FailureKind.DROPPED, "batch_any_post", oc.SendOutcomeUnknownError, 1),
        (FailureKind.DROPPED, "batches_schedule_batchid_delete", oc.ApiConnectionError, 3),
    ],
)
def test_transport_failures_are_typed_and_retried_only_when_safe(
    fake: Any, kind: FailureKind, method: str, cls: type, calls: int
) -> None:
    arg = {"batch_send_post": BATCH, "batch_any_post": MESSAGES}.get(method, "1")
    api, transport = fake(_failure(kind))
    with pytest.raises(cls) as info:
        getattr(api, method)(arg)
    assert type(info.value) is cls
    assert isinstance(info.value.__cause__, OSError)
    assert len(transport.calls) == calls
    assert "test-token" not in str(info.value)


def test_retries_then_success_and_retries_disabled(fake: Any) -> None:
    api, transport = fake((503, b"{}", {}), (503, b"{}", {}), LISTED)
    assert len(api.batch_batchid_get("1")) == 1
    assert len(transport.calls) == 3
    api, transport = fake((503, b"{}", {}), LISTED, retries=0)
    with pytest.raises(oc.ServiceException):
        api.batch_batchid_get("1")
    assert len(transport.calls) == 1


def test_a_send_is_retried_after_429_but_never_after_503(fake: Any) -> None:
    api, transport = fake((429, b"{}", {"Retry-After": "1"}), CREATED)
    assert api.batch_send_post(BATCH).batchid == "2586749"
    assert len(transport.calls) == 2
    api, transport = fake((503, b"{}", {}), CREATED)
    with pytest.raises(oc.SendOutcomeUnknownError):
        api.batch_send_post(BATCH)
    assert len(transport.calls) == 1


def test_retry_waits_follow_the_policy(fake: Any) -> None:
    api, transport = fake((429, b"{}", {"Retry-After": "7"}), LISTED)
    waits: list = []
    api.api_client.sleep = waits.append
    api.batch_batchid_get("1")
    assert waits == [7.0]
    api, transport = fake((429, b"{}", {"Retry-After": "3600"}), LISTED)
    with pytest.raises(oc.RateLimitException) as info:
        api.batch_batchid_get("1")
    assert info.value.retry_after == "3600"
    assert len(transport.calls) == 1


def test_urllib3_retry_object_is_accepted(fake: Any) -> None:
    api, transport = fake((503, b"{}", {}), retries=urllib3.Retry(total=4, backoff_factor=0))
    with pytest.raises(oc.ServiceException):
        api.batch_batchid_get("1")
    assert len(transport.calls) == 5


def test_without_preload_does_not_raise_on_status(fake: Any) -> None:
    api, transport = fake((404, b'{"message": "no"}', {}))
    raw = api.batch_batchid_get_without_preload_content("1")
    assert raw.status == 404
    assert raw.data == b'{"message": "no"}'
    assert len(transport.calls) == 1


# -- transport security ---------------------------------------------------------------------


def test_plain_http_only_to_loopback_unless_allowed(fake: Any) -> None:
    api, transport = fake(LISTED, host="http://api.example.test/v1")
    with pytest.raises(oc.ApiValueError, match="plain http"):
        api.batch_batchid_get("1")
    assert transport.calls == []
    for host in ("http://127.0.0.1:9/v1", "http://localhost:9/v1", "http://[::1]:9/v1"):
        api, transport = fake(LISTED, host=host)
        api.batch_batchid_get("1")
        assert transport.calls[0]["url"].startswith(host)
    api, transport = fake(LISTED, host="http://api.example.test/v1", allow_insecure_http=True)
    api.batch_batchid_get("1")
    api, transport = fake(LISTED, host="http://api.example.test/v1", api_key={})
    with pytest.raises(oc.UnauthorizedException):  # no token: refused before anything else
        api.batch_batchid_get("1")
    assert transport.calls == []
    api, transport = fake(LISTED, host="ftp://api.example.test/v1")
    with pytest.raises(oc.ApiValueError, match="scheme"):
        api.batch_batchid_get("1")


def test_turning_off_tls_verification_warns() -> None:
    cfg = oc.Configuration(host=HOST, api_key={"JWT": "t"})
    cfg.verify_ssl = False
    with pytest.warns(UserWarning, match="verification is off"):
        oc.ApiClient(cfg).close()


# -- openapi-generator's public steps -------------------------------------------------------


def test_generated_style_steps(fake: Any) -> None:
    api, transport = fake(LISTED)
    client = api.api_client
    method, url, headers, body, _ = client.param_serialize(
        "GET", "/batch/{batchid}", path_params={"batchid": "a/b"}, query_params=[("x", 1)]
    )
    assert (method, url, body) == ("GET", HOST + "/batch/a%2Fb?x=1", None)
    assert headers["Authorization"] == "JWT test-token"
    response = client.call_api(method, url, headers)
    result = client.response_deserialize(response, {"200": "List[MessageResponse]"})
    assert result.data[0].destination == "447700900001"
    _, _, headers, body, _ = client.param_serialize(
        "POST", "/batch/send", body=oc.BatchMessage(**BATCH)
    )
    assert json.loads(body) == BATCH
    assert headers["Content-Type"] == "application/json"
    assert client.deserialize('{"message": "m"}', "ErrorModel") == oc.ErrorModel(message="m")
    with pytest.raises(oc.ApiResponseError):
        client.deserialize("[", "ErrorModel")
    with pytest.raises(oc.ApiValueError):
        client.deserialize("{}", "NoSuchModel")
    assert client.sanitize_for_serialization(
        {"a": [SCHEDULE, oc.MetaData(key="k", value="v")], "b": (1, None)}
    ) == {"a": ["2026-12-01T09:00:00+00:00", {"key": "k", "value": "v"}], "b": [1, None]}
    with pytest.raises(oc.ApiTypeError):
        client.sanitize_for_serialization(object())
    client.call_api("POST", HOST + "/batch/send", {}, body={"a": 1})
    assert transport.calls[-1]["body"] == b'{"a": 1}'


def test_header_selection_helpers() -> None:
    pick = oc.ApiClient.select_header_accept
    assert pick(["text/plain", "application/json"]) == "application/json"
    assert pick(["text/plain"]) == "text/plain"
    assert pick([]) is None
    assert oc.ApiClient.select_header_content_type(["application/json"]) == "application/json"


def test_client_lifecycle(fake: Any) -> None:
    api, transport = fake(LISTED)
    with api.api_client as client:
        assert "test-token" not in repr(client)
    assert transport.cleared == 1
    assert oc.BatchMessagesApi().api_client is oc.ApiClient.get_default()
    oc.ApiClient.set_default(None)


def test_large_bodies_decode_with_the_collector_paused_and_restored(fake: Any) -> None:
    import gc

    records = json.dumps([RECORD] * 3000).encode()
    assert len(records) > 256 * 1024
    seen: list = []
    api, _ = fake((200, records, {}))
    import openapi_client._adapters as adapters

    original = adapters.adapter_for

    def spying(tp: Any) -> Any:
        adapter = original(tp)

        class Spy:
            def validate_json(self, raw: bytes) -> Any:
                seen.append(gc.isenabled())
                return adapter.validate_json(raw)

        return Spy()

    adapters.adapter_for = spying  # type: ignore[assignment]
    try:
        assert gc.isenabled()
        assert len(api.batch_batchid_get("1")) == 3000
        assert gc.isenabled()
        gc.disable()
        try:
            api.batch_batchid_get("1")
            assert not gc.isenabled()  # left off, as the caller had it
        finally:
            gc.enable()
        api, _ = fake((200, b"[" + b"0," * 200_000 + b"0]", {}))
        with pytest.raises(oc.ApiResponseError):
            api.batch_batchid_get("1")
        assert gc.isenabled()
    finally:
        adapters.adapter_for = original  # type: ignore[assignment]
    assert seen == [False, False, False]


def test_a_streamed_body_is_cut_off_at_the_size_limit() -> None:
    from openapi_client.rest import ResponseTooLarge, RESTClientObject

    class Streamed:
        status, headers, length_remaining = 200, {"X": "1"}, None

        def __init__(self) -> None:
            self.reads = 0
            self.closed = self.released = False

        def read1(self, amount: int) -> bytes:
            self.reads += 1
            return b"x" * 1000

        def close(self) -> None:
            self.closed = True

        def release_conn(self) -> None:
            self.released = True

    resp = Streamed()
    with pytest.raises(ResponseTooLarge) as info:
        RESTClientObject._read_body(resp, 0.0, None, 4500)
    assert resp.reads == 5 and resp.closed and resp.released
    assert info.value.status == 200 and info.value.final
    resp = Streamed()
    resp.length_remaining = 10_000  # type: ignore[assignment]
    with pytest.raises(ResponseTooLarge):
        RESTClientObject._read_body(resp, 0.0, None, 4500)
    assert resp.reads == 0


# -- bad values end as SDK errors, over real HTTP ------------------------------------------------


@pytest.fixture(scope="module")
def listening() -> Iterator[FaultServer]:
    """One local server answering 201 with a batch id; counts what reaches it."""
    with FaultServer(Fault("ok", status=201, body={"batchid": "2586749"})) as server:
        yield server


def _real_api(server: FaultServer, **config: Any) -> oc.BatchMessagesApi:
    config.setdefault("api_key", {"JWT": "test-token"})
    client = oc.ApiClient(oc.Configuration(host=server.url, **config))
    client.sleep = lambda seconds: None  # type: ignore[method-assign]
    return oc.BatchMessagesApi(client)


@pytest.mark.parametrize("method", ["batch_batchid_get", "batches_schedule_batchid_delete"])
@pytest.mark.parametrize("batchid", [10**5000, -(10**5000)], ids=["huge", "huge-negative"])
def test_an_id_too_large_to_write_is_refused_naming_it(
    listening: FaultServer, method: str, batchid: int
) -> None:
    before = listening.request_count
    with pytest.raises(oc.ApiValueError) as info:
        getattr(_real_api(listening), method)(batchid)
    assert info.value.path_to_item == ["batchid"]
    assert str(info.value).startswith("batchid: ")
    assert listening.request_count == before


def test_an_int_subclass_id_is_sent_as_its_digits() -> None:
    class Weird(int):
        def __str__(self) -> str:
            return "../../credits"

    with FaultServer(Fault("ok", body=[])) as server:
        assert _real_api(server).batch_batchid_get(Weird(42)) == []
        assert server.requests[0].path == "/v1/batch/42"


LONE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)


@st.composite
def poisoned_bodies(draw: Any) -> Tuple[str, Any, str]:
    """(operation, body with one lone surrogate in one text field, path of that field)."""
    operation = draw(st.sampled_from(["batch_send_post", "batch_schedule_post", "batch_any_post"]))
    field = draw(st.sampled_from(["content", "tag", "schedule", "metadata.key", "metadata.value"]))
    if operation != "batch_any_post" and field.startswith("metadata"):
        field = "content"  # a batch has no metadata
    clean = draw(TEXT).strip() or "x"
    at = draw(st.integers(0, len(clean)))
    bad = clean[:at] + draw(LONE) + clean[at:]
    message: Dict[str, Any] = {"sender": "Acme", "content": "Hi"}
    if operation == "batch_schedule_post" or field == "schedule":
        message["schedule"] = "2030-01-01T09:00:00Z"
    if field.startswith("metadata"):
        pair = {"key": "order", "value": "42"}
        pair[field.split(".")[1]] = bad
        message["metadata"] = [{"key": "first", "value": "1"}, pair]
        where = f"metadata[1].{field.split('.')[1]}"
    else:
        message[field] = bad
        where = field
    if operation == "batch_any_post":
        count = draw(st.integers(1, 5))
        index = draw(st.integers(0, count - 1))
        messages = [
            {"sender": "Acme", "destination": f"4477009000{n:02d}", "content": f"Hi {n}"}
            for n in range(count)
        ]
        messages[index] = {**message, "destination": f"4477009000{index:02d}"}
        return operation, messages, f"messages[{index}].{where}"
    return operation, {**message, "destinations": ["447700900001"]}, f"sms_message.{where}"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=poisoned_bodies(), validate=st.booleans())
def test_a_lone_surrogate_in_any_text_is_refused_naming_the_field(
    listening: FaultServer, case: Tuple[str, Any, str], validate: bool
) -> None:
    operation, body, where = case
    before = listening.request_count
    api = _real_api(listening, client_side_validation=validate)
    with pytest.raises(oc.ApiValueError) as info:
        getattr(api, operation)(body)
    assert str(info.value).startswith(f"{where}: "), (str(info.value), where)
    assert listening.request_count == before


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"2.5"])
@pytest.mark.parametrize(
    ("method", "status", "template"),
    [
        ("batch_send_post", 201, b'{"batchid": %s, "status": "SCHEDULED"}'),
        ("batch_any_post", 201, b'{"batchid": %s, "status": "SCHEDULED"}'),
        ("batch_schedule_post", 201, b'{"batchid": %s, "status": "SCHEDULED"}'),
        ("batch_batchid_get", 200, b'[{"messageid": "1", "batchid": %s}]'),
        ("batch_batchid_get", 200, b'[{"messageid": %s}]'),
        ("batches_schedule_batchid_delete", 200, b'{"messageid": %s, "status": "CANCELLED"}'),
    ],
)
def test_an_id_that_is_not_a_whole_number_is_refused(
    method: str, status: int, template: bytes, number: bytes
) -> None:
    argument: Any = {
        "batch_send_post": BATCH,
        "batch_any_post": MESSAGES,
        "batch_schedule_post": {**BATCH, "schedule": datetime.now(timezone.utc) + timedelta(1)},
    }.get(method, "2586749")
    with FaultServer(Fault("ok", status=status, body=template % number)) as server:
        with pytest.raises(oc.ApiResponseError) as info:
            getattr(_real_api(server), method)(argument)
        assert "not an id" in str(info.value)
        assert info.value.status == status
        # A send whose id is unreadable was accepted, but which batch it made is unknown.
        assert isinstance(info.value, oc.SendOutcomeUnknownError) is (method.endswith("_post"))
        assert server.request_count == 1


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_a_destination_that_is_not_a_finite_number_is_refused(number: bytes) -> None:
    with FaultServer(Fault("ok", status=200, body=b'[{"destination": %s}]' % number)) as server:
        with pytest.raises(oc.ApiResponseError) as info:
            _real_api(server).batch_batchid_get("2586749")
        assert "not a number" in str(info.value)
        assert server.request_count == 1


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (b"447700900001", "447700900001"),
        (b'"07700900001"', "07700900001"),
        (b"447700900001.0", "447700900001"),
        # The upstream document types destination as a number, and mocks built from it send
        # fractions: read them as the text of that number rather than refuse the whole list.
        (b"-55994595.22030106", "-55994595.22030106"),
    ],
)
def test_a_destination_keeps_the_text_of_its_number(sent: bytes, kept: str) -> None:
    with FaultServer(Fault("ok", status=200, body=b'[{"destination": %s}]' % sent)) as server:
        (record,) = _real_api(server).batch_batchid_get("2586749")
    assert record.destination == kept


def test_ids_sent_as_whole_numbers_still_read_as_text() -> None:
    body = b'[{"messageid": 5620320, "batchid": 123456789012345678901234567890, "id": "7"}]'
    with FaultServer(Fault("ok", body=body)) as server:
        (record,) = _real_api(server).batch_batchid_get("1")
    assert (record.messageid, record.batchid, record.id) == (
        "5620320",
        "123456789012345678901234567890",
        "7",
    )


@pytest.mark.parametrize(
    "text",
    ['{"batchid": NaN}', '{"batchid": "\ud800"}', "[" * 100_000, '{"batchid": 1e400}'],
)
def test_deserialize_raises_only_api_response_error(text: str) -> None:
    with pytest.raises(oc.ApiResponseError):
        oc.ApiClient(oc.Configuration(host=HOST)).deserialize(text, "BatchMessageResponse")
