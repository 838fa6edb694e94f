"""Chunked sends: the split, the report, stopping at a failure, and resuming without ever
sending a recipient twice. Against a fake API object, through the real request core with a fake
transport, and against the sandbox over HTTP."""

from __future__ import annotations

import collections
import json
import pickle
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

import openapi_client
from openapi_client import (
    ApiConnectionError,
    ApiResponseError,
    ApiTypeError,
    ApiValueError,
    BatchMessage,
    InsufficientCreditsException,
    Message,
    SendOutcomeUnknownError,
)
from openapi_client._batching import (
    ChunkedSendError,
    ChunkedSendReport,
    ChunkResult,
    ProgressInfo,
    any_many,
    send_many,
)
from openapi_client._retry import FailureKind
from openapi_client.rest import TransportError

Fake = Callable[..., Tuple[openapi_client.BatchMessagesApi, Any]]


def numbers(count: int, start: int = 0) -> List[str]:
    return [f"4477{i:08d}" for i in range(start, start + count)]


RECIPIENTS = numbers(12_001)


def text(destinations: Optional[List[str]] = None, content: str = "Spring sale") -> BatchMessage:
    return BatchMessage(
        sender="Acme", destinations=RECIPIENTS if destinations is None else destinations,
        content=content,
    )  # fmt: skip


def mail_merge(count: int) -> List[Message]:
    return [
        Message(sender="Acme", destination=number, content=f"Hi #{i}")
        for i, number in enumerate(numbers(count))
    ]


class FakeApi:
    """Stands in for ``BatchMessagesApi``: records what the "server" received.

    ``script`` maps a call number (0-based) to ``(exception, delivered)``: the call raises the
    exception, after the server got the batch when ``delivered`` is true.
    """

    def __init__(self, **options: Any) -> None:
        options.setdefault("host", "https://api.example.test/v1")
        options.setdefault("api_key", {"JWT": "t"})
        self.api_client = SimpleNamespace(configuration=openapi_client.Configuration(**options))
        self.script: Dict[int, Tuple[BaseException, bool]] = {}
        self.calls: List[Tuple[Any, Dict[str, Any]]] = []
        self.received: List[List[str]] = []  # per accepted batch, the destinations

    def _post(self, body: Any, destinations: List[str], kwargs: Dict[str, Any]) -> Any:
        number = len(self.calls)
        self.calls.append((body, kwargs))
        failure = self.script.get(number)
        if failure is None or failure[1]:
            self.received.append(destinations)
        if failure is not None:
            raise failure[0]
        return SimpleNamespace(batchid=str(1000 + number), status="SCHEDULED")

    def batch_send_post(self, sms_message: BatchMessage, **kwargs: Any) -> Any:
        return self._post(sms_message, list(sms_message.destinations), kwargs)

    def batch_any_post(self, messages: List[Message], **kwargs: Any) -> Any:
        return self._post(messages, [m.destination for m in messages], kwargs)

    @property
    def all_received(self) -> List[str]:
        return [number for batch in self.received for number in batch]


def no_duplicates(received: List[str]) -> None:
    twice = [n for n, count in collections.Counter(received).items() if count > 1]
    assert twice == [], f"sent twice: {twice[:5]}"


# -- the split --------------------------------------------------------------------------------


def test_12001_recipients_go_out_in_three_batches() -> None:
    api = FakeApi()
    report = send_many(api, text())  # type: ignore[arg-type]
    assert [len(b) for b in api.received] == [5000, 5000, 2001]
    assert api.received == [RECIPIENTS[:5000], RECIPIENTS[5000:10000], RECIPIENTS[10000:]]
    assert all(body.content == "Spring sale" and body.sender == "Acme" for body, _ in api.calls)
    assert report.complete
    assert report.total == 12_001
    assert report.sent == RECIPIENTS
    assert (report.sent_count, report.unsent_count, report.uncertain_count) == (12_001, 0, 0)
    assert report.unsent == []
    assert report.uncertain is None
    assert report.batch_ids == ["1000", "1001", "1002"]
    assert [c.index for c in report.chunks] == [0, 1, 2]
    assert report.chunks[1].indices == tuple(range(5000, 10000))
    assert report.chunks[2].destinations == tuple(RECIPIENTS[10000:])
    assert report.chunks[0].status == "SCHEDULED"
    assert report.error is None
    assert report.summary().splitlines()[0] == (
        "sent: 12001 of 12001 recipients in 3 batch(es); batch ids: 1000, 1001, 1002"
    )


