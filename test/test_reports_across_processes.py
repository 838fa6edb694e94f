"""Reports that survive anything: an interrupt at any point of a chunked send, pickling to
another process, a file resumed at most once (two processes racing included), and the CLI's
Ctrl-C."""

from __future__ import annotations

import concurrent.futures
import importlib
import json
import multiprocessing
import os
import pickle
import pkgutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Set, Type

import pytest
from chunked_workers import failing_chunked_send, numbers
from fault_server import Fault, FaultServer

import openapi_client
from openapi_client import BatchMessage, OpenApiException, ReportAlreadyResumedError, _batching
from openapi_client._batching import ChunkedSendError, ChunkedSendReport, send_many

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "cli-interrupt-token-0123456789"


def text(destinations: List[str], content: str = "Spring sale") -> BatchMessage:
    return BatchMessage(sender="Acme", destinations=destinations, content=content)


class Answer:
    """An answer whose fields are read after the request returned (where an interrupt lands)."""

    def __init__(self, batchid: str) -> None:
        self.batchid = batchid
        self.status = "SCHEDULED"


class RecordingApi:
    """A ``BatchMessagesApi`` stand-in that records every batch the "server" received."""

    def __init__(self) -> None:
        config = openapi_client.Configuration(
            host="https://api.example.test/v1", api_key={"JWT": "t"}
        )
        self.api_client = SimpleNamespace(configuration=config)
        self.received: Dict[str, List[str]] = {}

    def batch_send_post(self, sms_message: BatchMessage, **kwargs: Any) -> Any:
        batchid = str(1000 + len(self.received))
        self.received[batchid] = list(sms_message.destinations)
        return Answer(batchid)


def assert_consistent(
    report: ChunkedSendReport, received: Dict[str, List[str]], total: List[str]
) -> None:
    """Every number the server got is sent or uncertain; every sent batch id exists there."""
    sent, uncertain, unsent = report.sent, report.uncertain_destinations, report.unsent
    assert sorted(sent + uncertain + unsent) == sorted(total), "a recipient lost or counted twice"
    got = {n for batch in received.values() for n in batch}
    assert got <= set(sent) | set(uncertain), "the server got a number the report calls unsent"
    for chunk in report.chunks:
        assert chunk.batchid is None or received.get(chunk.batchid) == list(chunk.destinations)


# -- item 4: an interrupt anywhere ------------------------------------------------------------


def test_ctrl_c_right_after_a_chunk_was_accepted_carries_the_report() -> None:
    class Late(Answer):
        @property  # type: ignore[override]
        def batchid(self) -> str:  # reading the answer is where Ctrl-C lands
            raise KeyboardInterrupt

        @batchid.setter
        def batchid(self, value: str) -> None:
            pass

    api = RecordingApi()
    original = api.batch_send_post

    def post(body: BatchMessage, **kwargs: Any) -> Any:
        answer = original(body)
        return Late(answer.batchid) if len(api.received) == 2 else answer

    api.batch_send_post = post  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt) as info:
        send_many(api, text(numbers(9)), chunk_size=3)  # type: ignore[arg-type]
    report = info.value.report  # type: ignore[attr-defined]
    assert report.sent == numbers(3) and report.uncertain_destinations == numbers(3, 3)
    assert report.unsent == numbers(3, 6)
    assert_consistent(report, api.received, numbers(9))


def _raise_at_line(
    code: Any, step: int, exc_type: Type[BaseException], counts: Callable[[int], bool]
) -> Any:
    """A trace function raising ``exc_type`` at the ``step``-th counted line run in ``code``."""
    seen = [0]

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code is not code:
            return None

        def local(frame: Any, event: str, arg: Any) -> Any:
            if event == "line" and counts(frame.f_lineno):
                seen[0] += 1
                if seen[0] == step:
                    raise exc_type()
            return local

        return local

    return tracer


