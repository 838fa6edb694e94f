"""Drop-in behaviours over real HTTP on 127.0.0.1: host index, refused requests as 400s,
the generated client's Configuration keywords, proxies, case-insensitive headers, lenient numbers.
"""

from __future__ import annotations

import json
import socket
import ssl
import warnings
from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
import urllib3
from fault_server import Fault, FaultServer
from local_tls_proxy import RecordingProxy, tls_origin

import openapi_client as oc

BATCH = {"sender": "Acme", "destinations": ["447700900001"], "content": "Hi"}
CREATED = Fault("ok", status=201, body={"batchid": "1", "status": "SCHEDULED"})


def _api(host: str, **config: Any) -> oc.BatchMessagesApi:
    cfg = oc.Configuration(host=host, api_key={"JWT": "tok"}, **config)
    return oc.BatchMessagesApi(oc.ApiClient(cfg))


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(CREATED) as srv:
        yield srv


# -- 1. _host_index ----------------------------------------------------------------------------


def test_host_index_zero_reaches_the_configured_host(server: FaultServer) -> None:
    api = _api(server.url)
    assert api.batch_send_post(BATCH, _host_index=0).batchid == "1"
    assert [r.path for r in server.requests] == ["/v1/batch/send"]
    assert api.api_client.configuration.get_host_settings()[0]["url"] == server.url


def test_host_index_out_of_range_is_refused_before_sending(server: FaultServer) -> None:
    with pytest.raises(oc.ApiValueError, match=r"_host_index.*host index 1"):
        _api(server.url).batch_send_post(BATCH, _host_index=1)
    assert server.request_count == 0


# -- 2. a request the API would refuse is also a BadRequestException ---------------------------

REFUSED = [
    ("batch_send_post", {**BATCH, "content": "x" * 1281}, "sms_message.content", None),
    ("batch_schedule_post", BATCH, "sms_message.schedule", None),
    (
        "batch_send_post",
        {**BATCH, "destinations": ["447700900001", "447700900002", "447700900001"]},
        "sms_message.destinations[2]",
        2,
    ),
    (
        "batch_any_post",
        [
            {"sender": "Acme", "destination": "447700900001", "content": "a"},
            {"sender": "Way too long sender", "destination": "447700900002", "content": "b"},
        ],
        "messages[1].sender",
        1,
    ),
]


@pytest.mark.parametrize(("method", "body", "field", "index"), REFUSED)
def test_refused_request_is_caught_as_the_servers_400(
    server: FaultServer, method: str, body: Any, field: str, index: Any
) -> None:
    api = _api(server.url)
    # What code written for the generated client catches around a call:
    with pytest.raises(oc.BadRequestException) as caught:
        getattr(api, method)(body)
    exc = caught.value
    assert isinstance(exc, oc.ApiValueError) and isinstance(exc, oc.LocalValidationError)
    assert exc.status == 400
    assert "nothing was sent" in (exc.reason or "")
    detail = json.loads(exc.body or "")
    assert detail["sent"] is False
    assert detail["field"] == field and detail["index"] == index
    assert str(exc).startswith(field)
    assert exc.headers == {}
    assert server.request_count == 0


def test_wrong_python_types_stay_type_errors_only(server: FaultServer) -> None:
    with pytest.raises(oc.ApiTypeError) as caught:
        _api(server.url).batch_send_post({**BATCH, "content": 5})
    assert not isinstance(caught.value, oc.ApiException)
    assert server.request_count == 0


# -- 3. every keyword of the generated Configuration -------------------------------------------

GENERATED_ONLY_KEYWORDS = {
    "verify_ssl": False,
    "proxy": "http://127.0.0.1:9",
    "no_proxy": "localhost",
    "proxy_headers": {"Proxy-Authorization": "Basic eA=="},
    "proxy_ssl_context": ssl.create_default_context(),
    "cert_file": "/nonexistent/cert.pem",
    "key_file": "/nonexistent/key.pem",
    "assert_hostname": "example.test",
    "tls_server_name": "example.test",
    "socket_options": [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)],
    "safe_chars_for_path_param": ":",
    "datetime_format": "%Y",
    "date_format": "%m",
}


@pytest.mark.parametrize("name", sorted(GENERATED_ONLY_KEYWORDS))
def test_generated_configuration_keyword_is_accepted_and_kept(name: str) -> None:
    cfg = oc.Configuration(**{name: GENERATED_ONLY_KEYWORDS[name]})
    assert getattr(cfg, name) is GENERATED_ONLY_KEYWORDS[name]


def test_tls_keywords_reach_urllib3() -> None:
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    cfg = oc.Configuration(
        cert_file="c.pem", key_file="k.pem", socket_options=options, tls_server_name="sni.test"
    )
    kw = oc.rest.RESTClientObject(cfg).pool_manager.connection_pool_kw
    assert (kw["cert_file"], kw["key_file"]) == ("c.pem", "k.pem")
    assert kw["socket_options"] == options and kw["server_hostname"] == "sni.test"
    context = ssl.create_default_context()
    proxied = oc.Configuration(proxy="https://proxy.test:3128", proxy_ssl_context=context)
    manager = oc.rest.RESTClientObject(proxied).pool_manager
    assert isinstance(manager, urllib3.ProxyManager) and manager.proxy_ssl_context is context
    assert oc.Configuration(connection_pool_maxsize=None).connection_pool_maxsize == 32


