"""Chunked sends with several chunks in flight (``max_in_flight``).

The bookkeeping (``SendPlan``) is tested alone with hypothesis: random outcomes in random
completion orders. The thread-pool loop is tested over real HTTP: against the sandbox (the same
report and server-side counts for 1, 4 and 8 in flight) and against a small server that answers
the chunks out of order and fails one of them while the others are still in flight.
"""

from __future__ import annotations

import collections
import http.server
import json
import linecache
import sys
import threading
from types import SimpleNamespace
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple, Type

import pytest
from chunked_workers import numbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reports_across_processes import RecordingApi, assert_consistent

import openapi_client
from openapi_client import (
    ApiResponseError,
    ApiValueError,
    BatchMessage,
    ForbiddenException,
    Message,
    SendOutcomeUnknownError,
)
from openapi_client._batching import (
    ChunkedSendError,
    ChunkedSendReport,
    ChunkResult,
    SendPlan,
    _run,
    plan_send_many,
    send_many,
)

WAIT = 20.0  # the longest any gate of the test server holds an answer


def _same(got: List[Any], want: List[Any], what: str) -> None:
    """``got == want`` for long lists, with a short message (a diff of 10,000 items is slow)."""
    if got != want:
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), None)
        raise AssertionError(
            f"{what}: {len(got)} items, {len(want)} wanted; first differs at {first}"
        )


def text(destinations: List[str], content: str = "Spring sale") -> BatchMessage:
    return BatchMessage(sender="Acme", destinations=destinations, content=content)


def offline_api(**options: Any) -> Any:
    config = openapi_client.Configuration(
        host="https://api.example.test/v1", api_key={"JWT": "t"}, **options
    )
    return SimpleNamespace(api_client=SimpleNamespace(configuration=config))


# -- the bookkeeping alone ------------------------------------------------------------------


class Answer:
    def __init__(self, batchid: str) -> None:
        self.batchid = batchid
        self.status = "SCHEDULED"


def _outcome(kind: str) -> Optional[BaseException]:
    if kind == "refused":
        return ForbiddenException(status=403, reason="Forbidden")
    if kind == "unknown":
        return SendOutcomeUnknownError("read timed out", method="POST", url="https://h/v1")
    if kind == "unreadable":
        return ApiResponseError(status=201, reason="unexpected response: not JSON")
    if kind == "unexpected":
        return RuntimeError("boom")
    return None  # accepted


