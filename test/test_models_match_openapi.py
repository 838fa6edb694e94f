"""The models of ``openapi_client.models`` and the schemas of ``openapi.yaml`` agree.

Driven by the document: every object schema (those the operations use, and those of models whose
operations are not in the document yet) must have a model of the same name, with one field per
property (wire name = alias), the same required set, a compatible type and the same documented
limits; and every model must have its schema. Adding a property to the document without the
field (or the other way round) fails here.

"Compatible" follows the SDK's policy, strict on requests and lenient on responses:

* request models (``extra="forbid"``): every value the document allows is accepted, and whatever
  the model accepts goes out as a value the document allows; the limits (``maxLength``,
  ``minimum``, ``maxItems``, ...) are declared on the field exactly as in the document, so the
  model's JSON schema, the client-side checks and Prism agree;
* response models (``extra="allow"``): every value the document allows is accepted (identifiers
  sent as numbers come out as text), the model requires nothing the document does not, and it is
  never stricter than the document.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Set, Tuple, Type

import pytest
from pydantic import BaseModel, ValidationError
from test_openapi_document import (
    BATCH_OPERATIONS,
    deref,
    is_valid,
    load_document,
    resolve,
)

from openapi_client import models

DOCUMENT = load_document()
SCHEMAS: Dict[str, Any] = DOCUMENT["components"]["schemas"]
CONSTRAINTS = (
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
)
#: One value of each JSON type, to offer a field that should refuse it (or send it corrected).
ANY_JSON: Dict[str, Any] = {
    "string": "1",
    "integer": 1,
    "number": 1.5,
    "boolean": True,
    "array": [],
    "object": {},
    "null": None,
}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def batch_schema_names() -> Set[str]:
    """Names of the object schemas reachable from the batch operations."""
    pending: List[str] = []
    for method, path in BATCH_OPERATIONS:
        operation = DOCUMENT["paths"][path][method]
        pending += _refs(operation.get("requestBody", {}))
        for response in operation["responses"].values():
            pending += _refs(resolve(DOCUMENT, response))
    seen: Set[str] = set()
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending += _refs(SCHEMAS[name])
    return {name for name in seen if SCHEMAS[name].get("type") == "object"}


def object_schema_names() -> Set[str]:
    """Names of every object schema of the document, used by an operation or not (yet)."""
    return {name for name, schema in SCHEMAS.items() if schema.get("type") == "object"}


MODEL_NAMES = sorted(object_schema_names())


def model_of(name: str) -> Type[BaseModel]:
    model = getattr(models, name, None)
    assert isinstance(model, type), f"openapi_client.models has no {name}"
    assert issubclass(model, BaseModel)
    return model


def is_request(model: Type[BaseModel]) -> bool:
    return model.model_config.get("extra") == "forbid"


def wire_fields(model: Type[BaseModel]) -> Dict[str, str]:
    """``{wire name: Python name}`` of the model's declared fields."""
    return {(field.alias or name): name for name, field in model.model_fields.items()}


def properties(name: str) -> Dict[str, Any]:
    props: Dict[str, Any] = deref(DOCUMENT, SCHEMAS[name]).get("properties", {})
    return props


def json_types(schema: Dict[str, Any]) -> Set[str]:
    """The JSON types a (dereferenced) schema admits."""
    if "oneOf" in schema or "anyOf" in schema:
        return set().union(*(json_types(s) for s in schema.get("oneOf", schema.get("anyOf"))))
    if "allOf" in schema:
        return set.intersection(*(json_types(s) for s in schema["allOf"]))
    kind = schema.get("type")
    found = {kind} if kind else set(ANY_JSON) - {"null"}
    if "number" in found:
        found.add("integer")
    if schema.get("nullable"):
        found.add("null")
    return found


def samples(schema: Dict[str, Any]) -> List[Any]:
    """Values the (dereferenced) schema allows, one per alternative, preferring its examples."""
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        return [value for branch in branches for value in samples(branch)]
    if "example" in schema:
        return [schema["example"]]
    kind = schema.get("type")
    if kind == "array":
        items = samples(schema.get("items", {}))
        return [items[: max(1, schema.get("minItems", 1))]]
    if kind == "object":
        return [minimal_instance(schema)]
    by_type = {"string": "text", "integer": 1, "number": 1.5, "boolean": False}
    return [by_type.get(kind or "string", "text")]


def minimal_instance(schema: Dict[str, Any]) -> Dict[str, Any]:
    """An instance of an object schema with only its required properties."""
    props = schema.get("properties", {})
    return {name: samples(props[name])[0] for name in schema.get("required", [])}


def validate_json(model: Type[BaseModel], data: Dict[str, Any]) -> BaseModel:
    """Decode ``data`` the way the SDK decodes a body: from JSON bytes."""
    return model.model_validate_json(json.dumps(data))


def model_property_schema(model: Type[BaseModel], wire: str) -> Dict[str, Any]:
    """The field's JSON schema from pydantic, without the ``null`` that ``Optional`` adds."""
    schema: Dict[str, Any] = model.model_json_schema(by_alias=True)["properties"][wire]
    if "anyOf" in schema:
        rest = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(rest) == 1:
            schema = {**schema, **rest[0]}
    return schema


def constraints(schema: Dict[str, Any]) -> Dict[str, Any]:
    found = {key: schema[key] for key in CONSTRAINTS if key in schema}
    items = schema.get("items")
    if isinstance(items, dict) and "$ref" not in items:
        found.update({f"items.{k}": v for k, v in constraints(items).items()})
    return found


def cases() -> Iterator[Tuple[str, str]]:
    for name in MODEL_NAMES:
        for wire in properties(name):
            yield name, wire