def test_progress_is_called_after_each_chunk() -> None:
    seen: List[ProgressInfo] = []
    send_many(FakeApi(), text(), progress=seen.append)  # type: ignore[arg-type]
    assert seen == [
        ProgressInfo(1, 3, 5000, 12_001),
        ProgressInfo(2, 3, 10_000, 12_001),
        ProgressInfo(3, 3, 12_001, 12_001),
    ]
    assert seen[0].chunks_done == 1
    assert seen[2].recipients_total == 12_001


def test_chunk_size_is_honoured_and_checked() -> None:
    api = FakeApi()
    report = send_many(api, text(numbers(2500)), chunk_size=1000)  # type: ignore[arg-type]
    assert [len(b) for b in api.received] == [1000, 1000, 500]
    assert len(report.chunks) == 3
    for bad in (0, -1, 5001, True, 2.5, "100"):
        with pytest.raises(ApiValueError) as info:
            send_many(api, text(), chunk_size=bad)  # type: ignore[arg-type]
        assert str(info.value).startswith("chunk_size: must be")
    assert len(api.calls) == 3


def test_a_bad_number_at_9000_is_refused_before_the_first_chunk() -> None:
    api = FakeApi()
    dests = list(RECIPIENTS)
    dests[9000] = "+44 7700 9000O1"  # a letter O for a zero
    with pytest.raises(ApiValueError) as info:
        send_many(api, text(dests))  # type: ignore[arg-type]
    assert str(info.value).startswith("sms_message.destinations[9000]: '+44 7700 9000O1' holds 'O'")
    assert api.calls == []
    dests[9000] = RECIPIENTS[17]
    with pytest.raises(ApiValueError) as info:
        send_many(api, text(dests))  # type: ignore[arg-type]
    assert "appears 2 times (at destinations 17, 9000)" in str(info.value)
    assert api.calls == []


def test_messages_are_checked_up_front_too() -> None:
    api = FakeApi()
    msgs = mail_merge(7000)
    msgs[6500] = Message(sender="Acme", destination="447700900000", content="")
    with pytest.raises(ApiValueError) as info:
        any_many(api, msgs)  # type: ignore[arg-type]
    assert str(info.value) == "messages[6500].content: must not be empty"
    with pytest.raises(ApiTypeError) as type_info:
        any_many(api, [{"sender": "Acme", "destination": 447700900000, "content": "x"}])  # type: ignore[arg-type]
    assert str(type_info.value).startswith("messages[0].destination:")
    with pytest.raises(ApiValueError):
        any_many(api, [])  # type: ignore[arg-type]
    with pytest.raises(ApiValueError):
        any_many(api, "447700900000")  # type: ignore[arg-type]
    assert api.calls == []


def test_numbers_are_normalised_once_for_all_chunks() -> None:
    api = FakeApi()
    dests = [f"07{n[3:5]} {n[5:]}" for n in numbers(12)]  # national UK form with a space
    report = send_many(  # type: ignore[arg-type]
        api, {"sender": "+447700900000", "destinations": dests, "content": "Hi"}, chunk_size=5
    )
    assert api.all_received == numbers(12)
    assert all(body.sender == "447700900000" for body, _ in api.calls)
    assert report.sent == numbers(12)


def test_duplicates_dropped_are_reported_and_never_sent() -> None:
    api = FakeApi(duplicate_destinations="drop")
    dests = numbers(10) + ["07700000003", numbers(1)[0]]  # positions 10 and 11 repeat 3 and 0
    report = send_many(api, text(dests), chunk_size=4)  # type: ignore[arg-type]
    assert api.all_received == numbers(10)
    assert report.total == 10
    assert report.dropped_indices == [10, 11]
    assert report.complete
    assert [c.indices for c in report.chunks] == [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9)]


def test_call_options_are_passed_to_every_chunk() -> None:
    api = FakeApi()
    send_many(api, text(numbers(3)), chunk_size=2, _request_timeout=7.5)  # type: ignore[arg-type]
    assert [kwargs for _, kwargs in api.calls] == [{"_request_timeout": 7.5}] * 2


