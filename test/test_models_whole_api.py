"""The models of the single-message, search, one-time-password, credits and test calls.

Round trips through every helper of the shared base, the strict request models (unknown keys and
wrong types refused at build time, naming the field; limits declared from ``_limits`` so that
the send-time checks, the document and Prism agree), and the lenient response models (numbers
for text, missing and empty fields, unknown fields kept).
"""

from __future__ import annotations

import importlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Set, Tuple, Type

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

import openapi_client as oc
from openapi_client import _limits

# Imported by name on purpose: pytest must not mistake this model for a test class.
from openapi_client.models.test_response import TestResponse

#: (model, module under openapi_client.models, a complete body as the API sends or takes it)
FULL: List[Tuple[Type[BaseModel], str, Dict[str, Any]]] = [
    (
        oc.SendMessageResponse,
        "send_message_response",
        {
            "messageid": "930115520",
            "status": "SENT",
            "credits": 47.5,
            "creditsUsed": 1.0,
            "messageparts": 1,
        },
    ),
    (
        oc.ScheduledMessageResponse,
        "scheduled_message_response",
        {"messageid": "930115521", "status": "SCHEDULED"},
    ),
    (
        oc.DeletedMessageResponse,
        "deleted_message_response",
        {"messageid": "930115520", "status": "DELETED"},
    ),
    (
        oc.ScheduledMessage,
        "scheduled_message",
        {
            "sender": "Acme",
            "content": "Table booked for 8pm.",
            "destination": "447700900123",
            "schedule": "2024-07-17T13:30:00.000Z",
        },
    ),
    (
        oc.ScheduledMessagesResponseMessage,
        "scheduled_messages_response_message",
        {
            "sender": "Acme",
            "content": "Sale at 9am.",
            "destinations": ["447700900123", "447700900456"],
            "schedule": "Fri Jul 19 2024 09:00:00 GMT+0100 (British Summer Time)",
        },
    ),
    (
        oc.ScheduledMessagesResponse,
        "scheduled_messages_response",
        {
            "status": "PROCESSED",
            "id": "4418274",
            "batch": True,
            "message": {
                "sender": "Acme",
                "content": "Sale at 9am.",
                "destinations": ["447700900123"],
                "schedule": "2024-07-19T08:00:00.000Z",
            },
        },
    ),
    (
        oc.Query,
        "query",
        {
            "status": "INCOMING",
            "credits": 2.0,
            "destination": "447700900123",
            "sender": "447700900999",
            "keyword": "STOP",
            "from": "Mon Jul 01 2024 00:00:00 GMT+0100 (British Summer Time)",
            "to": "2024-07-31T23:59:59+01:00",
            "limit": 100,
            "skip": 200,
            "unread": True,
            "metadata": [{"key": "orderRef", "value": "A-10293"}],
        },
    ),
    (oc.QueryMetadata, "query_metadata", {"key": "orderRef", "value": "A-10293"}),
    (
        oc.OTP,
        "otp",
        {
            "sender": "Acme",
            "destination": "447700900123",
            "length": 8,
            "template": "Your Acme code is {{passcode}}",
            "validity": 600,
            "passcode": "00482913",
            "metadata": {"userId": "u-5521", "attempt": 1, "tags": ["a", None], "ok": True},
        },
    ),
    (
        oc.OTPResponse,
        "otp_response",
        {
            "messageid": "3f2c8a14-90d1-4e7b-b5a2-6c1d0e9f7a35",
            "status": "SENT",
            "credits": 46.5,
            "creditsUsed": 1.0,
            "messageparts": 1,
        },
    ),
    (oc.OTPVerify, "otp_verify", {"passcode": "012345"}),
    (
        oc.OTPVerifyResponse,
        "otp_verify_response",
        {
            "destination": "447700900123",
            "status": "VERIFIED",
            "passcode": "012345",
            "validity": 600,
            "metadata": {"userId": "u-5521"},
            "created": "Wed Jul 17 2024 14:30:00 GMT+0100 (British Summer Time)",
            "expires": "Wed Jul 17 2024 14:40:00 GMT+0100 (British Summer Time)",
            "modified": "Wed Jul 17 2024 14:31:12 GMT+0100 (British Summer Time)",
        },
    ),
    (oc.CreditsResponse, "credits_response", {"credits": -12.5}),
    (TestResponse, "test_response", {"message": "6b1e0c52-7f1a-4d35-9a4e-2f8c3d9b7a10"}),
]

