"""Contract tests: the SDK against Prism mocking ``openapi.yaml``.

Prism checks every request against the document before it answers: a wrong path, a missing
``Authorization`` header or a body that breaks the schema (unknown key, wrong type, broken limit)
gets ``422``/``4xx`` with an ``sl-violations`` header, which fails the test with Prism's reason.
Its answers come from the document (static mode: the examples; ``--dynamic``: random data that
fits the schemas, with extra keys), so they also check that our models decode what the document
allows.

Every operation of the registry runs in its three forms (plain, ``_with_http_info``,
``_without_preload_content``) against both servers, then the error statuses Prism can be asked
for with ``Prefer: code=...``.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Iterator, List, NamedTuple

import pytest
import urllib3
from clients import KINDS, Caller, Raw
from operation_examples import EXAMPLES
from prism import PrismServer, prism_dynamic, prism_static
from pydantic import TypeAdapter
from test_openapi_document import deref, load_document
from typing_extensions import Annotated, get_args, get_origin

import openapi_client
from openapi_client import (
    ApiException,
    ApiResponse,
    BatchMessage,
    BatchMessageResponse,
    BatchMessagesApi,
    CancelledMessageResponse,
    ErrorModel,
    ExtendedErrorModel,
    InsufficientCreditsException,
    Message,
    MessageResponse,
    MetaData,
    NotFoundException,
    ScheduledBatchResponse,
    UnauthorizedException,
    UnprocessableEntityException,
)
from openapi_client._registry import API_CLASSES, OPERATIONS

pytestmark = pytest.mark.prism

# Used by the fixtures below through request.getfixturevalue().
_FIXTURES = (prism_static, prism_dynamic)

TOKEN = "JWT test-token"
WHEN = datetime(2030, 7, 17, 14, 30, tzinfo=timezone(timedelta(hours=1)))


def batch_message(**extra: Any) -> BatchMessage:
    """A batch using every optional field, so Prism checks each one's wire name and type."""
    fields: Dict[str, Any] = {
        "sender": "Acme",
        "destinations": ["447700900123", "447700900456"],
        "content": "The Acme sale starts at 9am on Saturday.",
        "deliveryreporturl": "https://example.com/hooks/smsworks",
        "tag": "sale-2030",
        "ttl": 10080,
        "validity": 1440,
        "ai": False,
    }
    fields.update(extra)
    return BatchMessage(**fields)


def messages() -> List[Any]:
    """Two ``/batch/any`` items, one model with every field and one plain dict."""
    return [
        Message(
            sender="Acme",
            destination="447700900123",
            content="Your parcel A-10293 arrives tomorrow.",
            deliveryreporturl="https://example.com/hooks/smsworks",
            schedule=WHEN,
            tag="parcels",
            ttl=60,
            validity=2880,
            ai=True,
            responseemail=["replies@example.com"],
            metadata=[MetaData(key="orderRef", value="A-10293")],
        ),
        {"sender": "447700900999", "destination": "447700900456", "content": "Hi"},
    ]


class Case(NamedTuple):
    name: str
    args: Callable[[], List[Any]]
    status: int
    decode: Any  # the type the body decodes to


CASES = [
    Case("batch_send_post", lambda: [batch_message()], 201, BatchMessageResponse),
    Case("batch_any_post", lambda: [messages()], 201, BatchMessageResponse),
    Case(
        "batch_schedule_post",
        lambda: [batch_message(schedule=WHEN)],
        201,
        ScheduledBatchResponse,
    ),
    Case("batch_batchid_get", lambda: ["4418273"], 200, List[MessageResponse]),
    Case("batches_schedule_batchid_delete", lambda: ["4418274"], 200, CancelledMessageResponse),
]
# Every other operation of the registry runs with its example call (test/operation_examples.py).
CASES += [
    Case(name, lambda name=name: list(EXAMPLES[name].arguments().values()), op.status, op.result)
    for name, op in OPERATIONS.items()
    if name not in {case.name for case in CASES}
]
SENDS = ["batch_send_post", "batch_any_post", "batch_schedule_post"]
ARGS = {case.name: case.args for case in CASES}


@pytest.fixture(params=["static", "dynamic"])
def prism(request: pytest.FixtureRequest) -> PrismServer:
    server: PrismServer = request.getfixturevalue(f"prism_{request.param}")
    return server


#: A local port nobody listens on: a request that should never be sent fails to connect there.
NOWHERE = "http://127.0.0.1:9"


