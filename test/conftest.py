"""Shared fixtures: a fake transport for unit tests and a live sandbox for integration tests."""

from __future__ import annotations

import os
from typing import Any, Callable, Iterator, Tuple

import pytest
from fakes import FakeTransport
from hypothesis import HealthCheck, settings

import openapi_client

#: Under CI a missing service fails the run instead of skipping.
IN_CI = os.environ.get("CI", "").lower() == "true"

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if IN_CI else "dev")


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