def test_validation_off_still_chunks_but_rewrites_nothing() -> None:
    api = FakeApi(client_side_validation=False)
    dests = ["07700 900001", "07700 900001", "x"]
    report = send_many(api, text(dests), chunk_size=2)  # type: ignore[arg-type]
    assert api.received == [dests[:2], dests[2:]]
    assert report.complete
    with pytest.raises(ApiValueError):
        send_many(api, text([]))  # type: ignore[arg-type]


# -- a chunk fails: the report, and resuming ----------------------------------------------------


def insufficient_credits() -> InsufficientCreditsException:
    return InsufficientCreditsException(
        status=402, reason="Payment Required", body='{"message": "no credits"}'
    )


def test_refused_second_chunk_gives_an_exact_report_and_resume_sends_the_rest_once() -> None:
    api = FakeApi()
    refusal = insufficient_credits()
    api.script[1] = (refusal, False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text())  # type: ignore[arg-type]
    error = info.value
    report = error.report
    assert error.__cause__ is refusal
    assert error.status == 402
    assert isinstance(error, openapi_client.ApiException)
    assert report.batch_ids == ["1000"]
    assert report.sent == RECIPIENTS[:5000]
    assert report.unsent == RECIPIENTS[5000:]
    assert report.unsent_indices == list(range(5000, 12_001))
    assert report.uncertain_chunks == []
    assert not report.complete
    assert report.error is not None
    assert report.error.startswith(
        "chunk index 1 (5000 recipients, input positions 5000-9999) was not sent: "
        "InsufficientCreditsException: (402) Reason: Payment Required"
    )
    message = str(error)
    assert "sent: 5000 of 12001 recipients in 1 batch(es); batch ids: 1000" in message
    assert "not sent: 7001 recipients (input positions 5000-12000)" in message
    assert "uncertain: 0 recipients" in message
    assert api.all_received == RECIPIENTS[:5000]

    resumed = send_many(api, text(), resume=report)  # type: ignore[arg-type]
    assert api.received[1:] == [RECIPIENTS[5000:10000], RECIPIENTS[10000:]]
    assert sorted(api.all_received) == RECIPIENTS
    no_duplicates(api.all_received)
    assert resumed.complete
    assert resumed.batch_ids == ["1000", "1002", "1003"]
    assert [c.index for c in resumed.chunks] == [0, 1, 2]
    assert resumed.error is None
    assert not report.complete  # the report passed in is left as it was

    calls = len(api.calls)
    again = send_many(api, text(), resume=resumed)  # type: ignore[arg-type]
    assert len(api.calls) == calls
    assert again.complete


def test_a_connection_that_never_opened_counts_as_not_sent() -> None:
    api = FakeApi()
    api.script[0] = (ApiConnectionError("connection refused; the request was not sent"), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(10)), chunk_size=4)  # type: ignore[arg-type]
    report = info.value.report
    assert report.chunks == []
    assert report.unsent_indices == list(range(10))
    assert info.value.status is None
    assert send_many(api, text(numbers(10)), chunk_size=4, resume=report).complete  # type: ignore[arg-type]
    assert api.all_received == numbers(10)


def test_an_unknown_outcome_leaves_the_chunk_uncertain_and_resume_never_resends_it() -> None:
    api = FakeApi()
    lost = SendOutcomeUnknownError("read timed out", method="POST", url="https://x/v1/batch/send")
    api.script[1] = (lost, True)  # the server did get it; the answer was lost
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text())  # type: ignore[arg-type]
    report = info.value.report
    assert info.value.__cause__ is lost
    uncertain = report.uncertain
    assert uncertain is not None
    assert (uncertain.index, uncertain.batchid, uncertain.status) == (1, None, None)
    assert uncertain.indices == tuple(range(5000, 10000))
    assert report.uncertain_destinations == RECIPIENTS[5000:10000]
    assert report.unsent == RECIPIENTS[10000:]
    assert report.sent == RECIPIENTS[:5000]
    assert report.error is not None
    assert "outcome unknown" in report.error
    message = str(info.value)
    assert "uncertain: 5000 recipients may or may not have been sent" in message
    assert "chunk index 1 (5000 recipients, input positions 5000-9999)" in message
    assert "assume_uncertain_unsent()" in message
    assert "not sent: 2001 recipients (input positions 10000-12000)" in message

    resumed = send_many(api, text(), resume=report)  # type: ignore[arg-type]
    assert api.received[2] == RECIPIENTS[10000:]
    assert sorted(api.all_received) == RECIPIENTS
    no_duplicates(api.all_received)
    assert not resumed.complete  # the uncertain chunk is still undecided
    assert resumed.uncertain == uncertain
    assert [c.index for c in resumed.chunks] == [0, 2]
    calls = len(api.calls)
    assert not send_many(api, text(), resume=resumed).complete  # type: ignore[arg-type]
    assert len(api.calls) == calls  # nothing left that may be sent without the caller's word