@pytest.mark.parametrize("exc_type", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_at_every_step_of_the_loop_leaves_a_consistent_report(
    exc_type: Type[BaseException],
) -> None:
    """Raise at the n-th line the loop executes, for every n: the report never under-reports.

    Left out: the lines of the handler that attaches the report (a second Ctrl-C while the
    first is being handled is out of reach of any code), and ``try:`` lines, whose line event
    CPython reports outside the block (a real signal is only acted on at real instructions).
    """
    import inspect

    code = _batching._run.__code__
    lines, first_line = inspect.getsourcelines(_batching._run)
    handler = first_line + next(i for i, x in enumerate(lines) if "except ChunkedSendError" in x)
    skip = {first_line + i for i, x in enumerate(lines) if x.strip() == "try:"}
    previous = sys.gettrace()  # coverage's tracer, when it runs: put back after each step
    step = 0
    while True:
        step += 1
        api = RecordingApi()
        tracer = _raise_at_line(code, step, exc_type, lambda n: n < handler and n not in skip)
        sys.settrace(tracer)
        try:
            report = send_many(api, text(numbers(9)), chunk_size=3)  # type: ignore[arg-type]
        except exc_type as exc:
            sys.settrace(previous)
            report = getattr(exc, "report", None)
            if report is None:  # only before the loop starts, when nothing was sent
                assert api.received == {}, f"step {step}: sent, but no report"
                continue
            assert_consistent(report, api.received, numbers(9))
            assert report.error
            continue
        finally:
            sys.settrace(previous)
        assert report.complete and step > 20
        break


# -- item 5: pickling ---------------------------------------------------------------------


def _all_exception_classes() -> Set[type]:
    for info in pkgutil.walk_packages(openapi_client.__path__, "openapi_client."):
        if ".sandbox.__main__" not in info.name:
            importlib.import_module(info.name)
    found: Set[type] = set()
    todo: List[type] = [OpenApiException]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("openapi_client") and cls not in found:
            found.add(cls)
            todo.extend(cls.__subclasses__())
    return found


def _sample(cls: type) -> BaseException:
    """An instance built through the class's own constructor, every required argument filled."""
    import inspect

    report = ChunkedSendReport(operation="batch_send", total=2, unsent_indices=[1], error="e")
    values: Dict[str, Any] = {
        "report": report,
        "cause": openapi_client.ServiceException(status=503, reason="down", body="x"),
        "status": 503,
        "reason": "why",
        "msg": "what",
        "body": "the body",
        "method": "POST",
        "url": "https://h/v1/batch/send",
        "headers": {"Retry-After": "1"},
        "path_to_item": ["messages", 2],
    }
    args: List[Any] = []
    kwargs: Dict[str, Any] = {}
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if name not in values:
            if param.default is param.empty:
                args.append("x") if param.kind is not param.KEYWORD_ONLY else kwargs.update(
                    {name: "x"}
                )
            continue
        if param.kind is param.KEYWORD_ONLY:
            kwargs[name] = values[name]
        else:
            args.append(values[name])
    return cls(*args, **kwargs)  # type: ignore[no-any-return]


def test_every_sdk_exception_survives_pickle_with_its_attributes() -> None:
    classes = _all_exception_classes()
    assert {ChunkedSendError, ReportAlreadyResumedError, openapi_client.ApiTimeoutError} <= classes
    for cls in sorted(classes, key=lambda c: c.__name__):
        exc = _sample(cls)
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is cls
        assert str(back) == str(exc) and repr(back) == repr(exc) and back.args == exc.args
        mine = {k: v for k, v in vars(exc).items() if k not in ("cause", "report")}
        assert {k: v for k, v in vars(back).items() if k not in ("cause", "report")} == mine, cls
        if isinstance(exc, ChunkedSendError):
            assert back.report == exc.report and str(back.cause) == str(exc.cause)


def test_an_interrupt_with_a_report_pickles_with_it() -> None:
    exc = KeyboardInterrupt()
    exc.report = ChunkedSendReport(operation="batch_send", total=1, unsent_indices=[0])  # type: ignore[attr-defined]
    back = pickle.loads(pickle.dumps(exc))
    assert back.report == exc.report  # type: ignore[attr-defined]


def _spawn() -> Any:
    return multiprocessing.get_context("spawn")


def test_a_process_pool_worker_that_fails_hands_its_report_to_the_parent(sandbox: Any) -> None:
    sandbox.credits = 5000  # enough for the first chunk only
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=_spawn()) as pool:
        future = pool.submit(failing_chunked_send, sandbox.url, sandbox.token, 8000)
        with pytest.raises(ChunkedSendError) as info:
            future.result(timeout=60)
        assert pool.submit(numbers, 1).result(timeout=60) == numbers(1)  # the pool still works
    report = info.value.report
    assert report.sent_count == 4000 and report.unsent_count == 4000
    assert isinstance(info.value.cause, openapi_client.InsufficientCreditsException)
    sandbox.credits = 100_000
    with openapi_client.ApiClient(sandbox.configuration()) as client:
        api = openapi_client.BatchMessagesApi(client)
        done = api.batch_send_many(
            text(numbers(8000), content="worker"), chunk_size=4000, resume=report
        )
    assert done.complete and len(sandbox.batches) == 2


def test_a_multiprocessing_pool_worker_that_fails_hands_its_report_to_the_parent(
    sandbox: Any,
) -> None:
    sandbox.credits = 5000
    with _spawn().Pool(1) as pool:
        result = pool.apply_async(failing_chunked_send, (sandbox.url, sandbox.token, 8000))
        with pytest.raises(ChunkedSendError) as info:
            result.get(timeout=60)  # it used to hang here
    assert info.value.report.sent_count == 4000


