"""The token stays secret, and nothing the caller passes can reshape the request on the wire.

* A whole session (every operation, 401/402/404, retries, timeouts, outcome-unknown sends, debug
  logging on) runs with a distinctive token, which must then appear nowhere: not in any log
  record at any level, not on stdout/stderr, not in any repr, not in any exception.
* Control characters in the token or in headers are refused before a byte is sent.
* A ``batchid`` can only ever address ``/batch/{that id}``: the raw request line is checked.
* The token never goes over plain http to another machine unless the user opts in.
"""

from __future__ import annotations

import contextlib
import copy
import http.client
import io
import logging
import secrets
import traceback
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator, List, Optional
from urllib.parse import unquote

import pytest
from fault_server import Fault, FaultServer

import openapi_client as oc
from openapi_client.sandbox import Sandbox

SIGNATURE = "S3cr3tSig" + secrets.token_urlsafe(24).replace("-", "x").replace("_", "y")
TOKEN = f"eyJhbGciOiJIUzI1NiJ9.eyJzYW5kYm94Ijp0cnVlfQ.{SIGNATURE}"
WRONG = "Wr0ngT0ken" + secrets.token_hex(16)
#: The token, its distinctive part, and the other token used for the 401.
NEEDLES = (TOKEN, SIGNATURE, SIGNATURE[:16], WRONG)

BATCH = {"sender": "Acme", "destinations": ["447700900001", "447700900002"], "content": "Hi"}
MESSAGES = [
    {"sender": "Acme", "destination": "447700900001", "content": "Hi A"},
    {"sender": "Acme", "destination": "447700900002", "content": "Hi B"},
]
TIMEOUT = (2.0, 5.0)


def _scheduled() -> dict:  # type: ignore[type-arg]
    return {**BATCH, "schedule": datetime.now(timezone.utc) + timedelta(days=1)}


def assert_secret_absent(text: str, where: str) -> None:
    """Fail without echoing the token (the failure report is itself output)."""
    for needle in NEEDLES:
        if needle in text:
            pytest.fail(f"a token appears in {where}")


