"""Shared fixtures: a fake transport for unit tests and a live sandbox for integration tests."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple

import pytest
from hypothesis import HealthCheck, settings

import openapi_client
from openapi_client.rest import RESTResponse

#: Under CI a missing service fails the run instead of skipping.
IN_CI = os.environ.get("CI", "").lower() == "true"

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if IN_CI else "dev")


class FakeTransport:
    """Records every request and answers from a script: unit tests run without sockets.

    ``answers`` is a list of ``(status, body, headers)`` tuples or exceptions, consumed in
    order; the last one repeats.
    """

    def __init__(self, *answers: Any) -> None:
        self.answers: List[Any] = list(answers) or [(200, b"{}", {})]
        self.calls: List[Dict[str, Any]] = []
        self.cleared = 0

    def request(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
        post_params: Any = None,
        _request_timeout: Any = None,
        *,
        preload_content: bool = True,
    ) -> RESTResponse:
        self.calls.append(
            {
                "method": method,
                "url": url,
                "headers": dict(headers or {}),
                "body": body,
                "timeout": _request_timeout,
                "preload": preload_content,
            }
        )
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        status, data, resp_headers = answer
        if isinstance(data, str):
            data = data.encode()
        return RESTResponse(
            _RawResponse(status, data, resp_headers),
            data=data if preload_content else None,
            status=status,
            reason="Reason",
            headers=resp_headers,
        )

    def clear(self) -> None:
        self.cleared += 1


class _RawResponse:
    """Stands in for ``urllib3.HTTPResponse`` in ``*_without_preload_content`` unit tests."""

    def __init__(self, status: int, data: bytes, headers: Mapping[str, str]) -> None:
        self.status = status
        self.data = data
        self.headers = headers
        self.released = False

    def drain_conn(self) -> None:
        pass

    def release_conn(self) -> None:
        self.released = True


@pytest.fixture
def fake() -> Callable[..., Tuple[openapi_client.BatchMessagesApi, FakeTransport]]:
    """``fake(*answers, **config)`` -> (api, transport) with instant retries."""

    def build(
        *answers: Any, **config: Any
    ) -> Tuple[openapi_client.BatchMessagesApi, FakeTransport]:
        transport = FakeTransport(*answers)
        config.setdefault("host", "https://api.example.test/v1")
        config.setdefault("api_key", {"JWT": "test-token"})
        configuration = openapi_client.Configuration(**config)
        client = openapi_client.ApiClient(configuration, transport=transport)
        client.sleep = lambda seconds: None  # type: ignore[method-assign]
        return openapi_client.BatchMessagesApi(client), transport

    return build


@pytest.fixture
def sandbox() -> Iterator[Any]:
    """A fresh sandbox with plenty of credits."""
    from openapi_client.sandbox import Sandbox

    with Sandbox(credits=100_000) as sb:
        yield sb


@pytest.fixture
def sandbox_api(sandbox: Any) -> Iterator[openapi_client.BatchMessagesApi]:
    """A ``BatchMessagesApi`` talking to ``sandbox`` over real HTTP on 127.0.0.1."""
    with openapi_client.ApiClient(sandbox.configuration()) as client:
        yield openapi_client.BatchMessagesApi(client)


@pytest.fixture(autouse=True)
def _no_token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests must not pick up a developer's real token or base URL from the environment.
    monkeypatch.delenv("SMSWORKS_TOKEN", raising=False)
    monkeypatch.delenv("SMSWORKS_BASE_URL", raising=False)
