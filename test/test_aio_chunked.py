"""Chunked sends on the async client: the sync ``SendPlan`` driven by asyncio tasks.

Over real HTTP on 127.0.0.1: the sandbox, and ``OrderedServer`` (test_in_flight.py), which holds
answers back to finish chunks out of order and fails one while others are in flight. Whatever
stops a send, the report must agree with what the server received, and a resume must send
exactly what was never sent.
"""

from __future__ import annotations

import asyncio
import collections
import random
from typing import Any, Dict, List, Optional, Tuple

import pytest
from chunked_workers import numbers
from test_in_flight import OrderedServer, _received, _same, text
from test_in_flight import ordered as ordered  # the fixture

import openapi_client as oc
from openapi_client import aio
from openapi_client._batching import ChunkedSendReport


def _config(url: str, token: str = "in-flight-token") -> oc.Configuration:
    return oc.Configuration(host=url, api_key={"JWT": token}, timeout=(5, 30))


async def _send_many(
    config: oc.Configuration, everyone: List[str], in_flight: int, **kwargs: Any
) -> Tuple[Optional[ChunkedSendReport], Optional[BaseException]]:
    async with aio.ApiClient(config) as client:
        api = aio.BatchMessagesApi(client)
        try:
            report = await api.batch_send_many(
                text(everyone, kwargs.pop("content", "Spring sale")),
                chunk_size=1000,
                max_in_flight=in_flight,
                **kwargs,
            )
            return report, None
        except oc.ChunkedSendError as exc:
            return exc.report, exc


@pytest.mark.timeout(120)
@pytest.mark.parametrize("in_flight", [1, 4, 8])
def test_every_recipient_is_sent_once_with_1_4_and_8_in_flight(
    sandbox: Any, in_flight: int
) -> None:
    everyone = numbers(12_001)
    content = f"Spring sale, {in_flight} at once, async"
    calls: List[Any] = []
    report, error = asyncio.run(
        _send_many(sandbox.configuration(), everyone, in_flight, content=content,
                   progress=calls.append)
    )  # fmt: skip
    assert error is None and report is not None and report.complete
    got = _received(sandbox, content)
    _same(report.sent, everyone, "sent")
    assert [c.index for c in report.chunks] == list(range(13))
    assert sorted(got) == sorted(report.batch_ids)
    for chunk in report.chunks:
        _same(got[str(chunk.batchid)], list(chunk.destinations), "batch")
    counts = collections.Counter(n for batch in got.values() for n in batch)
    assert set(counts.values()) == {1} and len(counts) == 12_001
    assert [i.chunks_done for i in calls] == list(range(1, 14))


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how", ["402", "drop"])
def test_a_chunk_failing_while_others_are_in_flight_out_of_order_and_one_resume(
    ordered: OrderedServer, how: str
) -> None:
    everyone = numbers(12_000)
    # Chunks 0-3 are in flight together; 2 fails first, then 3, 1 and 0 are answered.
    ordered.script(release=4, order=[2, 3, 1, 0], fail={2: how})
    report, error = asyncio.run(_send_many(_config(ordered.url), everyone, 4))
    assert isinstance(error, oc.ChunkedSendError) and report is not None
    assert [c for c in ordered.answered if c < 4] == [2, 3, 1, 0]
    assert ordered.most_at_once == 4
    assert "chunk index 2" in str(report.error)
    sent_chunks = sorted(c for c, _ in ordered.received if c != 2)
    assert [c.index for c in report.chunks] == sent_chunks
    if how == "402":
        assert report.uncertain_chunks == []
        _same(report.unsent[:1000], everyone[2000:3000], "unsent")
    else:
        _same(report.uncertain_destinations, everyone[2000:3000], "uncertain")
    _same(sorted(report.sent + report.unsent + report.uncertain_destinations), everyone, "all")
    assert set(ordered.counts) == set(report.sent) | set(report.uncertain_destinations)

    ordered.script(release=0, order=[], fail={})
    before = len(ordered.received)
    final, again_error = asyncio.run(_send_many(_config(ordered.url), everyone, 4, resume=report))
    assert again_error is None and final is not None
    resent = [n for _, batch in ordered.received[before:] for n in batch]
    _same(sorted(resent), sorted(report.unsent), "resumed")
    counts = ordered.counts
    assert set(counts.values()) == {1}
    _same(sorted(counts), everyone, "received")
    assert final.batch_ids[: len(report.batch_ids)] == report.batch_ids
    with pytest.raises(oc.ReportAlreadyResumedError):
        asyncio.run(_send_many(_config(ordered.url), everyone, 4, resume=report))


