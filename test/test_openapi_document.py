"""``openapi.yaml`` is a valid OpenAPI 3.0 document and says what the SDK knows about the API.

The document is the contract the Prism tests hold the SDK to, so its key facts are pinned here:
the array body of ``/batch/any``, list-shaped ``metadata``, lenient identifiers, the declared
error statuses, the security scheme and the documented limits (read from ``_limits`` so that the
SDK and the document cannot drift apart).

The helpers at the top (``load_document``, ``resolve``, ``deref``) are shared with the other
document-driven tests.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import reference_files
import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from openapi_client import _limits

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCUMENT_PATH = REPO_ROOT / "openapi.yaml"

JSON = "application/json"
JSON_UTF8 = "application/json;charset=UTF-8"

BATCH_OPERATIONS = {
    ("post", "/batch/send"): "batch_send_post",
    ("post", "/batch/any"): "batch_any_post",
    ("post", "/batch/schedule"): "batch_schedule_post",
    ("get", "/batch/{batchid}"): "batch_batchid_get",
    ("delete", "/batches/schedule/{batchid}"): "batches_schedule_batchid_delete",
}
#: Every operation of the document: (method, path) -> (operationId, tag). The tag names the API
#: class a generator makes (``Messages`` -> ``MessagesApi``).
OPERATIONS = {
    **{key: (name, "Batch Messages") for key, name in BATCH_OPERATIONS.items()},
    ("post", "/message/send"): ("message_send_post", "Messages"),
    ("post", "/message/flash"): ("send_flash_message", "Messages"),
    ("post", "/message/schedule"): ("message_schedule_post", "Messages"),
    ("post", "/messages"): ("messages_post", "Messages"),
    ("post", "/messages/inbox"): ("messages_inbox_post", "Messages"),
    ("post", "/messages/failed"): ("messages_failed_post", "Messages"),
    ("get", "/messages/schedule"): ("messages_schedule_get", "Messages"),
    ("get", "/messages/{messageid}"): ("messages_messageid_get", "Messages"),
    ("delete", "/messages/{messageid}"): ("messages_messageid_delete", "Messages"),
    ("delete", "/messages/schedule/{messageid}"): (
        "messages_schedule_messageid_delete",
        "Messages",
    ),
    ("post", "/otp/send"): ("otp_send_post", "One-Time Password"),
    ("post", "/otp/verify"): ("otp_verify_post", "One-Time Password"),
    ("get", "/otp/{messageid}"): ("otp_messageid_get", "One-Time Password"),
    ("get", "/credits/balance"): ("credits_balance_get", "Credits"),
    ("get", "/utils/test"): ("utils_test_get", "Utils"),
    ("get", "/utils/errors/{errorcode}"): ("utils_errors_errorcode_get", "Utils"),
}
#: The operations that text someone (and so may run out of credits).
SENDS = [
    ("post", "/batch/send"),
    ("post", "/batch/any"),
    ("post", "/batch/schedule"),
    ("post", "/message/send"),
    ("post", "/message/flash"),
    ("post", "/message/schedule"),
    ("post", "/otp/send"),
]
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@cache
def _load() -> Dict[str, Any]:
    with DOCUMENT_PATH.open(encoding="utf-8") as handle:
        loaded: Dict[str, Any] = yaml.safe_load(handle)
    return loaded


def load_document() -> Dict[str, Any]:
    """A fresh copy of ``openapi.yaml`` (callers may change it)."""
    return copy.deepcopy(_load())


def resolve(document: Dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s until a node that is not a reference."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def deref(document: Dict[str, Any], node: Any) -> Any:
    """``node`` with every local ``$ref`` replaced by what it points to (the document has no
    cycles)."""
    node = resolve(document, node)
    if isinstance(node, dict):
        return {key: deref(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [deref(document, value) for value in node]
    return node


def operations(document: Dict[str, Any]) -> Iterator[Tuple[str, str, Dict[str, Any]]]:
    """Every ``(method, path, operation)`` of the document."""
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def schema(name: str) -> Dict[str, Any]:
    document = load_document()
    resolved: Dict[str, Any] = deref(document, document["components"]["schemas"][name])
    return resolved


def response_schema(method: str, path: str, status: str) -> Dict[str, Any]:
    document = load_document()
    response = resolve(document, document["paths"][path][method]["responses"][status])
    resolved: Dict[str, Any] = deref(document, response["content"][JSON_UTF8]["schema"])
    return resolved


def request_schema(method: str, path: str) -> Dict[str, Any]:
    document = load_document()
    body = document["paths"][path][method]["requestBody"]
    resolved: Dict[str, Any] = deref(document, body["content"][JSON]["schema"])
    return resolved


def is_valid(schema_: Dict[str, Any], instance: Any) -> bool:
    return bool(OAS30Validator(schema_).is_valid(instance))


# --- the document as a whole -------------------------------------------------------------------


def test_document_is_valid_openapi_3_0() -> None:
    document = load_document()
    assert document["openapi"].startswith("3.0.")
    validate(document)  # raises on any violation of the OpenAPI 3.0 schema


def test_server_is_the_live_api() -> None:
    assert [server["url"] for server in load_document()["servers"]] == [
        "https://api.thesmsworks.co.uk/v1"
    ]


def test_batch_operations_have_the_sdk_method_names() -> None:
    found = {
        (method, path): operation["operationId"]
        for method, path, operation in operations(load_document())
        if "Batch Messages" in operation.get("tags", [])
    }
    assert found == BATCH_OPERATIONS


def test_every_operation_has_its_sdk_method_name_and_tag() -> None:
    found = {
        (method, path): (operation["operationId"], *operation["tags"])
        for method, path, operation in operations(load_document())
    }
    assert found == OPERATIONS
    assert len(found) == 21


def test_operation_ids_are_snake_case_and_unique() -> None:
    ids = [op["operationId"] for _, _, op in operations(load_document())]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", operation_id), operation_id


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/batch/send", "sms_message"),
        ("/batch/schedule", "sms_message"),
        ("/batch/any", "messages"),
        ("/message/send", "sms_message"),
        ("/message/flash", "sms_message"),
        ("/message/schedule", "sms_message"),
        ("/messages", "query"),
        ("/messages/inbox", "query"),
        ("/messages/failed", "query"),
        ("/otp/send", "otp"),
        ("/otp/verify", "passcode"),
    ],
)
def test_request_body_names_match_the_sdk_parameters(path: str, name: str) -> None:
    operation = load_document()["paths"][path]["post"]
    assert operation["x-codegen-request-body-name"] == name
    assert operation["requestBody"]["required"] is True


def test_requests_are_json_and_responses_json_utf8() -> None:
    document = load_document()
    for method, path, operation in operations(document):
        if "requestBody" in operation:
            assert list(operation["requestBody"]["content"]) == [JSON], (method, path)
        for status, response in operation["responses"].items():
            content = resolve(document, response)["content"]
            assert list(content) == [JSON_UTF8], (method, path, status)


# --- security ----------------------------------------------------------------------------------


def test_security_scheme_is_the_jwt_authorization_header() -> None:
    document = load_document()
    assert document["components"]["securitySchemes"] == {
        "JWT": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": document["components"]["securitySchemes"]["JWT"]["description"],
        }
    }
    assert "JWT <token>" in document["components"]["securitySchemes"]["JWT"]["description"]
    assert document["security"] == [{"JWT": []}]
    for method, path, operation in operations(document):
        # No operation opts out of the global requirement.
        assert operation.get("security", document["security"]) == [{"JWT": []}], (method, path)


# --- statuses ----------------------------------------------------------------------------------


def test_every_operation_declares_401_and_an_extended_default() -> None:
    extended = schema("ExtendedErrorModel")
    for method, path, _ in operations(load_document()):
        assert response_schema(method, path, "401") == schema("ErrorModel"), (method, path)
        assert response_schema(method, path, "default") == extended, (method, path)


@pytest.mark.parametrize(("method", "path"), SENDS)
def test_sends_declare_402_with_the_extended_error(method: str, path: str) -> None:
    assert response_schema(method, path, "402") == schema("ExtendedErrorModel")


def test_success_statuses_and_types() -> None:
    expected = {
        ("post", "/batch/send"): ("201", schema("BatchMessageResponse")),
        ("post", "/batch/any"): ("201", schema("BatchMessageResponse")),
        ("post", "/batch/schedule"): ("201", schema("ScheduledBatchResponse")),
        ("get", "/batch/{batchid}"): (
            "200",
            {"type": "array", "items": schema("MessageResponse")},
        ),
        ("delete", "/batches/schedule/{batchid}"): ("200", schema("CancelledMessageResponse")),
        ("post", "/message/send"): ("201", schema("SendMessageResponse")),
        ("post", "/message/flash"): ("201", schema("SendMessageResponse")),
        ("post", "/message/schedule"): (
            "200",
            {"type": "array", "items": schema("ScheduledMessageResponse")},
        ),
        **{
            ("post", path): ("200", {"type": "array", "items": schema("MessageResponse")})
            for path in ("/messages", "/messages/inbox", "/messages/failed")
        },
        ("get", "/messages/schedule"): (
            "200",
            {"type": "array", "items": schema("ScheduledMessagesResponse")},
        ),
        ("get", "/messages/{messageid}"): ("200", schema("MessageResponse")),
        ("delete", "/messages/{messageid}"): ("200", schema("DeletedMessageResponse")),
        ("delete", "/messages/schedule/{messageid}"): (
            "200",
            schema("CancelledMessageResponse"),
        ),
        ("post", "/otp/send"): ("201", schema("OTPResponse")),
        ("post", "/otp/verify"): ("200", schema("OTPVerifyResponse")),
        ("get", "/otp/{messageid}"): ("200", schema("OTPVerifyResponse")),
        ("get", "/credits/balance"): ("200", schema("CreditsResponse")),
        ("get", "/utils/test"): ("200", schema("TestResponse")),
        ("get", "/utils/errors/{errorcode}"): ("200", schema("ExtendedErrorModel")),
    }
    assert set(expected) == set(OPERATIONS)
    document = load_document()
    for (method, path), (status, body) in expected.items():
        responses = document["paths"][path][method]["responses"]
        successes = [code for code in responses if code.startswith("2")]
        assert successes == [status], (method, path)
        assert response_schema(method, path, status) == body, (method, path)


def test_unknown_batch_is_a_404_error_model() -> None:
    assert response_schema("get", "/batch/{batchid}", "404") == schema("ErrorModel")
    declared = load_document()["paths"]["/batch/{batchid}"]["get"]["responses"]
    assert set(declared) == {"200", "401", "404", "default"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/messages/{messageid}"),
        ("delete", "/messages/{messageid}"),
        ("post", "/otp/verify"),
        ("get", "/otp/{messageid}"),
        ("get", "/utils/errors/{errorcode}"),
    ],
)
def test_unknown_ids_are_a_404_error_model(method: str, path: str) -> None:
    assert response_schema(method, path, "404") == schema("ErrorModel")


def test_only_sends_declare_402() -> None:
    for method, path, operation in operations(load_document()):
        assert ("402" in operation["responses"]) == ((method, path) in SENDS), (method, path)


# --- bodies ------------------------------------------------------------------------------------


def test_batch_any_takes_an_array_of_messages() -> None:
    body = request_schema("post", "/batch/any")
    assert body["type"] == "array"
    assert body["items"] == schema("Message")
    assert body["minItems"] == 1
    assert body["maxItems"] == _limits.MAX_BATCH_SIZE == 5000
    message = {"sender": "Acme", "destination": "447700900123", "content": "Hi"}
    assert is_valid(body, [message])
    assert not is_valid(body, message), "a bare object must not pass for the array"
    assert not is_valid(body, [])
    assert not is_valid(body, [message] * (_limits.MAX_BATCH_SIZE + 1))


@pytest.mark.parametrize("path", ["/batch/send", "/batch/schedule"])
def test_batch_send_and_schedule_take_a_batch_message(path: str) -> None:
    assert request_schema("post", path) == schema("BatchMessage")


def test_metadata_is_an_array_of_key_value_strings() -> None:
    metadata = schema("Message")["properties"]["metadata"]
    assert metadata["type"] == "array"
    pair = metadata["items"]
    assert pair == schema("MetaData")
    assert pair["required"] == ["key", "value"]
    assert {name: prop["type"] for name, prop in pair["properties"].items()} == {
        "key": "string",
        "value": "string",
    }
    assert is_valid(metadata, [{"key": "orderRef", "value": "A-10293"}])
    assert not is_valid(metadata, {"schema": {"key": "orderRef", "value": "A-10293"}})
    assert not is_valid(metadata, [{"key": "n", "value": 1}])


def test_requests_refuse_unknown_fields_and_responses_keep_them() -> None:
    for name in (
        "Message",
        "BatchMessage",
        "MetaData",
        "Query",
        "QueryMetadata",
        "OTP",
        "OTPVerify",
    ):
        assert schema(name)["additionalProperties"] is False, name
    for name in (
        "MessageResponse",
        "BatchMessageResponse",
        "CancelledMessageResponse",
        "SendMessageResponse",
        "ScheduledMessagesResponse",
        "OTPResponse",
        "OTPVerifyResponse",
    ):
        assert schema(name).get("additionalProperties", True) is not False, name


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("MessageResponse", "destination"),
        ("MessageResponse", "id"),
        ("MessageResponse", "messageid"),
        ("MessageResponse", "batchid"),
        ("MessageResponse", "identifier"),
        ("BatchMessageResponse", "batchid"),
        ("ScheduledBatchResponse", "batchid"),
        ("CancelledMessageResponse", "messageid"),
        ("SendMessageResponse", "messageid"),
        ("ScheduledMessageResponse", "messageid"),
        ("DeletedMessageResponse", "messageid"),
        ("ScheduledMessagesResponse", "id"),
        ("ScheduledMessage", "destination"),
        ("ScheduledMessagesResponseMessage", "destination"),
        ("OTPResponse", "messageid"),
        ("OTPVerifyResponse", "destination"),
        ("OTPVerifyResponse", "passcode"),
    ],
)
def test_identifiers_and_destination_accept_number_or_string(name: str, field: str) -> None:
    prop = schema(name)["properties"][field]
    assert is_valid(prop, 447700900123)
    assert is_valid(prop, "447700900123")
    assert not is_valid(prop, None)
    assert not is_valid(prop, True)


def test_message_response_requires_nothing() -> None:
    response = schema("MessageResponse")
    assert "required" not in response
    assert is_valid(response, {})
    assert is_valid(response, {"status": "SENT", "somethingNew": [1, 2]})
    assert schema("MessageResponseFailurereason").get("required") is None


def test_error_models() -> None:
    assert schema("ErrorModel")["required"] == ["message"]
    extended = schema("ExtendedErrorModel")
    assert extended["required"] == ["errorCode", "status"]
    assert extended["properties"]["errorCode"]["type"] == "integer"
    assert extended["properties"]["permanent"]["type"] == "boolean"
    assert is_valid(extended, {"errorCode": 402, "status": "INSUFFICIENT_CREDITS"})


# --- limits ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Message", "BatchMessage"])
def test_documented_limits_are_constraints(name: str) -> None:
    props = schema(name)["properties"]
    assert props["sender"]["maxLength"] == _limits.MAX_SENDER_NUMERIC == 15
    assert props["content"]["minLength"] == 1
    assert props["content"]["maxLength"] == _limits.MAX_CONTENT_LENGTH == 1280
    assert props["tag"]["maxLength"] == _limits.MAX_TAG_LENGTH == 280
    assert (props["validity"]["minimum"], props["validity"]["maximum"]) == (
        _limits.MIN_VALIDITY,
        _limits.MAX_VALIDITY,
    )
    assert props["validity"]["type"] == props["ttl"]["type"] == "integer"
    assert props["ttl"]["minimum"] == 1
    assert "maximum" not in props["ttl"]


def test_search_and_passcode_limits() -> None:
    query = schema("Query")["properties"]
    assert (query["limit"]["minimum"], query["limit"]["maximum"]) == (1, _limits.MAX_QUERY_RESULTS)
    assert query["limit"]["type"] == query["skip"]["type"] == "integer"
    assert query["skip"]["minimum"] == 0
    otp = schema("OTP")["properties"]
    assert otp["sender"]["pattern"] == _limits.SENDER_PATTERN
    assert otp["sender"]["maxLength"] == _limits.MAX_SENDER_NUMERIC
    assert re.search(otp["template"]["pattern"], f"Code: {_limits.OTP_PLACEHOLDER}")
    assert not re.search(otp["template"]["pattern"], "Code: {passcode}")
    assert otp["length"]["type"] == otp["validity"]["type"] == "integer"
    assert str(_limits.MAX_OTP_METADATA_BYTES) in otp["metadata"]["description"]


def test_upstream_wrapper_objects_are_the_shapes_the_api_sends() -> None:
    # Upstream wraps Query.metadata and ScheduledMessagesResponse.message in an object with a
    # single "schema" property; the API sends and takes the inner shapes directly.
    metadata = schema("Query")["properties"]["metadata"]
    assert metadata["type"] == "array"
    assert metadata["items"] == schema("QueryMetadata")
    assert is_valid(metadata, [{"key": "orderRef", "value": "A-10293"}])
    assert not is_valid(metadata, {"schema": {"key": "orderRef", "value": "A-10293"}})
    message = schema("ScheduledMessagesResponse")["properties"]["message"]
    assert "schema" not in message["properties"]
    assert set(message["properties"]) == set(schema("ScheduledMessage")["properties"])
    verify = schema("OTPVerify")
    assert verify["required"] == ["passcode"]
    assert verify["properties"]["passcode"]["type"] == "string"


def test_batch_destinations_limits() -> None:
    destinations = schema("BatchMessage")["properties"]["destinations"]
    assert destinations["type"] == "array"
    assert destinations["items"]["type"] == "string"
    assert destinations["minItems"] == 1
    assert destinations["maxItems"] == _limits.MAX_BATCH_SIZE


@pytest.mark.parametrize(
    ("sender", "valid"),
    [
        ("Acme", True),
        ("A", True),
        ("A" * _limits.MAX_SENDER_ALPHANUMERIC, True),
        ("A" * (_limits.MAX_SENDER_ALPHANUMERIC + 1), False),
        ("Acme2024", True),
        ("9" * _limits.MAX_SENDER_NUMERIC, True),
        ("9" * (_limits.MAX_SENDER_NUMERIC + 1), False),
        ("447700900123", True),
        ("Acme Ltd", False),
        ("Acme-Ltd", False),
        ("+447700900123", False),
        ("", False),
    ],
)
def test_sender_pattern(sender: str, valid: bool) -> None:
    for name in ("Message", "BatchMessage"):
        assert is_valid(schema(name)["properties"]["sender"], sender) is valid, (name, sender)


def test_path_parameters_are_non_empty_strings() -> None:
    document = load_document()
    seen = 0
    for _, path, operation in operations(document):
        names = re.findall(r"\{([^}]+)\}", path)
        params = [resolve(document, p) for p in operation.get("parameters", [])]
        assert [param["name"] for param in params] == names, path
        for param in params:
            assert (param["in"], param["required"]) == ("path", True)
            assert param["schema"]["type"] == "string"
            assert param["schema"]["minLength"] == 1
            seen += 1
    assert seen == 7


# --- examples ----------------------------------------------------------------------------------


def _examples(document: Dict[str, Any], node: Any, where: str) -> Iterator[Tuple[str, Any, Any]]:
    """Every ``(location, schema, example)`` in ``node``, schemas dereferenced."""
    if isinstance(node, dict):
        if "example" in node and ("type" in node or "oneOf" in node or "$ref" in node):
            yield (
                where,
                deref(document, {k: v for k, v in node.items() if k != "example"}),
                node["example"],
            )
        if "example" in node and "schema" in node:  # a media type
            yield where, deref(document, node["schema"]), node["example"]
        for key, value in node.items():
            if key != "example":
                yield from _examples(document, value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(document, value, f"{where}/{index}")


def test_every_example_fits_its_schema() -> None:
    document = load_document()
    found: List[str] = []
    for where, schema_, example in _examples(document, document, "#"):
        found.append(where)
        assert is_valid(schema_, example), f"{where}: {example!r}"
    assert len(found) > 40


def test_examples_look_like_the_real_api() -> None:
    record = schema("MessageResponse")["example"]
    assert record["destination"] == 447700900123  # a JSON number, as the API documents it
    js_date = re.compile(
        r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} "
        r"GMT[+-]\d{4} \([A-Za-z ]+\)$"
    )
    for field in ("created", "modified"):
        assert js_date.match(record[field]), record[field]
    assert js_date.match(schema("BatchMessage")["properties"]["schedule"]["example"])


# --- wording -----------------------------------------------------------------------------------


def _descriptions(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield " ".join(value.split()).lower()
            else:
                yield from _descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _descriptions(value)


def test_every_operation_and_schema_is_described() -> None:
    document = load_document()
    for method, path, operation in operations(document):
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
    for name, schema_ in document["components"]["schemas"].items():
        assert schema_.get("description"), name


def test_no_description_is_taken_from_the_upstream_document() -> None:
    upstream_path = reference_files.require("smsworks-openapi-1.9.0.yaml")
    with upstream_path.open(encoding="utf-8") as handle:
        upstream = set(_descriptions(yaml.safe_load(handle)))
    ours = set(_descriptions(load_document()))
    # Short labels such as "Success" or "Error" are too generic to count as copied text.
    copied = {text for text in ours & upstream if len(text) > 20}
    assert not copied