NEW_MODELS = [model for model, _, _ in FULL]
REQUESTS = [oc.Query, oc.QueryMetadata, oc.OTP, oc.OTPVerify]
RESPONSES = [model for model in NEW_MODELS if model not in REQUESTS]
#: The smallest body each request model accepts.
MINIMAL_REQUEST: Dict[Type[BaseModel], Dict[str, Any]] = {
    oc.Query: {},
    oc.QueryMetadata: {"key": "k", "value": "v"},
    oc.OTP: {"sender": "Acme", "destination": "447700900123"},
    oc.OTPVerify: {"passcode": "482913"},
}


def _name(value: Any) -> str:
    return getattr(value, "__name__", "")


# --- names, module paths, exports ------------------------------------------------------------


@pytest.mark.parametrize(("model", "module", "body"), FULL, ids=_name)
def test_importable_under_the_generators_module_path(
    model: Type[BaseModel], module: str, body: Dict[str, Any]
) -> None:
    loaded = importlib.import_module(f"openapi_client.models.{module}")
    assert getattr(loaded, model.__name__) is model
    assert getattr(oc.models, model.__name__) is model
    assert model.__name__ in oc.__all__ and model.__name__ in oc.models.__all__


def test_python_names_are_the_generators() -> None:
    # openapi-generator spells "from" var_from and camelCase wire names in snake case.
    query = oc.Query(var_from="2024-07-01T00:00:00Z", to="2024-07-31T00:00:00Z")
    assert query.to_dict() == {"from": "2024-07-01T00:00:00Z", "to": "2024-07-31T00:00:00Z"}
    assert oc.Query.model_validate({"from": "x"}).var_from == "x"
    sent = oc.SendMessageResponse(messageid="1", credits_used=2)
    assert sent.to_dict() == {"messageid": "1", "creditsUsed": 2.0}
    assert oc.OTPResponse.from_dict({"messageid": "1", "creditsUsed": 1}).credits_used == 1.0


def test_the_unwrapped_shapes_reuse_the_models_they_wrapped() -> None:
    # Upstream's Query_metadata and ScheduledMessagesResponse_message wrap these in "schema".
    assert issubclass(oc.QueryMetadata, oc.MetaData)
    assert issubclass(oc.ScheduledMessagesResponseMessage, oc.ScheduledMessage)
    assert set(oc.QueryMetadata.model_fields) == {"key", "value"}
    with pytest.raises(ValidationError) as caught:
        oc.Query.model_validate({"metadata": {"schema": {"key": "k", "value": "v"}}})
    assert caught.value.errors()[0]["loc"] == ("metadata",)
    listed = oc.ScheduledMessagesResponse.from_dict(FULL[5][2])
    assert listed is not None and isinstance(listed.message, oc.ScheduledMessagesResponseMessage)


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "module", "body"), FULL, ids=_name)
def test_round_trip_through_every_helper(
    model: Type[BaseModel], module: str, body: Dict[str, Any]
) -> None:
    built = model.from_dict(body)  # type: ignore[attr-defined]
    assert built is not None
    assert built.to_dict() == body
    assert json.loads(built.to_json()) == body
    again = model.from_json(built.to_json())  # type: ignore[attr-defined]
    assert again == built
    assert model.from_dict(built) is built  # type: ignore[attr-defined]
    assert model.from_json(json.dumps(body).encode()) == built  # type: ignore[attr-defined]
    text = built.to_str()
    assert text.startswith("{") and "'" in text
    for value in body.values():
        if isinstance(value, str):
            assert repr(value) in text
    assert model.from_dict(None) is None  # type: ignore[attr-defined]
    assert model.from_json("null") is None  # type: ignore[attr-defined]
    assert model.from_json(b" null ") is None  # type: ignore[attr-defined]


