"""The fault matrix: every operation against every way a server can fail, over real HTTP.

Each cell runs one operation through the real urllib3 transport against ``FaultServer`` on
127.0.0.1 and checks three things:

* the exact exception class (or a result of the declared type);
* how many requests reached the server: a send is never sent twice, except after a 429 (the
  server refused the work) or when the connection was refused (nothing was sent); reads and
  cancels are tried ``1 + retries`` times after a retryable fault;
* that the call came back within its budget: ``attempts x (connect + 2 x read) + slack``. The
  transport bounds a whole attempt by ``connect + read``; the last wait for data may add one
  more ``read`` before the deadline is noticed.

Waits between retries are made instant by replacing ``ApiClient.sleep``; the policy is the
default one, and the waits it asked for are recorded and checked where it matters.

The ``huge_body`` cells decode a 50 MiB answer in a child process with a memory cap, so that
a decoder that runs away shows up as a failed cell instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from typing import Any, Callable, Dict, Iterator, List, Tuple, Type

import pytest
from clients import KINDS, Caller
from fault_server import Fault, FaultServer, compressed_records
from operation_examples import EXAMPLES

import openapi_client as oc
from openapi_client._registry import API_CLASSES
from openapi_client._registry import OPERATIONS as REGISTRY
from openapi_client._retry import RetryPolicy, backoff_schedule
from openapi_client.exceptions import (
    SendOutcomeUnknownResponseError,
    SendOutcomeUnknownServiceError,
    SendOutcomeUnknownTimeoutError,
)

#: Real timeouts and retries against a misbehaving server: tens of seconds in all.
pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CONNECT, READ = 0.5, 1.0
TIMEOUT = (CONNECT, READ)
SLACK = 1.0
POLICY = RetryPolicy.from_setting(None)
ATTEMPTS = POLICY.total + 1

BATCH: Dict[str, Any] = {"sender": "Acme", "destinations": ["447700900001"], "content": "Hi"}
MESSAGES: List[Dict[str, Any]] = [
    {"sender": "Acme", "destination": "447700900001", "content": "Hi A"},
    {"sender": "Acme", "destination": "447700900002", "content": "Hi B"},
]
CREATED = {"batchid": "2586749", "status": "SCHEDULED"}
RECORD = {"messageid": "5620320", "batchid": "2586749", "status": "DELIVERED"}
CANCELLED = {"messageid": "2586749", "status": "CANCELLED"}


#: Every operation of the registry, with its example call (test/operation_examples.py).
OPERATIONS = {name: (op, EXAMPLES[name]) for name, op in REGISTRY.items()}


FAULTS = [
    "refuse",
    "close_before_response",
    "close_mid_body",
    "truncated_json",
    "html_502",
    "503",
    "429",
    "no_headers",
    "trickle",
    "huge_body",
    "invalid_utf8",
    "interim_forever",
    "trickle_headers",
]

#: Faults that answer with a success status: they get the operation's documented one, so the
#: cell tests what the body does, not which 2xx the server chose.
SUCCESS_STATUS_FAULTS = {
    "close_mid_body",
    "truncated_json",
    "trickle",
    "huge_body",
    "invalid_utf8",
    "trickle_headers",
}

#: Options that keep the slow faults fast: no real wait on 429, a held connection that the
#: client gives up on first, a 44-byte body that needs 4.4 s against a 1.5 s deadline, a head
#: of some 150 bytes that needs 15 s, and interim answers far more often than any read timeout.
FAULT_OPTIONS: Dict[str, Dict[str, Any]] = {
    "429": {"retry_after": "0"},
    "no_headers": {"hold": 5.0},
    "trickle": {"interval": 0.1},
    "interim_forever": {"interval": 0.05, "hold": 20.0},
    "trickle_headers": {"interval": 0.1},
}


class Expected:
    """What one cell must give: the exact class, the requests the server sees, the attempts."""

    def __init__(self, cls: Type[BaseException], requests: int, attempts: int) -> None:
        self.cls = cls
        self.requests = requests
        self.attempts = attempts


def expected(fault: str, replayable: bool) -> Expected:
    """The contract, cell by cell (see the module docstring)."""
    send = not replayable
    retried = 1 if send else ATTEMPTS
    if fault == "refuse":
        # Nothing was sent, so even a send may be tried again; the server never sees a byte.
        return Expected(oc.ApiConnectionError, 0, ATTEMPTS)
    if fault in ("close_before_response", "close_mid_body"):
        cls: Type[BaseException] = oc.SendOutcomeUnknownError if send else oc.ApiConnectionError
        return Expected(cls, retried, retried)
    if fault in ("html_502", "503"):
        cls = SendOutcomeUnknownServiceError if send else oc.ServiceException
        return Expected(cls, retried, retried)
    if fault == "429":
        # The server refused to do the work, so a send may be tried again too.
        return Expected(oc.RateLimitException, ATTEMPTS, ATTEMPTS)
    if fault in ("no_headers", "trickle", "interim_forever", "trickle_headers"):
        # The time limit of an attempt covers the answer's head too, interim answers included.
        cls = SendOutcomeUnknownTimeoutError if send else oc.ApiTimeoutError
        return Expected(cls, retried, retried)
    # truncated_json, invalid_utf8, huge_body: a 2xx whose body is not what was promised. For a
    # send the batch id is lost with it, so its outcome is unknown too.
    return Expected(SendOutcomeUnknownResponseError if send else oc.ApiResponseError, 1, 1)


def budget(attempts: int) -> float:
    """Seconds a call may take: every attempt times out in full, the sleeps are instant."""
    return attempts * (CONNECT + 2 * READ) + SLACK


@pytest.fixture(scope="module")
def servers() -> Iterator[Callable[[str, int], FaultServer]]:
    """``servers(fault, success_status)``: one running server per fault, shared by the module."""
    started: Dict[Tuple[str, int], FaultServer] = {}

    def get(fault: str, status: int) -> FaultServer:
        key = (fault, status if fault in SUCCESS_STATUS_FAULTS else 0)
        if key not in started:
            options = dict(FAULT_OPTIONS.get(fault, {}))
            if fault in SUCCESS_STATUS_FAULTS:
                options["status"] = status
            started[key] = FaultServer(fault, **options).start()
        return started[key]

    yield get
    for server in started.values():
        server.stop()


Connect = Callable[..., Tuple[oc.BatchMessagesApi, List[float]]]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """``connect(url, **config)`` -> (api, waits): a real client whose sleeps are recorded."""
    clients: List[oc.ApiClient] = []

    def build(url: str, **config: Any) -> Tuple[oc.BatchMessagesApi, List[float]]:
        config.setdefault("api_key", {"JWT": "fault-matrix-token"})
        client = oc.ApiClient(oc.Configuration(host=url, **config))
        waits: List[float] = []
        client.sleep = waits.append  # type: ignore[assignment]
        clients.append(client)
        return oc.BatchMessagesApi(client), waits

    yield build
    for client in clients:
        client.close()


MakeCaller = Callable[..., Caller]


@pytest.fixture
def callers() -> Iterator[MakeCaller]:
    """``callers(kind, url, **config)`` -> a ``Caller`` of the sync or async client."""
    made: List[Caller] = []

    def build(kind: str, url: str, **config: Any) -> Caller:
        config.setdefault("api_key", {"JWT": "fault-matrix-token"})
        caller = Caller(kind, oc.Configuration(host=url, **config))
        made.append(caller)
        return caller

    yield build
    for caller in made:
        caller.close()


def call_on(caller: Caller, name: str, **options: Any) -> Tuple[Any, float]:
    """Run operation ``name`` on either client; returns (result or exception, seconds taken)."""
    arguments = OPERATIONS[name][1].arguments()
    started = time.monotonic()
    try:
        result: Any = caller.call(name, **arguments, _request_timeout=TIMEOUT, **options)
    except oc.OpenApiException as exc:
        result = exc
    return result, time.monotonic() - started


def call(api: oc.BatchMessagesApi, name: str, **options: Any) -> Tuple[Any, float]:
    """Run operation ``name``; returns (result or exception, seconds taken)."""
    op, example = OPERATIONS[name]
    method = getattr(API_CLASSES[op.api](api.api_client), name)
    arguments = example.arguments()
    started = time.monotonic()
    try:
        result: Any = method(**arguments, _request_timeout=TIMEOUT, **options)
    except oc.OpenApiException as exc:
        result = exc
    return result, time.monotonic() - started


def check_details(fault: str, name: str, exc: BaseException) -> None:
    """What each failure must carry besides its class."""
    op, example = OPERATIONS[name]
    send = not op.replayable
    if fault in ("html_502", "503"):
        assert isinstance(exc, oc.ServiceException)
        assert exc.status == int(fault[-3:])
        if send:
            # A 5xx to a send is both: a service failure, and a send that may have gone out.
            assert isinstance(exc, oc.SendOutcomeUnknownError)
            assert "not retried" in str(exc)
        if fault == "503":
            assert exc.error_code == 503
            assert exc.permanent is False
        else:
            assert "502 Bad Gateway" in (exc.body or "")
    elif fault == "429":
        assert isinstance(exc, oc.RateLimitException)
        assert exc.status == 429
        assert exc.retry_after == "0"
    elif fault in ("truncated_json", "invalid_utf8"):
        assert isinstance(exc, oc.ApiResponseError)
        assert exc.status in (200, 201)
        assert isinstance(exc.body, str)
        assert "unexpected response" in str(exc)
        assert isinstance(exc, oc.SendOutcomeUnknownError) is send
    elif fault in ("no_headers", "trickle", "interim_forever", "trickle_headers"):
        # Every timeout is an ApiTimeoutError; a send's is also an unknown outcome, which is
        # what tells it from a timeout that proves nothing was sent.
        assert isinstance(exc, oc.ApiTimeoutError)
        assert isinstance(exc, oc.SendOutcomeUnknownError) is send
    elif fault == "refuse":
        assert "not sent" in str(exc)
    if isinstance(exc, oc.SendOutcomeUnknownError):
        assert send
        assert exc.method == op.method
        assert exc.url.endswith(example.path)


MATRIX = [
    pytest.param(name, fault, id=f"{name}-{fault}")
    for fault in FAULTS
    if fault != "huge_body"
    for name in OPERATIONS
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("name", "fault"), MATRIX)
def test_fault_matrix(
    servers: Callable[[str, int], FaultServer],
    callers: MakeCaller,
    kind: str,
    name: str,
    fault: str,
) -> None:
    op, example = OPERATIONS[name]
    want = expected(fault, op.replayable)
    server = servers(fault, example.status)
    caller = callers(kind, server.url)
    before = server.request_count

    result, took = call_on(caller, name)

    assert type(result) is want.cls, f"{name} + {fault}: got {result!r}"
    check_details(fault, name, result)
    assert took < budget(want.attempts), f"{name} + {fault} took {took:.2f} s"
    assert server.request_count - before == want.requests
    assert len(caller.waits) == want.attempts - 1
    if fault == "no_headers":
        # It really was the read timeout that ended each attempt.
        assert took >= want.attempts * READ * 0.9


HUGE_CHILD = r"""
import json, sys, time
import openapi_client as oc