def test_assume_uncertain_unsent_hands_the_chunk_back_for_sending() -> None:
    api = FakeApi()
    api.script[1] = (SendOutcomeUnknownError("dropped", method="POST", url="u"), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(30)), chunk_size=10)  # type: ignore[arg-type]
    report = info.value.report
    decided = report.assume_uncertain_unsent()
    assert report.uncertain is not None  # the original is untouched
    assert decided.uncertain is None
    assert decided.unsent_indices == list(range(10, 30))
    final = send_many(api, text(numbers(30)), chunk_size=10, resume=decided)  # type: ignore[arg-type]
    assert final.complete
    assert api.all_received == numbers(30)
    assert [c.index for c in final.chunks] == [0, 1, 2]


def test_a_readable_2xx_refusal_is_impossible_but_an_unreadable_2xx_counts_as_sent() -> None:
    api = FakeApi()
    unreadable = ApiResponseError(status=201, reason="unexpected response: not JSON")
    api.script[0] = (unreadable, True)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(6)), chunk_size=3)  # type: ignore[arg-type]
    report = info.value.report
    assert [(c.index, c.batchid) for c in report.chunks] == [(0, None)]
    assert report.sent == numbers(3)
    assert report.unsent == numbers(3, 3)
    assert report.error is not None
    assert "was accepted but its answer was unreadable" in report.error
    send_many(api, text(numbers(6)), chunk_size=3, resume=report)  # type: ignore[arg-type]
    assert api.all_received == numbers(6)


def test_an_interrupt_goes_through_with_the_report_attached() -> None:
    api = FakeApi()
    api.script[1] = (KeyboardInterrupt(), False)
    with pytest.raises(KeyboardInterrupt) as info:
        send_many(api, text(numbers(9)), chunk_size=3)  # type: ignore[arg-type]
    report = info.value.report  # type: ignore[attr-defined]
    assert isinstance(report, ChunkedSendReport)
    assert report.sent == numbers(3)
    assert report.uncertain_destinations == numbers(3, 3)  # it may have gone out
    assert report.unsent == numbers(3, 6)


def test_an_unexpected_error_mid_request_is_uncertain() -> None:
    api = FakeApi()
    api.script[0] = (RuntimeError("socket gone"), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(4)), chunk_size=2)  # type: ignore[arg-type]
    assert info.value.report.uncertain_destinations == numbers(2)
    assert info.value.report.unsent == numbers(2, 2)
    assert str(info.value).startswith("chunked send stopped: chunk index 0 ")


def test_a_failing_progress_callback_still_leaves_a_report() -> None:
    api = FakeApi()

    def stop(info: ProgressInfo) -> None:
        if info.chunks_done == 2:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError) as info:
        send_many(api, text(numbers(9)), chunk_size=3, progress=stop)  # type: ignore[arg-type]
    report = info.value.report  # type: ignore[attr-defined]
    assert report.sent == numbers(6)
    assert report.unsent == numbers(3, 6)
    send_many(api, text(numbers(9)), chunk_size=3, resume=report)  # type: ignore[arg-type]
    assert api.all_received == numbers(9)


def test_resume_refuses_a_different_send() -> None:
    api = FakeApi()
    api.script[0] = (insufficient_credits(), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(20)), chunk_size=10)  # type: ignore[arg-type]
    report = info.value.report
    attempts = [
        (text(numbers(20), content="Another text"), "message content or options differ"),
        (text(numbers(20)).model_copy(update={"tag": "x"}), "message content or options differ"),
        (text(numbers(21)), "recipients differ"),
        (text(list(reversed(numbers(20)))), "recipients differ"),
    ]
    for other, why in attempts:
        with pytest.raises(ApiValueError) as refused:
            send_many(api, other, chunk_size=10, resume=report)  # type: ignore[arg-type]
        assert str(refused.value).startswith("resume: ")
        assert why in str(refused.value)
    with pytest.raises(ApiValueError, match="not batch_any"):
        any_many(api, mail_merge(20), resume=report)  # type: ignore[arg-type]
    with pytest.raises(ApiValueError, match="ChunkedSendReport"):
        send_many(api, text(numbers(20)), resume={"unsent": []})  # type: ignore[arg-type]
    assert len(api.calls) == 1
    # The same send, with the numbers written differently, normalises to the same thing.
    national = [f"07{n[3:]}" for n in numbers(20)]
    send_many(api, text(national), chunk_size=10, resume=report)  # type: ignore[arg-type]
    assert api.all_received == numbers(20)