@contextmanager
def make_api(prism: Any, **config: Any) -> Iterator[BatchMessagesApi]:
    """A ``BatchMessagesApi`` on ``prism`` (a server or a URL); the token is given unless
    ``api_key=None`` is passed."""
    config.setdefault("api_key", {"JWT": TOKEN})
    host = prism if isinstance(prism, str) else prism.url
    configuration = openapi_client.Configuration(host=host, **config)
    with openapi_client.ApiClient(configuration) as client:
        yield BatchMessagesApi(client)


@pytest.fixture
def api(prism: PrismServer) -> Iterator[BatchMessagesApi]:
    with make_api(prism) as batch_api:
        yield batch_api


@pytest.fixture
def api_without_token(
    prism: PrismServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[BatchMessagesApi]:
    monkeypatch.delenv("SMSWORKS_TOKEN", raising=False)
    with make_api(prism, api_key=None) as batch_api:
        yield batch_api


def violations(headers: Any) -> str:
    """Prism's reasons for refusing a request, from its ``sl-violations`` header."""
    for name, value in dict(headers or {}).items():
        if name.lower() == "sl-violations":
            return "; ".join(v.get("message", str(v)) for v in json.loads(value))
    return "(no sl-violations header)"


def method_of(api: BatchMessagesApi, name: str) -> Any:
    """Operation ``name`` (or a variant of it) on its own API class, over ``api``'s client."""
    operation = re.sub(r"_(with_http_info|without_preload_content)$", "", name)
    return getattr(API_CLASSES[OPERATIONS[operation].api](api.api_client), name)


def call(api: BatchMessagesApi, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call ``api.<name>``; an ``ApiException`` fails the test with Prism's reason."""
    try:
        return method_of(api, name)(*args, **kwargs)
    except ApiException as exc:
        pytest.fail(f"{name}: HTTP {exc.status}; Prism says: {violations(exc.headers)}")


def assert_decoded(value: Any, decode: Any) -> None:
    if get_origin(decode) is Annotated:
        decode = get_args(decode)[0]
    if getattr(decode, "__origin__", None) is list:
        [item_type] = decode.__args__
        assert isinstance(value, list)
        assert value, "the document's examples and Prism's generator give at least one item"
        for item in value:
            assert isinstance(item, item_type)
            assert_ids_are_text(item)
    else:
        assert isinstance(value, decode)
        assert_ids_are_text(value)


def assert_ids_are_text(model: Any) -> None:
    # The wire may carry numbers; the SDK promises strings.
    for field in ("id", "messageid", "batchid", "identifier", "destination"):
        if field in type(model).model_fields:
            assert isinstance(getattr(model, field), (str, type(None))), field


# --- every operation, three ways, both servers --------------------------------------------------


@pytest.fixture(params=KINDS)
def caller(prism: PrismServer, request: pytest.FixtureRequest) -> Iterator[Caller]:
    """The sync or the async client on ``prism``."""
    configuration = openapi_client.Configuration(host=prism.url, api_key={"JWT": TOKEN})
    made = Caller(request.param, configuration)
    yield made
    made.close()


def call_on(caller: Caller, name: str, variant: str, *args: Any) -> Any:
    """Call ``name`` + ``variant`` on either client; an ``ApiException`` fails with Prism's why."""
    try:
        return caller.call(name, variant, *args)
    except ApiException as exc:
        pytest.fail(f"{name}{variant}: HTTP {exc.status}; Prism says: {violations(exc.headers)}")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_plain_call_decodes_into_the_model(caller: Caller, case: Case) -> None:
    result = call_on(caller, case.name, "", *case.args())
    assert_decoded(result, case.decode)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_with_http_info_gives_status_headers_and_body(caller: Caller, case: Case) -> None:
    result = call_on(caller, case.name, "_with_http_info", *case.args())
    assert isinstance(result, ApiResponse)
    assert result.status_code == case.status
    assert result.headers is not None
    content_type = {k.lower(): v for k, v in result.headers.items()}["content-type"]
    assert content_type.replace(" ", "").lower() == "application/json;charset=utf-8"
    assert_decoded(result.data, case.decode)
    # The decoded data is what the raw body says.
    assert TypeAdapter(case.decode).validate_json(result.raw_data) == result.data


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_without_preload_content_gives_the_raw_response(caller: Caller, case: Case) -> None:
    response = call_on(caller, case.name, "_without_preload_content", *case.args())
    assert isinstance(response, Raw)
    assert response.status == case.status
    assert_decoded(TypeAdapter(case.decode).validate_json(response.data), case.decode)


def test_static_answers_are_the_document_examples(prism_static: PrismServer) -> None:
    with make_api(prism_static) as api:
        sent = call(api, "batch_send_post", batch_message())
        assert (sent.batchid, sent.status) == ("4418273", "SCHEDULED")
        [record] = call(api, "batch_batchid_get", "4418273")
        # The example carries destination as a JSON number; the model gives text.
        assert record.destination == "447700900123"
        assert record.created_at == datetime(
            2024, 7, 17, 14, 30, 1, tzinfo=timezone(timedelta(hours=1))
        )
        assert record.failurereason is not None
        assert (record.failurereason.code, record.failurereason.permanent) == (27, False)
        cancelled = call(api, "batches_schedule_batchid_delete", "4418274")
        assert (cancelled.messageid, cancelled.batchid, cancelled.status) == (
            "4418274",
            "4418274",
            "CANCELLED",
        )


def test_dynamic_answers_keep_unknown_fields(prism_dynamic: PrismServer) -> None:
    # Prism's generator adds keys the schemas do not list; the response models keep them.
    with make_api(prism_dynamic) as api:
        extras = 0
        for _ in range(5):
            for record in call(api, "batch_batchid_get", "4418273"):
                extras += len(record.model_extra or {})
            extras += len(call(api, "batches_schedule_batchid_delete", "1").model_extra or {})
        assert extras > 0


def test_numeric_batch_id_is_sent_as_a_path_segment(api: BatchMessagesApi) -> None:
    records = call(api, "batch_batchid_get", 4418273)
    assert all(isinstance(record, MessageResponse) for record in records)


# --- errors Prism can be asked for ----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_missing_token_is_unauthorized(api_without_token: BatchMessagesApi, case: Case) -> None:
    with pytest.raises(UnauthorizedException) as caught:
        method_of(api_without_token, case.name)(*case.args())
    assert caught.value.status == 401
    if caught.value.data is not None:
        assert isinstance(caught.value.data, (ErrorModel, ExtendedErrorModel))


def test_missing_token_raw_response_is_401(api_without_token: BatchMessagesApi) -> None:
    # The operations refuse a call without a token before sending (MissingTokenError); the
    # lower-level steps still send what they are given, so the declared 401 is checked there.
    with pytest.raises(UnauthorizedException):
        api_without_token.batch_batchid_get_without_preload_content("4418273")
    client = api_without_token.api_client
    request = client.param_serialize("GET", "/batch/{batchid}", path_params={"batchid": "4418273"})
    response = client.call_api(*request[:4])
    assert response.status == 401
    assert "security" in violations(response.headers).lower()


@pytest.mark.parametrize("name", SENDS)
def test_payment_required_is_insufficient_credits(api: BatchMessagesApi, name: str) -> None:
    with pytest.raises(InsufficientCreditsException) as caught:
        getattr(api, name)(*ARGS[name](), _headers={"Prefer": "code=402"})
    error = caught.value
    assert error.status == 402
    assert isinstance(error.data, ExtendedErrorModel)
    assert isinstance(error.data.error_code, int)


def test_payment_required_static_body(prism_static: PrismServer) -> None:
    with make_api(prism_static) as api:
        with pytest.raises(InsufficientCreditsException) as caught:
            api.batch_send_post(batch_message(), _headers={"Prefer": "code=402"})
        assert caught.value.data == ExtendedErrorModel(
            message="Insufficient credits to send this batch",
            errorCode=402,
            status="INSUFFICIENT_CREDITS",
            permanent=False,
        )


def test_unknown_batch_is_not_found(api: BatchMessagesApi) -> None:
    with pytest.raises(NotFoundException) as caught:
        api.batch_batchid_get("4418273", _headers={"Prefer": "code=404"})
    assert caught.value.status == 404
    assert isinstance(caught.value.data, ErrorModel)


def test_not_found_with_http_info_raises_too(api: BatchMessagesApi) -> None:
    with pytest.raises(NotFoundException):
        api.batch_batchid_get_with_http_info("4418273", _headers={"Prefer": "code=404"})


def test_error_raw_response_is_returned_not_raised(api: BatchMessagesApi) -> None:
    response = api.batch_send_post_without_preload_content(
        batch_message(), _headers={"Prefer": "code=402"}
    )
    assert response.status == 402
    assert isinstance(ExtendedErrorModel.model_validate_json(response.data), ExtendedErrorModel)


# --- Prism really checks requests -----------------------------------------------------------------
# Without these, a Prism that accepted anything would make every test above pass.


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/batch/any", {"sender": "Acme", "destination": "447700900123", "content": "Hi"}, "array"),
        (
            "/batch/any",
            [
                {
                    "sender": "Acme",
                    "destination": "447700900123",
                    "content": "Hi",
                    "metadata": {"schema": {"key": "k", "value": "v"}},
                }
            ],
            "array",
        ),
        ("/batch/send", {"sender": "Acme", "destinations": [], "content": "Hi"}, "fewer"),
        ("/batch/send", {"sender": "Acme", "destinations": ["447700900123"]}, "content"),
        (
            "/batch/send",
            {"sender": "Acme", "destinations": ["4477"], "content": "x" * 1281},
            "1280",
        ),
        (
            "/batch/send",
            {"sender": "Acme", "destinations": ["4477"], "content": "Hi", "validity": 2881},
            "2880",
        ),
        (
            "/batch/send",
            {"sender": "Acme", "destination": ["447700900123"], "content": "Hi"},
            "additional",
        ),
        (
            "/batch/send",
            {"sender": "Acme Ltd", "destinations": ["4477"], "content": "Hi"},
            "pattern",
        ),
    ],
)
def test_prism_refuses_bodies_that_break_the_document(
    prism_static: PrismServer, path: str, body: Any, reason: str
) -> None:
    with urllib3.PoolManager() as pool:
        response = pool.request(
            "POST",
            prism_static.url + path,
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": TOKEN},
        )
    assert response.status == 422
    assert reason in violations(response.headers)


