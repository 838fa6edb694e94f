"""One client, many threads, a fork and a close: no error, no crossed answer, no leaked socket.

The sandbox answers over keep-alive HTTP/1.1 on 127.0.0.1, so these tests go through the real
urllib3 pool: connections are shared between threads, reused, and (with a pool too small for
the threads) discarded, which urllib3 reports as "Connection pool is full" at WARNING.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
import warnings
from typing import Any, Dict, List, Tuple

import pytest
from fault_server import Fault, FaultServer

import openapi_client as oc
from openapi_client.sandbox import Sandbox

THREADS = 16
CALLS = 200
BATCHES = 32
SEND_EVERY = 10  # one call in 10 is a send (never the first: see test_a_burst_of_...)
TIMEOUT = (2.0, 10.0)
POOL_FULL = "Connection pool is full"
RECORD = {"messageid": "5620320", "batchid": "2586749", "status": "DELIVERED"}


def _batch(i: int) -> Dict[str, Any]:
    # Batches differ in content and in size, so a crossed answer cannot pass for the right one.
    destinations = [f"4477009{i:03d}{k:02d}" for k in range(1 + i % 4)]
    return {"sender": "Acme", "destinations": destinations, "content": f"batch number {i}"}


@pytest.fixture
def pool_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Records what urllib3's pool logs at WARNING and above."""
    caplog.set_level(logging.WARNING, logger="urllib3.connectionpool")
    return caplog


def _pool_full(caplog: pytest.LogCaptureFixture) -> int:
    return sum(
        1
        for r in caplog.records
        if r.name == "urllib3.connectionpool" and POOL_FULL in r.getMessage()
    )


def _run_threads(work: Any, threads: int, timeout: float) -> None:
    """Run ``work(index)`` in ``threads`` threads started together; all must finish in time."""
    barrier = threading.Barrier(threads)

    def run(index: int) -> None:
        barrier.wait(timeout)
        work(index)

    pool = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in pool:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in pool if t.is_alive()]
    assert not stuck, f"threads still running after {timeout} s: {stuck}"


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_one_client_shared_by_16_threads(sandbox: Any, pool_log: pytest.LogCaptureFixture) -> None:
    with oc.ApiClient(sandbox.configuration()) as client:
        api = oc.BatchMessagesApi(client)
        expected: Dict[str, Tuple[str, List[str]]] = {}
        for i in range(BATCHES):
            body = _batch(i)
            batchid = api.batch_send_post(body, _request_timeout=TIMEOUT).batchid
            expected[batchid] = (body["content"], sorted(body["destinations"]))
        ids = sorted(expected)
        lock = threading.Lock()
        errors: List[str] = []
        crossed: List[str] = []
        sends: Dict[str, str] = {}
        calls = [0] * THREADS

        def work(index: int) -> None:
            rng = random.Random(index)
            for j in range(CALLS):
                try:
                    if j % SEND_EVERY == SEND_EVERY // 2:
                        content = f"thread {index} call {j}"
                        body = {
                            "sender": "Acme",
                            "destinations": ["447700900999"],
                            "content": content,
                        }
                        batchid = api.batch_send_post(body, _request_timeout=TIMEOUT).batchid
                        with lock:
                            if batchid in sends or batchid in expected:
                                crossed.append(f"batch id {batchid} given twice")
                            sends[batchid] = content
                    else:
                        batchid = rng.choice(ids)
                        records = api.batch_batchid_get(batchid, _request_timeout=TIMEOUT)
                        content, destinations = expected[batchid]
                        got = (
                            {r.batchid for r in records},
                            {r.content for r in records},
                            sorted(r.destination or "" for r in records),
                        )
                        if got != ({batchid}, {content}, destinations):
                            with lock:
                                crossed.append(f"asked for {batchid}, got {got}")
                except Exception as exc:  # every failure is counted, none is allowed
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                calls[index] += 1

        started = time.monotonic()
        _run_threads(work, THREADS, timeout=100)
        took = time.monotonic() - started

    assert errors == []
    assert crossed == []
    assert sum(calls) == THREADS * CALLS
    # Each send got its own answer: its batch holds exactly the text that thread sent.
    assert len(sends) == THREADS * CALLS // SEND_EVERY
    for batchid, content in sends.items():
        assert [m["content"] for m in sandbox.messages(batchid)] == [content]
    # Every call reached the server exactly once: no hidden retry, no lost request.
    answered = [r for r in sandbox.requests if r.status in (200, 201)]
    assert len(answered) == BATCHES + THREADS * CALLS
    assert _pool_full(pool_log) == 0
    assert took < 100


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("maxsize", "warned"), [(1, True), (THREADS, False)])
def test_pool_size_is_configurable_and_the_warning_is_about_it(
    sandbox: Any, pool_log: pytest.LogCaptureFixture, maxsize: int, warned: bool
) -> None:
    cfg = oc.Configuration(
        host=sandbox.url, api_key={"JWT": sandbox.token}, connection_pool_maxsize=maxsize
    )
    errors: List[BaseException] = []
    with oc.ApiClient(cfg) as client:
        api = oc.BatchMessagesApi(client)
        batchid = api.batch_send_post(_batch(1), _request_timeout=TIMEOUT).batchid

        def work(index: int) -> None:
            for _ in range(15):
                try:
                    api.batch_batchid_get(batchid, _request_timeout=TIMEOUT)
                except Exception as exc:
                    errors.append(exc)

        _run_threads(work, THREADS, timeout=50)
    assert errors == []
    # With one pooled connection for 16 threads, urllib3 must throw connections away: the same
    # check that found none above can fail.
    assert (_pool_full(pool_log) > 0) is warned


