"""The sandbox's account: balance, batches, messages and the clock that moves them.

Everything here runs under one lock, held by :class:`State`'s public methods. No HTTP in this
module: the server turns requests into calls on a :class:`State` and its answers into JSON.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from functools import lru_cache
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from ..sms import count_segments
from ._clock import format_js_date
from ._errors import SandboxError
from ._outcomes import Outcome, outcome_for
from ._validate import Common

__all__ = ["State"]

#: (url, payload) of one delivery report, handed to the report worker.
ReportSink = Callable[[str, Dict[str, Any]], None]

_FINAL = "final"  # event: messages reach their outcome
_DUE = "due"  # event: a scheduled batch is sent


@lru_cache(maxsize=4096)
def _js_date(second: int) -> str:
    # Thousands of messages share a second; format it once.
    return format_js_date(second)


def _international(destination: str) -> bool:
    return not destination.startswith("44")


class _Message:
    __slots__ = (
        "common",
        "created",
        "credits",
        "destination",
        "final_at",
        "messageid",
        "modified",
        "outcome",
        "status",
    )

    def __init__(
        self, messageid: str, common: Common, destination: str, credits: float, now: float
    ) -> None:
        self.messageid = messageid
        self.common = common
        self.destination = destination
        self.outcome: Outcome = outcome_for(destination)
        self.credits = credits
        self.status = "SCHEDULED"
        self.created = now
        self.modified = now
        self.final_at: Optional[float] = None


class _Batch:
    __slots__ = ("batchid", "created", "kind", "messages", "schedule", "status")

    def __init__(
        self,
        batchid: str,
        kind: str,
        messages: List[_Message],
        schedule: Optional[float],
        now: float,
    ) -> None:
        self.batchid = batchid
        self.kind = kind  # "send", "any" or "schedule"
        self.messages = messages
        self.schedule = schedule
        self.created = now
        # SCHEDULED until due, then PROCESSED; CANCELLED if cancelled; SENT for immediate sends.
        self.status = "SCHEDULED" if schedule is not None else "SENT"


class State:
    """The account behind one sandbox.

    Args:
        credits: opening balance.
        customer_id: what ``/utils/test`` answers and records carry as ``customerid``.
        delivery_delay: seconds (sandbox clock) between SENT and a message's outcome.
        clock: returns the current time in epoch seconds; ``advance`` adds to it.
        overdraft: how far below zero the balance may go (an arranged overdraft).
        report_url: account-wide delivery report URL, used when a message has none.
        reports: where delivery reports go.
    """

    def __init__(
        self,
        *,
        credits: float,
        customer_id: str,
        delivery_delay: float,
        clock: Callable[[], float],
        overdraft: float,
        report_url: Optional[str],
        reports: ReportSink,
    ) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self._clock = clock
        self._offset = 0.0
        self.balance = float(credits)
        self.customer_id = customer_id
        self.delivery_delay = float(delivery_delay)
        self.overdraft = float(overdraft)
        self.report_url = report_url
        self._reports = reports
        self._next_batch = 3_000_001
        self._next_message = 100_000_001
        self.batches: Dict[str, _Batch] = {}
        self._events: List[Tuple[float, int, str, str, List[int]]] = []
        self._sequence = itertools.count()

    # -- clock ------------------------------------------------------------------------------

    def now(self) -> float:
        """Sandbox time, epoch seconds."""
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock forward and apply everything that fell due."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self.lock:
            self._offset += seconds
            self.tick()
            self.changed.notify_all()

    def next_due(self) -> Optional[float]:
        """When the earliest pending event falls due (caller holds the lock)."""
        return self._events[0][0] if self._events else None

    def tick(self) -> None:
        """Apply every event that is due (caller holds the lock)."""
        now = self.now()
        while self._events and self._events[0][0] <= now:
            due, _, kind, batchid, indices = heapq.heappop(self._events)
            batch = self.batches.get(batchid)
            if batch is None:
                continue
            if kind == _DUE:
                if batch.status == "SCHEDULED":
                    batch.status = "PROCESSED"
                    self._dispatch(batch, due)
            else:
                for index in indices:
                    message = batch.messages[index]
                    if message.status == "SENT":
                        self._finish(batch, message, due)

    def _push(self, due: float, kind: str, batchid: str, indices: List[int]) -> None:
        heapq.heappush(self._events, (due, next(self._sequence), kind, batchid, indices))

    # -- sending ----------------------------------------------------------------------------

    def _cost(self, common: Common, destination: str, segments: Dict[str, int]) -> float:
        if outcome_for(destination).status == "REJECTED":
            return 0.0  # the platform refuses it before it costs anything
        parts = segments.get(common.content)
        if parts is None:
            parts = segments[common.content] = count_segments(common.content).segments
        return float(parts * (2 if _international(destination) else 1))

    def submit(
        self, kind: str, items: Iterable[Tuple[Common, str]], schedule: Optional[float] = None
    ) -> str:
        """Accept a batch: check and take its credits, create its messages, send it unless
        scheduled. Returns the batch id. Raises ``SandboxError`` (402) leaving nothing changed.
        """
        segments: Dict[str, int] = {}
        priced = [(common, to, self._cost(common, to, segments)) for common, to in items]
        total = sum(cost for _, _, cost in priced)
        with self.lock:
            self.tick()
            now = self.now()
            if schedule is not None and schedule <= now:
                raise SandboxError.extended(
                    1016, "schedule is in the past; give a time in the future"
                )
            if self.balance - total < -self.overdraft:
                raise SandboxError.extended(
                    1030,
                    f"insufficient credits: the batch needs {total:g}, "
                    f"the balance is {self.balance:g}; nothing was sent",
                )
            self.balance -= total
            batchid = str(self._next_batch)
            self._next_batch += 1
            first = self._next_message
            self._next_message += len(priced)
            messages = [
                _Message(str(first + index), common, to, cost, now)
                for index, (common, to, cost) in enumerate(priced)
            ]
            batch = _Batch(batchid, kind, messages, schedule, now)
            self.batches[batchid] = batch
            if schedule is None:
                self._dispatch(batch, now)
            else:
                self._push(schedule, _DUE, batchid, [])
            self.changed.notify_all()
            return batchid

    def _dispatch(self, batch: _Batch, now: float) -> None:
        """Hand a batch's messages to the "network" (caller holds the lock)."""
        later: Dict[float, List[int]] = {}
        for index, message in enumerate(batch.messages):
            message.status = "SENT"
            message.modified = now
            when = message.outcome.when
            if when == "never":
                continue
            if when == "at-send" or (when == "delay" and self.delivery_delay <= 0):
                self._finish(batch, message, now)
                continue
            if when == "delay":
                due = now + self.delivery_delay
            else:  # "validity": the network gives up when the validity period runs out
                due = now + message.common.validity * 60.0
            message.final_at = due
            later.setdefault(due, []).append(index)
        for due, indices in later.items():
            self._push(due, _FINAL, batch.batchid, indices)

    def _finish(self, batch: _Batch, message: _Message, now: float) -> None:
        """Move a message to its outcome, refund if due, report (caller holds the lock)."""
        outcome = message.outcome
        message.status = outcome.status
        message.modified = now
        message.final_at = None
        if not outcome.charged and message.credits:
            self.balance += message.credits  # UNDELIVERABLE and EXPIRED are refunded
            message.credits = 0.0
        url = message.common.deliveryreporturl or self.report_url
        if url:
            self._reports(url, self._report(batch, message))

    # -- reading ----------------------------------------------------------------------------

    def _failure(self, message: _Message) -> Optional[Dict[str, Any]]:
        outcome = message.outcome
        if outcome.code is None or message.status != outcome.status:
            return None
        return {"code": outcome.code, "details": outcome.details, "permanent": outcome.permanent}

    def _report(self, batch: _Batch, message: _Message) -> Dict[str, Any]:
        report: Dict[str, Any] = {
            "messageid": message.messageid,
            "batchid": batch.batchid,
            "customerid": self.customer_id,
            "sender": message.common.sender,
            "destination": int(message.destination),
            "status": message.status,
            "created": _js_date(int(message.created)),
            "modified": _js_date(int(message.modified)),
        }
        if message.common.tag is not None:
            report["tag"] = message.common.tag
        failure = self._failure(message)
        if failure is not None:
            report["failurereason"] = failure
        return report

    def record(self, batch: _Batch, message: _Message) -> Dict[str, Any]:
        """A message as ``GET /batch/{batchid}`` shows it (caller holds the lock)."""
        common = message.common
        record: Dict[str, Any] = {
            "id": message.messageid,
            "messageid": message.messageid,
            "batchid": batch.batchid,
            "customerid": self.customer_id,
            "identifier": str(7_000_000_000 + int(message.messageid)),
            "sender": common.sender,
            # The API types destination as a number, and its records carry one.
            "destination": int(message.destination),
            "content": common.content,
            "status": message.status,
            "schedule": "" if batch.schedule is None else _js_date(int(batch.schedule)),
            "created": _js_date(int(message.created)),
            "modified": _js_date(int(message.modified)),
            "credits": message.credits,
        }
        if common.tag is not None:
            record["tag"] = common.tag
        if common.deliveryreporturl is not None:
            record["deliveryreporturl"] = common.deliveryreporturl
        if common.metadata is not None:
            record["metadata"] = common.metadata
        failure = self._failure(message)
        if failure is not None:
            record["failurereason"] = failure
        return record

    def batch_records(self, batchid: str) -> List[Dict[str, Any]]:
        """Every message of a batch, or a 404 ``SandboxError``."""
        with self.lock:
            self.tick()
            batch = self.batches.get(batchid)
            if batch is None:
                raise SandboxError.not_found(f"No batch found with id {batchid}")
            return [self.record(batch, message) for message in batch.messages]

    def cancel(self, batchid: str) -> Dict[str, Any]:
        """Cancel a scheduled batch and refund what it reserved."""
        with self.lock:
            self.tick()
            batch = self.batches.get(batchid)
            if batch is None:
                raise SandboxError.not_found(f"No scheduled batch found with id {batchid}")
            if batch.status == "CANCELLED":
                raise SandboxError.extended(1050, f"batch {batchid} is already cancelled")
            if batch.status != "SCHEDULED":
                raise SandboxError.extended(
                    1051, f"batch {batchid} has already been sent and cannot be cancelled"
                )
            now = self.now()
            batch.status = "CANCELLED"
            for message in batch.messages:
                self.balance += message.credits
                message.credits = 0.0
                message.status = "CANCELLED"
                message.modified = now
            self.changed.notify_all()
            # The API reuses the single-message schema here: the batch id sits under "messageid".
            return {"messageid": batchid, "status": "CANCELLED"}

    # -- persistence ------------------------------------------------------------------------

    def dump(self) -> Dict[str, Any]:
        """Everything needed to carry the account over to another run (caller holds the lock)."""
        return {
            "version": 1,
            "credits": self.balance,
            "customerid": self.customer_id,
            "next_batch": self._next_batch,
            "next_message": self._next_message,
            "batches": [
                {
                    "batchid": batch.batchid,
                    "kind": batch.kind,
                    "status": batch.status,
                    "schedule": batch.schedule,
                    "created": batch.created,
                    "messages": [
                        {
                            "messageid": message.messageid,
                            "destination": message.destination,
                            "status": message.status,
                            "credits": message.credits,
                            "created": message.created,
                            "modified": message.modified,
                            "final_at": message.final_at,
                            "common": message.common._asdict(),
                        }
                        for message in batch.messages
                    ],
                }
                for batch in self.batches.values()
            ],
        }

    def load(self, data: Dict[str, Any]) -> None:
        """Restore what :meth:`dump` wrote (caller holds the lock)."""
        self.balance = float(data["credits"])
        self.customer_id = str(data["customerid"])
        self._next_batch = int(data["next_batch"])
        self._next_message = int(data["next_message"])
        self.batches.clear()
        self._events.clear()
        for saved in data["batches"]:
            messages: List[_Message] = []
            pending: Dict[float, List[int]] = {}
            for index, item in enumerate(saved["messages"]):
                message = _Message(
                    item["messageid"],
                    Common(**item["common"]),
                    item["destination"],
                    float(item["credits"]),
                    float(item["created"]),
                )
                message.status = item["status"]
                message.modified = float(item["modified"])
                message.final_at = item["final_at"]
                if message.final_at is not None and message.status == "SENT":
                    pending.setdefault(message.final_at, []).append(index)
                messages.append(message)
            batch = _Batch(
                saved["batchid"], saved["kind"], messages, saved["schedule"], saved["created"]
            )
            batch.status = saved["status"]
            self.batches[batch.batchid] = batch
            if batch.status == "SCHEDULED" and batch.schedule is not None:
                self._push(batch.schedule, _DUE, batch.batchid, [])
            for due, indices in pending.items():
                self._push(due, _FINAL, batch.batchid, indices)


def default_clock() -> float:
    """Wall-clock time; the sandbox's default."""
    return time.time()