def test_query_sends_an_aware_datetime_as_iso_8601() -> None:
    when = datetime(2024, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    query = oc.Query(var_from=when, to=when + timedelta(days=30), limit=50)
    assert query.to_dict() == {
        "from": "2024-07-01T09:30:00+01:00",
        "to": "2024-07-31T09:30:00+01:00",
        "limit": 50,
    }
    assert json.loads(query.to_json())["from"] == "2024-07-01T09:30:00+01:00"


def test_unset_request_fields_are_left_out() -> None:
    assert oc.Query().to_dict() == {}
    assert oc.Query().to_json() == "{}"
    assert oc.OTP(sender="Acme", destination="447700900123").to_dict() == {
        "sender": "Acme",
        "destination": "447700900123",
    }


# --- strict requests -------------------------------------------------------------------------


@pytest.mark.parametrize("model", REQUESTS, ids=_name)
def test_request_models_refuse_unknown_keywords(model: Type[BaseModel]) -> None:
    with pytest.raises(ValidationError) as caught:
        model(**MINIMAL_REQUEST[model], tgas="typo")
    [error] = caught.value.errors()
    assert error["loc"] == ("tgas",)
    assert error["type"] == "extra_forbidden"


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (oc.Query, "limit", "100"),
        (oc.Query, "limit", 10.5),
        (oc.Query, "skip", True),
        (oc.Query, "unread", "yes"),
        (oc.Query, "credits", "2"),
        (oc.Query, "credits", False),
        (oc.Query, "destination", 447700900123),
        (oc.Query, "from", 1719820800),
        (oc.Query, "to", 1719820800.0),
        (oc.Query, "metadata", [{"key": "k", "value": 1}]),
        (oc.QueryMetadata, "value", 7),
        (oc.OTP, "destination", 447700900123),
        (oc.OTP, "sender", 12345),
        (oc.OTP, "length", "6"),
        (oc.OTP, "validity", 300.0),
        (oc.OTP, "passcode", 482913),
        (oc.OTP, "metadata", ["not", "an", "object"]),
        (oc.OTP, "metadata", {"when": datetime(2024, 1, 1, tzinfo=timezone.utc)}),
        (oc.OTPVerify, "passcode", 482913),
    ],
)
def test_request_models_refuse_wrong_types_naming_the_field(
    model: Type[BaseModel], field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate({**MINIMAL_REQUEST[model], field: value})
    assert {error["loc"][0] for error in caught.value.errors()} == {field}


@pytest.mark.parametrize(("model", "field"), [(oc.OTP, "sender"), (oc.OTP, "destination")])
def test_otp_needs_a_sender_and_a_destination(model: Type[BaseModel], field: str) -> None:
    body = dict(MINIMAL_REQUEST[model])
    del body[field]
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    [error] = caught.value.errors()
    assert (error["loc"], error["type"]) == ((field,), "missing")


def test_otp_verify_needs_the_passcode() -> None:
    with pytest.raises(ValidationError) as caught:
        oc.OTPVerify()  # type: ignore[call-arg]
    assert caught.value.errors()[0]["loc"] == ("passcode",)


@pytest.mark.parametrize("field", ["var_from", "from", "to"])
def test_a_naive_search_bound_is_refused_naming_its_own_field(field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        oc.Query.model_validate({field: datetime(2024, 7, 1, 9, 30)})
    [error] = caught.value.errors()
    assert error["loc"] == (field,)  # as the caller wrote it
    assert "naive datetime" in error["msg"]
    assert "schedule" not in error["msg"]


def test_otp_metadata_values_must_be_json() -> None:
    with pytest.raises(ValidationError) as caught:
        oc.OTP(sender="Acme", destination="447700900123", metadata={"blob": b"\x00"})
    assert caught.value.errors()[0]["loc"][:2] == ("metadata", "blob")


def _schema_problems(model: Type[BaseModel], body: Dict[str, Any]) -> Set[Tuple[Any, ...]]:
    """Where the model's declared JSON schema (the limits it states) refuses ``body``."""
    validator = Draft202012Validator(model.model_json_schema(by_alias=True))
    return {tuple(error.absolute_path) for error in validator.iter_errors(body)}


OUT_OF_LIMITS = [
    (oc.Query, "limit", 0),
    (oc.Query, "limit", _limits.MAX_QUERY_RESULTS + 1),
    (oc.Query, "skip", -1),
    (oc.OTP, "sender", "A" * (_limits.MAX_SENDER_ALPHANUMERIC + 1)),
    (oc.OTP, "sender", "9" * (_limits.MAX_SENDER_NUMERIC + 1)),
    (oc.OTP, "sender", "Acme Ltd"),
    (oc.OTP, "length", 0),
    (oc.OTP, "validity", 0),
    (oc.OTP, "template", "Your code is {passcode}"),
    (oc.OTP, "passcode", ""),
    (oc.OTPVerify, "passcode", ""),
]


@pytest.mark.parametrize(("model", "field", "value"), OUT_OF_LIMITS)
def test_limits_are_declared_on_the_field(model: Type[BaseModel], field: str, value: Any) -> None:
    # The limits are declared, not enforced at build time: like Message's, they are checked
    # when the request is sent, so that Configuration(client_side_validation=False) can switch
    # them off. What the model declares is what the document, the checks and Prism share.
    body = {**MINIMAL_REQUEST[model], field: value}
    assert _schema_problems(model, body) == {(field,)}
    built = model.model_validate(body)
    assert built.to_dict()[field] == value


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (oc.Query, "limit", 1),
        (oc.Query, "limit", _limits.MAX_QUERY_RESULTS),
        (oc.Query, "skip", 0),
        (oc.OTP, "sender", "A" * _limits.MAX_SENDER_ALPHANUMERIC),
        (oc.OTP, "sender", "9" * _limits.MAX_SENDER_NUMERIC),
        (oc.OTP, "length", _limits.DEFAULT_OTP_LENGTH),
        (oc.OTP, "template", f"Code {_limits.OTP_PLACEHOLDER}, valid 10 minutes"),
        (oc.OTP, "validity", 1),
        (oc.OTPVerify, "passcode", "0"),
    ],
)
def test_values_at_the_limits_fit_the_declared_schema(
    model: Type[BaseModel], field: str, value: Any
) -> None:
    assert _schema_problems(model, {**MINIMAL_REQUEST[model], field: value}) == set()


