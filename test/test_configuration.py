"""Configuration, the public surface, and the absence of global side effects."""

from __future__ import annotations

import copy
import http.client
import logging
import subprocess
import sys

import pytest

import openapi_client as oc
from openapi_client import exceptions
from openapi_client.configuration import DEFAULT_HOST, jwt_header_value


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = oc.Configuration()
    assert cfg.host == DEFAULT_HOST == "https://api.thesmsworks.co.uk/v1"
    assert cfg.api_key == {}
    assert cfg.timeout == (5.0, 60.0)
    monkeypatch.setenv("SMSWORKS_TOKEN", "JWT from-env")
    monkeypatch.setenv("SMSWORKS_BASE_URL", "http://127.0.0.1:9/v1/")
    cfg = oc.Configuration()
    assert cfg.host == "http://127.0.0.1:9/v1"
    assert cfg.get_api_key_with_prefix("JWT") == "JWT from-env"
    explicit = oc.Configuration(host="https://h/v1", api_key={"JWT": "mine"})
    assert explicit.host == "https://h/v1"
    assert explicit.api_key == {"JWT": "mine"}
    assert explicit.auth_settings()["JWT"]["value"] == "JWT mine"
    cfg.host = "https://other/v1/"
    assert cfg.host == "https://other/v1"


def test_host_settings() -> None:
    cfg = oc.Configuration(host="https://h/v1")
    assert cfg.get_host_from_settings(None) == "https://h/v1"
    # Entry 0 is the configured host: an index never leads to a host nobody configured.
    assert cfg.get_host_from_settings(0) == "https://h/v1"
    assert oc.Configuration().get_host_from_settings(0) == DEFAULT_HOST
    with pytest.raises(oc.ApiValueError, match="host index"):
        cfg.get_host_from_settings(1)


def test_default_configuration_is_shared_and_replaceable() -> None:
    try:
        mine = oc.Configuration(host="https://h/v1")
        oc.Configuration.set_default(mine)
        assert oc.Configuration.get_default() is mine
        clone = oc.Configuration.get_default_copy()
        assert clone is not mine and clone.host == mine.host
    finally:
        oc.Configuration.set_default(None)
    assert oc.Configuration.get_default().host == DEFAULT_HOST


def test_the_token_never_shows_in_reprs() -> None:
    cfg = oc.Configuration(api_key={"JWT": "s3cr3t-token"})
    client = oc.ApiClient(cfg)
    for text in (repr(cfg), str(cfg), repr(client), cfg.to_debug_report()):
        assert "s3cr3t" not in text
    assert "token=set" in repr(cfg)
    client.close()


def test_refresh_hook_is_called() -> None:
    cfg = oc.Configuration(api_key={"JWT": "old"})
    cfg.refresh_api_key_hook = lambda c: c.api_key.update(JWT="new")
    assert cfg.get_api_key_with_prefix("JWT") == "JWT new"
    assert cfg.get_api_key_with_prefix("missing") is None


def test_jwt_header_value_forms() -> None:
    assert jwt_header_value("abc") == jwt_header_value("JWT abc") == "JWT abc"
    assert jwt_header_value("jwt abc") == "JWT abc"
    for bad in ("", "  ", "JWT", "a\tb", "a\x7f"):
        with pytest.raises(oc.ApiValueError):
            jwt_header_value(bad)


def test_building_configuration_and_client_changes_nothing_global() -> None:
    root = logging.getLogger()
    pkg = logging.getLogger("openapi_client")
    before = (root.level, pkg.level, list(pkg.handlers), http.client.HTTPConnection.debuglevel)
    cfg = oc.Configuration(api_key={"JWT": "x"})
    oc.ApiClient(cfg).close()
    after = (root.level, pkg.level, list(pkg.handlers), http.client.HTTPConnection.debuglevel)
    assert before == after


def test_debug_changes_nothing_global() -> None:
    root = logging.getLogger()
    pkg = logging.getLogger("openapi_client")
    before = (root.level, pkg.level, list(pkg.handlers), list(root.handlers))
    cfg = oc.Configuration(api_key={"JWT": "x"}, debug=True)
    assert cfg.debug is True
    assert (root.level, pkg.level, list(pkg.handlers), list(root.handlers)) == before
    assert http.client.HTTPConnection.debuglevel == 0
    assert copy.deepcopy(cfg).debug is False
    cfg.debug = False
    assert (root.level, pkg.level, list(pkg.handlers), list(root.handlers)) == before


def test_exception_paths_render() -> None:
    assert exceptions.render_path(["messages", 3, "sender"]) == "messages[3].sender"
    assert exceptions.render_path([]) == ""
    err = oc.ApiValueError("too long", ["sms_message", "destinations", 2])
    assert str(err) == "sms_message.destinations[2]: too long"
    assert err.path_to_item == ["sms_message", "destinations", 2]
    assert isinstance(err, ValueError)
    assert isinstance(oc.ApiTypeError("t", ["x"]), TypeError)
    assert isinstance(oc.ApiKeyError("k", ["x"]), KeyError)
    assert isinstance(oc.ApiAttributeError("a"), AttributeError)
    plain = oc.ApiException(status=418, reason="teapot", body="x" * 600)
    assert str(plain).startswith("(418) Reason: teapot")
    assert str(plain).endswith("...")
    assert "Reason: gone" in str(oc.ApiException(reason="gone"))
    timeout = oc.ApiTimeoutError("read timed out", method="GET", url="https://h/v1/batch/1")
    assert isinstance(timeout, oc.ApiConnectionError) and isinstance(timeout, oc.ApiException)
    assert str(timeout) == "read timed out (GET https://h/v1/batch/1)"
    assert oc.RateLimitException(status=429).retry_after is None


def test_all_matches_the_exports() -> None:
    public = {n for n in dir(oc) if not n.startswith("_")} | {"__version__"}
    assert set(oc.__all__) == public
    for name in oc.__all__:
        assert getattr(oc, name) is not None
    with pytest.raises(AttributeError):
        oc.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018
    assert set(exceptions.__all__) <= set(dir(exceptions))


def test_a_plain_import_loads_nothing_it_does_not_need() -> None:
    code = (
        "import sys, openapi_client\n"
        "heavy = {'http.server', 'openapi_client.sandbox', 'openapi_client.cli',"
        " 'openapi_client.sms', 'openapi_client._batching', 'argparse', 'socketserver'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
