"""Tokens as people give them: none at all, or pasted with a newline. Over HTTP to a sandbox."""

from __future__ import annotations

import pickle
from typing import Iterator

import pytest

import openapi_client
from openapi_client import (
    ApiClient,
    ApiException,
    ApiValueError,
    BatchMessage,
    BatchMessagesApi,
    Configuration,
    MissingTokenError,
    UnauthorizedException,
)
from openapi_client.sandbox import Sandbox

TOKEN = "tok-3f9a-never-shown"
MESSAGE = BatchMessage(sender="Acme", destinations=["447700900001"], content="Hi")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(credits=100, token=TOKEN) as running:
        yield running


def test_no_token_is_refused_before_sending(sandbox: Sandbox) -> None:
    with ApiClient(Configuration(host=sandbox.url)) as client:
        api = BatchMessagesApi(client)
        for call in (
            lambda: api.batch_send_post(MESSAGE),
            lambda: api.batch_batchid_get("1"),
            lambda: api.batches_schedule_batchid_delete("1"),
            lambda: api.batch_send_post_with_http_info(MESSAGE),
        ):
            with pytest.raises(UnauthorizedException) as caught:
                call()
            error = caught.value
            assert isinstance(error, MissingTokenError)
            assert isinstance(error, ApiValueError) and isinstance(error, ApiException)
            assert error.status == 401
            assert "no token" in str(error) and "nothing was sent" in str(error)
            assert "SMSWORKS_TOKEN" in str(error)
    assert sandbox.requests == []
    assert sandbox.credits == 100


def test_the_refusal_survives_pickle() -> None:
    copy = pickle.loads(pickle.dumps(MissingTokenError()))
    assert isinstance(copy, MissingTokenError)
    assert copy.status == 401 and "no token" in str(copy)


def test_a_per_call_token_is_a_token(sandbox: Sandbox) -> None:
    with ApiClient(Configuration(host=sandbox.url)) as client:
        api = BatchMessagesApi(client)
        sent = api.batch_send_post(MESSAGE, _request_auth={"value": TOKEN})
        assert sent.batchid
    assert len(sandbox.requests) == 1


def test_param_serialize_and_call_api_still_work(sandbox: Sandbox) -> None:
    with ApiClient(Configuration(host=sandbox.url, api_key={"JWT": TOKEN})) as client:
        method, url, headers, body, _ = client.param_serialize(
            "GET", "/batch/{batchid}", path_params={"batchid": "999"}
        )
        assert headers["Authorization"] == f"JWT {TOKEN}"
        response = client.call_api(method, url, headers, body)
        assert response.status == 404
    with ApiClient(Configuration(host=sandbox.url)) as client:
        method, url, headers, body, _ = client.param_serialize("GET", "/batch/1")
        assert "Authorization" not in headers  # built as asked; the server decides
        assert client.call_api(method, url, headers, body).status == 401


@pytest.mark.parametrize("pasted", [f"{TOKEN}\n", f"{TOKEN} ", f"  JWT {TOKEN}\r\n", f"\t{TOKEN}"])
def test_surrounding_whitespace_is_removed(sandbox: Sandbox, pasted: str) -> None:
    config = Configuration(host=sandbox.url, api_key={"JWT": pasted})
    assert config.get_api_key_with_prefix("JWT") == f"JWT {TOKEN}"
    with ApiClient(config) as client:
        assert BatchMessagesApi(client).batch_send_post(MESSAGE).batchid
    assert len(sandbox.requests) == 1


def test_a_token_from_the_environment_with_a_newline_works(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSWORKS_TOKEN", TOKEN + "\n")
    with ApiClient(Configuration(host=sandbox.url)) as client:
        assert BatchMessagesApi(client).batch_send_post(MESSAGE).batchid


@pytest.mark.parametrize("bad", [f"{TOKEN[:5]}\n{TOKEN[5:]}", f"{TOKEN[:5]}\r{TOKEN[5:]}",
                                 f"{TOKEN[:5]} {TOKEN[5:]}", f"JWT {TOKEN}\x00"])  # fmt: skip
def test_inner_control_characters_are_still_refused(sandbox: Sandbox, bad: str) -> None:
    with ApiClient(Configuration(host=sandbox.url, api_key={"JWT": bad})) as client:
        with pytest.raises(openapi_client.ApiValueError) as caught:
            BatchMessagesApi(client).batch_send_post(MESSAGE)
        assert TOKEN not in str(caught.value)
        assert not isinstance(caught.value, MissingTokenError)
    assert sandbox.requests == []