@given(
    limit=st.integers(min_value=1, max_value=_limits.MAX_QUERY_RESULTS),
    skip=st.integers(min_value=0, max_value=10**9),
    unread=st.booleans(),
    pairs=st.lists(st.tuples(st.text(min_size=1), st.text()), max_size=3),
)
def test_any_query_within_the_limits_round_trips(
    limit: int, skip: int, unread: bool, pairs: List[Tuple[str, str]]
) -> None:
    body: Dict[str, Any] = {"status": "INCOMING", "limit": limit, "skip": skip, "unread": unread}
    if pairs:
        body["metadata"] = [{"key": key, "value": value} for key, value in pairs]
    query = oc.Query.from_json(json.dumps(body))
    assert query is not None
    assert query.to_dict() == body
    assert _schema_problems(oc.Query, body) == set()


@given(st.integers().filter(lambda n: not 1 <= n <= _limits.MAX_QUERY_RESULTS))
def test_any_limit_outside_the_range_breaks_the_declared_schema(limit: int) -> None:
    assert _schema_problems(oc.Query, {"limit": limit}) == {("limit",)}


# --- lenient responses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (oc.SendMessageResponse, "messageid"),
        (oc.ScheduledMessageResponse, "messageid"),
        (oc.DeletedMessageResponse, "messageid"),
        (oc.OTPResponse, "messageid"),
        (oc.ScheduledMessagesResponse, "id"),
        (oc.ScheduledMessage, "destination"),
        (oc.ScheduledMessagesResponseMessage, "destination"),
        (oc.OTPVerifyResponse, "destination"),
        (oc.OTPVerifyResponse, "passcode"),
    ],
)
@pytest.mark.parametrize("sent", [447700900123, "447700900123"])
def test_ids_and_numbers_arrive_as_number_or_text(
    model: Type[BaseModel], field: str, sent: Any
) -> None:
    decoded = model.model_validate_json(json.dumps({field: sent}))
    assert getattr(decoded, field) == "447700900123"


