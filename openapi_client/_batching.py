"""Chunked sends: any number of recipients, in batches the API accepts, never one sent twice.

The API takes at most 5,000 recipients (``/batch/send``) or messages (``/batch/any``) per
request and has no idempotency key. ``send_many`` and ``any_many`` (exposed as
``BatchMessagesApi.batch_send_many`` / ``batch_any_many``) therefore:

1. check and normalise *everything* first, so a bad number at position 9,000 is refused before
   the first batch goes out;
2. send the chunks in order and stop at the first failure (with ``max_in_flight`` above 1,
   several at once: no new chunk starts after a failure, and those already in flight finish
   and are accounted for);
3. account for every recipient in a ``ChunkedSendReport``: sent (with the batch ids), not sent,
   or uncertain (the request may have reached the API: a read timeout, a dropped connection,
   a 5xx after sending);
4. on ``resume=report``, send only what is recorded as not sent. An uncertain chunk is never
   sent again by these functions; after checking it yourself, ``report.assume_uncertain_unsent()``
   hands it back for sending.

Whatever stops the loop (a failed chunk, Ctrl-C, a failing ``progress`` callback), the report
leaves with the exception: a chunk counts as uncertain from before its request can go out until
its answer is read. The bookkeeping lives in ``SendPlan``, which does no I/O, so the sequential
loop, the thread pool and an ``asyncio`` loop all drive the same code. A report is resumed at
most once, whichever copy of it is given (pickled, or saved with ``ChunkedSendReport.save``
and loaded, by any number of processes).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import threading
import uuid
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)

from pydantic import ValidationError

from . import _limits, _validation
from .exceptions import (
    ApiException,
    ApiResponseError,
    ApiTypeError,
    ApiValueError,
    ChunkedSendError,
    ReportAlreadyResumedError,
    SendOutcomeUnknownError,
)
from .exceptions import explain_failure as _explain
from .models import BatchMessage, Message

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .api.batch_messages_api import BatchMessagesApi
    from .configuration import Configuration

__all__ = [
    "ChunkResult",
    "ChunkedSendError",
    "ChunkedSendReport",
    "ProgressInfo",
    "ReportAlreadyResumedError",
    "SendPlan",
    "any_many",
    "plan_any_many",
    "plan_send_many",
    "send_many",
]

#: ``ChunkedSendReport.operation`` values.
SEND = "batch_send"
ANY = "batch_any"


class ProgressInfo(NamedTuple):
    """Where a chunked send stands, passed to ``progress`` after each chunk is accepted.

    All four count this call only (a resumed send starts again from zero).
    """

    chunks_done: int
    chunks_total: int
    recipients_done: int
    recipients_total: int


@dataclass(frozen=True, repr=False)
class ChunkResult:
    """One request of a chunked send.

    Attributes:
        index: the chunk's number in the whole send, from 0; a resumed send goes on counting.
            With one chunk in flight, only chunks kept in the report are numbered: a refused
            chunk, or one handed back by ``assume_uncertain_unsent()``, leaves its number to
            the next one sent. With more, chunks are numbered as they start, so a chunk
            refused while later ones were in flight leaves a gap.
        batchid: the id the API gave the batch; ``None`` when the outcome is unknown, or when
            the API accepted the batch but its answer could not be read.
        status: the API's status for the batch (e.g. ``"SCHEDULED"``); ``None`` when unknown.
        destinations: the numbers in the chunk, as sent (normalised).
        indices: the positions of those recipients in the input: in
            ``sms_message.destinations`` for ``batch_send_many``, in ``messages`` for
            ``batch_any_many``.
    """

    index: int
    batchid: Optional[str]
    status: Optional[str]
    destinations: Tuple[str, ...]
    indices: Tuple[int, ...]

    def __len__(self) -> int:
        return len(self.indices)

    def __repr__(self) -> str:  # the full tuples would fill a screen for 5,000 recipients
        return (
            f"ChunkResult(index={self.index}, batchid={self.batchid!r}, status={self.status!r}, "
            f"recipients={len(self)}, indices={_ranges(self.indices) or 'none'})"
        )

    def describe(self) -> str:
        """``chunk index 1 (5000 recipients, input positions 5000-9999)``."""
        first, last = (self.indices[0], self.indices[-1]) if self.indices else (0, -1)
        span = f"{first}-{last}" if last > first else str(first)
        noun = "recipient" if len(self) == 1 else "recipients"
        return f"chunk index {self.index} ({len(self)} {noun}, input positions {span})"


@dataclass(repr=False)
class ChunkedSendReport:
    """What a chunked send did, recipient by recipient.

    Every recipient kept after the checks is in exactly one of ``chunks`` (sent),
    ``uncertain_chunks`` (may have been sent) or ``unsent_indices`` (certainly not sent).
    Pass the report back as ``resume=`` to send the ones not sent; the uncertain ones are not
    sent again unless you call ``assume_uncertain_unsent()`` first.

    A report can be resumed once: the resume returns (or raises with) the next report, and the
    old one is refused from then on (``ReportAlreadyResumedError``), since resuming it again
    would repeat what the first resume sent. That holds for its copies too: unpickled ones in
    the same process, and files written by ``save()`` and read by ``load()`` in any process.

    Attributes:
        operation: ``"batch_send"`` or ``"batch_any"``.
        total: recipients (``batch_send``) or messages (``batch_any``) to send, after
            normalisation and any dropped duplicates.
        chunks: the chunks the API accepted, in order, including those of earlier runs.
        uncertain_chunks: chunks whose request may or may not have reached the API.
        unsent_indices: input positions of the recipients (messages) certainly not sent.
        dropped_indices: input positions left out as duplicates
            (``Configuration(duplicate_destinations="drop")``).
        error: a one-line description of the failure that stopped the last run, if any.
    """

    operation: str
    total: int
    chunks: List[ChunkResult] = field(default_factory=list)
    uncertain_chunks: List[ChunkResult] = field(default_factory=list)
    unsent_indices: List[int] = field(default_factory=list)
    dropped_indices: List[int] = field(default_factory=list)
    error: Optional[str] = None
    _destinations: Dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    _content_key: str = field(default="", repr=False)
    _recipients_key: str = field(default="", repr=False)
    _used: bool = field(default=False, repr=False, compare=False)
    _id: str = field(default_factory=lambda: _new_id(), repr=False, compare=False)
    _saved_at: Optional[str] = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:  # counts, not the thousands of positions behind them
        return (
            f"ChunkedSendReport(operation={self.operation!r}, total={self.total}, "
            f"sent={self.sent_count}, unsent={self.unsent_count}, "
            f"uncertain={self.uncertain_count}, dropped={len(self.dropped_indices)}, "
            f"batch_ids={self.batch_ids!r}, complete={self.complete})"
        )

    # -- totals -----------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Whether every recipient is known to have been sent."""
        return not self.unsent_indices and not self.uncertain_chunks

    @property
    def sent(self) -> List[str]:
        """The numbers sent, in order."""
        return [number for chunk in self.chunks for number in chunk.destinations]

    @property
    def sent_count(self) -> int:
        """How many recipients (messages) were sent."""
        return sum(len(chunk) for chunk in self.chunks)

    @property
    def unsent(self) -> List[str]:
        """The numbers certainly not sent (resume sends exactly these)."""
        return [self._destinations[i] for i in self.unsent_indices]

    @property
    def unsent_count(self) -> int:
        """How many recipients (messages) were certainly not sent."""
        return len(self.unsent_indices)

    @property
    def uncertain(self) -> Optional[ChunkResult]:
        """The latest chunk whose outcome is unknown (``uncertain_chunks`` has them all)."""
        return self.uncertain_chunks[-1] if self.uncertain_chunks else None

    @property
    def uncertain_destinations(self) -> List[str]:
        """The numbers that may or may not have been sent."""
        return [number for chunk in self.uncertain_chunks for number in chunk.destinations]

    @property
    def uncertain_count(self) -> int:
        """How many recipients (messages) may or may not have been sent."""
        return sum(len(chunk) for chunk in self.uncertain_chunks)

    @property
    def batch_ids(self) -> List[str]:
        """The ids of the batches the API accepted, in order."""
        return [chunk.batchid for chunk in self.chunks if chunk.batchid is not None]

    # -- decisions --------------------------------------------------------------------------

    def assume_uncertain_unsent(self) -> ChunkedSendReport:
        """A copy in which the uncertain recipients count as not sent, so resuming sends them.

        Call this only after checking that those batches did not go out (for example with
        ``batch_batchid_get``, or by looking for their ``tag``/``metadata``): otherwise they
        will be texted, and charged, twice.
        """
        _check_fresh(self, None)
        back = [i for chunk in self.uncertain_chunks for i in chunk.indices]
        numbers = {
            i: number
            for chunk in self.uncertain_chunks
            for i, number in zip(chunk.indices, chunk.destinations)
        }
        decided = dataclasses.replace(
            self,
            chunks=list(self.chunks),
            uncertain_chunks=[],
            unsent_indices=sorted([*self.unsent_indices, *back]),
            dropped_indices=list(self.dropped_indices),
            _destinations={**self._destinations, **numbers},
            _id=_new_id(),
            _saved_at=None,
        )
        # The copy replaces this report: resuming from both would send the rest twice.
        _claim(self)
        return decided

    # -- keeping ----------------------------------------------------------------------------

    def save(self, path: Union[str, os.PathLike[str]]) -> None:
        """Write the report to ``path`` as JSON (see docs/SendingAtVolume.md for the format).

        The file is written whole or not at all (a temporary file renamed over ``path``).
        A report loaded back with ``load`` can be resumed once, by one process: the first
        resume claims the file.
        """
        data = {
            "format": _FORMAT,
            "version": _VERSION,
            "id": self._id,
            "operation": self.operation,
            "total": self.total,
            "chunks": [_chunk_json(c) for c in self.chunks],
            "uncertain_chunks": [_chunk_json(c) for c in self.uncertain_chunks],
            "unsent_indices": list(self.unsent_indices),
            "unsent_destinations": [self._destinations.get(i) for i in self.unsent_indices],
            "dropped_indices": list(self.dropped_indices),
            "error": self.error,
            "content_key": self._content_key,
            "recipients_key": self._recipients_key,
            "resumed": self._used or _is_claimed(self._id),
        }
        target = os.fspath(path)
        temp = f"{target}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        try:
            with open(temp, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    @classmethod
    def load(cls, path: Union[str, os.PathLike[str]]) -> ChunkedSendReport:
        """Read a report written by ``save``.

        Raises:
            ApiValueError: the file is not a saved report, or of a version this SDK does not
                know.
            ReportAlreadyResumedError: the report in the file was already resumed.
            OSError: the file cannot be read.
        """
        source = os.fspath(path)
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
        try:
            data = json.loads(text)
        except ValueError:
            raise ApiValueError(f"{source} is not a saved ChunkedSendReport (not JSON)") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ApiValueError(f"{source} is not a saved ChunkedSendReport")
        version = data.get("version")
        if version != _VERSION:
            raise ApiValueError(
                f"{source} holds a report of format version {version!r}; this SDK reads "
                f"version {_VERSION} only (upgrade the SDK that reads it)"
            )
        try:
            unsent = [int(i) for i in data["unsent_indices"]]
            report = cls(
                operation=str(data["operation"]),
                total=int(data["total"]),
                chunks=[_chunk_from_json(c) for c in data["chunks"]],
                uncertain_chunks=[_chunk_from_json(c) for c in data["uncertain_chunks"]],
                unsent_indices=unsent,
                dropped_indices=[int(i) for i in data["dropped_indices"]],
                error=data.get("error"),
                _destinations={
                    i: str(number)
                    for i, number in zip(unsent, data["unsent_destinations"])
                    if number is not None
                },
                _content_key=str(data["content_key"]),
                _recipients_key=str(data["recipients_key"]),
                _id=str(data["id"]),
                # The claim file is named after the real path: two processes reaching one
                # file by different names (relative, absolute, a symlink) claim the same name.
                _saved_at=os.path.realpath(source),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiValueError(f"{source} is a damaged ChunkedSendReport ({exc!r})") from None
        if data.get("resumed") or os.path.exists(_claim_file(report._saved_at or "", report._id)):
            raise ReportAlreadyResumedError(
                f"the report in {source} was already resumed; load the report that resume "
                "produced instead"
            )
        return report

    # -- text -------------------------------------------------------------------------------

    def summary(self) -> str:
        """What was sent (with batch ids), what was not, and what is uncertain, in words."""
        noun = "recipients" if self.operation == SEND else "messages"
        lines = [f"sent: {self.sent_count} of {self.total} {noun}"]
        if self.chunks:
            ids = ", ".join(str(chunk.batchid) for chunk in self.chunks)
            lines[0] += f" in {len(self.chunks)} batch(es); batch ids: {ids}"
        if self.unsent_indices:
            lines.append(
                f"not sent: {self.unsent_count} {noun} (input positions "
                f"{_ranges(self.unsent_indices)}); pass this report as resume= to send them"
            )
        else:
            lines.append(f"not sent: 0 {noun}")
        if self.uncertain_chunks:
            parts = "; ".join(chunk.describe() for chunk in self.uncertain_chunks)
            lines.append(
                f"uncertain: {self.uncertain_count} {noun} may or may not have been sent: "
                f"{parts}. They are NOT sent again on resume; check them (e.g. by tag or "
                "metadata), then call report.assume_uncertain_unsent() to send them"
            )
        else:
            lines.append(f"uncertain: 0 {noun}")
        return "\n".join(lines)


def _ranges(indices: Sequence[int]) -> str:
    """``[0, 1, 2, 7, 9, 10]`` -> ``0-2, 7, 9-10``; long lists shortened."""
    if not indices:
        return ""
    spans: List[str] = []
    start = prev = indices[0]
    for i in [*indices[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        spans.append(str(start) if start == prev else f"{start}-{prev}")
        if i is not None:
            start = prev = i
    return ", ".join(spans) if len(spans) <= 8 else ", ".join(spans[:8]) + ", ..."


# -- the two entry points -------------------------------------------------------------------


def send_many(
    api: BatchMessagesApi,
    sms_message: Union[BatchMessage, Dict[str, Any]],
    chunk_size: int = _limits.MAX_BATCH_SIZE,
    *,
    resume: Optional[ChunkedSendReport] = None,
    progress: Optional[Callable[[ProgressInfo], None]] = None,
    max_in_flight: int = 1,
    **call_kwargs: Any,
) -> ChunkedSendReport:
    """Send one text to any number of recipients, ``chunk_size`` per ``/batch/send`` request.

    With ``max_in_flight`` above 1, up to that many requests are in flight at once, each in a
    thread of a pool the call owns; ``progress`` is still called from the calling thread.

    Raises:
        ApiValueError, ApiTypeError: the message or a recipient is refused (nothing was sent),
            or ``resume`` is a report of a different send.
        ChunkedSendError: a chunk failed; ``.report`` tells what was sent, what was not and
            what may have been.
    """
    plan = plan_send_many(api, sms_message, chunk_size, resume, max_in_flight)
    return _run(plan, api.batch_send_post, progress, call_kwargs)


def plan_send_many(
    api: Any,
    sms_message: Union[BatchMessage, Dict[str, Any]],
    chunk_size: int,
    resume: Optional[ChunkedSendReport],
    max_in_flight: int,
) -> SendPlan:
    """Check everything ``send_many`` is given and plan its chunks (nothing is sent).

    ``api`` is any object with an ``api_client.configuration`` (sync or async).
    """
    config = _configuration(api)
    msg: BatchMessage = _as_model(BatchMessage, sms_message, "sms_message")
    size = _chunk_size(chunk_size, config)
    in_flight = _max_in_flight(max_in_flight, config)
    checked, kept = _validation.check_batch(msg, config, limit=None)
    if not checked.destinations:
        raise ApiValueError("must hold at least one recipient", ["sms_message", "destinations"])
    positions = kept if kept is not None else list(range(len(checked.destinations)))
    numbers = checked.destinations
    content_key = _digest(checked.model_dump_json(by_alias=True, exclude={"destinations"}))
    recipients_key = _digest("\n".join(numbers) + "|" + ",".join(map(str, positions)))
    destinations = dict(zip(positions, numbers))
    template = checked

    def payload(indices: Sequence[int]) -> BatchMessage:
        return template.model_copy(update={"destinations": [destinations[i] for i in indices]})

    return _plan(
        SEND,
        destinations,
        positions,
        len(msg.destinations),
        content_key,
        recipients_key,
        payload,
        size,
        in_flight,
        resume,
    )


def any_many(
    api: BatchMessagesApi,
    messages: Sequence[Union[Message, Dict[str, Any]]],
    chunk_size: int = _limits.MAX_BATCH_SIZE,
    *,
    resume: Optional[ChunkedSendReport] = None,
    progress: Optional[Callable[[ProgressInfo], None]] = None,
    max_in_flight: int = 1,
    **call_kwargs: Any,
) -> ChunkedSendReport:
    """Send any number of messages, ``chunk_size`` per ``/batch/any`` request.

    ``max_in_flight`` works as for ``send_many``.

    Raises:
        ApiValueError, ApiTypeError: a message is refused (nothing was sent), or ``resume`` is
            a report of a different send.
        ChunkedSendError: a chunk failed; ``.report`` tells what was sent, what was not and
            what may have been.
    """
    plan = plan_any_many(api, messages, chunk_size, resume, max_in_flight)
    return _run(plan, api.batch_any_post, progress, call_kwargs)


def plan_any_many(
    api: Any,
    messages: Sequence[Union[Message, Dict[str, Any]]],
    chunk_size: int,
    resume: Optional[ChunkedSendReport],
    max_in_flight: int,
) -> SendPlan:
    """Check everything ``any_many`` is given and plan its chunks (nothing is sent)."""
    from ._adapters import adapter_for
    from ._adapters import validation_error as _validation_error

    config = _configuration(api)
    if isinstance(messages, (str, bytes, dict)) or not isinstance(messages, Sequence):
        raise ApiValueError("must be a list of Message (or dicts)", ["messages"])
    try:
        models: List[Message] = adapter_for(List[Message]).validate_python(list(messages))
    except ValidationError as exc:
        raise _validation_error(exc, "messages") from None
    size = _chunk_size(chunk_size, config)
    in_flight = _max_in_flight(max_in_flight, config)
    if not models:
        raise ApiValueError("must hold at least one message", ["messages"])
    checked, kept = _validation.check_message_list(models, config, limit=None)
    positions = kept if kept is not None else list(range(len(checked)))
    by_position = dict(zip(positions, checked))
    adapter = adapter_for(List[Message])
    content_key = _digest(
        adapter.dump_json(checked, by_alias=True, exclude_none=True).decode()
        + "|"
        + ",".join(map(str, positions))
    )
    destinations = {i: m.destination for i, m in by_position.items()}

    def payload(indices: Sequence[int]) -> List[Message]:
        return [by_position[i] for i in indices]

    return _plan(
        ANY,
        destinations,
        positions,
        len(models),
        content_key,
        content_key,
        payload,
        size,
        in_flight,
        resume,
    )


# -- the bookkeeping ------------------------------------------------------------------------

#: The most chunks one call may have in flight at once.
MAX_IN_FLIGHT = 32


class SendPlan:
    """The bookkeeping of one chunked send, apart from any I/O.

    A plan is made from the checked input, or from the report being resumed (see
    ``plan_send_many`` / ``plan_any_many``). It cuts the recipients still to send into chunks,
    hands them out one at a time, records what became of each, and writes the
    ``ChunkedSendReport``. It sends nothing and waits for nothing, so any loop can drive it:
    ``_run`` (one chunk after another, in the calling thread), ``_run_threads`` (a thread
    pool), or an ``asyncio`` loop with one task per chunk. A driver does exactly this::

        while there is room for another request and (chunk := plan.next_chunk()) is not None:
            start sending plan.body(chunk); when it ends:
                plan.succeeded(chunk, answer)   or   plan.failed(chunk, exc)
            after each success, pass plan.progress_since(seen) on to the progress callback
        once nothing is in flight: return plan.finish()  (raises ChunkedSendError on a failure)
        on anything else that stops the driver (Ctrl-C, CancelledError, a progress callback
        that raises): attach plan.interrupted(exc) to the exception as ``.report`` and re-raise

    Its rules, which keep the report exact whatever order the chunks finish in:

    * ``next_chunk`` counts a chunk as in flight (uncertain) *before* returning it, so no
      request can leave unaccounted for. It returns ``None`` when everything was handed out,
      after the first failure (no new chunk starts once one failed) and after ``finish`` or
      ``interrupted``.
    * ``succeeded`` files the chunk as sent with the batch id of ``answer``; ``failed`` files
      it as sent (a 2xx whose body was unreadable), uncertain (the outcome is unknown) or
      unsent (a refusal, or a failure before the request left). The first failure is the one
      ``finish`` raises with.
    * ``interrupted`` freezes the plan: whatever was in flight stays uncertain, even if its
      answer arrives later (a thread still blocked in a request when Ctrl-C came, a task
      cancelled after the server answered). Calls after the freeze change nothing.
    * In the report, the chunks of this run are in the order of their indices, which follow
      the input positions, whatever order they finished in.

    Every method takes the plan's lock, so threads may report outcomes while the calling
    thread hands out chunks. An interrupt landing in the middle of a method (a signal handler
    runs between any two bytecodes of the main thread) can leave a chunk both in flight and
    sent, or handed out before the cursor moved on: ``report`` reads that as sent, and never
    counts a position that was handed out as unsent while its chunk is in flight.
    """

    def __init__(
        self,
        report: ChunkedSendReport,
        todo: List[int],
        destinations: Dict[int, str],
        payload: Callable[[Sequence[int]], Any],
        size: int,
        first: int,
        max_in_flight: int,
    ) -> None:
        self.max_in_flight = max_in_flight
        self.chunks_total = (len(todo) + size - 1) // size
        self._report = report
        self._earlier_sent = list(report.chunks)
        self._earlier_uncertain = list(report.uncertain_chunks)
        self._todo = todo
        self._destinations = destinations
        self._payload = payload
        self._size = size
        self._first = first
        # Reentrant: the calling thread must get the report even if an interrupt left the
        # lock taken in a method it was running.
        self._lock = threading.RLock()
        self._offset = 0  # todo[:offset] was handed out
        self._handed = 0  # chunks handed out
        self._in_flight: Dict[int, ChunkResult] = {}
        self._sent: Dict[int, ChunkResult] = {}
        self._progress: List[ProgressInfo] = []
        self._recipients_done = 0
        self._cause: Optional[BaseException] = None
        self._error: Optional[str] = None
        self._other_failures = 0
        self._frozen = False

    @property
    def operation(self) -> str:
        """``"batch_send"`` or ``"batch_any"``: which operation sends ``body(chunk)``."""
        return self._report.operation

    @property
    def in_flight(self) -> int:
        """How many chunks were handed out and have no recorded outcome yet."""
        with self._lock:
            return len(self._in_flight)

    def next_chunk(self) -> Optional[ChunkResult]:
        """The next chunk to send, already counted as in flight; ``None`` when none may start."""
        with self._lock:
            if self._frozen or self._cause is not None or self._offset >= len(self._todo):
                return None
            piece = self._todo[self._offset : self._offset + self._size]
            chunk = ChunkResult(
                index=self._first + self._handed,
                batchid=None,
                status=None,
                destinations=tuple(self._destinations[i] for i in piece),
                indices=tuple(piece),
            )
            self._in_flight[chunk.index] = chunk
            self._handed += 1
            self._offset += len(piece)
            return chunk

    def body(self, chunk: ChunkResult) -> Any:
        """The request body for ``chunk`` (a ``BatchMessage`` or a list of ``Message``)."""
        return self._payload(chunk.indices)

    def succeeded(self, chunk: ChunkResult, answer: Any) -> None:
        """``chunk``'s request was answered with ``answer`` (its ``batchid`` and ``status``)."""
        done = dataclasses.replace(
            chunk,
            batchid=_text(getattr(answer, "batchid", None)),
            status=_text(getattr(answer, "status", None)),
        )
        with self._lock:
            if self._frozen or chunk.index not in self._in_flight:
                return
            self._sent[chunk.index] = done
            del self._in_flight[chunk.index]
            self._recipients_done += len(chunk)
            self._progress.append(
                ProgressInfo(
                    len(self._progress) + 1,
                    self.chunks_total,
                    self._recipients_done,
                    len(self._todo),
                )
            )

    def failed(self, chunk: ChunkResult, exc: BaseException) -> None:
        """``chunk``'s request ended in ``exc``: file the chunk where ``exc`` says it belongs."""
        what = chunk.describe()
        with self._lock:
            if self._frozen or chunk.index not in self._in_flight:
                return
            if (
                isinstance(exc, ApiResponseError)
                and exc.status is not None
                and 200 <= exc.status < 300
            ):
                # The API said yes (2xx) but its answer could not be read: the batch went out,
                # with an id we do not know. Counting it as sent keeps it from going out twice.
                error = f"{what} was accepted but its answer was unreadable: {_explain(exc)}"
                self._sent[chunk.index] = chunk
                del self._in_flight[chunk.index]
            elif isinstance(exc, SendOutcomeUnknownError) or not isinstance(
                exc, (ApiException, ApiValueError, ApiTypeError)
            ):
                # The request may have reached the API (timeout after sending, dropped
                # connection, 5xx, an unexpected failure mid-request): never send these again
                # without the caller's word. The chunk stays in flight, which is uncertain.
                error = f"{what}: outcome unknown: {_explain(exc)}"
            else:
                # A refusal (402, 400, 401, ...), a connection that never opened, or a value
                # refused before sending: nothing of this chunk went out.
                error = f"{what} was not sent: {_explain(exc)}"
                del self._in_flight[chunk.index]
            if self._cause is None:
                self._cause, self._error = exc, error
            else:
                self._other_failures += 1

    def progress_since(self, seen: int) -> List[ProgressInfo]:
        """The progress of every chunk accepted after the first ``seen``, in order."""
        with self._lock:
            return self._progress[seen:]

    def interrupted(self, exc: BaseException) -> ChunkedSendReport:
        """The driver stopped on ``exc``: freeze the plan and return its report."""
        with self._lock:
            self._frozen = True
            report = self._write()
            if report.error is None:
                report.error = f"interrupted by {_explain(exc)}"
            return report

    def finish(self) -> ChunkedSendReport:
        """The report of a driver that ran to its end; ``ChunkedSendError`` after a failure."""
        with self._lock:
            self._frozen = True
            report = self._write()
            cause = self._cause
        if cause is not None:
            raise ChunkedSendError(report, cause) from cause
        return report

    def report(self) -> ChunkedSendReport:
        """The report as things stand (chunks in flight count as uncertain)."""
        with self._lock:
            return self._write()

    def _write(self) -> ChunkedSendReport:
        """Bring the report's lists up to date (the lock is held)."""
        sent = dict(self._sent)
        uncertain = {i: c for i, c in self._in_flight.items() if i not in sent}
        claimed = {i for c in (*sent.values(), *uncertain.values()) for i in c.indices}
        report = self._report
        report.chunks = [*self._earlier_sent, *(sent[i] for i in sorted(sent))]
        report.uncertain_chunks = [
            *self._earlier_uncertain,
            *(uncertain[i] for i in sorted(uncertain)),
        ]
        report.unsent_indices = [i for i in self._todo if i not in claimed]
        if self._error is not None:
            more = self._other_failures
            report.error = self._error + (
                f" (and {more} more chunk{'s' if more > 1 else ''} in flight failed)"
                if more
                else ""
            )
        return report


def _plan(
    operation: str,
    destinations: Dict[int, str],
    positions: List[int],
    given: int,
    content_key: str,
    recipients_key: str,
    payload: Callable[[Sequence[int]], Any],
    size: int,
    max_in_flight: int,
    resume: Optional[ChunkedSendReport],
) -> SendPlan:
    kept = set(positions)
    dropped = [i for i in range(given) if i not in kept] if len(kept) != given else []
    if resume is None:
        report = ChunkedSendReport(
            operation=operation,
            total=len(positions),
            unsent_indices=list(positions),
            dropped_indices=dropped,
            _destinations=destinations,
            _content_key=content_key,
            _recipients_key=recipients_key,
        )
        first = 0
    else:
        _check_resume(resume, operation, content_key, recipients_key)
        report = dataclasses.replace(
            resume,
            chunks=list(resume.chunks),
            uncertain_chunks=list(resume.uncertain_chunks),
            unsent_indices=list(resume.unsent_indices),
            dropped_indices=list(resume.dropped_indices),
            error=None,
            _destinations=destinations,
            _used=False,
            _id=_new_id(),
            _saved_at=None,
        )
        done = [*resume.chunks, *resume.uncertain_chunks]
        first = max((chunk.index for chunk in done), default=-1) + 1
    plan = SendPlan(report, list(report.unsent_indices), destinations, payload, size, first,
                    max_in_flight)  # fmt: skip
    if resume is not None:
        # The last check, and the only one with a lasting effect: from here the old report is
        # spent (in this process, and on disk when it was loaded from a file).
        _claim(resume)
    return plan


# -- the loops ------------------------------------------------------------------------------


def _run(
    plan: SendPlan,
    send: Callable[..., Any],
    progress: Optional[Callable[[ProgressInfo], None]],
    call_kwargs: Dict[str, Any],
) -> ChunkedSendReport:
    """Drive ``plan`` one chunk after another in the calling thread (or through a pool)."""
    try:
        if plan.max_in_flight > 1:
            return _run_threads(plan, send, progress, call_kwargs)
        seen = 0
        while True:
            chunk = plan.next_chunk()
            if chunk is None:
                break
            try:
                answer = send(plan.body(chunk), **call_kwargs)
            except Exception as exc:
                plan.failed(chunk, exc)
                continue
            plan.succeeded(chunk, answer)
            if progress is not None:
                for info in plan.progress_since(seen):
                    seen += 1
                    progress(info)
        return plan.finish()
    except ChunkedSendError:
        raise
    except BaseException as exc:
        # Ctrl-C, SystemExit, a failing progress callback...: they go on as they are, with
        # the report attached for whoever catches them.
        _attach(exc, plan.interrupted(exc))
        raise


def _run_threads(
    plan: SendPlan,
    send: Callable[..., Any],
    progress: Optional[Callable[[ProgressInfo], None]],
    call_kwargs: Dict[str, Any],
) -> ChunkedSendReport:
    """Drive ``plan`` with up to ``plan.max_in_flight`` chunks in flight, one thread each.

    The calling thread hands out the chunks, waits, and calls ``progress``; the pool's threads
    only send and record the outcome. On a failure no new chunk starts, and the ones in flight
    are waited for (each is bounded by the request timeout) before ``ChunkedSendError``
    leaves. On an interrupt nothing is waited for: a thread still in a request finishes it on
    its own, and its chunk stays uncertain in the report.
    """

    # Imported here: a send with one chunk in flight (the default) does not need it.
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    def work(chunk: ChunkResult) -> None:
        try:
            answer = send(plan.body(chunk), **call_kwargs)
        except BaseException as exc:  # recorded here; the calling thread raises for it
            plan.failed(chunk, exc)
            return
        plan.succeeded(chunk, answer)

    settled = False
    seen = 0
    pool = ThreadPoolExecutor(plan.max_in_flight, thread_name_prefix="smsworks-chunk")
    try:
        running: Set[Future[None]] = set()
        while True:
            while len(running) < plan.max_in_flight:
                chunk = plan.next_chunk()
                if chunk is None:
                    break
                running.add(pool.submit(work, chunk))
            if not running:
                break
            _, running = wait(running, return_when=FIRST_COMPLETED)
            if progress is not None:
                for info in plan.progress_since(seen):
                    seen += 1
                    progress(info)
        settled = True
        return plan.finish()
    finally:
        pool.shutdown(wait=settled, cancel_futures=True)


def _attach(exc: BaseException, report: ChunkedSendReport) -> None:
    with contextlib.suppress(AttributeError, TypeError):
        exc.report = report  # type: ignore[attr-defined]


def _check_fresh(report: ChunkedSendReport, path: Optional[List[Union[str, int]]]) -> None:
    if report._used or _is_claimed(report._id):
        raise ReportAlreadyResumedError(
            "this report was already resumed or replaced by assume_uncertain_unsent(); use the "
            "newest report (the one that call returned, or its ChunkedSendError.report)",
            path,
        )


# -- at most one resume per report ----------------------------------------------------------
# Copies of a report (pickled to another process and back, loaded twice from one file) share
# its id. Within a process the set below refuses a second resume of any copy; across
# processes the claim file does, for reports loaded from a file.

_CLAIMED: set[str] = set()
_CLAIMED_LOCK = threading.Lock()
_FORMAT = "smsworks.ChunkedSendReport"
_VERSION = 1


def _new_id() -> str:
    return uuid.uuid4().hex


def _is_claimed(report_id: str) -> bool:
    with _CLAIMED_LOCK:
        return report_id in _CLAIMED


def _claim_file(path: str, report_id: str) -> str:
    return f"{path}.{report_id}.resumed"


def _claim(report: ChunkedSendReport) -> None:
    """Spend ``report``: after this, no copy of it can be resumed (or raise if one was)."""
    with _CLAIMED_LOCK:
        if report._used or report._id in _CLAIMED:
            raise ReportAlreadyResumedError(
                "this report was already resumed; use the newest report", ["resume"]
            )
        if report._saved_at is not None:
            # O_CREAT|O_EXCL: of two processes that loaded the same file, exactly one creates
            # the claim file; the other is refused before it sends anything.
            name = _claim_file(report._saved_at, report._id)
            try:
                fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                raise ReportAlreadyResumedError(
                    f"the report saved at {report._saved_at} was already resumed by another "
                    f"process (claim file {name})",
                    ["resume"],
                ) from None
            except OSError as exc:
                raise ApiValueError(
                    f"cannot claim the report saved at {report._saved_at} ({exc}); refusing "
                    "to resume it without a claim",
                    ["resume"],
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()}\n")
        _CLAIMED.add(report._id)
        report._used = True


def _chunk_json(chunk: ChunkResult) -> Dict[str, Any]:
    return {
        "index": chunk.index,
        "batchid": chunk.batchid,
        "status": chunk.status,
        "destinations": list(chunk.destinations),
        "indices": list(chunk.indices),
    }


def _chunk_from_json(data: Dict[str, Any]) -> ChunkResult:
    batchid, status = data["batchid"], data["status"]
    return ChunkResult(
        index=int(data["index"]),
        batchid=None if batchid is None else str(batchid),
        status=None if status is None else str(status),
        destinations=tuple(str(d) for d in data["destinations"]),
        indices=tuple(int(i) for i in data["indices"]),
    )


def _check_resume(
    resume: ChunkedSendReport, operation: str, content_key: str, recipients_key: str
) -> None:
    if not isinstance(resume, ChunkedSendReport):
        raise ApiValueError("must be the ChunkedSendReport of an earlier call", ["resume"])
    _check_fresh(resume, ["resume"])
    if resume.operation != operation:
        raise ApiValueError(
            f"the report is of a {resume.operation} send, not {operation}", ["resume"]
        )
    if resume._content_key != content_key:
        what = "message content or options" if operation == SEND else "messages"
        raise ApiValueError(
            f"the {what} differ from those the report was made for; resuming would send a "
            "different text: refused",
            ["resume"],
        )
    if resume._recipients_key != recipients_key:
        raise ApiValueError(
            "the recipients differ from those the report was made for (resume needs the same "
            "list, in the same order): refused",
            ["resume"],
        )


# -- helpers --------------------------------------------------------------------------------


def _configuration(api: Any) -> Configuration:
    from .configuration import Configuration

    client = getattr(api, "api_client", None)
    config = getattr(client, "configuration", None)
    return config if isinstance(config, Configuration) else Configuration.get_default()


def _as_model(model: Any, value: Any, name: str) -> Any:
    from ._adapters import adapter_for
    from ._adapters import validation_error as _validation_error

    try:
        return adapter_for(model).validate_python(value)
    except ValidationError as exc:
        raise _validation_error(exc, name) from None


def _chunk_size(chunk_size: Any, config: Configuration) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise ApiValueError(f"must be an int, not {type(chunk_size).__name__}", ["chunk_size"])
    limit = _limits.MAX_BATCH_SIZE if getattr(config, "client_side_validation", True) else None
    if chunk_size < 1 or (limit is not None and chunk_size > limit):
        raise ApiValueError(
            f"must be 1..{_limits.MAX_BATCH_SIZE} (the API's limit per request), not {chunk_size}",
            ["chunk_size"],
        )
    return chunk_size


def _max_in_flight(max_in_flight: Any, config: Configuration) -> int:
    if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int):
        raise ApiValueError(
            f"must be an int, not {type(max_in_flight).__name__}", ["max_in_flight"]
        )
    if not 1 <= max_in_flight <= MAX_IN_FLIGHT:
        raise ApiValueError(f"must be 1..{MAX_IN_FLIGHT}, not {max_in_flight}", ["max_in_flight"])
    pool = getattr(config, "connection_pool_maxsize", None)
    if isinstance(pool, int) and max_in_flight > pool:
        raise ApiValueError(
            f"is {max_in_flight}, above Configuration.connection_pool_maxsize ({pool}): each "
            "chunk in flight needs its own connection; raise the pool size or lower "
            "max_in_flight",
            ["max_in_flight"],
        )
    return max_in_flight


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value)
