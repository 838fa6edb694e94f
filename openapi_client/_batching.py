"""Chunked sends: any number of recipients, in batches the API accepts, never one sent twice.

The API takes at most 5,000 recipients (``/batch/send``) or messages (``/batch/any``) per
request and has no idempotency key. ``send_many`` and ``any_many`` (exposed as
``BatchMessagesApi.batch_send_many`` / ``batch_any_many``) therefore:

1. check and normalise *everything* first, so a bad number at position 9,000 is refused before
   the first batch goes out;
2. send the chunks in order and stop at the first failure;
3. account for every recipient in a ``ChunkedSendReport``: sent (with the batch ids), not sent,
   or uncertain (the request may have reached the API: a read timeout, a dropped connection,
   a 5xx after sending);
4. on ``resume=report``, send only what is recorded as not sent. An uncertain chunk is never
   sent again by these functions; after checking it yourself, ``report.assume_uncertain_unsent()``
   hands it back for sending.

Whatever stops the loop (a failed chunk, Ctrl-C, a failing ``progress`` callback), the report
leaves with the exception: a chunk counts as uncertain from before its request can go out until
its answer is read. A report is resumed at most once, whichever copy of it is given (pickled,
or saved with ``ChunkedSendReport.save`` and loaded, by any number of processes).
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
    from .api.batch_messages_api import BatchMessagesApi
    from .configuration import Configuration

__all__ = [
    "ChunkResult",
    "ChunkedSendError",
    "ChunkedSendReport",
    "ProgressInfo",
    "ReportAlreadyResumedError",
    "any_many",
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
            Only chunks kept in the report are numbered: a refused chunk, or one handed back
            by ``assume_uncertain_unsent()``, leaves its number to the next one sent.
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
    **call_kwargs: Any,
) -> ChunkedSendReport:
    """Send one text to any number of recipients, ``chunk_size`` per ``/batch/send`` request.

    Raises:
        ApiValueError, ApiTypeError: the message or a recipient is refused (nothing was sent),
            or ``resume`` is a report of a different send.
        ChunkedSendError: a chunk failed; ``.report`` tells what was sent, what was not and
            what may have been.
    """
    config = _configuration(api)
    msg: BatchMessage = _as_model(BatchMessage, sms_message, "sms_message")
    size = _chunk_size(chunk_size, config)
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

    return _run(
        SEND,
        api.batch_send_post,
        payload,
        destinations,
        positions,
        len(msg.destinations),
        content_key,
        recipients_key,
        size,
        resume,
        progress,
        call_kwargs,
    )


def any_many(
    api: BatchMessagesApi,
    messages: Sequence[Union[Message, Dict[str, Any]]],
    chunk_size: int = _limits.MAX_BATCH_SIZE,
    *,
    resume: Optional[ChunkedSendReport] = None,
    progress: Optional[Callable[[ProgressInfo], None]] = None,
    **call_kwargs: Any,
) -> ChunkedSendReport:
    """Send any number of messages, ``chunk_size`` per ``/batch/any`` request.

    Raises:
        ApiValueError, ApiTypeError: a message is refused (nothing was sent), or ``resume`` is
            a report of a different send.
        ChunkedSendError: a chunk failed; ``.report`` tells what was sent, what was not and
            what may have been.
    """
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

    return _run(
        ANY,
        api.batch_any_post,
        payload,
        destinations,
        positions,
        len(models),
        content_key,
        content_key,
        size,
        resume,
        progress,
        call_kwargs,
    )


# -- the loop -------------------------------------------------------------------------------


def _run(
    operation: str,
    send: Callable[..., Any],
    payload: Callable[[Sequence[int]], Any],
    destinations: Dict[int, str],
    positions: List[int],
    given: int,
    content_key: str,
    recipients_key: str,
    size: int,
    resume: Optional[ChunkedSendReport],
    progress: Optional[Callable[[ProgressInfo], None]],
    call_kwargs: Dict[str, Any],
) -> ChunkedSendReport:
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
        # The last check, and the only one with a lasting effect: from here the old report is
        # spent (in this process, and on disk when it was loaded from a file).
        _claim(resume)

    todo = report.unsent_indices
    chunks_total = (len(todo) + size - 1) // size
    # todo[:offset] went out in accepted chunks. A chunk joins report.uncertain_chunks BEFORE
    # its request can leave, and moves to report.chunks once its answer is read: whatever
    # interrupts the loop (Ctrl-C included) finds every recipient the API may have received
    # under sent or uncertain. report.unsent_indices is brought up to date only where the
    # report leaves this function: slicing the rest after every chunk would cost
    # O(n^2 / chunk_size) for a million recipients.
    offset = 0
    try:
        for number in range(chunks_total):
            piece = todo[offset : offset + size]
            body = payload(piece)
            chunk = ChunkResult(
                index=first + number,
                batchid=None,
                status=None,
                destinations=tuple(destinations[i] for i in piece),
                indices=tuple(piece),
            )
            report.uncertain_chunks.append(chunk)
            try:
                answer = send(body, **call_kwargs)
            except Exception as exc:
                _record_failure(report, chunk, exc)
                _settle(report, todo, offset, first)
                raise ChunkedSendError(report, exc) from exc
            report.chunks.append(
                dataclasses.replace(
                    chunk,
                    batchid=_text(getattr(answer, "batchid", None)),
                    status=_text(getattr(answer, "status", None)),
                )
            )
            report.uncertain_chunks.pop()
            offset += len(piece)
            if progress is not None:
                progress(ProgressInfo(number + 1, chunks_total, offset, len(todo)))
        report.unsent_indices = todo[offset:]
        return report
    except ChunkedSendError:
        raise
    except BaseException as exc:
        # Ctrl-C, SystemExit, a failing progress callback...: they go on as they are, with
        # the report attached for whoever catches them.
        _settle(report, todo, offset, first)
        if report.error is None:
            report.error = f"interrupted by {_explain(exc)}"
        with contextlib.suppress(AttributeError, TypeError):
            exc.report = report  # type: ignore[attr-defined]
        raise


def _settle(report: ChunkedSendReport, todo: List[int], offset: int, first: int) -> None:
    """Bring the report's lists into line after the loop stopped anywhere.

    An interrupt can land between any two steps: a chunk may then sit in both lists (moved to
    ``chunks`` but not yet taken off ``uncertain_chunks``), or be accounted for although
    ``offset`` has not moved past it yet.
    """
    sent = {chunk.index for chunk in report.chunks}
    report.uncertain_chunks = [c for c in report.uncertain_chunks if c.index not in sent]
    claimed = {
        i
        for chunk in (*report.chunks, *report.uncertain_chunks)
        if chunk.index >= first
        for i in chunk.indices
    }
    report.unsent_indices = [i for i in todo[offset:] if i not in claimed]


def _record_failure(report: ChunkedSendReport, chunk: ChunkResult, exc: BaseException) -> None:
    """Move ``chunk`` (in flight, so counted uncertain) where ``exc`` says it belongs."""
    what = chunk.describe()
    if isinstance(exc, ApiResponseError) and exc.status is not None and 200 <= exc.status < 300:
        # The API said yes (2xx) but its answer could not be read: the batch went out, with
        # an id we do not know. Counting it as sent is what keeps it from going out twice.
        report.error = f"{what} was accepted but its answer was unreadable: {_explain(exc)}"
        report.chunks.append(chunk)
        report.uncertain_chunks.pop()
    elif isinstance(exc, SendOutcomeUnknownError) or not isinstance(
        exc, (ApiException, ApiValueError, ApiTypeError)
    ):
        # The request may have reached the API (timeout after sending, dropped connection,
        # 5xx, an unexpected failure mid-request): never send these again without the
        # caller's word. The chunk stays where it is.
        report.error = f"{what}: outcome unknown: {_explain(exc)}"
    else:
        # A refusal (402, 400, 401, ...), a connection that never opened, or a value refused
        # before sending: nothing of this chunk went out, and _settle counts it as not sent.
        report.error = f"{what} was not sent: {_explain(exc)}"
        report.uncertain_chunks.pop()


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


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value)
