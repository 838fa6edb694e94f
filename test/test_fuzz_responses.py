"""Whatever a server answers, a call gives a model of the declared type or an ``ApiException``.

Hypothesis feeds arbitrary statuses (100-599), headers (``Retry-After`` garbage included) and
bodies (JSON of the wrong shape, random bytes, 1e400 and 10**400, 10,000 levels of nesting,
empty, whitespace) through the response path of every operation and every variant, on a
transport that answers from memory (no sockets), so thousands of answers run in seconds.

Never allowed out of a call: ``JSONDecodeError``, pydantic's ``ValidationError``,
``RecursionError``, ``UnicodeDecodeError``, ``KeyError`` or anything else outside the tree; a
result for a failure status; a result of another type than the one declared; a send tried
twice after anything but a 429.
"""

from __future__ import annotations

import json
import os
from datetime import timezone
from email.utils import format_datetime
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
import urllib3
from clients import KINDS, Caller, Raw
from fakes import FakeTransport
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from operation_examples import EXAMPLES as OPERATION_EXAMPLES
from operation_examples import Example
from pydantic import BaseModel

import openapi_client as oc
from openapi_client._operation import Operation
from openapi_client._registry import OPERATIONS as REGISTRY
from openapi_client._retry import Attempt, FailureKind, RetryPolicy
from openapi_client.exceptions import (
    SendOutcomeUnknownResponseError,
    SendOutcomeUnknownServiceError,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
#: Examples per operation; the 21 operations give 21,000 under CI.
EXAMPLES = 1000 if IN_CI else 100
#: Examples per operation for statuses the API does not document (another 2xx).
ODD_SUCCESS_EXAMPLES = 200 if IN_CI else 30

POLICY = RetryPolicy.from_setting(None)


def _fits(example: Example) -> Callable[[Any], bool]:
    """A decoded result is of the declared type (a list holds models only)."""
    if example.result is list:
        return lambda r: isinstance(r, list) and all(isinstance(m, BaseModel) for m in r)
    return lambda r: isinstance(r, example.result)


# name -> (operation, its example call, check of a decoded result): every registry operation.
OPERATIONS: Dict[str, Tuple[Operation[Any, Any], Example, Callable[[Any], bool]]] = {
    name: (op, OPERATION_EXAMPLES[name], _fits(OPERATION_EXAMPLES[name]))
    for name, op in REGISTRY.items()
}
VARIANTS = ["", "_with_http_info", "_without_preload_content"]

STATUS_CLASSES = {
    400: oc.BadRequestException,
    401: oc.UnauthorizedException,
    402: oc.InsufficientCreditsException,
    403: oc.ForbiddenException,
    404: oc.NotFoundException,
    409: oc.ConflictException,
    422: oc.UnprocessableEntityException,
    429: oc.RateLimitException,
}


# -- strategies ------------------------------------------------------------------------------

ODD_STATUSES = [100, 101, 103, 199, 204, 205, 206, 226, 299, 300, 304, 399, 418, 451, 499, 599]
HUGE_NUMBERS = ["1e400", "-1e400", "1E+999999", str(10**400), "-" + str(10**400), "1" * 5000]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=8,
)

MODEL_KEYS = [
    "batchid",
    "messageid",
    "status",
    "id",
    "destination",
    "content",
    "created",
    "failurereason",
    "message",
    "errorCode",
    "permanent",
    "code",
    "details",
]
# Flat values keep generation cheap; json_values covers the deep and odd shapes.
model_values = st.one_of(
    json_scalars,
    st.lists(json_scalars, max_size=3),
    st.dictionaries(st.sampled_from(MODEL_KEYS), json_scalars, max_size=3),
)
near_models = st.dictionaries(st.sampled_from(MODEL_KEYS), model_values, max_size=5)


def _json(value: Any) -> bytes:
    # json.dumps writes NaN/Infinity, which are not JSON: more garbage for the decoder.
    return json.dumps(value).encode()


def _deep(depth: int, opening: str, closing: str) -> bytes:
    return (opening * depth + closing * depth).encode()


SPECIAL_BODIES = [
    b"",
    b" ",
    b" \r\n\t ",
    b"null",
    b"true",
    b"0",
    b'""',
    b"[]",
    b"{}",
    b"[{}]",
    b"\xef\xbb\xbf{}",
    b"NaN",
    b"Infinity",
    b'{"batchid": NaN}',
    b'{"messageid": Infinity}',
    b"[" * 10_000,
    b'{"a":' * 10_000,
    _deep(10_000, "[", "]"),
    _deep(10_000, '{"failurereason":', "}"),
    b"[" + b"{}," * 2000 + b"{}]",
    b"<html><body>502 Bad Gateway</body></html>",
    b'{"message": "caf\xe9 \xff\xfe"}',
    b'{"batchid": "12',
] + [n.encode() for n in HUGE_NUMBERS]
SPECIAL_BODIES += [
    b'{"batchid": %s, "messageid": %s}' % (n.encode(), n.encode()) for n in HUGE_NUMBERS
]
SPECIAL_BODIES += [b'[{"destination": %s}]' % n.encode() for n in HUGE_NUMBERS]
SPECIAL_BODIES += [b'{"message": "x", "errorCode": %s}' % n.encode() for n in HUGE_NUMBERS]