OUTCOMES = st.sampled_from(["ok", "ok", "ok", "refused", "unknown", "unreadable", "unexpected"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(1, 40),
    size=st.integers(1, 9),
    in_flight=st.integers(1, 5),
    data=st.data(),
)
def test_the_plan_keeps_an_exact_report_whatever_order_chunks_finish_in(
    count: int, size: int, in_flight: int, data: st.DataObject
) -> None:
    everyone = numbers(count)
    plan = plan_send_many(offline_api(), text(everyone), size, None, in_flight)
    assert plan.chunks_total == (count + size - 1) // size
    flying: List[ChunkResult] = []
    got: Dict[str, List[str]] = {}  # what the "server" received, by batch id (or a key)
    accepted: Dict[int, Optional[str]] = {}  # chunk index -> the batch id it was given
    failed_once = False
    interrupt_at = data.draw(st.one_of(st.none(), st.integers(0, 60)), "interrupt at")
    steps = 0
    report: Optional[ChunkedSendReport] = None
    while True:
        if interrupt_at is not None and steps == interrupt_at:
            report = plan.interrupted(KeyboardInterrupt())
            break
        steps += 1
        room = len(flying) < in_flight
        if room and (not flying or data.draw(st.booleans(), "start another")):
            chunk = plan.next_chunk()
            if failed_once:
                assert chunk is None, "a new chunk started after a failure"
            if chunk is not None:
                flying.append(chunk)
                continue
        if not flying:
            break
        chunk = flying.pop(data.draw(st.integers(0, len(flying) - 1), "which finishes"))
        kind = data.draw(OUTCOMES, "outcome")
        exc = _outcome(kind)
        if kind in ("ok", "unreadable", "unknown", "unexpected"):  # the request reached it
            got[f"c{chunk.index}"] = list(chunk.destinations)
        if exc is None:
            batchid = str(5000 + chunk.index)
            got[batchid] = got.pop(f"c{chunk.index}")
            plan.succeeded(chunk, Answer(batchid))
            accepted[chunk.index] = batchid
        else:
            plan.failed(chunk, exc)
            failed_once = True
            if kind == "unreadable":
                accepted[chunk.index] = None
    if report is None:
        try:
            report = plan.finish()
            assert not failed_once
        except ChunkedSendError as exc:
            assert failed_once
            report = exc.report
    # A late answer after the report was made changes nothing.
    before = (report.sent, report.uncertain_destinations, report.unsent)
    for chunk in flying:
        plan.succeeded(chunk, Answer("late"))
    assert (report.sent, report.uncertain_destinations, report.unsent) == before
    # The report partitions the input, and never calls unsent what the server may have got.
    assert_consistent(report, {k: v for k, v in got.items() if not k.startswith("c")}, everyone)
    got_any = {n for batch in got.values() for n in batch}
    assert got_any <= set(report.sent) | set(report.uncertain_destinations)
    # Sent chunks are exactly the accepted ones, in input order, with their ids.
    assert [c.index for c in report.chunks] == sorted(accepted)
    assert [c.batchid for c in report.chunks] == [accepted[i] for i in sorted(accepted)]
    positions = [i for c in report.chunks for i in c.indices]
    assert positions == sorted(positions)
    assert report.unsent_indices == sorted(report.unsent_indices)
    # A resume plans exactly the unsent recipients, and never an uncertain one.
    if report.unsent_indices:
        again = plan_send_many(offline_api(), text(everyone), size, report, in_flight)
        planned: List[int] = []
        while (chunk := again.next_chunk()) is not None:
            planned.extend(chunk.indices)
            again.succeeded(chunk, Answer("r"))
        assert planned == report.unsent_indices


def test_no_chunk_starts_after_a_failure_while_others_are_in_flight() -> None:
    plan = plan_send_many(offline_api(), text(numbers(10)), 2, None, 3)
    a, b, c = plan.next_chunk(), plan.next_chunk(), plan.next_chunk()
    assert a is not None and b is not None and c is not None
    assert plan.in_flight == 3
    plan.failed(b, ForbiddenException(status=403, reason="Forbidden"))
    assert plan.next_chunk() is None
    plan.succeeded(c, Answer("7"))
    plan.failed(a, SendOutcomeUnknownError("timed out"))
    with pytest.raises(ChunkedSendError) as info:
        plan.finish()
    report = info.value.report
    assert report.sent == numbers(2, 4) and report.batch_ids == ["7"]
    assert report.uncertain_destinations == numbers(2)
    assert report.unsent == [*numbers(2, 2), *numbers(4, 6)]
    assert "chunk index 1" in str(report.error) and "1 more chunk in flight failed" in str(
        report.error
    )
    assert isinstance(info.value.cause, ForbiddenException)


# -- an interrupt at every step, inside the plan too ----------------------------------------


def _codes() -> Set[Any]:
    codes = {_run.__code__}
    for name in ("next_chunk", "body", "succeeded", "failed", "progress_since", "finish", "_write"):
        codes.add(getattr(SendPlan, name).__code__)
    return codes


@pytest.mark.parametrize("exc_type", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_at_every_line_of_the_loop_and_the_plan_leaves_a_consistent_report(
    exc_type: Type[BaseException],
) -> None:
    """Raise at the n-th line run in the sequential loop or in a plan method, for every n.

    ``try:`` lines are left out: CPython reports their line event outside the block, where no
    real signal lands. The handler's lines are counted but never raised in: they run only after
    the one raise of a step.
    """
    codes = _codes()
    previous = sys.gettrace()  # coverage's tracer, when it runs: put back after each step
    step = 0
    while True:
        step += 1
        seen = [0]
        api = RecordingApi()

        def tracer(
            frame: Any, event: str, arg: Any, step: int = step, seen: List[int] = seen
        ) -> Any:
            if frame.f_code not in codes:
                return None

            def local(frame: Any, event: str, arg: Any) -> Any:
                if event == "line" and _line(frame) != "try:":
                    seen[0] += 1
                    if seen[0] == step:
                        raise exc_type()
                return local

            return local

        sys.settrace(tracer)
        try:
            report = send_many(api, text(numbers(9)), chunk_size=3, progress=lambda _: None)  # type: ignore[arg-type]
        except exc_type as exc:
            sys.settrace(previous)
            caught = getattr(exc, "report", None)
            assert caught is not None, f"step {step}: no report"
            assert_consistent(caught, api.received, numbers(9))
            assert caught.error
            continue
        finally:
            sys.settrace(previous)
        assert report.complete and step > 40
        break


def _line(frame: Any) -> str:
    return linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()


# -- checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "must be an int, not bool"),
        ("4", "must be an int, not str"),
        (0, "must be 1..32, not 0"),
        (33, "must be 1..32, not 33"),
    ],
)
def test_max_in_flight_is_checked_before_anything_is_sent(value: Any, words: str) -> None:
    api = RecordingApi()
    with pytest.raises(ApiValueError, match=words) as info:
        send_many(api, text(numbers(9)), chunk_size=3, max_in_flight=value)  # type: ignore[arg-type]
    assert "max_in_flight" in str(info.value) and api.received == {}