def test_verify_ssl_false_reaches_urllib3() -> None:
    with tls_origin() as (url, cert, seen):
        with pytest.raises(oc.ApiConnectionError, match="TLS verification failed"):
            _api(url).batch_send_post(BATCH)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the SDK and urllib3 both warn; that is the point
            assert _api(url, verify_ssl=False).batch_send_post(BATCH).batchid == "77"
        assert _api(url, ssl_ca_cert=str(cert)).batch_send_post(BATCH).batchid == "77"
        with pytest.raises(oc.ApiException, match=r"other\.test"):
            _api(url, ssl_ca_cert=str(cert), assert_hostname="other.test").batch_send_post(BATCH)
        assert seen == ["POST /v1/batch/send", "POST /v1/batch/send"]


def test_safe_chars_for_path_param(server: FaultServer) -> None:
    server.fault = Fault("ok", body=[])
    _api(server.url).batch_batchid_get("a:b")
    _api(server.url, safe_chars_for_path_param=":").batch_batchid_get("a:b")
    assert [r.path for r in server.requests] == ["/v1/batch/a%3Ab", "/v1/batch/a:b"]
    with pytest.raises(oc.ApiValueError, match="batchid"):
        _api(server.url, safe_chars_for_path_param="/").batch_batchid_get("x/../y")


def test_date_formats_write_query_parameters() -> None:
    client = oc.ApiClient(
        oc.Configuration(host="https://h/v1", datetime_format="%Y", date_format="%m")
    )
    when = datetime(2030, 4, 5, tzinfo=timezone.utc)
    _, url, *_ = client.param_serialize("GET", "/x", query_params=[("a", when), ("b", when.date())])
    assert url == "https://h/v1/x?a=2030&b=04"


# -- 4. proxies --------------------------------------------------------------------------------


def test_http_through_a_proxy_uses_the_absolute_url(server: FaultServer) -> None:
    with RecordingProxy() as proxy:
        api = _api(server.url, proxy=proxy.url, proxy_headers={"Proxy-Authorization": "Basic eA=="})
        assert api.batch_send_post(BATCH).batchid == "1"
    assert proxy.lines == [f"POST {server.url}/batch/send HTTP/1.1"]
    assert proxy.headers[0]["proxy-authorization"] == "Basic eA=="
    assert proxy.headers[0]["host"] == f"127.0.0.1:{server.port}"
    assert [r.path for r in server.requests] == ["/v1/batch/send"]


def test_https_through_a_proxy_is_tunnelled() -> None:
    with tls_origin() as (url, cert, seen), RecordingProxy() as proxy:
        api = _api(url, proxy=proxy.url, ssl_ca_cert=str(cert))
        assert api.batch_send_post(BATCH).batchid == "77"
    port = url.split(":")[2].split("/")[0]
    assert [line.rsplit(" ", 1)[0] for line in proxy.lines] == [f"CONNECT 127.0.0.1:{port}"]
    assert seen == ["POST /v1/batch/send"]


def test_no_proxy_bypasses_the_proxy(server: FaultServer) -> None:
    with RecordingProxy() as proxy:
        api = _api(server.url, proxy=proxy.url, no_proxy="example.test, 127.0.0.0/8")
        assert api.batch_send_post(BATCH).batchid == "1"
    assert proxy.lines == [] and server.request_count == 1


@pytest.mark.parametrize(
    ("host", "no_proxy", "bypass"),
    [
        ("api.example.test", "example.test", True),
        ("api.example.test", ".example.test", True),
        ("badexample.test", "example.test", False),
        ("10.1.2.3", "10.0.0.0/8", True),
        ("10.1.2.3", "example.test", False),
        ("anything", "*", True),
        ("anything", "", False),
    ],
)
def test_no_proxy_matching(host: str, no_proxy: str, bypass: bool) -> None:
    assert oc.rest.bypasses_proxy(host, no_proxy) is bypass


# -- 5. headers in any case --------------------------------------------------------------------


def test_headers_are_case_insensitive() -> None:
    missing = Fault("ok", status=404, body={"message": "no such batch"})
    with FaultServer(missing, script=[Fault("ok", body=[])]) as srv:
        api = _api(srv.url)
        answer = api.batch_batchid_get_with_http_info("1")
        assert answer.headers is not None and answer.headers["content-type"] == "application/json"
        with pytest.raises(oc.NotFoundException) as caught:
            api.batch_batchid_get("2")
    assert caught.value.headers["content-type"] == "application/json"
    assert caught.value.headers["CONTENT-LENGTH"] == caught.value.headers["Content-Length"]


# -- 6. fractional numbers ---------------------------------------------------------------------


def test_fractional_failure_code_and_error_code_are_read() -> None:
    record = {"messageid": 1, "status": "UNDELIVERABLE", "failurereason": {"code": 34.5}}
    whole = {"messageid": 2, "status": "UNDELIVERABLE", "failurereason": {"code": 34.0}}
    broke = Fault("ok", status=402, body={"errorCode": 1030.5, "status": "NO_CREDITS"})
    with FaultServer(broke, script=[Fault("ok", body=[record, whole])]) as srv:
        api = _api(srv.url)
        got = api.batch_batchid_get("1")
        with pytest.raises(oc.InsufficientCreditsException) as caught:
            api.batch_send_post(BATCH)
    codes = [m.failurereason.code for m in got if m.failurereason is not None]
    assert codes == [34.5, 34] and isinstance(codes[1], int)
    assert caught.value.error_code == 1030.5
    assert caught.value.data is not None and caught.value.data.status == "NO_CREDITS"