# -- item 5: save, load, resume once ------------------------------------------------------


def _failed_report(api: Any, count: int = 9) -> ChunkedSendReport:
    from openapi_client import InsufficientCreditsException

    original = api.batch_send_post

    def post(body: BatchMessage, **kwargs: Any) -> Any:
        if len(api.received) == 1:
            raise InsufficientCreditsException(status=402, reason="Payment Required")
        return original(body)

    api.batch_send_post = post
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(count)), chunk_size=3)
    api.batch_send_post = original
    return info.value.report


def test_a_saved_report_loads_back_equal_and_resumes_once(tmp_path: Path) -> None:
    api = RecordingApi()
    report = _failed_report(api)
    path = tmp_path / "report.json"
    report.save(path)
    data = json.loads(path.read_text())
    assert data["version"] == 1 and data["operation"] == "batch_send"
    loaded = ChunkedSendReport.load(path)
    assert loaded == report and loaded.unsent == report.unsent
    again = ChunkedSendReport.load(path)
    done = send_many(api, text(numbers(9)), chunk_size=3, resume=loaded)  # type: ignore[arg-type]
    assert done.complete
    with pytest.raises(ReportAlreadyResumedError):
        send_many(api, text(numbers(9)), chunk_size=3, resume=again)  # type: ignore[arg-type]
    with pytest.raises(ReportAlreadyResumedError, match="already resumed"):
        ChunkedSendReport.load(path)
    with pytest.raises(ReportAlreadyResumedError):  # the original, in this process, too
        send_many(api, text(numbers(9)), chunk_size=3, resume=report)  # type: ignore[arg-type]
    sent = [n for batch in api.received.values() for n in batch]
    assert sorted(sent) == numbers(9)


def test_two_unpickled_copies_cannot_both_resume() -> None:
    api = RecordingApi()
    report = _failed_report(api)
    first, second = pickle.loads(pickle.dumps(report)), pickle.loads(pickle.dumps(report))
    send_many(api, text(numbers(9)), chunk_size=3, resume=first)  # type: ignore[arg-type]
    with pytest.raises(ReportAlreadyResumedError):
        send_many(api, text(numbers(9)), chunk_size=3, resume=second)  # type: ignore[arg-type]
    assert len([n for batch in api.received.values() for n in batch]) == 9


def test_a_report_handed_back_by_assume_uncertain_unsent_saves_and_loads_whole(
    tmp_path: Path,
) -> None:
    api = RecordingApi()
    original = api.batch_send_post

    def post(body: BatchMessage, **kwargs: Any) -> Any:
        if len(api.received) == 1:
            raise openapi_client.SendOutcomeUnknownError("read timed out", method="POST", url="u")
        return original(body)

    api.batch_send_post = post  # type: ignore[method-assign]
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(9)), chunk_size=3)  # type: ignore[arg-type]
    path = tmp_path / "r.json"
    info.value.report.save(path)
    decided = ChunkedSendReport.load(path).assume_uncertain_unsent()
    assert decided.unsent == numbers(6, 3)
    decided.save(path)  # the decision replaces the file; the old report is spent
    loaded = ChunkedSendReport.load(path)
    assert loaded.unsent == numbers(6, 3) and loaded == decided
    api.batch_send_post = original  # type: ignore[method-assign]
    send_many(api, text(numbers(9)), chunk_size=3, resume=loaded)  # type: ignore[arg-type]
    assert sorted(n for batch in api.received.values() for n in batch) == numbers(9)


def test_unknown_versions_and_other_files_are_refused(tmp_path: Path) -> None:
    report = _failed_report(RecordingApi())
    path = tmp_path / "r.json"
    report.save(path)
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "version": 2}))
    with pytest.raises(openapi_client.ApiValueError, match="version 2"):
        ChunkedSendReport.load(path)
    path.write_text("{not json")
    with pytest.raises(openapi_client.ApiValueError, match="not JSON"):
        ChunkedSendReport.load(path)
    path.write_text("[1, 2]")
    with pytest.raises(openapi_client.ApiValueError, match="not a saved ChunkedSendReport"):
        ChunkedSendReport.load(path)
    path.write_text(json.dumps({**data, "chunks": "nonsense"}))
    with pytest.raises(openapi_client.ApiValueError, match="damaged"):
        ChunkedSendReport.load(path)