def test_max_in_flight_above_the_connection_pool_is_refused(sandbox: Any) -> None:
    config = sandbox.configuration()
    config.connection_pool_maxsize = 4
    with openapi_client.ApiClient(config) as client:
        api = openapi_client.BatchMessagesApi(client)
        with pytest.raises(ApiValueError, match="connection_pool_maxsize") as info:
            api.batch_send_many(text(numbers(9)), chunk_size=3, max_in_flight=8)
        assert "max_in_flight" in str(info.value)
        with pytest.raises(ApiValueError, match="max_in_flight"):
            api.batch_any_many(
                [Message(sender="Acme", destination=n, content="Hi") for n in numbers(3)],
                max_in_flight=0,
            )
    assert not sandbox.batches


# -- the sandbox: the same send with 1, 4 and 8 in flight -----------------------------------


def _received(sandbox: Any, content: str) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for batchid in sandbox.batches:
        records = sandbox.messages(batchid)
        if records and records[0].get("content") == content:
            found[batchid] = [str(r["destination"]) for r in records]
    return found


@pytest.mark.slow
def test_12001_recipients_with_1_4_and_8_in_flight_give_the_same_report(sandbox: Any) -> None:
    everyone = numbers(12_001)
    shapes = []
    main = threading.get_ident()
    with openapi_client.ApiClient(sandbox.configuration()) as client:
        api = openapi_client.BatchMessagesApi(client)
        for in_flight in (1, 4, 8):
            calls: List[Tuple[int, Any]] = []
            content = f"Spring sale, {in_flight} at once"
            report = api.batch_send_many(
                text(everyone, content),
                chunk_size=1000,
                max_in_flight=in_flight,
                progress=lambda info, calls=calls: calls.append((threading.get_ident(), info)),
            )
            # No thread of the call outlives it.
            names = [t.name for t in threading.enumerate() if t.name.startswith("smsworks-chunk")]
            assert names == []
            got = _received(sandbox, content)
            assert report.complete
            _same(report.sent, everyone, "sent")
            assert [c.index for c in report.chunks] == list(range(13))
            assert sorted(got) == sorted(report.batch_ids)
            for chunk in report.chunks:
                _same(got[str(chunk.batchid)], list(chunk.destinations), "batch")
            counts = collections.Counter(n for batch in got.values() for n in batch)
            _same(sorted(counts), everyone, "received")
            assert set(counts.values()) == {1}
            # progress: from the calling thread, once per accepted chunk, counting up.
            assert {ident for ident, _ in calls} == {main}
            infos = [info for _, info in calls]
            assert [i.chunks_done for i in infos] == list(range(1, 14))
            assert {i.chunks_total for i in infos} == {13}
            assert infos[-1].recipients_done == 12_001
            assert all(a.recipients_done < b.recipients_done for a, b in zip(infos, infos[1:]))
            shapes.append(
                (
                    report.total,
                    report.sent_count,
                    [len(c) for c in report.chunks],
                    [c.indices for c in report.chunks],
                    report.unsent_indices,
                    report.uncertain_chunks,
                    len(got),
                )
            )
    assert shapes[0] == shapes[1] == shapes[2]


