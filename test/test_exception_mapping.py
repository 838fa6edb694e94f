"""The one mapping from a failed call to its exception (``exceptions.exception_for``)."""

from __future__ import annotations

import pickle
from typing import Optional, Type

import pytest

import openapi_client as oc
from openapi_client import _batching, exceptions
from openapi_client.exceptions import (
    SendOutcomeUnknownResponseError,
    SendOutcomeUnknownServiceError,
    SendOutcomeUnknownTimeoutError,
    exception_for,
)


@pytest.mark.parametrize(
    ("kind", "status", "replayable", "cls"),
    [
        ("connect", None, False, oc.ApiConnectionError),
        ("connect", None, True, oc.ApiConnectionError),
        ("connect_timeout", None, False, oc.ApiTimeoutError),
        ("read_timeout", None, True, oc.ApiTimeoutError),
        ("read_timeout", None, False, SendOutcomeUnknownTimeoutError),
        ("dropped", None, True, oc.ApiConnectionError),
        ("dropped", None, False, oc.SendOutcomeUnknownError),
        ("status", 503, True, oc.ServiceException),
        ("status", 503, False, SendOutcomeUnknownServiceError),
        ("status", 500, False, SendOutcomeUnknownServiceError),
        ("status", 402, False, oc.InsufficientCreditsException),
        ("status", 404, True, oc.NotFoundException),
        ("status", 429, False, oc.RateLimitException),
        ("status", 418, True, oc.ApiException),
        ("unreadable", 200, True, oc.ApiResponseError),
        ("unreadable", 201, False, SendOutcomeUnknownResponseError),
        ("unreadable", 503, False, SendOutcomeUnknownResponseError),
        ("unreadable", 401, False, oc.UnauthorizedException),
    ],
)
def test_each_failure_maps_to_exactly_one_class(
    kind: str, status: Optional[int], replayable: bool, cls: Type[oc.ApiException]
) -> None:
    exc = exception_for(
        replayable=replayable,
        kind=kind,
        reason="what happened",
        status=status,
        method="POST",
        url="https://api.example.test/v1/x",
    )
    assert type(exc) is cls
    if status is not None:
        assert exc.status == status
    assert isinstance(exc, oc.SendOutcomeUnknownError) is (
        not replayable
        and (
            kind in ("read_timeout", "dropped")
            or (status or 0) >= 500
            or (kind == "unreadable" and (status or 0) < 400)
        )
    )


def test_a_timed_out_send_is_an_unknown_outcome_and_a_timeout() -> None:
    exc = exception_for(
        replayable=False, kind="read_timeout", reason="read timed out", method="POST", url="u"
    )
    assert isinstance(exc, oc.SendOutcomeUnknownError)
    assert isinstance(exc, oc.ApiTimeoutError) and isinstance(exc, oc.ApiConnectionError)
    assert exc.method == "POST" and exc.url == "u"
    assert "read timed out" in str(exc) and "not retried" in str(exc)
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is SendOutcomeUnknownTimeoutError and str(copy) == str(exc)


def test_a_replayable_failure_says_why_it_was_not_tried_again() -> None:
    exc = exception_for(
        replayable=True, kind="read_timeout", reason="read timed out", why="no retries left"
    )
    assert type(exc) is oc.ApiTimeoutError
    assert "read timed out (no retries left)" in str(exc)
    assert "not sent" in str(exception_for(replayable=False, kind="connect", reason="refused"))


def test_an_unknown_kind_is_a_bug_not_a_silent_default() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        exception_for(replayable=True, kind="nonsense")


def test_every_exception_class_lives_in_exceptions_and_the_old_homes_still_work() -> None:
    assert _batching.ChunkedSendError is exceptions.ChunkedSendError
    assert _batching.ReportAlreadyResumedError is exceptions.ReportAlreadyResumedError
    assert oc.ChunkedSendError is exceptions.ChunkedSendError
    for name in exceptions.__all__:
        value = getattr(exceptions, name)
        if isinstance(value, type):
            assert value.__module__ == "openapi_client.exceptions", name