def nested_model(name: str, wire: str) -> Any:
    """The schema name a property refers to (directly or as array items), or None."""
    raw = SCHEMAS[name]["properties"][wire]
    target = raw.get("items", raw) if raw.get("type") == "array" else raw
    ref = target.get("$ref")
    return ref.rsplit("/", 1)[1] if isinstance(ref, str) else None


PROPERTY_CASES = list(cases())
REQUEST_CASES = [(n, w) for n, w in PROPERTY_CASES if is_request(model_of(n))]
NESTED_CASES = [(n, w) for n, w in PROPERTY_CASES if nested_model(n, w)]


def ids(found: List[Tuple[str, str]]) -> List[str]:
    return [f"{name}.{wire}" for name, wire in found]


# --- the same set of models and schemas ----------------------------------------------------------


def test_every_object_schema_has_a_model_and_every_model_a_schema() -> None:
    assert set(MODEL_NAMES) == set(models.__all__)


def test_every_schema_the_batch_operations_use_is_compared() -> None:
    assert batch_schema_names() <= set(MODEL_NAMES)


def test_the_batch_schemas_are_the_ones_the_sdk_needs() -> None:
    # A guard on the walk above: if it found nothing, every other test would pass vacuously.
    assert {"BatchMessage", "Message", "MetaData", "MessageResponse", "ExtendedErrorModel"} <= set(
        batch_schema_names()
    )
    assert {"Query", "OTP", "OTPVerifyResponse", "SendMessageResponse", "TestResponse"} <= set(
        MODEL_NAMES
    )


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_field_wire_names_are_the_schema_properties(name: str) -> None:
    assert set(wire_fields(model_of(name))) == set(properties(name))


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_required_fields(name: str) -> None:
    model = model_of(name)
    fields = wire_fields(model)
    required_by_model = {
        wire for wire, attr in fields.items() if model.model_fields[attr].is_required()
    }
    required_by_document = set(SCHEMAS[name].get("required", []))
    if is_request(model):
        assert required_by_model == required_by_document
    else:
        # Lenient reading: the model may require less than the document, never more.
        assert required_by_model <= required_by_document


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_unknown_fields_policy(name: str) -> None:
    model = model_of(name)
    closed = SCHEMAS[name].get("additionalProperties", True) is False
    assert model.model_config.get("extra") == ("forbid" if closed else "allow")
    extra = {**minimal_instance(deref(DOCUMENT, SCHEMAS[name])), "notInTheDocument": 1}
    if closed:
        with pytest.raises(ValidationError):
            validate_json(model, extra)
    else:
        kept = validate_json(model, extra)
        assert kept.model_extra == {"notInTheDocument": 1}


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_document_examples_decode(name: str) -> None:
    schema = deref(DOCUMENT, SCHEMAS[name])
    decoded = validate_json(model_of(name), schema["example"])
    assert is_valid(schema, json.loads(decoded.model_dump_json(by_alias=True, exclude_none=True)))


# --- each property ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "wire"), PROPERTY_CASES, ids=ids(PROPERTY_CASES))
def test_model_accepts_every_value_the_document_allows(name: str, wire: str) -> None:
    model = model_of(name)
    schema = deref(DOCUMENT, SCHEMAS[name])
    attr = wire_fields(model)[wire]
    for value in samples(schema["properties"][wire]):
        decoded = validate_json(model, {**minimal_instance(schema), wire: value})
        got = getattr(decoded, attr)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(got, str):
            assert got == str(value), "numbers sent for text fields keep their digits"
        elif isinstance(value, (dict, list)):
            assert got is not None
        else:
            assert got == value


@pytest.mark.parametrize(("name", "wire"), REQUEST_CASES, ids=ids(REQUEST_CASES))
def test_request_models_send_only_what_the_document_allows(name: str, wire: str) -> None:
    model = model_of(name)
    schema = deref(DOCUMENT, SCHEMAS[name])
    prop = schema["properties"][wire]
    offered = [value for kind, value in ANY_JSON.items() if kind not in json_types(prop)]
    assert offered, "every type is allowed: nothing to check"
    for value in offered:
        try:
            decoded = validate_json(model, {**minimal_instance(schema), wire: value})
        except ValidationError:
            continue  # refused: it would never be sent
        sent = json.loads(decoded.model_dump_json(by_alias=True, exclude_none=True))
        if wire in sent:
            assert is_valid(prop, sent[wire]), f"{value!r} accepted and sent as {sent[wire]!r}"


@pytest.mark.parametrize(("name", "wire"), PROPERTY_CASES, ids=ids(PROPERTY_CASES))
def test_limits_are_declared_like_the_document(name: str, wire: str) -> None:
    model = model_of(name)
    documented = constraints(properties(name)[wire])
    declared = constraints(model_property_schema(model, wire))
    if is_request(model):
        # Patterns are enforced by the client-side checks (see test_contract_prism); a model
        # that declares one must declare the document's.
        if "pattern" not in declared:
            documented.pop("pattern", None)
        assert declared == documented
    else:
        # A response model may check less than the document, never something else.
        assert set(declared) <= set(documented)
        for key, value in declared.items():
            assert documented[key] == value, key


@pytest.mark.parametrize(("name", "wire"), NESTED_CASES, ids=ids(NESTED_CASES))
def test_nested_objects_use_the_named_model(name: str, wire: str) -> None:
    nested = model_of(nested_model(name, wire))
    attr = wire_fields(model_of(name))[wire]
    annotation = model_of(name).model_fields[attr].annotation
    assert nested.__name__ in repr(annotation)