@given(st.integers(min_value=0, max_value=10**18))
def test_any_numeric_id_keeps_its_digits(number: int) -> None:
    sent = oc.SendMessageResponse.from_json(f'{{"messageid": {number}}}')
    assert sent is not None and sent.messageid == str(number)


def test_a_numeric_passcode_is_text() -> None:
    # The document types it as a number; the SDK keeps it text so codes compare as typed.
    record = oc.OTPVerifyResponse.from_json('{"passcode": 482913, "status": "VERIFIED"}')
    assert record is not None and record.passcode == "482913"
    assert record.to_dict() == {"passcode": "482913", "status": "VERIFIED"}


@pytest.mark.parametrize("model", RESPONSES, ids=_name)
def test_responses_keep_unknown_fields(model: Type[BaseModel]) -> None:
    body = dict(next(full for m, _, full in FULL if m is model))
    body["notInTheDocument"] = {"nested": [1, 2]}
    decoded = model.model_validate_json(json.dumps(body))
    assert decoded.model_extra == {"notInTheDocument": {"nested": [1, 2]}}
    assert decoded.to_dict()["notInTheDocument"] == {"nested": [1, 2]}


@given(
    extra=st.dictionaries(
        st.text(min_size=1).filter(lambda k: k not in oc.OTPVerifyResponse.model_fields),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text()),
        max_size=4,
    )
)
def test_any_unknown_fields_are_kept(extra: Dict[str, Any]) -> None:
    record = oc.OTPVerifyResponse.model_validate_json(json.dumps({"status": "SENT", **extra}))
    assert record.model_extra == extra


@pytest.mark.parametrize(
    ("model", "required"),
    [
        (oc.SendMessageResponse, {"messageid"}),
        (oc.ScheduledMessageResponse, {"messageid"}),
        (oc.DeletedMessageResponse, {"messageid"}),
        (oc.OTPResponse, set()),
        (oc.CreditsResponse, {"credits"}),
        (TestResponse, {"message"}),
        (oc.ScheduledMessage, set()),
        (oc.ScheduledMessagesResponseMessage, set()),
        (oc.ScheduledMessagesResponse, set()),
        (oc.OTPVerifyResponse, set()),
    ],
    ids=lambda v: _name(v) or "-",
)
def test_responses_require_only_what_they_cannot_do_without(
    model: Type[BaseModel], required: Set[str]
) -> None:
    assert {name for name, f in model.model_fields.items() if f.is_required()} == required
    minimal = dict.fromkeys(required, "1")
    decoded = model.model_validate_json(json.dumps(minimal))
    assert decoded.to_dict() == {k: (1.0 if k == "credits" else v) for k, v in minimal.items()}


def test_a_send_answer_without_its_figures_is_read() -> None:
    sent = oc.SendMessageResponse.from_json('{"messageid": "930115520"}')
    assert sent is not None
    assert (sent.status, sent.credits, sent.credits_used, sent.messageparts) == (
        None,
        None,
        None,
        None,
    )