def _broken_bodies() -> Iterator[Any]:
    """One request per limit of the document's request schemas, breaking only that limit.

    Driven by ``openapi.yaml``: a constraint added there is tested here without a new line.
    Yields ``pytest.param((operation, body), field)``.
    """
    document = load_document()
    batch = batch_message(schedule=WHEN).to_dict()
    message = messages()[0].to_dict()
    for schema_name, operation, base in (
        ("BatchMessage", "batch_send_post", batch),
        ("Message", "batch_any_post", message),
    ):
        properties = deref(document, document["components"]["schemas"][schema_name])["properties"]
        for field, prop in properties.items():
            for constraint, bad in _breaking_values(prop, base.get(field)):
                body = {**base, field: bad}
                if operation == "batch_any_post":
                    body = [body]
                yield pytest.param(operation, body, field, id=f"{schema_name}.{field}.{constraint}")
    array = deref(document, document["components"]["schemas"]["MessageArray"])
    yield pytest.param("batch_any_post", [], "messages", id="MessageArray.minItems")
    many = [{**message, "destination": f"4477009{i:05d}"} for i in range(array["maxItems"] + 1)]
    yield pytest.param("batch_any_post", many, "messages", id="MessageArray.maxItems")


_NOT_MATCHING = ["Acme Ltd", "Acme-Ltd", "+447700900123", "Ünïcödé", "A1B2C3D4E5F6"]