RESUME_SCRIPT = """
import sys, time
import openapi_client
from openapi_client import ChunkedSendReport, ReportAlreadyResumedError
url, token, path, go, ready = sys.argv[1:6]
numbers = [f"4477{i:08d}" for i in range(9)]
report = ChunkedSendReport.load(path)
open(ready, "w").close()
deadline = time.monotonic() + 30
while not __import__("os").path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.002)
config = openapi_client.Configuration(host=url, api_key={"JWT": token})
with openapi_client.ApiClient(config) as client:
    api = openapi_client.BatchMessagesApi(client)
    message = openapi_client.BatchMessage(sender="Acme", destinations=numbers, content="race")
    try:
        api.batch_send_many(message, chunk_size=3, resume=report)
    except ReportAlreadyResumedError as error:
        print("refused", error)
        sys.exit(3)
print("resumed")
"""


@pytest.mark.parametrize("by_other_name", [False, True])
def test_two_processes_racing_to_resume_one_file_send_the_rest_once(
    sandbox: Any, tmp_path: Path, by_other_name: bool
) -> None:
    with openapi_client.ApiClient(sandbox.configuration()) as client:
        api = openapi_client.BatchMessagesApi(client)
        sandbox.inject_fault(402, method="POST", path="/batch/send", times=1)
        with pytest.raises(ChunkedSendError) as info:
            api.batch_send_many(text(numbers(9), content="race"), chunk_size=3)
    path = tmp_path / "report.json"
    info.value.report.save(path)
    go = tmp_path / "go"
    ready = [tmp_path / f"ready{n}" for n in range(2)]
    paths = [path, path]
    if by_other_name:  # the same file reached through a symlink: still one claim
        (tmp_path / "link.json").symlink_to(path)
        paths[1] = tmp_path / "link.json"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                RESUME_SCRIPT,
                sandbox.url,
                sandbox.token,
                str(where),
                str(go),
                str(mark),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for where, mark in zip(paths, ready)
    ]
    # Both have loaded the file before either may resume: a real race for the claim.
    deadline = time.monotonic() + 60
    while not all(mark.exists() for mark in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert all(mark.exists() for mark in ready)
    go.touch()
    results = [p.communicate(timeout=60) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 3], results
    assert any("already resumed" in out for out, _ in results)
    received = [str(m["destination"]) for b in sandbox.batches for m in sandbox.messages(b)]
    assert sorted(received) == numbers(9)  # every number once: the loser sent nothing


# -- item 4: the CLI's Ctrl-C ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["send", "any"])
def test_cli_ctrl_c_in_a_chunked_send_reports_writes_the_rest_and_exits_130(
    tmp_path: Path, command: str
) -> None:
    everyone = numbers(12_000)
    if command == "send":
        source = tmp_path / "to.txt"
        source.write_text("\n".join(everyone) + "\n")
        words = ["batch", "send", "--sender", "Acme", "--content", "Hi", "--to-file", str(source)]
        noun, unsent, uncertain = "recipients", "left.txt", "left.uncertain.txt"
        hint = "batch send --sender Acme --content Hi --to-file"
    else:
        source = tmp_path / "messages.jsonl"
        rows = [json.dumps({"destination": n, "content": f"Hi {n}"}) for n in everyone]
        source.write_text("\n".join(rows) + "\n")
        words = ["batch", "any", str(source), "--sender", "Acme"]
        noun, unsent, uncertain = "messages", "left.jsonl", "left.uncertain.jsonl"
        hint = f"batch any {tmp_path / unsent}"
    # The first chunk is accepted; the second one's answer is held: Ctrl-C lands in flight.
    accepted = Fault("ok", status=201, body={"batchid": "777", "status": "SCHEDULED"})
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SMSWORKS_TOKEN", None)
    base = [sys.executable, "-m", "openapi_client", "--token", TOKEN]
    with FaultServer("503", script=[accepted, Fault("no_headers", hold=30)]) as server:
        url = server.url
        proc = subprocess.Popen(
            [*base, "--base-url", server.url, *words, "--unsent-file", str(tmp_path / "left")],
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        try:
            # Bounded: the server holds the second answer 30 s at most, then closes.
            assert server.wait_for_requests(2, timeout=30)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 130, err
    assert "interrupted during a chunked send" in err
    assert f"sent: 5000 of 12000 {noun} in 1 batch(es): 777" in err
    assert f"uncertain: 5000 {noun} may or may not have been sent" in err
    assert f"not sent: 2000 {noun}" in err
    # The hint sends the rest to the same place the interrupted run sent to.
    assert f"to send the rest: smsworks --base-url {url} {hint}" in err
    left = (tmp_path / unsent).read_text().split("\n")[:-1]
    maybe = (tmp_path / uncertain).read_text().split("\n")[:-1]
    if command == "any":
        left = [json.loads(row)["destination"] for row in left]
        maybe = [json.loads(row)["destination"] for row in maybe]
    assert left == everyone[10_000:] and maybe == everyone[5000:10_000]
    assert "Traceback" not in err and TOKEN not in err