def exception_texts(exc: BaseException) -> List[str]:
    """Everything an exception can show: message, repr, args, attributes, whole chain."""
    texts = [str(exc), repr(exc), repr(exc.args), repr(vars(exc))]
    texts.append("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    if isinstance(exc, oc.ApiException):
        texts += [repr(exc.headers), str(exc.body), repr(exc.data), str(exc.reason)]
    return texts


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every log record of every logger at DEBUG, with its raw arguments, into one buffer."""
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s | %(args)r"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _session_client(url: str) -> oc.ApiClient:
    return oc.ApiClient(oc.Configuration(host=url, api_key={"JWT": TOKEN}))


@pytest.mark.timeout(60)
def test_a_full_session_never_shows_the_token(
    all_logs: io.StringIO, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    results: List[Any] = []
    errors: List[BaseException] = []

    def expect(cls: type, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        with pytest.raises(cls) as info:
            call(*args, **kwargs)
        errors.append(info.value)

    with Sandbox(credits=1000, token=TOKEN) as sandbox:
        cfg = oc.Configuration(host=sandbox.url, api_key={"JWT": TOKEN}, debug=True)
        try:
            with oc.ApiClient(cfg) as client:
                client.sleep = lambda seconds: None  # type: ignore[assignment]
                api = oc.BatchMessagesApi(client)
                # Every operation and variant, successfully.
                sent = api.batch_send_post(BATCH, _request_timeout=TIMEOUT)
                results.append(sent)
                results.append(api.batch_any_post_with_http_info(MESSAGES))
                scheduled = api.batch_schedule_post(_scheduled())
                results.append(scheduled)
                results.append(api.batch_batchid_get(sent.batchid))
                results.append(api.batch_batchid_get_with_http_info(sent.batchid))
                raw = api.batch_batchid_get_without_preload_content(sent.batchid)
                results.append((raw.status, dict(raw.headers), raw.data))
                raw.release_conn()
                results.append(api.batches_schedule_batchid_delete(scheduled.batchid))

                # The API's errors.
                expect(oc.NotFoundException, api.batch_batchid_get, "999999999")
                sandbox.credits = 0
                expect(oc.InsufficientCreditsException, api.batch_send_post, BATCH)
                sandbox.credits = 1000
                wrong = {"in": "header", "key": "Authorization", "type": "api_key", "value": WRONG}
                expect(
                    oc.UnauthorizedException,
                    api.batch_batchid_get,
                    sent.batchid,
                    _request_auth=wrong,
                )

                # Retries, and the failures that end them.
                sandbox.inject_fault(503, method="GET", times=1)
                results.append(api.batch_batchid_get(sent.batchid))
                sandbox.inject_fault(503, method="GET", times=3)
                expect(oc.ServiceException, api.batch_batchid_get, sent.batchid)
                sandbox.inject_fault(429, method="POST", retry_after=0, times=1)
                results.append(api.batch_send_post(BATCH))
                sandbox.inject_fault(503, method="POST", times=1)
                expect(oc.SendOutcomeUnknownError, api.batch_send_post, BATCH)
                sandbox.inject_fault(method="POST", drop=True, times=1)
                expect(oc.SendOutcomeUnknownError, api.batch_any_post, MESSAGES)
                sandbox.clear_faults()

                # Refused before sending.
                expect(oc.ApiValueError, api.batch_batchid_get, " ")
                expect(oc.ApiValueError, api.batch_send_post, {**BATCH, "destinations": []})
                expect(oc.ApiTypeError, api.batch_any_post, [{"sender": 1}])

            with oc.ApiClient(oc.Configuration(host=sandbox.url, api_key={"JWT": WRONG})) as bad:
                expect(oc.UnauthorizedException, oc.BatchMessagesApi(bad).batch_send_post, BATCH)
            texts = [repr(cfg), str(cfg), repr(client), str(client), cfg.to_debug_report()]
            texts.append(repr(copy.deepcopy(cfg)))
        finally:
            cfg.debug = False

    # A timeout and a refused connection, with the token set.
    for fault, cls in (("no_headers", oc.ApiTimeoutError), ("refuse", oc.ApiConnectionError)):
        with FaultServer(fault, hold=2.0) as failing, _session_client(failing.url) as client:
            client.sleep = lambda seconds: None  # type: ignore[assignment]
            api = oc.BatchMessagesApi(client)
            expect(cls, api.batch_batchid_get, "1", _request_timeout=(1.0, 0.2))

    # The session really used the token, logged at DEBUG, and wrote the debug log to stderr.
    assert sent.batchid and len(errors) == 12
    assert any(r.name == "openapi_client" and r.levelno == logging.DEBUG for r in caplog.records)
    assert any("retrying" in r.getMessage() for r in caplog.records)
    out, err = capfd.readouterr()
    assert "/batch/" in err
    assert http.client.HTTPConnection.debuglevel == 0

    for index, exc in enumerate(errors):
        for text in exception_texts(exc):
            assert_secret_absent(text, f"exception {index} ({type(exc).__name__})")
    for index, result in enumerate(results):
        assert_secret_absent(repr(result), f"result {index}")
    for text in texts:
        assert_secret_absent(text, "a repr of the configuration or client")
    assert_secret_absent(all_logs.getvalue(), "the log")
    assert_secret_absent(caplog.text, "the log")
    for record in caplog.records:
        assert_secret_absent(repr(record.__dict__), f"log record {record.name}")
    assert_secret_absent(out, "stdout")
    assert_secret_absent(err, "stderr")


# -- refused before sending ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(Fault("ok", body=[])) as srv:
        yield srv


_CLIENTS: List[oc.ApiClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


def _api(server: FaultServer, token: Optional[str] = "ok-token", **kw: Any) -> oc.BatchMessagesApi:
    """A client of ``server``, closed after the test."""
    api_key = {"JWT": token} if token is not None else {}
    client = oc.ApiClient(oc.Configuration(host=server.url, api_key=api_key), **kw)
    client.sleep = lambda seconds: None  # type: ignore[assignment]
    _CLIENTS.append(client)
    return oc.BatchMessagesApi(client)


CONTROL = ["\r\n", "\n", "\r", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("bad", CONTROL, ids=repr)
def test_control_characters_in_the_token_are_refused_before_sending(
    server: FaultServer, bad: str
) -> None:
    token = f"abc{bad}X-Injected: {SIGNATURE}"
    before = server.request_count
    with pytest.raises(oc.ApiValueError) as info:
        _api(server, token).batch_batchid_get("1")
    wrong = {"in": "header", "key": "Authorization", "type": "api_key", "value": token}
    with pytest.raises(oc.ApiValueError) as info2:
        _api(server).batch_batchid_get("1", _request_auth=wrong)
    assert server.request_count == before
    for exc in (info.value, info2.value):
        for text in exception_texts(exc):
            assert_secret_absent(text, "the refusal")


def _with_header_value(server: FaultServer, bad: str) -> None:
    _api(server).batch_batchid_get("1", _headers={"X-Note": f"a{bad}X-Evil: 1"})


def _with_header_name(server: FaultServer, bad: str) -> None:
    _api(server).batch_batchid_get("1", _headers={f"X-No{bad}te": "a"})


def _with_default_header(server: FaultServer, bad: str) -> None:
    api = _api(server)
    api.api_client.set_default_header("X-Note", f"a{bad}X-Evil: 1")
    api.batch_batchid_get("1")


def _with_user_agent(server: FaultServer, bad: str) -> None:
    api = _api(server)
    api.api_client.user_agent = f"agent/1{bad}X-Evil: 1"
    api.batch_batchid_get("1")


def _with_cookie(server: FaultServer, bad: str) -> None:
    _api(server, cookie=f"session=1{bad}X-Evil: 1").batch_batchid_get("1")


HEADER_PLACES = {
    "_headers value": _with_header_value,
    "_headers name": _with_header_name,
    "set_default_header": _with_default_header,
    "user_agent": _with_user_agent,
    "cookie": _with_cookie,
}


@pytest.mark.parametrize("bad", CONTROL, ids=repr)
@pytest.mark.parametrize("place", list(HEADER_PLACES))
def test_control_characters_in_headers_are_refused_before_sending(
    server: FaultServer, place: str, bad: str
) -> None:
    before = server.request_count
    with pytest.raises(oc.ApiValueError):
        HEADER_PLACES[place](server, bad)
    assert server.request_count == before


@pytest.mark.parametrize(
    "headers",
    [{"X-Note": "price 5 €"}, {"X-Note": "\U0001f600"}, {"X-Nöte": "a"}, {"": "a"}, {"X A": "a"}],
    ids=repr,
)
def test_headers_the_wire_cannot_carry_are_refused_before_sending(
    server: FaultServer, headers: Any
) -> None:
    before = server.request_count
    with pytest.raises(oc.ApiValueError):
        _api(server).batch_batchid_get("1", _headers=headers)
    assert server.request_count == before


@pytest.mark.parametrize("token", ["tökén", "t€ken", "tok\U0001f600"], ids=repr)
def test_a_token_that_is_not_ascii_is_refused_before_sending(
    server: FaultServer, token: str
) -> None:
    before = server.request_count
    with pytest.raises(oc.ApiValueError):
        _api(server, token).batch_batchid_get("1")
    assert server.request_count == before


# -- batch ids address only their batch ------------------------------------------------------

REFUSED_IDS = ["", " ", "\t", "\n", ".", "..", " .. ", "1\r\n2", "a\x00", "\ud800"]
ENCODED_IDS = {
    "2586749": "2586749",
    "a/b": "a%2Fb",
    "../x": "..%2Fx",
    "../../credits/balance": "..%2F..%2Fcredits%2Fbalance",
    "...": "...",
    "?x=1": "%3Fx%3D1",
    "#frag": "%23frag",
    "%": "%25",
    "%2F": "%252F",
    "%2e%2e": "%252e%252e",
    "1 2": "1%202",
    "a;b": "a%3Bb",
    "a\\b": "a%5Cb",
    "é": "%C3%A9",
    "\u200b": "%E2%80%8B",
    "ﬀ": "%EF%AC%80",
}


@pytest.mark.parametrize("batchid", REFUSED_IDS, ids=repr)
@pytest.mark.parametrize("name", ["batch_batchid_get", "batches_schedule_batchid_delete"])
def test_odd_batch_ids_are_refused(server: FaultServer, name: str, batchid: str) -> None:
    before = server.request_count
    with pytest.raises(oc.ApiValueError, match="batchid"):
        getattr(_api(server), name)(batchid)
    assert server.request_count == before


@pytest.mark.parametrize(("batchid", "segment"), list(ENCODED_IDS.items()), ids=repr)
@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("batch_batchid_get", "/v1/batch/"),
        ("batches_schedule_batchid_delete", "/v1/batches/schedule/"),
    ],
)
def test_batch_ids_are_encoded_into_one_path_segment(
    server: FaultServer, name: str, prefix: str, batchid: str, segment: str
) -> None:
    before = server.request_count
    with contextlib.suppress(oc.ApiException):  # only what was asked matters here
        getattr(_api(server), name)(batchid)
    assert server.request_count == before + 1
    path = server.requests[-1].path
    assert path == prefix + segment
    rest = path[len(prefix) :]
    assert "/" not in rest and "?" not in rest and "#" not in rest
    assert unquote(rest) == batchid


# -- plain http ------------------------------------------------------------------------------

REMOTE_HTTP = [
    "http://api.example.com/v1",
    "http://10.1.2.3/v1",
    "http://[2001:db8::1]/v1",
    "http://127.0.0.1.example.com/v1",
    "http://localhost.example.com/v1",
    "HTTP://api.example.com/v1",
]
LOCAL_HTTP = [
    "http://127.0.0.1:9/v1",
    "http://127.8.9.10/v1",
    "http://localhost/v1",
    "http://[::1]:9/v1",
]


@pytest.mark.parametrize("host", REMOTE_HTTP)
def test_the_token_is_not_sent_over_plain_http_to_another_machine(fake: Any, host: str) -> None:
    api, transport = fake(host=host)
    with pytest.raises(oc.ApiValueError, match="http"):
        api.batch_batchid_get("1")
    assert transport.calls == []
    # Opting in lets the same call through (to the fake transport: no traffic leaves).
    api, transport = fake((200, b"[]", {}), host=host, allow_insecure_http=True)
    assert api.batch_batchid_get("1") == []
    assert len(transport.calls) == 1
    assert transport.calls[0]["headers"]["Authorization"] == "JWT test-token"


@pytest.mark.parametrize("host", LOCAL_HTTP)
def test_plain_http_to_this_machine_is_allowed(fake: Any, host: str) -> None:
    api, transport = fake((200, b"[]", {}), host=host)
    assert api.batch_batchid_get("1") == []
    assert transport.calls[0]["url"] == host + "/batch/1"


def test_other_schemes_are_refused(fake: Any) -> None:
    api, transport = fake(host="ftp://api.example.com/v1", allow_insecure_http=True)
    with pytest.raises(oc.ApiValueError, match="scheme"):
        api.batch_batchid_get("1")
    assert transport.calls == []


def test_a_token_added_later_is_still_kept_off_plain_http(fake: Any) -> None:
    # Without a token the call is refused (no token configured), not remembered as safe...
    api, transport = fake((200, b"[]", {}), host="http://api.example.com/v1", api_key={})
    with pytest.raises(oc.UnauthorizedException):
        api.batch_batchid_get("1")
    # ...and once a token is set, the same origin is refused for plain http.
    api.api_client.configuration.api_key["JWT"] = TOKEN
    with pytest.raises(oc.ApiValueError, match="http"):
        api.batch_batchid_get("1")
    wrong = {"in": "header", "key": "Authorization", "type": "api_key", "value": WRONG}
    with pytest.raises(oc.ApiValueError, match="http"):
        api.batch_batchid_get("1", _request_auth=wrong)
    assert transport.calls == []


def test_turning_off_certificate_checks_warns() -> None:
    cfg = oc.Configuration(host="https://api.example.test/v1", api_key={"JWT": TOKEN})
    cfg.verify_ssl = False
    with pytest.warns(UserWarning, match="verification") as caught:
        client = oc.ApiClient(cfg)
    client.close()
    for warning in caught:
        assert_secret_absent(str(warning.message), "the warning")


# -- error trackers, echoed headers, debug output ---------------------------------------------


def _all_locals(exc: BaseException) -> str:
    """The traceback as an error tracker records it: every frame with the repr of its locals.

    The test's own frame (the first) is left out: it holds the fault server's echo body.
    """
    captured = traceback.TracebackException.from_exception(exc, capture_locals=True)
    del captured.stack[0]
    return "".join(captured.format())


@pytest.mark.parametrize(
    ("fault", "method", "cls"),
    [
        ("close_mid_body", "GET", oc.ApiConnectionError),  # fails deep in http.client
        ("no_headers", "GET", oc.ApiTimeoutError),
        ("close_before_response", "POST", oc.SendOutcomeUnknownError),
        ("503", "POST", oc.SendOutcomeUnknownError),
    ],
)
def test_tracebacks_with_captured_locals_never_show_the_token(
    fault: str, method: str, cls: type
) -> None:
    with FaultServer(fault, hold=2.0) as failing, _session_client(failing.url) as client:
        client.sleep = lambda seconds: None  # type: ignore[assignment]
        api = oc.BatchMessagesApi(client)
        call = (
            (lambda: api.batch_batchid_get("1", _request_timeout=(1.0, 0.3)))
            if method == "GET"
            else (lambda: api.batch_send_post(BATCH, _request_timeout=(1.0, 0.3)))
        )
        with pytest.raises(cls) as info:
            call()
        assert failing.requests[0].header("Authorization") == f"JWT {TOKEN}"
    text = _all_locals(info.value)
    # The locals are there: the prepared request names its header fields, never their values.
    assert "request = <PreparedRequest" in text and "Authorization" in text
    assert_secret_absent(text, f"a traceback with locals ({fault})")


def test_the_header_value_is_sent_whole_though_its_repr_hides_it() -> None:
    with FaultServer(Fault("ok", body={"batchid": "1", "status": "SCHEDULED"})) as server:
        with _session_client(server.url) as client:
            value = client._auth_header(None)
            assert value == f"JWT {TOKEN}" and repr(value) == "'JWT ***'"
            oc.BatchMessagesApi(client).batch_send_post(BATCH)
        assert server.requests[0].header("Authorization") == f"JWT {TOKEN}"


def _echo(prefix_length: int) -> str:
    """An error page echoing the request's headers; a 300-character cut lands inside the token."""
    head = "Bad request. Your headers were: Authorization: JWT "
    return "x" * (300 - len(head) - prefix_length) + head + TOKEN + " and more text " * 20


def test_an_error_body_echoing_the_token_is_redacted_everywhere() -> None:
    answer = Fault("ok", status=400, body=_echo(12), headers={"X-Echo": f"JWT {TOKEN}"})
    with (
        FaultServer(answer) as server,
        _session_client(server.url) as client,
        pytest.raises(oc.BadRequestException) as info,
    ):
        oc.BatchMessagesApi(client).batch_send_post(BATCH)
    exc = info.value
    assert "Authorization: JWT ***" in str(exc.body)
    back = __import__("pickle").loads(__import__("pickle").dumps(exc))
    for text in [*exception_texts(exc), *exception_texts(back), _all_locals(exc)]:
        assert_secret_absent(text, "an exception built from an echoing error body")


def test_an_error_model_echoing_the_token_is_redacted_too() -> None:
    echo = {"errorCode": 1000, "status": "BAD", "message": f"seen: Authorization: JWT {TOKEN}"}
    with (
        FaultServer(Fault("ok", status=400, body={**echo, "echo": TOKEN})) as server,
        _session_client(server.url) as client,
        pytest.raises(oc.BadRequestException) as info,
    ):
        oc.BatchMessagesApi(client).batch_send_post(BATCH)
    exc = info.value
    assert exc.error_code == 1000 and exc.message == "seen: Authorization: JWT ***"
    assert exc.data.model_extra == {"echo": "***"}  # type: ignore[union-attr]
    for text in exception_texts(exc):
        assert_secret_absent(text, "an exception with an echoing error model")


def test_the_cli_redacts_before_it_cuts_so_no_piece_of_the_token_is_printed() -> None:
    import subprocess
    import sys

    for prefix in (4, 12, 30):
        answer = Fault("ok", status=400, body=_echo(prefix), headers={"Content-Type": "text/plain"})
        with FaultServer(answer) as server:
            done = subprocess.run(
                [sys.executable, "-m", "openapi_client", "--base-url", server.url, "--token",
                 TOKEN, "batch", "send", "--sender", "Acme", "--content", "Hi", "--to",
                 "447700900001"],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert "HTTP 400" in done.stderr and "Authorization: JWT" in done.stderr
        assert_secret_absent(done.stdout + done.stderr, f"the CLI's output (cut after {prefix})")
        assert TOKEN[:prefix] not in done.stderr


def test_log_lines_are_redacted(capfd: pytest.CaptureFixture[str], all_logs: io.StringIO) -> None:
    from openapi_client.configuration import client_log

    with _session_client("http://127.0.0.1:9/v1") as client:
        client._auth_header(None)  # the client now knows its token
        cfg = client.configuration
        cfg.debug = True
        client_log(cfg, logging.INFO, "retrying %s: server said %r", "GET", f"JWT {TOKEN}")
    out, err = capfd.readouterr()
    assert "server said 'JWT ***'" in err and "server said 'JWT ***'" in all_logs.getvalue()
    assert_secret_absent(out + err + all_logs.getvalue(), "log lines")


def test_debug_output_belongs_to_the_clients_that_asked_for_it(
    capfd: pytest.CaptureFixture[str],
) -> None:
    pkg = logging.getLogger("openapi_client")
    before = (pkg.level, list(pkg.handlers), logging.getLogger().level)
    with Sandbox(token=TOKEN) as sandbox:
        many = [oc.Configuration(host=sandbox.url, api_key={"JWT": TOKEN}, debug=True)
                for _ in range(200)]  # fmt: skip
        quiet = oc.Configuration(host=sandbox.url, api_key={"JWT": TOKEN})
        many[-1].debug = False  # turning one off must not silence the others
        assert (pkg.level, list(pkg.handlers), logging.getLogger().level) == before
        capfd.readouterr()

        def get_with(config: oc.Configuration) -> str:
            with oc.ApiClient(config) as client, pytest.raises(oc.NotFoundException):
                oc.BatchMessagesApi(client).batch_batchid_get("424242")
            return capfd.readouterr().err

        loud = get_with(many[0])
        assert loud.count("/batch/424242 -> 404") == 1, loud
        assert "/batch/424242" not in get_with(quiet)
        assert "/batch/424242" not in get_with(many[-1])
        assert get_with(many[1]).count("/batch/424242 -> 404") == 1
    assert_secret_absent(loud, "debug output")


def test_cut_redacts_first_and_leaves_no_start_of_a_token() -> None:
    from openapi_client import _redact

    _redact.remember(f"JWT {TOKEN}")
    whole = "x" * 290 + TOKEN + " tail" * 30
    assert _redact.cut(whole, 300) == "x" * 290 + "***" + " tail t"
    # An echo that was itself cut holds only the start of the token: a cut there drops it.
    partial = "x" * 290 + TOKEN[:30] + "y" * 50
    assert _redact.cut(partial, 300) == "x" * 290 + "***"
    assert _redact.cut("short text", 300) == "short text"
    # Too short to be a token: left alone rather than garbling ordinary text.
    _redact.remember("abc")
    assert _redact.redact("abc abc") == "abc abc"
    assert _redact.redact("") == ""
    _redact.remember(None)