bodies = st.one_of(
    st.sampled_from(SPECIAL_BODIES),
    json_values.map(_json),
    near_models.map(_json),
    st.lists(near_models, max_size=3).map(_json),
    st.binary(max_size=300),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
)

retry_after_values = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0", "1", "-1", "0.5", "61", "3600", "nan", "inf", "1e400", " 2 ", "+3"]),
    st.sampled_from(HUGE_NUMBERS),
    st.datetimes().map(lambda d: format_datetime(d.replace(tzinfo=timezone.utc), usegmt=True)),
    st.datetimes().map(str),
)
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=40)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Retry-After": retry_after_values,
        "Content-Type": st.sampled_from(
            ["application/json", "text/html", "application/json; charset=latin-1", ""]
        ),
        "Content-Length": header_values,
        "X-Request-Id": header_values,
    },
)
reasons = st.one_of(st.just("OK"), st.text(max_size=20))


def answers(statuses: st.SearchStrategy[int]) -> st.SearchStrategy[Tuple[int, str, bytes, Any]]:
    return st.tuples(statuses, reasons, bodies, headers)


def any_documented_status(success: int) -> st.SearchStrategy[int]:
    """The documented success status, or anything outside 2xx (odd ones included)."""
    others = st.integers(min_value=100, max_value=599).filter(lambda s: not 200 <= s <= 299)
    odd = st.sampled_from([s for s in ODD_STATUSES if not 200 <= s <= 299])
    return st.one_of(st.just(success), others, odd, st.sampled_from(sorted(STATUS_CLASSES)))


# -- the property ----------------------------------------------------------------------------


def expected_calls(op: Operation[Any, Any], status: int, retry_after: Optional[str]) -> int:
    """Requests the policy allows for an answer that never changes: 1, or 1 + retries."""
    calls = 1
    while status in POLICY.retry_statuses:
        attempt = Attempt(
            op.method, calls, FailureKind.STATUS, status, retry_after, replayable=op.replayable
        )
        if not POLICY.decide(attempt).retry:
            break
        calls += 1
    return calls


def check_one_answer(
    caller: Caller,
    transport: FakeTransport,
    name: str,
    variant: str,
    answer: Tuple[int, str, bytes, Dict[str, str]],
) -> None:
    op, example, fits = OPERATIONS[name]
    send = not op.replayable
    status, reason, body, raw_headers = answer
    transport.answers = [(status, body, urllib3.HTTPHeaderDict(raw_headers), reason)]
    transport.calls.clear()
    result: Any
    try:
        result = caller.call(name, variant, **example.arguments())
    except oc.ApiException as failure:
        result = failure
    if isinstance(result, oc.ApiException):
        exc = result
        # Rendering a failure must never fail in turn.
        assert str(exc) and repr(exc)
        assert variant != "_without_preload_content", f"raw responses are not checked: {exc!r}"
        assert exc.status == status
        if 200 <= status <= 299:
            # A send's unreadable 2xx loses the batch id: its outcome is unknown.
            want = SendOutcomeUnknownResponseError if send else oc.ApiResponseError
            assert type(exc) is want
        elif send and 500 <= status <= 599:
            assert type(exc) is SendOutcomeUnknownServiceError
        elif 500 <= status <= 599:
            assert type(exc) is oc.ServiceException
        else:
            assert type(exc) is STATUS_CLASSES.get(status, oc.ApiException)
    else:
        if variant == "_without_preload_content":
            assert isinstance(result, Raw)
            assert result.status == status
        else:
            assert 200 <= status <= 299, f"a {status} came back as a result: {result!r}"
            data = result.data if variant == "_with_http_info" else result
            assert fits(data), f"{name}{variant} returned {data!r} for a {status}"
            if variant == "_with_http_info":
                assert result.status_code == status
                assert result.raw_data == body
    # Never a second request, except where the policy allows one (a read, or a 429).
    assert len(transport.calls) == expected_calls(op, status, raw_headers.get("Retry-After"))
    if send and status != 429:
        assert len(transport.calls) == 1


def _client(kind: str) -> Tuple[Caller, FakeTransport]:
    transport = FakeTransport()
    config = oc.Configuration(host="https://api.example.test/v1", api_key={"JWT": "fuzz-token"})
    return Caller(kind, config, transport=transport), transport


def _run(kind: str, name: str, statuses: st.SearchStrategy[int], examples: int) -> int:
    caller, transport = _client(kind)
    seen: List[int] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(answer=answers(statuses), variant=st.sampled_from(VARIANTS))
    def run(answer: Tuple[int, str, bytes, Dict[str, str]], variant: str) -> None:
        seen.append(1)
        check_one_answer(caller, transport, name, variant, answer)

    run()
    return len(seen)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_any_answer_gives_a_model_or_an_api_exception(kind: str, name: str) -> None:
    ran = _run(kind, name, any_documented_status(OPERATIONS[name][1].status), EXAMPLES)
    assert ran >= EXAMPLES


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_an_undocumented_success_status_is_never_returned_as_nothing(kind: str, name: str) -> None:
    # A 200 where the API documents 201, a 204, a 202 from a proxy: the caller must get the
    # declared model or ApiResponseError, never ``None`` in place of the batch id.
    success = OPERATIONS[name][1].status
    odd_success = st.integers(min_value=200, max_value=299).filter(lambda s: s != success)
    ran = _run(kind, name, odd_success, ODD_SUCCESS_EXAMPLES)
    assert ran >= ODD_SUCCESS_EXAMPLES