def test_the_report_survives_pickling_for_a_resume_in_another_process() -> None:
    api = FakeApi()
    api.script[1] = (insufficient_credits(), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(6)), chunk_size=2)  # type: ignore[arg-type]
    restored = pickle.loads(pickle.dumps(info.value.report))
    assert restored == info.value.report
    send_many(api, text(numbers(6)), chunk_size=2, resume=restored)  # type: ignore[arg-type]
    assert api.all_received == numbers(6)


# -- /batch/any -------------------------------------------------------------------------------


def test_any_many_splits_messages_and_reports_message_indices() -> None:
    api = FakeApi()
    msgs = mail_merge(12_001)
    seen: List[ProgressInfo] = []
    report = any_many(api, msgs, progress=seen.append)  # type: ignore[arg-type]
    assert [len(body) for body, _ in api.calls] == [5000, 5000, 2001]
    assert api.calls[1][0][0] is msgs[5000]  # nothing to normalise: the very same objects
    assert report.chunks[2].indices == tuple(range(10_000, 12_001))
    assert report.operation == "batch_any"
    assert report.complete
    assert report.summary().startswith("sent: 12001 of 12001 messages in 3 batch(es)")
    assert seen[-1] == ProgressInfo(3, 3, 12_001, 12_001)


def test_any_many_failure_and_resume_send_each_message_once() -> None:
    api = FakeApi()
    msgs: List[Any] = [m.to_dict() for m in mail_merge(25)]  # dicts are accepted too
    api.script[1] = (insufficient_credits(), False)
    with pytest.raises(ChunkedSendError) as info:
        any_many(api, msgs, chunk_size=10)  # type: ignore[arg-type]
    report = info.value.report
    assert report.unsent_indices == list(range(10, 25))
    changed = [dict(m) for m in msgs]
    changed[20]["content"] = "edited"
    with pytest.raises(ApiValueError, match="messages differ"):
        any_many(api, changed, chunk_size=10, resume=report)  # type: ignore[arg-type]
    done = any_many(api, msgs, chunk_size=10, resume=report)  # type: ignore[arg-type]
    assert done.complete
    assert api.all_received == numbers(25)
    sent_contents = [m.content for body, _ in api.calls for m in body]
    assert sent_contents[10:20] == sent_contents[20:30]  # the refused chunk, then sent again
    assert [m.content for body, _ in api.calls[2:] for m in body] == [
        f"Hi #{i}" for i in range(10, 25)
    ]


def test_any_many_drops_repeated_messages_when_asked() -> None:
    api = FakeApi(duplicate_destinations="drop")
    msgs = mail_merge(5)
    msgs.append(msgs[2].model_copy())
    msgs.append(msgs[2].model_copy(update={"content": "another text"}))
    report = any_many(api, msgs)  # type: ignore[arg-type]
    assert report.dropped_indices == [5]
    assert report.total == 6
    assert report.chunks[0].indices == (0, 1, 2, 3, 4, 6)


# -- exports and shapes -------------------------------------------------------------------------


def test_public_names_are_exported_at_top_level() -> None:
    assert openapi_client.ChunkedSendReport is ChunkedSendReport
    assert openapi_client.ChunkResult is ChunkResult
    assert openapi_client.ChunkedSendError is ChunkedSendError
    assert openapi_client.ProgressInfo is ProgressInfo
    assert issubclass(ChunkedSendError, openapi_client.ApiException)


def test_chunk_result_describes_itself() -> None:
    chunk = ChunkResult(3, "77", "SCHEDULED", ("447700900001",), (15000,))
    assert len(chunk) == 1
    assert chunk.describe() == "chunk index 3 (1 recipient, input positions 15000)"


# -- through the real request core (fake transport) ---------------------------------------------