def _breaking_values(prop: Dict[str, Any], good: Any) -> Iterator[Any]:
    """``(constraint, value)`` pairs, each value breaking one constraint of ``prop``."""
    if "maxLength" in prop:
        yield "maxLength", "7" * (prop["maxLength"] + 1)
    if prop.get("minLength", 0) > 0:
        yield "minLength", "7" * (prop["minLength"] - 1)
    if "maximum" in prop:
        yield "maximum", prop["maximum"] + 1
    if "minimum" in prop:
        yield "minimum", prop["minimum"] - 1
    if "maxItems" in prop:
        yield "maxItems", [f"4477009{i:05d}" for i in range(prop["maxItems"] + 1)]
    if prop.get("minItems", 0) > 0:
        yield "minItems", list(good)[: prop["minItems"] - 1]
    if "pattern" in prop:
        rule = re.compile(prop["pattern"])
        fits = [
            text
            for text in _NOT_MATCHING
            if not rule.search(text)
            and prop.get("minLength", 0) <= len(text) <= prop.get("maxLength", len(text))
        ]
        assert fits, f"no sample breaks only the pattern {prop['pattern']!r}"
        yield "pattern", fits[0]


BROKEN_BODIES = list(_broken_bodies())


@pytest.mark.parametrize(("operation", "body", "field"), BROKEN_BODIES)
def test_prism_refuses_what_the_document_forbids(
    prism_static: PrismServer, operation: str, body: Any, field: str
) -> None:
    # With the client-side checks off, the SDK sends the body and Prism must refuse it: this
    # keeps the document's limits honest (each one really is a constraint Prism enforces).
    with (
        make_api(prism_static, client_side_validation=False) as api,
        pytest.raises(UnprocessableEntityException) as caught,
    ):
        getattr(api, operation)(body)
    assert "(no sl-violations header)" not in violations(caught.value.headers)


@pytest.mark.parametrize(("operation", "body", "field"), BROKEN_BODIES)
def test_client_side_checks_refuse_what_the_document_forbids(
    operation: str, body: Any, field: str
) -> None:
    # With the checks on (the default), the same body never leaves the machine: were it sent,
    # the call would fail to connect instead.
    with make_api(NOWHERE) as api, pytest.raises(openapi_client.ApiValueError) as caught:
        getattr(api, operation)(body)
    assert field in str(caught.value)