def test_empty_and_null_optional_fields_are_read() -> None:
    listed = oc.ScheduledMessagesResponse.from_json(
        '{"status": "SCHEDULED", "id": 4418274, "batch": false, "message": {"schedule": ""}}'
    )
    assert listed is not None and listed.message is not None
    assert listed.id == "4418274"
    assert listed.message.schedule == "" and listed.message.schedule_at is None
    assert listed.message.destinations is None
    record = oc.OTPVerifyResponse.from_json('{"metadata": null, "created": "", "validity": null}')
    assert record is not None
    assert (record.metadata, record.created_at, record.validity) == (None, None, None)


def test_scheduled_batches_list_their_numbers_as_text() -> None:
    message = oc.ScheduledMessage.from_json(
        '{"destinations": [447700900123, "447700900456"], "schedule": "2024-07-19T08:00:00.000Z"}'
    )
    assert message is not None
    assert message.destinations == ["447700900123", "447700900456"]
    assert message.schedule_at == datetime(2024, 7, 19, 8, 0, tzinfo=timezone.utc)


def test_otp_record_dates_are_offered_parsed() -> None:
    record = oc.OTPVerifyResponse.from_dict(FULL[11][2])
    assert record is not None
    bst = timezone(timedelta(hours=1))
    assert record.created_at == datetime(2024, 7, 17, 14, 30, tzinfo=bst)
    assert record.expires_at == datetime(2024, 7, 17, 14, 40, tzinfo=bst)
    assert record.modified_at == datetime(2024, 7, 17, 14, 31, 12, tzinfo=bst)
    assert oc.OTPVerifyResponse(expires="soon").expires_at is None


@pytest.mark.parametrize(
    ("sent", "balance"), [("48.5", 48.5), ("50", 50.0), ('"12.25"', 12.25), ("-3", -3.0)]
)
def test_the_balance_is_a_number_even_when_sent_as_text(sent: str, balance: float) -> None:
    credits = oc.CreditsResponse.from_json(f'{{"credits": {sent}}}')
    assert credits is not None and credits.credits == balance


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (oc.CreditsResponse, {}),
        (oc.CreditsResponse, {"credits": "lots"}),
        (TestResponse, {}),
        (oc.SendMessageResponse, {"status": "SENT"}),
        (oc.OTPVerifyResponse, {"validity": "ten minutes"}),
    ],
    ids=lambda v: _name(v) or json.dumps(v),
)
def test_answers_that_cannot_be_read_are_refused(model: Type[BaseModel], body: Any) -> None:
    with pytest.raises(ValidationError):
        model.model_validate_json(json.dumps(body))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "2.5"])
@pytest.mark.parametrize(
    ("model", "field"),
    [
        (oc.SendMessageResponse, "messageid"),
        (oc.ScheduledMessageResponse, "messageid"),
        (oc.DeletedMessageResponse, "messageid"),
        (oc.OTPResponse, "messageid"),
        (oc.ScheduledMessagesResponse, "id"),
    ],
    ids=lambda v: _name(v) or v,
)
def test_an_id_that_is_not_text_or_a_whole_number_is_refused(
    model: Type[BaseModel], field: str, number: str
) -> None:
    with pytest.raises(ValidationError, match="not an id"):
        model.model_validate_json(f'{{"{field}": {number}}}')
    assert getattr(model.model_validate_json(f'{{"{field}": 42}}'), field) == "42"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
@pytest.mark.parametrize("model", [oc.OTPVerifyResponse, oc.ScheduledMessage], ids=_name)
def test_a_destination_that_is_not_a_finite_number_is_refused(
    model: Type[BaseModel], number: str
) -> None:
    with pytest.raises(ValidationError, match="not a number"):
        model.model_validate_json(f'{{"destination": {number}}}')
    assert model.model_validate_json('{"destination": 447700900001}').destination == (
        "447700900001"
    )