ACCEPTED = (201, b'{"batchid": 42, "status": "SCHEDULED"}', {"Content-Type": "application/json"})


def test_batch_send_many_goes_through_the_request_core(fake: Fake) -> None:
    api, transport = fake(ACCEPTED)
    report = api.batch_send_many(text(numbers(7)), chunk_size=3, _request_timeout=9.0)
    bodies = [json.loads(call["body"]) for call in transport.calls]
    assert [b["destinations"] for b in bodies] == [numbers(3), numbers(3, 3), numbers(1, 6)]
    assert all(call["url"].endswith("/batch/send") for call in transport.calls)
    assert all(call["timeout"] == 9.0 for call in transport.calls)
    assert report.batch_ids == ["42", "42", "42"]


def test_a_read_timeout_on_a_chunk_is_not_retried_and_is_uncertain(fake: Fake) -> None:
    timeout = TransportError(FailureKind.READ_TIMEOUT, "read timed out", OSError("timeout"))
    api, transport = fake(ACCEPTED, timeout, ACCEPTED)
    with pytest.raises(ChunkedSendError) as info:
        api.batch_any_many(mail_merge(6), chunk_size=2)
    assert isinstance(info.value.__cause__, SendOutcomeUnknownError)
    assert len(transport.calls) == 2  # the timed-out send was not replayed
    report = info.value.report
    assert report.uncertain_destinations == numbers(2, 2)
    report2 = api.batch_any_many(mail_merge(6), chunk_size=2, resume=report)
    bodies = [json.loads(call["body"]) for call in transport.calls]
    assert [m["destination"] for m in bodies[2]] == numbers(2, 4)
    assert len(transport.calls) == 3
    assert report2.unsent == []
    assert report2.uncertain_destinations == numbers(2, 2)


# -- against the sandbox ----------------------------------------------------------------------


def destinations_by_batch(sandbox: Any, batch_ids: List[str]) -> List[List[str]]:
    return [[str(m["destination"]) for m in sandbox.messages(b)] for b in batch_ids]


def sends_received(sandbox: Any) -> int:
    return sum(1 for r in sandbox.requests if r.method == "POST" and r.path.endswith("/batch/send"))


def test_sandbox_receives_12001_recipients_in_three_batches(
    sandbox: Any, sandbox_api: openapi_client.BatchMessagesApi
) -> None:
    report = sandbox_api.batch_send_many(text())
    assert report.complete
    assert [sandbox.batches[b]["messages"] for b in report.batch_ids] == [5000, 5000, 2001]
    assert destinations_by_batch(sandbox, report.batch_ids) == [
        RECIPIENTS[:5000],
        RECIPIENTS[5000:10000],
        RECIPIENTS[10000:],
    ]
    assert sends_received(sandbox) == 3


def test_sandbox_refusal_in_chunk_two_then_resume_sends_the_rest_once(
    sandbox: Any, sandbox_api: openapi_client.BatchMessagesApi
) -> None:
    def after_first(info: ProgressInfo) -> None:
        if info.chunks_done == 1:
            sandbox.inject_fault(402, method="POST", path="/batch/send")

    with pytest.raises(ChunkedSendError) as info:
        sandbox_api.batch_send_many(text(), progress=after_first)
    report = info.value.report
    assert isinstance(info.value.__cause__, InsufficientCreditsException)
    assert report.sent == RECIPIENTS[:5000]
    assert report.unsent == RECIPIENTS[5000:]
    assert len(sandbox.sent_messages) == 5000

    resumed = sandbox_api.batch_send_many(text(), resume=report)
    assert resumed.complete
    received = [str(m["destination"]) for m in sandbox.sent_messages]
    assert sorted(received) == RECIPIENTS
    no_duplicates(received)
    assert sends_received(sandbox) == 4  # 1 sent, 1 refused, 2 on resume
    assert destinations_by_batch(sandbox, resumed.batch_ids) == [
        RECIPIENTS[:5000],
        RECIPIENTS[5000:10000],
        RECIPIENTS[10000:],
    ]