def _burst(sandbox: Any, senders: int) -> List[str]:
    """``senders`` sends started at once on a new client; the failures, described."""
    errors: List[str] = []
    with oc.ApiClient(sandbox.configuration()) as client:
        api = oc.BatchMessagesApi(client)

        def work(index: int) -> None:
            try:
                api.batch_send_post(_batch(index), _request_timeout=TIMEOUT)
            except oc.ApiException as exc:
                errors.append(f"{type(exc).__name__}: {exc.reason}")

        _run_threads(work, senders, timeout=30)
    return errors


@pytest.mark.timeout(60)
def test_a_burst_of_first_sends_on_new_connections_all_succeed() -> None:
    # 32 sends start at once, each on a new connection. A server whose listen backlog is too
    # short resets some of them after the request went out, which the client can only report
    # as "outcome unknown": the server must take a burst like this without a reset.
    with Sandbox(credits=10_000) as sandbox:
        errors = [error for _ in range(4) for error in _burst(sandbox, 32)]
        assert errors == []
        assert len(sandbox.batches) == 4 * 32


# -- fork ------------------------------------------------------------------------------------


def _wait_child(pid: int, timeout: float) -> int:
    """The child's exit code; it is killed (and the test fails) if it outlives ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail(f"the forked child did not finish in {timeout} s")
        time.sleep(0.01)


def _client(url: str) -> oc.ApiClient:
    return oc.ApiClient(oc.Configuration(host=url, api_key={"JWT": "a-token"}))


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_forked_child_opens_its_own_connection() -> None:
    with FaultServer(Fault("ok", body=[RECORD])) as server, _client(server.url) as client:
        api = oc.BatchMessagesApi(client)
        assert api.batch_batchid_get("1", _request_timeout=TIMEOUT)[0].messageid == "5620320"
        assert server.connection_count == 1

        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads (the server's) may
            # deadlock; the child here only runs the client, which takes no inherited lock.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which reports by exit status
            code = 3
            try:
                records = api.batch_batchid_get("2", _request_timeout=TIMEOUT)
                code = 0 if records[0].messageid == "5620320" else 2
            except BaseException:
                code = 1
            finally:
                os._exit(code)

        assert _wait_child(pid, timeout=15) == 0
        parent_first, child_first = server.requests
        assert child_first.path == "/v1/batch/2"
        # The child never wrote on the parent's socket: it connected afresh.
        assert child_first.connection != parent_first.connection
        assert server.connection_count == 2

        # The parent's pooled connection survived the child, and is reused.
        assert api.batch_batchid_get("3", _request_timeout=TIMEOUT)[0].messageid == "5620320"
        assert server.requests[-1].connection == parent_first.connection
        assert server.connection_count == 2


# -- close() and the context manager ---------------------------------------------------------


def _established(port: int) -> Tuple[int, int]:
    """(client side, server side) TCP connections to/from 127.0.0.1:port in ESTABLISHED state."""
    client = server = 0
    with open("/proc/net/tcp", encoding="ascii") as table:
        next(table)
        for line in table:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            if state != "01":
                continue
            if int(remote.split(":")[1], 16) == port:
                client += 1
            if int(local.split(":")[1], 16) == port:
                server += 1
    return client, server


def _open_connections(api: oc.BatchMessagesApi, count: int) -> None:
    """Make ``count`` requests at once so that the pool holds ``count`` connections."""

    def work(index: int) -> None:
        api.batch_batchid_get(str(index), _request_timeout=TIMEOUT)

    _run_threads(work, count, timeout=10)


def _settle(port: int, want: Tuple[int, int], timeout: float = 3.0) -> Tuple[int, int]:
    deadline = time.monotonic() + timeout
    seen = _established(port)
    while seen != want and time.monotonic() < deadline:
        time.sleep(0.02)
        seen = _established(port)
    return seen


# Slow enough (about 0.4 s) that four requests overlap, so each needs its own connection.
_SLOW = Fault("trickle", body=[RECORD], interval=0.005)


@pytest.mark.timeout(30)
@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="counts sockets in /proc")
def test_close_releases_every_connection() -> None:
    with FaultServer(_SLOW) as server:
        client = _client(server.url)
        api = oc.BatchMessagesApi(client)
        _open_connections(api, 4)
        assert server.connection_count == 4
        assert _established(server.port) == (4, 4)

        client.close()
        assert _established(server.port)[0] == 0
        assert _settle(server.port, (0, 0)) == (0, 0)


@pytest.mark.timeout(30)
@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="counts sockets in /proc")
def test_the_context_manager_releases_every_connection() -> None:
    with FaultServer(_SLOW) as server:
        with _client(server.url) as client:
            _open_connections(oc.BatchMessagesApi(client), 3)
            assert _established(server.port) == (3, 3)
        assert _established(server.port)[0] == 0
        assert _settle(server.port, (0, 0)) == (0, 0)


@pytest.mark.timeout(30)
@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="counts sockets in /proc")
def test_the_context_manager_releases_connections_when_the_body_raises() -> None:
    opened: List[int] = []

    def use_then_fail(url: str) -> None:
        with _client(url) as client:
            oc.BatchMessagesApi(client).batch_batchid_get("1", _request_timeout=TIMEOUT)
            opened.append(_established(server.port)[0])
            raise RuntimeError("boom")

    with FaultServer(Fault("ok", body=[RECORD])) as server:
        with pytest.raises(RuntimeError, match="boom"):
            use_then_fail(server.url)
        assert opened == [1]
        assert _established(server.port)[0] == 0