# -- a server that answers out of order and fails one chunk ---------------------------------


class OrderedServer:
    """Answers chunked sends in a given order, failing one chunk while the others are held.

    The chunk of a request is found from its first recipient. Until ``release`` requests have
    arrived nothing is answered; then the chunks in ``order`` are answered one after another,
    each only once the one before it was answered, and any other chunk at once. ``fail``
    names a chunk and how it fails: ``"402"`` (refused) or ``"drop"`` (the connection closes
    without an answer). Every request is kept in ``received`` with its chunk number.
    """

    def __init__(self, chunk_size: int) -> None:
        self.chunk_size = chunk_size
        self.fail: Dict[int, str] = {}
        self.order: List[int] = []
        self.release = 0
        self.received: List[Tuple[int, List[str]]] = []
        self.answered: List[int] = []
        self.batches: Dict[str, List[str]] = {}  # the accepted ones, by batch id
        self.dropped: List[List[str]] = []  # those closed with no answer
        self.most_at_once = 0
        self._open = 0
        self._cond = threading.Condition()
        self._ids = 9000
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer._serve(self, body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> OrderedServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        with self._cond:
            self.release = 0
            self.order = []
            self._cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, release: int, order: List[int], fail: Dict[int, str]) -> None:
        with self._cond:
            self.release, self.order, self.fail = release, order, fail
            self.answered = []

    @property
    def counts(self) -> collections.Counter[str]:
        """How often each number was taken in: accepted, or dropped with no answer."""
        with self._cond:
            taken = [*self.batches.values(), *self.dropped]
            return collections.Counter(n for batch in taken for n in batch)

    def _serve(self, handler: http.server.BaseHTTPRequestHandler, body: Dict[str, Any]) -> None:
        numbers = [str(n) for n in body["destinations"]]
        chunk = int(numbers[0][4:]) // self.chunk_size
        with self._cond:
            self.received.append((chunk, numbers))
            self._open += 1
            self.most_at_once = max(self.most_at_once, self._open)
            self._cond.notify_all()
            self._cond.wait_for(lambda: len(self.received) >= self.release, WAIT)
            if chunk in self.order:
                before = self.order[: self.order.index(chunk)]
                self._cond.wait_for(lambda: set(before) <= set(self.answered), WAIT)
            self._ids += 1
            batchid = str(self._ids)
            how = self.fail.pop(chunk, None)
            # Counted out before the answer leaves: the client may start its next request as
            # soon as it reads this one's answer.
            self._open -= 1
        try:
            if how == "drop":
                with self._cond:
                    self.dropped.append(numbers)
                handler.close_connection = True
                return
            if how == "402":
                data = json.dumps({"message": "Insufficient credits"}).encode()
                handler.send_response(402)
            else:
                with self._cond:
                    self.batches[batchid] = numbers
                data = json.dumps({"batchid": batchid, "status": "SCHEDULED"}).encode()
                handler.send_response(201)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
            handler.wfile.flush()
        finally:
            with self._cond:
                self.answered.append(chunk)
                self._cond.notify_all()


@pytest.fixture
def ordered() -> Iterator[OrderedServer]:
    with OrderedServer(chunk_size=1000) as server:
        yield server


def _api(server: OrderedServer) -> Iterator[openapi_client.BatchMessagesApi]:
    config = openapi_client.Configuration(
        host=server.url, api_key={"JWT": "in-flight-token"}, timeout=(5, 30)
    )
    with openapi_client.ApiClient(config) as client:
        yield openapi_client.BatchMessagesApi(client)


def _send(
    server: OrderedServer, everyone: List[str], in_flight: int, **kwargs: Any
) -> Tuple[Optional[ChunkedSendReport], Optional[BaseException]]:
    for api in _api(server):
        try:
            return api.batch_send_many(
                text(everyone), chunk_size=1000, max_in_flight=in_flight, **kwargs
            ), None
        except ChunkedSendError as exc:
            return exc.report, exc
    raise AssertionError("unreachable")