def test_sandbox_lost_answer_is_uncertain_and_resume_does_not_resend_it(
    sandbox: Any, sandbox_api: openapi_client.BatchMessagesApi
) -> None:
    def after_first(info: ProgressInfo) -> None:
        if info.chunks_done == 1:
            # The batch is processed, then the connection drops before the answer.
            sandbox.inject_fault(
                method="POST", path="/batch/send", drop=True, after_processing=True
            )

    with pytest.raises(ChunkedSendError) as info:
        sandbox_api.batch_send_many(text(), progress=after_first)
    report = info.value.report
    assert isinstance(info.value.__cause__, SendOutcomeUnknownError)
    assert report.uncertain is not None
    assert report.uncertain.indices == tuple(range(5000, 10000))
    assert report.unsent == RECIPIENTS[10000:]
    assert len(sandbox.sent_messages) == 10_000  # the server did get chunk two

    resumed = sandbox_api.batch_send_many(text(), resume=report)
    received = [str(m["destination"]) for m in sandbox.sent_messages]
    assert sorted(received) == RECIPIENTS
    no_duplicates(received)
    assert sends_received(sandbox) == 3
    assert not resumed.complete
    assert resumed.uncertain_count == 5000
    assert resumed.unsent_count == 0


def test_sandbox_any_many(sandbox: Any, sandbox_api: openapi_client.BatchMessagesApi) -> None:
    report = sandbox_api.batch_any_many(mail_merge(5003), chunk_size=2500)
    assert [sandbox.batches[b]["messages"] for b in report.batch_ids] == [2500, 2500, 3]
    contents = [m["content"] for b in report.batch_ids for m in sandbox.messages(b)]
    assert contents == [f"Hi #{i}" for i in range(5003)]


def test_reprs_stay_short_for_big_sends() -> None:
    api = FakeApi()
    api.script[1] = (insufficient_credits(), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text())  # type: ignore[arg-type]
    report = info.value.report
    assert repr(report) == (
        "ChunkedSendReport(operation='batch_send', total=12001, sent=5000, unsent=7001, "
        "uncertain=0, dropped=0, batch_ids=['1000'], complete=False)"
    )
    assert repr(report.chunks[0]) == (
        "ChunkResult(index=0, batchid='1000', status='SCHEDULED', recipients=5000, indices=0-4999)"
    )


def test_position_ranges_in_messages_are_compact() -> None:
    api = FakeApi(duplicate_destinations="drop")
    dests = numbers(12)
    dests[3] = dests[8] = dests[0]  # dropped: positions 3 and 8
    api.script[0] = (insufficient_credits(), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(dests), chunk_size=100)  # type: ignore[arg-type]
    assert "not sent: 10 recipients (input positions 0-2, 4-7, 9-11)" in str(info.value)
    assert info.value.report.dropped_indices == [3, 8]


def test_a_report_already_resumed_is_refused_so_nothing_goes_out_twice() -> None:
    api = FakeApi()
    api.script[0] = (insufficient_credits(), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(4)), chunk_size=2)  # type: ignore[arg-type]
    stale = info.value.report
    send_many(api, text(numbers(4)), chunk_size=2, resume=stale)  # type: ignore[arg-type]
    with pytest.raises(ApiValueError) as refused:
        send_many(api, text(numbers(4)), chunk_size=2, resume=stale)  # type: ignore[arg-type]
    assert str(refused.value).startswith("resume: this report was already resumed")
    assert api.all_received == numbers(4)


def test_assume_uncertain_unsent_replaces_the_report_it_was_made_from() -> None:
    api = FakeApi()
    api.script[0] = (SendOutcomeUnknownError("lost", method="POST", url="u"), False)
    with pytest.raises(ChunkedSendError) as info:
        send_many(api, text(numbers(4)), chunk_size=2)  # type: ignore[arg-type]
    original = info.value.report
    decided = original.assume_uncertain_unsent()
    with pytest.raises(ApiValueError, match="already resumed or replaced"):
        send_many(api, text(numbers(4)), chunk_size=2, resume=original)  # type: ignore[arg-type]
    with pytest.raises(ApiValueError, match="already resumed or replaced"):
        original.assume_uncertain_unsent()
    send_many(api, text(numbers(4)), chunk_size=2, resume=decided)  # type: ignore[arg-type]
    assert api.all_received == numbers(4)  # in input order again


def test_a_batch_message_dict_of_the_wrong_shape_is_a_type_error() -> None:
    api = FakeApi()
    with pytest.raises(ApiTypeError) as info:
        send_many(api, {"sender": "Acme", "destinations": "447700900001", "content": "x"})  # type: ignore[arg-type]
    assert str(info.value).startswith("sms_message.destinations:")
    assert api.calls == []