def _check_consistent(
    report: ChunkedSendReport, got: Dict[str, List[str]], everyone: List[str]
) -> None:
    """What the server received is in the report as sent or uncertain, never as unsent."""
    received = collections.Counter(n for batch in got.values() for n in batch)
    assert set(received.values()) <= {1}
    sent, uncertain = set(report.sent), set(report.uncertain_destinations)
    assert set(received) <= sent | uncertain
    assert sent <= set(received)
    for chunk in report.chunks:
        _same(got[str(chunk.batchid)], list(chunk.destinations), "batch")
    _same(sorted(report.sent + report.unsent + report.uncertain_destinations), everyone, "all")


@pytest.mark.timeout(240)
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("how", ["cancel", "asyncio.timeout"])
def test_a_send_cancelled_at_a_random_moment_leaves_a_report_true_to_the_server(
    sandbox: Any, seed: int, how: str
) -> None:
    everyone = numbers(8000)  # 16 chunks of 500, 4 in flight
    content = f"Cancelled {how} {seed}"
    # The moment: once a random number of chunks were accepted, others still in flight.
    after = random.Random(seed).randint(1, 12)

    async def main() -> BaseException:
        async with aio.ApiClient(sandbox.configuration()) as client:
            api = aio.BatchMessagesApi(client)
            task = asyncio.current_task()
            assert task is not None
            try:
                async with asyncio.timeout(None) as deadline:  # type: ignore[attr-defined,unused-ignore]

                    def stop(info: Any) -> None:
                        if info.chunks_done == after:
                            if how == "cancel":
                                task.cancel()
                            else:
                                deadline.reschedule(asyncio.get_running_loop().time())

                    await api.batch_send_many(
                        text(everyone, content), chunk_size=500, max_in_flight=4, progress=stop
                    )
            except (asyncio.CancelledError, TimeoutError) as exc:
                return exc
        raise AssertionError("the send was not stopped")

    exc = asyncio.run(main())
    if how == "cancel":
        assert type(exc) is asyncio.CancelledError
        cancelled = exc
    else:
        assert type(exc) is TimeoutError
        cancelled = exc.__cause__  # type: ignore[assignment]
        assert type(cancelled) is asyncio.CancelledError
    report: ChunkedSendReport = cancelled.report  # type: ignore[attr-defined]
    got = _received(sandbox, content)
    _check_consistent(report, got, everyone)

    # Resume: only what was never sent goes out, and nobody gets the text twice.
    final, error = asyncio.run(
        _send_many(sandbox.configuration(), everyone, 4, content=content, resume=report)
    )
    assert error is None and final is not None
    got = _received(sandbox, content)
    received = collections.Counter(n for batch in got.values() for n in batch)
    assert set(received.values()) == {1}
    _same(sorted(set(received) - set(report.uncertain_destinations)),
          sorted(set(everyone) - set(report.uncertain_destinations)), "after resume")  # fmt: skip


def test_the_client_is_usable_after_a_cancelled_chunked_send(sandbox: Any) -> None:
    async def main() -> Any:
        async with aio.ApiClient(sandbox.configuration()) as client:
            api = aio.BatchMessagesApi(client)
            task = asyncio.ensure_future(
                api.batch_send_many(
                    text(numbers(3000), "Cut short"), chunk_size=500, max_in_flight=2
                )
            )
            await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError) as caught:
                await task
            assert isinstance(caught.value.report, ChunkedSendReport)  # type: ignore[attr-defined]
            return await api.batch_send_post(text(numbers(1), "Afterwards"))

    assert asyncio.run(main()).batchid


def test_bad_input_is_refused_before_anything_is_sent(sandbox: Any) -> None:
    async def main() -> None:
        async with aio.ApiClient(sandbox.configuration()) as client:
            api = aio.BatchMessagesApi(client)
            with pytest.raises(oc.ApiValueError) as caught:
                await api.batch_send_many(
                    {"sender": "Acme", "destinations": ["447700900001", "nope"], "content": "x"}
                )
            assert "destinations" in str(caught.value)
            with pytest.raises(oc.ApiValueError):
                await api.batch_any_many([], max_in_flight=2)

    asyncio.run(main())
    assert not sandbox.batches


def test_batch_any_many_sends_each_message_once(sandbox: Any) -> None:
    messages = [
        {"sender": "Acme", "destination": n, "content": f"Hi {i}"}
        for i, n in enumerate(numbers(2500))
    ]

    async def main() -> ChunkedSendReport:
        async with aio.ApiClient(sandbox.configuration()) as client:
            return await aio.BatchMessagesApi(client).batch_any_many(
                messages, chunk_size=1000, max_in_flight=3
            )

    report = asyncio.run(main())
    assert report.complete and report.sent_count == 2500
    assert [len(c) for c in report.chunks] == [1000, 1000, 500]