@pytest.mark.parametrize("how", ["402", "drop"])
def test_a_chunk_failing_while_others_are_in_flight_gives_an_exact_report_and_one_resume(
    ordered: OrderedServer, how: str
) -> None:
    everyone = numbers(12_000)  # 12 chunks of 1,000
    # Chunks 0-3 are in flight together; chunk 2 fails first, then 3, 1 and 0 are answered,
    # in that order: they finish after the failure, and out of order.
    ordered.script(release=4, order=[2, 3, 1, 0], fail={2: how})
    report, error = _send(ordered, everyone, 4)
    assert error is not None and report is not None
    # (A chunk 4 may start, and be answered at once, if an answer to 0, 1 or 3 was recorded
    # before the failure of 2 was: the failure stops new chunks from the moment it is recorded.)
    assert [c for c in ordered.answered if c < 4] == [2, 3, 1, 0]
    assert ordered.most_at_once == 4
    assert "chunk index 2" in str(report.error)
    sent_chunks = sorted(c for c, _ in ordered.received if c != 2)
    # The ones in flight were all recorded, in input order, before the error left.
    assert [c.index for c in report.chunks] == sent_chunks
    _same(
        report.sent, [n for c in sent_chunks for n in everyone[c * 1000 : (c + 1) * 1000]], "sent"
    )
    if how == "402":
        assert report.uncertain_chunks == []
        _same(report.unsent[:1000], everyone[2000:3000], "unsent")
    else:
        _same(report.uncertain_destinations, everyone[2000:3000], "uncertain")
    _same(sorted(report.sent + report.unsent + report.uncertain_destinations), everyone, "all")
    assert set(ordered.counts) == set(report.sent) | set(report.uncertain_destinations)
    # The resume sends exactly what was never sent, once.
    ordered.script(release=0, order=[], fail={})
    before = len(ordered.received)
    for api in _api(ordered):
        final = api.batch_send_many(text(everyone), chunk_size=1000, resume=report, max_in_flight=4)
        with pytest.raises(openapi_client.ReportAlreadyResumedError):
            api.batch_send_many(text(everyone), chunk_size=1000, resume=report, max_in_flight=4)
    again = [n for _, batch in ordered.received[before:] for n in batch]
    _same(sorted(again), sorted(report.unsent), "resumed")
    counts = ordered.counts
    assert set(counts.values()) == {1}
    _same(sorted(counts), everyone, "received")
    assert final.sent_count == 12_000 - (1000 if how == "drop" else 0)
    assert final.complete is (how == "402")
    assert final.batch_ids[: len(report.batch_ids)] == report.batch_ids
    for chunk in final.chunks:
        _same(ordered.batches[str(chunk.batchid)], list(chunk.destinations), "batch")
    positions = [i for c in final.chunks[len(report.chunks) :] for i in c.indices]
    assert positions == sorted(positions)
    _same(positions, report.unsent_indices, "resumed positions")


def test_a_progress_callback_that_raises_with_chunks_in_flight_leaves_a_report(
    ordered: OrderedServer,
) -> None:
    everyone = numbers(8000)
    ordered.script(release=4, order=[0, 1, 2, 3], fail={})

    def stop(info: Any) -> None:
        raise LookupError("the progress bar broke")

    for api in _api(ordered):
        with pytest.raises(LookupError) as info:
            api.batch_send_many(text(everyone), chunk_size=1000, max_in_flight=4, progress=stop)
    report: ChunkedSendReport = info.value.report  # type: ignore[attr-defined]
    got = {n for _, batch in ordered.received for n in batch}
    assert got <= set(report.sent) | set(report.uncertain_destinations)
    _same(sorted(report.sent + report.unsent + report.uncertain_destinations), everyone, "all")
    # The callback raised at the first accepted chunk: no chunk beyond the first four started.
    assert report.sent_count >= 1000 and {c.index for c in report.chunks} <= {0, 1, 2, 3}
    _same(report.unsent, everyone[4000:], "unsent")
    assert "LookupError" in str(report.error)