sys.path.insert(0, "test")
from operation_examples import EXAMPLES
from openapi_client._registry import API_CLASSES, OPERATIONS

url, name = sys.argv[1], sys.argv[2]
client = oc.ApiClient(oc.Configuration(host=url, api_key={"JWT": "fault-matrix-token"}))
client.sleep = lambda seconds: None
api = API_CLASSES[OPERATIONS[name].api](client)
started = time.monotonic()
try:
    result = getattr(api, name)(**EXAMPLES[name].arguments(), _request_timeout=(0.5, 10.0))
    outcome = "ok:" + type(result).__name__
except oc.OpenApiException as exc:
    outcome = type(exc).__name__
print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - started}))
"""

#: Address space the child may use: far above what decoding 50 MiB needs, far below the machine.
HUGE_MEMORY_CAP = 4 << 30


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (HUGE_MEMORY_CAP, HUGE_MEMORY_CAP))


@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="needs RLIMIT_AS (POSIX)")
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_fault_matrix_huge_body(servers: Callable[[str, int], FaultServer], name: str) -> None:
    """50 MiB of JSON: decoded or refused with ApiResponseError, no crash, no runaway memory."""
    op, example = OPERATIONS[name]
    server = servers("huge_body", example.status)
    before = server.request_count
    child = subprocess.run(
        [sys.executable, "-c", HUGE_CHILD, server.url, name],
        cwd=ROOT,
        capture_output=True,
        timeout=45,
        preexec_fn=_cap_memory,
        check=False,
    )
    if child.returncode < 0:
        pytest.fail(
            f"{name} + huge_body: the client process died of "
            f"{signal.Signals(-child.returncode).name} under a {HUGE_MEMORY_CAP >> 30} GiB memory "
            f"cap: {child.stderr.decode(errors='replace')[-300:]}"
        )
    assert child.returncode == 0, child.stderr.decode(errors="replace")[-2000:]
    report = json.loads(child.stdout)
    unreadable = "ApiResponseError" if op.replayable else "SendOutcomeUnknownResponseError"
    allowed = {unreadable, f"ok:{example.result.__name__}"}
    assert report["outcome"] in allowed, report
    assert report["seconds"] < 20
    assert server.request_count - before == 1


# -- scripts: a failure, then success --------------------------------------------------------


@pytest.mark.timeout(15)
def test_get_503_then_200_succeeds_with_two_requests(connect: Connect) -> None:
    with FaultServer(Fault("ok", body=[RECORD]), script=["503"]) as server:
        api, waits = connect(server.url)
        records, _ = call(api, "batch_batchid_get")
        assert [r.messageid for r in records] == ["5620320"]
        assert server.request_count == 2
        assert [r.fault for r in server.requests] == ["503", "ok"]
        assert len(waits) == 1


@pytest.mark.timeout(15)
def test_delete_survives_a_mix_of_faults(connect: Connect) -> None:
    script = ["html_502", "close_before_response"]
    with FaultServer(Fault("ok", body=CANCELLED), script=script) as server:
        api, waits = connect(server.url)
        result, _ = call(api, "batches_schedule_batchid_delete")
        assert result.batchid == "2586749"
        assert server.request_count == 3
        assert len(waits) == 2


@pytest.mark.timeout(15)
@pytest.mark.parametrize("name", ["batch_send_post", "batch_any_post", "batch_schedule_post"])
def test_send_429_then_201_succeeds_with_two_identical_requests(
    connect: Connect, name: str
) -> None:
    created = Fault("ok", status=201, body=CREATED)
    with FaultServer(created, script=[Fault("429", retry_after="0")]) as server:
        api, waits = connect(server.url)
        result, _ = call(api, name)
        assert type(result) is OPERATIONS[name][1].result
        assert result.batchid == "2586749"
        first, second = server.requests
        assert (first.method, first.path, first.body) == (second.method, second.path, second.body)
        assert len(waits) == 1


@pytest.mark.timeout(15)
@pytest.mark.parametrize("fault", ["close_before_response", "reset", "close_mid_body", "503"])
def test_a_send_that_may_have_arrived_is_never_sent_again(connect: Connect, fault: str) -> None:
    created = Fault("ok", status=201, body=CREATED)
    with FaultServer(created, script=[fault]) as server:
        api, waits = connect(server.url)
        result, _ = call(api, "batch_send_post")
        assert isinstance(result, oc.SendOutcomeUnknownError)
        # Give a (wrong) second attempt every chance to show up.
        assert not server.wait_for_requests(2, timeout=0.3)
        assert server.request_count == 1
        assert waits == []
        # The client is still usable, and the next send is a new call, not a replay.
        again, _ = call(api, "batch_send_post")
        assert again.batchid == "2586749"
        assert server.request_count == 2


@pytest.mark.timeout(15)
def test_a_send_is_not_retried_when_retry_after_is_too_long(connect: Connect) -> None:
    with FaultServer("429", retry_after="3600") as server:
        api, waits = connect(server.url)
        result, took = call(api, "batch_send_post")
        assert type(result) is oc.RateLimitException
        assert result.retry_after == "3600"
        assert server.request_count == 1
        assert waits == []
        assert took < budget(1)


# -- the waits follow the policy -------------------------------------------------------------


@pytest.mark.timeout(15)
def test_waits_follow_the_backoff_with_jitter(connect: Connect) -> None:
    with FaultServer("html_502") as server:
        api, waits = connect(server.url)
        result, _ = call(api, "batch_batchid_get")
        assert type(result) is oc.ServiceException
        bases = backoff_schedule(POLICY)
        assert len(waits) == len(bases) == POLICY.total
        for wait, base in zip(waits, bases):
            assert base * (1 - POLICY.jitter) <= wait <= base


@pytest.mark.timeout(15)
def test_waits_honour_retry_after(connect: Connect) -> None:
    # Retry-After: 1 is longer than both jittered backoffs (at most 0.5 s and 1 s).
    with FaultServer("429") as server:
        api, waits = connect(server.url)
        result, _ = call(api, "batch_any_post")
        assert type(result) is oc.RateLimitException
        assert waits == [1.0] * POLICY.total
        assert server.request_count == ATTEMPTS


@pytest.mark.timeout(15)
def test_retries_can_be_switched_off(connect: Connect) -> None:
    with FaultServer("503") as server:
        api, waits = connect(server.url, retries=0)
        result, _ = call(api, "batch_batchid_get")
        assert type(result) is oc.ServiceException
        assert server.request_count == 1
        assert waits == []


# -- slow but in time, and stale connections -------------------------------------------------


@pytest.mark.timeout(15)
def test_a_slow_body_that_finishes_in_time_is_read(connect: Connect) -> None:
    # 44 bytes at 10 ms each: well inside the 1.5 s deadline of one attempt.
    with FaultServer("trickle", status=201, interval=0.01) as server:
        api, _ = connect(server.url)
        result, took = call(api, "batch_send_post")
        assert isinstance(result, oc.BatchMessageResponse), result
        assert result.batchid == "2586749"
        assert took < CONNECT + READ
        assert server.request_count == 1


@pytest.mark.timeout(15)
def test_a_connection_the_server_closed_while_idle_is_not_used_for_a_send(
    connect: Connect,
) -> None:
    created = Fault("ok", status=201, body=CREATED)
    with FaultServer(created, idle_timeout=0.2) as server:
        api, _ = connect(server.url)
        first, _ = call(api, "batch_send_post")
        assert first.batchid == "2586749"
        time.sleep(0.6)  # the server drops the idle keep-alive connection
        second, _ = call(api, "batch_send_post")
        # A stale pooled connection must not turn a healthy send into "outcome unknown".
        assert second.batchid == "2586749", second
        assert server.request_count == 2
        assert server.connection_count == 2


@pytest.mark.timeout(15)
def test_without_preload_content_releases_the_connection_between_retries(
    connect: Connect,
) -> None:
    with FaultServer(Fault("ok", body=[RECORD]), script=["503", "503"]) as server:
        api, waits = connect(server.url)
        response = api.batch_batchid_get_without_preload_content("1", _request_timeout=TIMEOUT)
        try:
            assert response.status == 200
            assert json.loads(response.data) == [RECORD]
        finally:
            response.release_conn()
        assert server.request_count == 3
        # The two 503 answers were drained, so one keep-alive connection carried all three.
        assert server.connection_count == 1
        assert len(waits) == 2


# -- a body larger than max_response_bytes ---------------------------------------------------


SENDS = [name for name, (op, _) in OPERATIONS.items() if not op.replayable]
READS = [name for name, (op, _) in OPERATIONS.items() if op.replayable]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_body_over_the_size_limit_is_refused_unread_and_not_retried(
    connect: Connect, name: str
) -> None:
    op, example = OPERATIONS[name]
    status = example.status
    with FaultServer(Fault("huge_body", status=status, size=3 * 1024 * 1024)) as server:
        api, waits = connect(server.url, max_response_bytes=1024 * 1024)
        result, _ = call(api, name)
        # A send's 2xx whose id cannot be read: accepted, but which batch is unknown.
        want = oc.ApiResponseError if op.replayable else SendOutcomeUnknownResponseError
        assert type(result) is want
        assert result.status == status
        assert "max_response_bytes" in str(result)
        assert server.request_count == 1
        assert waits == []


@pytest.mark.timeout(30)
@pytest.mark.parametrize("status", [500, 502, 503])
@pytest.mark.parametrize("name", SENDS)
def test_an_oversized_5xx_to_a_send_is_an_unknown_outcome(
    connect: Connect, name: str, status: int
) -> None:
    with FaultServer(Fault("huge_body", status=status, size=3 * 1024 * 1024)) as server:
        api, waits = connect(server.url, max_response_bytes=1024 * 1024)
        result, _ = call(api, name)
        assert type(result) is SendOutcomeUnknownResponseError, result
        # Still what any reader of a too-large answer catches.
        assert isinstance(result, oc.ApiResponseError)
        assert result.status == status
        assert result.method == "POST"
        assert result.url.endswith(OPERATIONS[name][1].path)
        assert "max_response_bytes" in str(result)
        assert "not retried" in str(result)
        assert server.request_count == 1
        assert waits == []


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", READS)
def test_an_oversized_5xx_to_a_read_is_an_unreadable_answer(connect: Connect, name: str) -> None:
    with FaultServer(Fault("huge_body", status=503, size=3 * 1024 * 1024)) as server:
        api, waits = connect(server.url, max_response_bytes=1024 * 1024)
        result, _ = call(api, name)
        assert type(result) is oc.ApiResponseError
        assert result.status == 503
        assert server.request_count == 1
        assert waits == []


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, oc.BadRequestException),
        (401, oc.UnauthorizedException),
        (402, oc.InsufficientCreditsException),
        (404, oc.NotFoundException),
    ],
)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_an_oversized_4xx_is_still_the_refusal_its_status_says(
    connect: Connect, name: str, status: int, cls: Type[oc.ApiException]
) -> None:
    with FaultServer(Fault("huge_body", status=status, size=3 * 1024 * 1024)) as server:
        api, _ = connect(server.url, max_response_bytes=1024 * 1024)
        result, _ = call(api, name)
        assert type(result) is cls, result
        assert result.status == status
        assert not result.body
        assert "max_response_bytes" in str(result)
        assert server.request_count == 1


@pytest.mark.timeout(60)
def test_a_chunk_answered_with_an_oversized_5xx_is_filed_uncertain(connect: Connect) -> None:
    created = Fault("ok", status=201, body=CREATED)
    huge_503 = Fault("huge_body", status=503, size=3 * 1024 * 1024)
    with FaultServer(created, script=[created, huge_503]) as server:
        api, _ = connect(server.url, max_response_bytes=1024 * 1024)
        batch = oc.BatchMessage(
            sender="Acme",
            content="Hi",
            destinations=[f"4477009000{n:02d}" for n in range(6)],
        )
        with pytest.raises(oc.ChunkedSendError) as caught:
            api.batch_send_many(batch, chunk_size=2, _request_timeout=TIMEOUT)
        report = caught.value.report
        assert [list(c.indices) for c in report.chunks] == [[0, 1]]
        assert [list(c.indices) for c in report.uncertain_chunks] == [[2, 3]]
        assert report.unsent_indices == [4, 5]
        assert server.request_count == 2


# -- compressed answers ----------------------------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize("size", [2 * 1024 * 1024, 5 * 1024 * 1024])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_answer_comes_back_whole(
    connect: Connect, encoding: str, chunked: bool, size: int
) -> None:
    expected_records = json.loads(compressed_records(size))
    fault = Fault("compressed", size=size, encoding=encoding, chunked=chunked)
    with FaultServer(fault) as server:
        api, _ = connect(server.url)
        records, _ = call(api, "batch_batchid_get", _headers={"Accept-Encoding": encoding})
        assert isinstance(records, list), records
        assert len(records) == len(expected_records)
        assert records[-1].messageid == expected_records[-1]["messageid"]
        assert server.request_count == 1


@pytest.mark.timeout(60)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_the_size_limit_counts_decoded_bytes(
    connect: Connect, encoding: str, chunked: bool
) -> None:
    # 8 MiB of records compress to well under the 1 MiB limit: a small answer on the wire that
    # would be a large one in memory is refused all the same.
    fault = Fault("compressed", size=8 * 1024 * 1024, encoding=encoding, chunked=chunked)
    with FaultServer(fault) as server:
        api, waits = connect(server.url, max_response_bytes=1024 * 1024)
        result, _ = call(api, "batch_batchid_get")
        assert type(result) is oc.ApiResponseError, result
        assert "max_response_bytes" in str(result)
        assert server.request_count == 1
        assert waits == []


@pytest.mark.timeout(60)
def test_a_compressed_answer_just_under_the_limit_is_read(connect: Connect) -> None:
    body = compressed_records(2 * 1024 * 1024)
    fault = Fault("compressed", size=2 * 1024 * 1024)
    with FaultServer(fault) as server:
        api, _ = connect(server.url, max_response_bytes=len(body))
        records, _ = call(api, "batch_batchid_get")
        assert isinstance(records, list), records
        assert len(records) == len(json.loads(body))


# -- replayable POSTs and sends that are not batches -------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["messages_post", "messages_inbox_post", "messages_failed_post"])
def test_a_search_that_times_out_is_retried_then_raises_a_plain_timeout(
    callers: MakeCaller, kind: str, name: str
) -> None:
    with FaultServer("no_headers", hold=5.0) as server:
        caller = callers(kind, server.url)
        waits = caller.waits
        result, _ = call_on(caller, name)
        assert type(result) is oc.ApiTimeoutError, result
        assert not isinstance(result, oc.SendOutcomeUnknownError)
        assert server.request_count == ATTEMPTS
        assert len(waits) == ATTEMPTS - 1


@pytest.mark.timeout(15)
def test_a_search_answered_503_then_200_succeeds(connect: Connect) -> None:
    with FaultServer(Fault("ok", body=[RECORD]), script=["503"]) as server:
        api, waits = connect(server.url)
        records, _ = call(api, "messages_post")
        assert [r.messageid for r in records] == ["5620320"]
        assert [r.fault for r in server.requests] == ["503", "ok"]
        assert server.requests[0].body == server.requests[1].body
        assert len(waits) == 1


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "name", ["message_send_post", "send_flash_message", "otp_send_post", "otp_verify_post"]
)
def test_a_text_or_passcode_check_that_times_out_is_sent_exactly_once(
    callers: MakeCaller, kind: str, name: str
) -> None:
    with FaultServer("no_headers", hold=5.0) as server:
        caller = callers(kind, server.url)
        waits = caller.waits
        result, _ = call_on(caller, name)
        assert type(result) is SendOutcomeUnknownTimeoutError, result
        assert not server.wait_for_requests(2, timeout=0.3)
        assert server.request_count == 1
        assert waits == []


# -- the answer's head is bounded by the attempt's time limit --------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("fault", ["interim_forever", "trickle_headers"])
@pytest.mark.parametrize("name", SENDS)
def test_a_send_whose_head_never_ends_is_sent_once(connect: Connect, name: str, fault: str) -> None:
    with FaultServer(fault, interval=0.05, hold=20.0) as server:
        api, waits = connect(server.url)
        result, _ = call(api, name)
        assert type(result) is SendOutcomeUnknownTimeoutError, result
        # A timeout, and one that may have been sent: the second is what to test first.
        assert isinstance(result, oc.ApiTimeoutError)
        assert isinstance(result, oc.SendOutcomeUnknownError)
        assert "not retried" in str(result)
        assert not server.wait_for_requests(2, timeout=0.3)
        assert server.request_count == 1
        assert waits == []


@pytest.mark.timeout(30)
def test_a_slow_head_that_finishes_in_time_is_read(connect: Connect) -> None:
    # About 150 bytes of head at 2 ms each: inside the 1.5 s limit of one attempt, although
    # the head takes longer than many single reads would.
    with FaultServer("trickle_headers", status=201, interval=0.002) as server:
        api, _ = connect(server.url)
        result, _ = call(api, "batch_send_post")
        assert isinstance(result, oc.BatchMessageResponse), result
        assert result.batchid == "2586749"


@pytest.mark.timeout(30)
def test_after_a_bounded_head_the_connection_keeps_its_read_timeout(connect: Connect) -> None:
    # The limit lowers the socket's timeout while the head is read; the next request on the
    # same connection must get the configured one back, not what was left of the last limit.
    created = Fault("ok", status=201, body=CREATED)
    slow = Fault("trickle_headers", status=201, interval=0.006)  # ~0.85 s for the head
    with FaultServer(created, script=[slow]) as server:
        api, _ = connect(server.url)
        # The limit is 3.5 s; after 0.5 s what is left is under the 3 s read timeout, so the
        # socket's timeout is lowered for the rest of the head.
        first = api.batch_send_post(dict(BATCH), _request_timeout=(0.5, 3.0))
        assert first.batchid == "2586749"
        pool, _ = api.api_client.rest_client._pool_for(server.url)
        idle = [conn for conn in pool.pool.queue if conn is not None and conn.sock is not None]
        assert len(idle) == 1
        assert idle[0].sock.gettimeout() == 3.0
        second, _ = call(api, "batch_send_post")
        assert second.batchid == "2586749"
        assert server.connection_count == 1
