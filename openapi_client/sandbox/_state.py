"""The sandbox's account: balance, batches, messages and the clock that moves them.

The account lives in SQLite (standard library ``sqlite3``): in memory by default, in a file when
the sandbox is given a ``state_file``. Every change a request makes is one transaction, committed
before the server writes its answer, so a sandbox killed at any moment restarts with every batch
it acknowledged, the balance those batches left and an id counter that never goes back.

Everything here runs under one lock, held by :class:`State`'s public methods; the one connection
is only ever used under it. No HTTP in this module: the server turns requests into calls on a
:class:`State` and its answers into JSON.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import sqlite3
import threading
import time
import weakref
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from .. import _limits
from ..sms import count_segments
from ._clock import format_js_date
from ._errors import SandboxError
from ._outcomes import Outcome, outcome_for
from ._validate import Common, OtpRequest, Query

__all__ = ["State", "StateFileError", "default_clock"]

#: (url, payload) of one delivery report, handed to the report worker.
ReportSink = Callable[[str, Dict[str, Any]], None]
_Reports = List[Tuple[str, Dict[str, Any]]]

#: Bumped when the tables change shape; a file of another format is refused, not guessed at.
FORMAT = 2
_FIRST_BATCH = 3_000_001
_FIRST_MESSAGE = 100_000_001
_SQLITE_MAGIC = b"SQLite format 3\x00"
# Ids are decimal text without leading zeros; 18 digits stay inside SQLite's 64-bit integers.
_ID = re.compile(r"[1-9][0-9]{0,17}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format INTEGER NOT NULL,
    credits REAL NOT NULL,
    customerid TEXT NOT NULL,
    next_batch INTEGER NOT NULL,
    next_message INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    batchid INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    schedule REAL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS batches_due ON batches (schedule) WHERE status = 'SCHEDULED';
CREATE TABLE IF NOT EXISTS commons (
    id INTEGER PRIMARY KEY,
    batchid INTEGER NOT NULL,
    sender TEXT NOT NULL,
    content TEXT NOT NULL,
    tag TEXT,
    deliveryreporturl TEXT,
    ttl INTEGER,
    validity INTEGER NOT NULL,
    ai INTEGER,
    metadata TEXT,
    responseemail TEXT
);
CREATE INDEX IF NOT EXISTS commons_batch ON commons (batchid);
CREATE TABLE IF NOT EXISTS messages (
    messageid INTEGER PRIMARY KEY,
    batchid INTEGER NOT NULL,
    common INTEGER NOT NULL,
    destination TEXT NOT NULL,
    credits REAL NOT NULL,
    status TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    final_at REAL
);
CREATE INDEX IF NOT EXISTS messages_batch ON messages (batchid);
CREATE INDEX IF NOT EXISTS messages_due ON messages (final_at) WHERE final_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS incoming (
    messageid INTEGER PRIMARY KEY,
    sender TEXT NOT NULL,
    destination TEXT NOT NULL,
    content TEXT NOT NULL,
    keyword TEXT NOT NULL,
    created REAL NOT NULL,
    unread INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS otps (
    messageid INTEGER PRIMARY KEY,
    destination TEXT NOT NULL,
    passcode TEXT NOT NULL,
    status TEXT NOT NULL,
    validity INTEGER NOT NULL,
    metadata TEXT,
    created REAL NOT NULL,
    expires REAL NOT NULL,
    modified REAL NOT NULL,
    attempts INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS otps_passcode ON otps (passcode);
"""

#: Batch kinds made by the batch calls; the other kinds ("message", "flash", "message-schedule",
#: "otp") hold the one message of a single-message call and are not batches to the API.
BATCH_KINDS = ("send", "any", "schedule")
_BATCH_KINDS_SQL = "('send', 'any', 'schedule')"
#: Statuses ``/messages/failed`` returns.
FAILED_STATUSES = frozenset({"UNDELIVERABLE", "EXPIRED", "REJECTED"})
#: Wrong passcodes after which every waiting one-time passcode is blocked.
OTP_MAX_ATTEMPTS = 3
#: How far back ``GET /messages/schedule`` lists jobs (the API says "the last 3 months").
SCHEDULE_LISTING_SECONDS = 92 * 24 * 60 * 60

_MESSAGE_COLUMNS = (
    "messageid, batchid, common, destination, credits, status, created, modified, final_at"
)
_INCOMING_COLUMNS = "messageid, sender, destination, content, keyword, created, unread"
_OTP_COLUMNS = (
    "messageid, destination, passcode, status, validity, metadata, created, expires, modified,"
    " attempts"
)
_NUMERIC_PASSCODE = re.compile(r"[1-9][0-9]{0,14}")


class StateFileError(ValueError):
    """The ``state_file`` given to a sandbox cannot be used (not one of its databases)."""


@lru_cache(maxsize=4096)
def _js_date(second: int) -> str:
    # Thousands of messages share a second; format it once.
    return format_js_date(second)


def _international(destination: str) -> bool:
    return not destination.startswith("44")


class _Row:
    """One message as the state works on it between reading and writing its row."""

    __slots__ = (
        "batchid",
        "common",
        "created",
        "credits",
        "destination",
        "final_at",
        "messageid",
        "modified",
        "status",
    )

    def __init__(self, row: Sequence[Any]) -> None:
        (
            self.messageid,
            self.batchid,
            self.common,
            self.destination,
            self.credits,
            self.status,
            self.created,
            self.modified,
            self.final_at,
        ) = row

    def values(self) -> Tuple[Any, ...]:
        return (
            self.messageid,
            self.batchid,
            self.common,
            self.destination,
            self.credits,
            self.status,
            self.created,
            self.modified,
            self.final_at,
        )

    @property
    def outcome(self) -> Outcome:
        return outcome_for(self.destination)


def _check_file(path: str) -> None:
    """Refuse a file that is not a sandbox database before SQLite is let near it."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as error:
        raise StateFileError(f"cannot read state file {path}: {error.strerror or error}") from None
    if head and head != _SQLITE_MAGIC:
        kind = "a JSON state file from an older smsworks" if head[:1] in b"{[" else "not SQLite"
        raise StateFileError(
            f"state file {path} is {kind}; move it away (or delete it) to start a new account"
        )


class State:
    """The account behind one sandbox.

    Args:
        credits: opening balance (ignored when ``path`` already holds an account).
        customer_id: what ``/utils/test`` answers (likewise).
        delivery_delay: seconds (sandbox clock) between SENT and a message's outcome.
        clock: returns the current time in epoch seconds; ``advance`` adds to it.
        overdraft: how far below zero the balance may go (an arranged overdraft).
        report_url: account-wide delivery report URL, used when a message has none.
        reports: where delivery reports go, handed over only after their change is committed.
        path: SQLite file to keep the account in; in memory when ``None``.

    Raises:
        StateFileError: ``path`` exists but is not a sandbox database.
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
        path: Optional[str] = None,
    ) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self._clock = clock
        self._offset = 0.0
        self.delivery_delay = float(delivery_delay)
        self.overdraft = float(overdraft)
        self.report_url = report_url
        self._reports = reports
        self._path = path
        self._opening = (float(credits), customer_id)
        self._db: Optional[sqlite3.Connection] = None
        self.customer_id = customer_id
        with self.lock:
            self._connection()

    # -- the database -----------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """The open connection, (re)opened on first use (caller holds the lock)."""
        if self._db is not None:
            return self._db
        if self._path is not None:
            _check_file(self._path)
        try:
            db = sqlite3.connect(
                self._path or ":memory:", isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StateFileError(f"cannot open state file {self._path}: {error}") from None
        try:
            if self._path is not None:
                # WAL: a commit is one append to the log. FULL: it is on disk before the
                # answer goes out, so even a power cut keeps what the sandbox acknowledged.
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.execute("PRAGMA busy_timeout=10000")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if tables and "account" not in tables:
                # Someone else's database: never add our tables to it.
                raise sqlite3.DatabaseError("it holds other tables and no sandbox account")
            db.executescript(_SCHEMA)
            self._db = db
            self._adopt()
        except sqlite3.DatabaseError as error:
            self._db = None
            db.close()
            raise StateFileError(
                f"state file {self._path} cannot be used as a sandbox's database: {error}"
            ) from None
        # Close the connection with the state even if nobody calls close().
        weakref.finalize(self, db.close)
        return db

    def _adopt(self) -> None:
        """Read the account the file holds, or write the opening one into a new file."""
        with self._write():
            row = self._one("SELECT format, customerid FROM account WHERE id = 1")
            if row is None:
                credits, customer = self._opening
                self._sql(
                    "INSERT INTO account VALUES (1, ?, ?, ?, ?, ?)",
                    (FORMAT, credits, customer, _FIRST_BATCH, _FIRST_MESSAGE),
                )
                return
        if row[0] != FORMAT:
            raise sqlite3.DatabaseError(f"format {row[0]}, this sandbox reads format {FORMAT}")
        self.customer_id = str(row[1])

    def close(self) -> None:
        """Close the database (a file's write-ahead log is folded back in and removed).

        The next use opens it again; an in-memory account is gone once closed.
        """
        with self.lock:
            db, self._db = self._db, None
            if db is not None:
                db.close()

    @property
    def persistent(self) -> bool:
        return self._path is not None

    def _sql(self, query: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._connection().execute(query, parameters)

    def _one(self, query: str, parameters: Sequence[Any] = ()) -> Optional[Tuple[Any, ...]]:
        row: Optional[Tuple[Any, ...]] = self._sql(query, parameters).fetchone()
        return row

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction: committed on success, rolled back on any exception."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _send_reports(self, reports: _Reports) -> None:
        # Only after the commit: a report must never announce a change that was rolled back.
        for url, payload in reports:
            self._reports(url, payload)

    def _balance(self) -> float:
        row = self._one("SELECT credits FROM account WHERE id = 1")
        assert row is not None
        return float(row[0])

    def _add_credits(self, amount: float) -> None:
        if amount:
            self._sql("UPDATE account SET credits = credits + ? WHERE id = 1", (amount,))

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
        batch = self._one("SELECT MIN(schedule) FROM batches WHERE status = 'SCHEDULED'")
        message = self._one("SELECT MIN(final_at) FROM messages WHERE final_at IS NOT NULL")
        times = [row[0] for row in (batch, message) if row is not None and row[0] is not None]
        return min(times) if times else None

    def tick(self) -> None:
        """Apply every event that is due, in one transaction (caller holds the lock)."""
        due = self.next_due()
        if due is None or due > self.now():
            return
        reports: _Reports = []
        with self._write():
            self._apply_due(reports)
        self._send_reports(reports)

    def _apply_due(self, reports: _Reports) -> None:
        """Run due schedules and settle due messages, oldest first (inside a transaction)."""
        now = self.now()
        while True:
            due = self.next_due()
            if due is None or due > now:
                return
            batches = self._sql(
                "SELECT batchid FROM batches WHERE status = 'SCHEDULED' AND schedule = ?", (due,)
            ).fetchall()
            if batches:
                for (batchid,) in batches:
                    self._sql(
                        "UPDATE batches SET status = 'PROCESSED' WHERE batchid = ?", (batchid,)
                    )
                    rows = [
                        _Row(row)
                        for row in self._sql(
                            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE batchid = ?"
                            " ORDER BY messageid",
                            (batchid,),
                        )
                    ]
                    self._dispatch(rows, self._commons(batchid), due, reports)
                    self._update(rows)
                continue
            rows = [
                _Row(row)
                for row in self._sql(
                    f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE final_at = ?"
                    " ORDER BY messageid",
                    (due,),
                )
            ]
            commons: Dict[int, Common] = {}
            refunds = 0.0
            for row in rows:
                if row.status == "SENT":
                    if row.common not in commons:
                        commons.update(self._commons(row.batchid))
                    refunds += self._finish(row, commons[row.common], due, reports)
                row.final_at = None
            self._add_credits(refunds)
            self._update(rows)

    def _update(self, rows: List[_Row]) -> None:
        self._connection().executemany(
            "UPDATE messages SET credits = ?, status = ?, modified = ?, final_at = ?"
            " WHERE messageid = ?",
            [(row.credits, row.status, row.modified, row.final_at, row.messageid) for row in rows],
        )

    # -- sending ----------------------------------------------------------------------------

    def _cost(self, common: Common, destination: str, segments: Dict[str, int]) -> float:
        if outcome_for(destination).status == "REJECTED":
            return 0.0  # the platform refuses it before it costs anything
        parts = segments.get(common.content)
        if parts is None:
            parts = segments[common.content] = count_segments(common.content).segments
        return float(parts * (2 if _international(destination) else 1))

    def submit(
        self,
        kind: str,
        items: Sequence[Tuple[Common, str]],
        schedule: Optional[float] = None,
    ) -> str:
        """Accept a batch: check and take its credits, create its messages, send it unless
        scheduled. Returns the batch id once all of it is committed. Raises ``SandboxError``
        (402) leaving nothing changed.
        """
        reports: _Reports = []
        with self.lock:
            with self._write():
                batchid, _, _ = self._accept(kind, items, schedule, reports)
            self.changed.notify_all()
        self._send_reports(reports)
        return str(batchid)

    def send_one(
        self, kind: str, common: Common, destination: str, schedule: Optional[float] = None
    ) -> Dict[str, Any]:
        """Accept one message (``kind`` message, flash or message-schedule), charged like a
        batch's. Returns what the API answers: id, first status, balance, cost and parts."""
        reports: _Reports = []
        with self.lock:
            with self._write():
                _, messageid, cost = self._accept(kind, [(common, destination)], schedule, reports)
                answer = self._sent_answer(messageid, cost, common)
            self.changed.notify_all()
        self._send_reports(reports)
        return answer

    def _sent_answer(self, messageid: int, cost: float, common: Common) -> Dict[str, Any]:
        row = self._one("SELECT status FROM messages WHERE messageid = ?", (messageid,))
        assert row is not None
        # A message that settles within its own request still went out as SENT first.
        status = row[0] if row[0] in ("SCHEDULED", "REJECTED") else "SENT"
        return {
            "messageid": str(messageid),
            "status": status,
            "credits": self._balance(),
            "creditsUsed": cost,
            "messageparts": count_segments(common.content).segments,
        }

    def _accept(
        self,
        kind: str,
        items: Sequence[Tuple[Common, str]],
        schedule: Optional[float],
        reports: _Reports,
    ) -> Tuple[int, int, float]:
        """Price, charge, store and (unless scheduled) send; (batch id, first message id, cost).

        Inside the caller's transaction; raises ``SandboxError`` (402, or 400 for a schedule in
        the past) before changing anything.
        """
        segments: Dict[str, int] = {}
        costs = [self._cost(common, to, segments) for common, to in items]
        total = sum(costs)
        self._apply_due(reports)
        now = self.now()
        if schedule is not None and schedule <= now:
            raise SandboxError.extended(1016, "schedule is in the past; give a time in the future")
        account = self._one("SELECT credits, next_batch, next_message FROM account WHERE id = 1")
        assert account is not None
        balance, batchid, first = float(account[0]), int(account[1]), int(account[2])
        if balance - total < -self.overdraft:
            what = "the batch" if kind in BATCH_KINDS else "the message"
            raise SandboxError.extended(
                1030,
                f"insufficient credits: {what} needs {total:g}, "
                f"the balance is {balance:g}; nothing was sent",
            )
        self._sql(
            "UPDATE account SET credits = credits - ?, next_batch = ?, next_message = ?"
            " WHERE id = 1",
            (total, batchid + 1, first + len(items)),
        )
        self._sql(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?)",
            (batchid, kind, "SENT" if schedule is None else "SCHEDULED", schedule, now),
        )
        common_ids = self._store_commons(batchid, [common for common, _ in items])
        rows = [
            _Row(
                (first + index, batchid, common_ids[id(common)], to, cost)
                + ("SCHEDULED", now, now, None)
            )
            for index, ((common, to), cost) in enumerate(zip(items, costs))
        ]
        if schedule is None:
            by_id = {common_ids[id(common)]: common for common, _ in items}
            self._dispatch(rows, by_id, now, reports)
        self._connection().executemany(
            "INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [row.values() for row in rows],
        )
        return batchid, first, total

    def _store_commons(self, batchid: int, commons: List[Common]) -> Dict[int, int]:
        """Insert each distinct ``Common`` of a batch once; map ``id(common)`` to its row id."""
        ids: Dict[int, int] = {}
        rows: List[Tuple[Any, ...]] = []
        row = self._one("SELECT COALESCE(MAX(id), 0) FROM commons")
        assert row is not None
        next_id = int(row[0]) + 1
        for common in commons:
            if id(common) in ids:
                continue
            ids[id(common)] = next_id
            rows.append(
                (
                    next_id,
                    batchid,
                    common.sender,
                    common.content,
                    common.tag,
                    common.deliveryreporturl,
                    common.ttl,
                    common.validity,
                    None if common.ai is None else int(common.ai),
                    None if common.metadata is None else json.dumps(common.metadata),
                    None if common.responseemail is None else json.dumps(common.responseemail),
                )
            )
            next_id += 1
        self._connection().executemany(
            "INSERT INTO commons VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
        return ids

    def _commons(self, batchid: int) -> Dict[int, Common]:
        commons: Dict[int, Common] = {}
        for row in self._sql(
            "SELECT id, sender, content, tag, deliveryreporturl, ttl, validity, ai, metadata,"
            " responseemail FROM commons WHERE batchid = ?",
            (batchid,),
        ):
            commons[row[0]] = Common(
                sender=row[1],
                content=row[2],
                tag=row[3],
                deliveryreporturl=row[4],
                ttl=row[5],
                validity=row[6],
                ai=None if row[7] is None else bool(row[7]),
                metadata=None if row[8] is None else json.loads(row[8]),
                responseemail=None if row[9] is None else json.loads(row[9]),
            )
        return commons

    def _dispatch(
        self, rows: List[_Row], commons: Dict[int, Common], now: float, reports: _Reports
    ) -> None:
        """Hand a batch's messages to the "network" (inside a transaction)."""
        refunds = 0.0
        for row in rows:
            row.status = "SENT"
            row.modified = now
            when = row.outcome.when
            if when == "never":
                continue
            if when == "at-send" or (when == "delay" and self.delivery_delay <= 0):
                refunds += self._finish(row, commons[row.common], now, reports)
            elif when == "delay":
                row.final_at = now + self.delivery_delay
            else:  # "validity": the network gives up when the validity period runs out
                row.final_at = now + commons[row.common].validity * 60.0
        self._add_credits(refunds)

    def _finish(self, row: _Row, common: Common, now: float, reports: _Reports) -> float:
        """Move a message to its outcome and queue its report; returns the credits to refund
        (UNDELIVERABLE and EXPIRED messages get theirs back)."""
        outcome = row.outcome
        row.status = outcome.status
        row.modified = now
        row.final_at = None
        refund = 0.0
        if not outcome.charged and row.credits:
            refund, row.credits = row.credits, 0.0
        url = common.deliveryreporturl or self.report_url
        if url:
            reports.append((url, self._report(row, common)))
        return refund

    # -- reading ----------------------------------------------------------------------------

    def _failure(self, row: _Row) -> Optional[Dict[str, Any]]:
        outcome = row.outcome
        if outcome.code is None or row.status != outcome.status:
            return None
        return {"code": outcome.code, "details": outcome.details, "permanent": outcome.permanent}

    def _report(self, row: _Row, common: Common) -> Dict[str, Any]:
        report: Dict[str, Any] = {
            "messageid": str(row.messageid),
            "batchid": str(row.batchid),
            "customerid": self.customer_id,
            "sender": common.sender,
            "destination": int(row.destination),
            "status": row.status,
            "created": _js_date(int(row.created)),
            "modified": _js_date(int(row.modified)),
            "tag": common.tag or "",
        }
        failure = self._failure(row)
        if failure is not None:
            report["failurereason"] = failure
        return report

    def _record(
        self, row: _Row, common: Common, schedule: Optional[float], batch: bool = True
    ) -> Dict[str, Any]:
        record: Dict[str, Any] = {
            "id": str(row.messageid),
            "messageid": str(row.messageid),
            "customerid": self.customer_id,
            "identifier": str(7_000_000_000 + row.messageid),
            "sender": common.sender,
            # The API types destination as a number, and its records carry one. Destinations
            # with a leading zero are refused on the way in, so the number is the text.
            "destination": int(row.destination),
            "content": common.content,
            "status": row.status,
            "schedule": "" if schedule is None else _js_date(int(schedule)),
            "created": _js_date(int(row.created)),
            "modified": _js_date(int(row.modified)),
            "credits": row.credits,
            # Upstream's MessageResponse requires tag: a batch sent without one shows it empty.
            "tag": common.tag or "",
        }
        if batch:  # a single message's record has no batch to name
            record["batchid"] = str(row.batchid)
        if common.deliveryreporturl is not None:
            record["deliveryreporturl"] = common.deliveryreporturl
        if common.metadata is not None:
            record["metadata"] = common.metadata
        failure = self._failure(row)
        if failure is not None:
            record["failurereason"] = failure
        return record

    def _batch_records(
        self, batchid: int, schedule: Optional[float], batch: bool = True
    ) -> List[Dict[str, Any]]:
        commons = self._commons(batchid)
        return [
            self._record(_Row(row), commons[row[2]], schedule, batch)
            for row in self._sql(
                f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE batchid = ? ORDER BY messageid",
                (batchid,),
            )
        ]

    def _find(self, batchid: str) -> Optional[Tuple[int, str, Optional[float]]]:
        """(id, status, schedule) of a batch, or ``None`` when there is none by that id."""
        if not _ID.fullmatch(batchid):
            return None
        row = self._one(
            "SELECT batchid, status, schedule FROM batches WHERE batchid = ?"
            f" AND kind IN {_BATCH_KINDS_SQL}",
            (int(batchid),),
        )
        return None if row is None else (int(row[0]), str(row[1]), row[2])

    def batch_records(self, batchid: str) -> List[Dict[str, Any]]:
        """Every message of a batch, or a 404 ``SandboxError``."""
        with self.lock:
            self.tick()
            found = self._find(batchid)
            if found is None:
                raise SandboxError.not_found(f"No batch found with id {batchid}")
            return self._batch_records(found[0], found[2])

    def cancel(self, batchid: str) -> Dict[str, Any]:
        """Cancel a scheduled batch and refund what it reserved."""
        with self.lock:
            self.tick()
            found = self._find(batchid)
            if found is None:
                raise SandboxError.extended(1052, f"No scheduled batch found with id {batchid}")
            self._cancel(found[0], found[1], f"batch {batchid}")
            # The API reuses the single-message schema here: the batch id sits under "messageid".
            return {"messageid": batchid, "status": "CANCELLED"}

    def _cancel(self, batchid: int, status: str, what: str) -> None:
        """Cancel one scheduled job and refund it (caller holds the lock)."""
        if status == "CANCELLED":
            raise SandboxError.extended(1050, f"{what} is already cancelled")
        if status != "SCHEDULED":
            raise SandboxError.extended(
                1051, f"{what} has already been sent and cannot be cancelled"
            )
        with self._write():
            row = self._one(
                "SELECT COALESCE(SUM(credits), 0) FROM messages WHERE batchid = ?", (batchid,)
            )
            assert row is not None
            self._add_credits(float(row[0]))
            self._sql("UPDATE batches SET status = 'CANCELLED' WHERE batchid = ?", (batchid,))
            self._sql(
                "UPDATE messages SET credits = 0, status = 'CANCELLED', modified = ?"
                " WHERE batchid = ?",
                (self.now(), batchid),
            )
        self.changed.notify_all()

    # -- the account, for the Sandbox's own properties --------------------------------------

    def balance(self) -> float:
        """The balance after everything due (caller holds the lock)."""
        self.tick()
        return self._balance()

    def set_balance(self, value: float) -> None:
        """Top up or drain the account (caller holds the lock)."""
        with self._write():
            self._sql("UPDATE account SET credits = ? WHERE id = 1", (float(value),))

    def batch_summaries(self) -> List[Tuple[str, str, str, int, float, Optional[float]]]:
        """(batchid, status, kind, messages, credits, schedule) of every batch, oldest first
        (caller holds the lock)."""
        self.tick()
        return [
            (str(row[0]), row[1], row[2], int(row[3]), float(row[4]), row[5])
            for row in self._sql(
                "SELECT b.batchid, b.status, b.kind, COUNT(m.messageid),"
                " COALESCE(SUM(m.credits), 0), b.schedule FROM batches b"
                " LEFT JOIN messages m ON m.batchid = b.batchid"
                f" WHERE b.kind IN {_BATCH_KINDS_SQL}"
                " GROUP BY b.batchid ORDER BY b.batchid"
            )
        ]

    def sent_records(self) -> List[Dict[str, Any]]:
        """Every message that has gone out, oldest first (caller holds the lock)."""
        self.tick()
        records: List[Dict[str, Any]] = []
        for batchid, schedule, kind in self._sql(
            "SELECT batchid, schedule, kind FROM batches ORDER BY batchid"
        ).fetchall():
            records.extend(
                record
                for record in self._batch_records(int(batchid), schedule, kind in BATCH_KINDS)
                if record["status"] not in ("SCHEDULED", "CANCELLED")
            )
        return records

    # -- single messages ----------------------------------------------------------------------

    def _outgoing(self, messageid: str) -> Optional[Tuple[_Row, str, str, Optional[float]]]:
        """(row, kind, batch status, schedule) of a sent message (caller holds the lock)."""
        if not _ID.fullmatch(messageid):
            return None
        row = self._one(
            "SELECT m.messageid, m.batchid, m.common, m.destination, m.credits, m.status,"
            " m.created, m.modified, m.final_at, b.kind, b.status, b.schedule"
            " FROM messages m JOIN batches b ON b.batchid = m.batchid WHERE m.messageid = ?",
            (int(messageid),),
        )
        if row is None:
            return None
        return _Row(row[:9]), str(row[9]), str(row[10]), row[11]

    def _incoming(self, messageid: str) -> Optional[Tuple[Any, ...]]:
        if not _ID.fullmatch(messageid):
            return None
        return self._one(
            f"SELECT {_INCOMING_COLUMNS} FROM incoming WHERE messageid = ?", (int(messageid),)
        )

    def message_record(self, messageid: str) -> Dict[str, Any]:
        """One message, sent or received, or a 404 ``SandboxError``. Reading a reply marks it
        read."""
        with self.lock:
            self.tick()
            found = self._outgoing(messageid)
            if found is not None:
                row, kind, _, schedule = found
                common = self._commons(row.batchid)[row.common]
                return self._record(row, common, schedule, kind in BATCH_KINDS)
            incoming = self._incoming(messageid)
            if incoming is None:
                raise SandboxError.not_found(f"No message found with id {messageid}")
            with self._write():
                self._sql("UPDATE incoming SET unread = 0 WHERE messageid = ?", (incoming[0],))
            return self._incoming_record(incoming)

    def delete_message(self, messageid: str) -> Dict[str, Any]:
        """Remove a message's record (no refund: it was sent). A message still waiting to go
        out is refused: cancel it instead."""
        with self.lock:
            self.tick()
            found = self._outgoing(messageid)
            if found is not None:
                if found[2] == "SCHEDULED":
                    raise SandboxError.extended(
                        1055, f"message {messageid} is scheduled; cancel it instead of deleting it"
                    )
                table = "messages"
            elif self._incoming(messageid) is not None:
                table = "incoming"
            else:
                raise SandboxError.not_found(f"No message found with id {messageid}")
            with self._write():
                self._sql(f"DELETE FROM {table} WHERE messageid = ?", (int(messageid),))
            self.changed.notify_all()
            return {"messageid": messageid, "status": "DELETED"}

    def cancel_message(self, messageid: str) -> Dict[str, Any]:
        """Cancel a message made with ``/message/schedule`` and refund it."""
        with self.lock:
            self.tick()
            found = self._outgoing(messageid)
            if found is None or found[1] in BATCH_KINDS:
                raise SandboxError.extended(1056, f"No scheduled message found with id {messageid}")
            row, kind, status, _ = found
            if kind != "message-schedule":
                raise SandboxError.extended(1051, f"message {messageid} was never scheduled")
            self._cancel(row.batchid, status, f"message {messageid}")
            return {"messageid": messageid, "status": "CANCELLED"}

    def scheduled_jobs(self) -> List[Dict[str, Any]]:
        """Every batch or message scheduled in the last three months or still to come."""
        with self.lock:
            self.tick()
            since = self.now() - SCHEDULE_LISTING_SECONDS
            jobs: List[Dict[str, Any]] = []
            for batchid, kind, status, schedule in self._sql(
                "SELECT batchid, kind, status, schedule FROM batches"
                " WHERE kind IN ('schedule', 'message-schedule') AND schedule >= ?"
                " ORDER BY batchid",
                (since,),
            ).fetchall():
                rows = self._sql(
                    "SELECT messageid, destination, common FROM messages WHERE batchid = ?"
                    " ORDER BY messageid",
                    (batchid,),
                ).fetchall()
                commons = self._commons(batchid)
                if not rows:
                    continue
                common = commons[rows[0][2]]
                message: Dict[str, Any] = {
                    "sender": common.sender,
                    "content": common.content,
                    "schedule": _iso(schedule),
                }
                single = kind == "message-schedule"
                if single:
                    message["destination"] = rows[0][1]
                else:
                    message["destinations"] = [row[1] for row in rows]
                jobs.append(
                    {
                        "status": status,
                        "id": str(rows[0][0] if single else batchid),
                        "batch": not single,
                        "message": message,
                    }
                )
            return jobs

    # -- searches and the inbox ----------------------------------------------------------------

    def _incoming_record(self, row: Sequence[Any]) -> Dict[str, Any]:
        messageid, sender, destination, content, keyword, created, _ = row
        return {
            "id": str(messageid),
            "messageid": str(messageid),
            "customerid": self.customer_id,
            "sender": sender,
            "destination": int(destination),
            "content": content,
            "keyword": keyword,
            "status": "INCOMING",
            "schedule": "",
            "tag": "",
            "created": _js_date(int(created)),
            "modified": _js_date(int(created)),
        }

    def search(self, query: Query, scope: str) -> List[Dict[str, Any]]:
        """The messages matching ``query``, newest first, paged. ``scope``: ``all`` (sent and
        received), ``inbox`` (received; unread ones unless ``unread`` says otherwise) or
        ``failed`` (sent messages that failed)."""
        with self.lock:
            self.tick()
            found: List[Tuple[float, int, Dict[str, Any], Optional[bool]]] = []
            if scope != "inbox":
                commons: Dict[int, Dict[int, Common]] = {}
                for row in self._sql(
                    "SELECT m.messageid, m.batchid, m.common, m.destination, m.credits,"
                    " m.status, m.created, m.modified, m.final_at, b.kind, b.schedule"
                    " FROM messages m JOIN batches b ON b.batchid = m.batchid"
                ).fetchall():
                    message = _Row(row[:9])
                    if scope == "failed" and message.status not in FAILED_STATUSES:
                        continue
                    if message.batchid not in commons:
                        commons[message.batchid] = self._commons(message.batchid)
                    common = commons[message.batchid][message.common]
                    record = self._record(message, common, row[10], row[9] in BATCH_KINDS)
                    found.append((message.created, message.messageid, record, None))
            if scope != "failed":
                for row in self._sql(f"SELECT {_INCOMING_COLUMNS} FROM incoming").fetchall():
                    unread = bool(row[6])
                    if scope == "inbox" and unread != (
                        True if query.unread is None else query.unread
                    ):
                        continue
                    found.append((row[5], row[0], self._incoming_record(row), unread))
        found = [item for item in found if _matches(query, item[0], item[2], item[3])]
        found.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [item[2] for item in found[query.skip : query.skip + query.limit]]

    def receive(
        self, sender: str, content: str, destination: str, keyword: Optional[str]
    ) -> Dict[str, Any]:
        """Store a reply from ``sender`` to ``destination``; returns its record."""
        with self.lock:
            with self._write():
                row = self._one("SELECT next_message FROM account WHERE id = 1")
                assert row is not None
                messageid = int(row[0])
                self._sql("UPDATE account SET next_message = ? WHERE id = 1", (messageid + 1,))
                words = content.split()
                word = keyword if keyword is not None else (words[0].upper() if words else "")
                values = (messageid, sender, destination, content, word, self.now(), 1)
                self._sql("INSERT INTO incoming VALUES (?, ?, ?, ?, ?, ?, ?)", values)
            return self._incoming_record(values)

    # -- one-time passcodes --------------------------------------------------------------------

    def send_otp(self, request: OtpRequest) -> Dict[str, Any]:
        """Text a passcode (generated unless the request has one) and keep it for checking."""
        passcode = request.passcode or _new_passcode(request.length)
        common = request.common._replace(
            content=request.common.content.replace(_limits.OTP_PLACEHOLDER, passcode)
        )
        reports: _Reports = []
        with self.lock:
            with self._write():
                _, messageid, cost = self._accept(
                    "otp", [(common, request.destination)], None, reports
                )
                now = self.now()
                metadata = None if request.metadata is None else json.dumps(request.metadata)
                self._sql(
                    "INSERT INTO otps VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, 0)",
                    (
                        messageid,
                        request.destination,
                        passcode,
                        request.validity,
                        metadata,
                        now,
                        now + request.validity,
                        now,
                    ),
                )
                answer = self._sent_answer(messageid, cost, common)
            self.changed.notify_all()
        self._send_reports(reports)
        return answer

    def _otp_record(self, row: Sequence[Any]) -> Dict[str, Any]:
        _, destination, passcode, status, validity, metadata, created, expires, modified, _ = row
        if status == "PENDING" and self.now() > expires:
            status = "EXPIRED"
        record: Dict[str, Any] = {
            "destination": destination,
            "status": status,
            # The API sends the passcode as a JSON number; one that a number would change
            # (a leading zero, letters) goes out as text.
            "passcode": int(passcode) if _NUMERIC_PASSCODE.fullmatch(passcode) else passcode,
            "validity": validity,
            "created": _js_date(int(created)),
            "expires": _js_date(int(expires)),
            "modified": _js_date(int(modified)),
        }
        if metadata is not None:
            record["metadata"] = json.loads(metadata)
        return record

    def otp_record(self, messageid: str) -> Dict[str, Any]:
        """A passcode by the id of the text that carried it, or a 404 ``SandboxError``."""
        with self.lock:
            row = None
            if _ID.fullmatch(messageid):
                row = self._one(
                    f"SELECT {_OTP_COLUMNS} FROM otps WHERE messageid = ?", (int(messageid),)
                )
            if row is None:
                raise SandboxError.not_found(f"No one-time passcode found with id {messageid}")
            return self._otp_record(row)

    def verify_otp(self, passcode: str) -> Dict[str, Any]:
        """Check a passcode: VERIFIED once, in time; EXPIRED after its validity. A passcode no
        record has counts as a wrong attempt against every waiting one."""
        with self.lock:
            now = self.now()
            error: Optional[SandboxError] = None
            answer: Dict[str, Any] = {}
            with self._write():
                rows = self._sql(
                    f"SELECT {_OTP_COLUMNS} FROM otps WHERE passcode = ?"
                    " ORDER BY created DESC, messageid DESC",
                    (passcode,),
                ).fetchall()
                waiting = [row for row in rows if row[3] == "PENDING"]
                if waiting:
                    row = waiting[0]
                    status = "EXPIRED" if now > row[7] else "VERIFIED"
                    self._sql(
                        "UPDATE otps SET status = ?, modified = ? WHERE messageid = ?",
                        (status, now, row[0]),
                    )
                    answer = self._otp_record((*row[:3], status, *row[4:8], now, row[9]))
                elif rows and rows[0][3] == "VERIFIED":
                    error = SandboxError.extended(1090, "this passcode has been verified already")
                elif rows and rows[0][3] == "BLOCKED":
                    error = SandboxError.extended(
                        1091, "this passcode is blocked after too many wrong attempts"
                    )
                elif rows:
                    answer = self._otp_record(rows[0])
                else:
                    self._sql(
                        "UPDATE otps SET attempts = attempts + 1"
                        " WHERE status = 'PENDING' AND expires >= ?",
                        (now,),
                    )
                    self._sql(
                        "UPDATE otps SET status = 'BLOCKED', modified = ?"
                        " WHERE status = 'PENDING' AND attempts >= ?",
                        (now, OTP_MAX_ATTEMPTS),
                    )
                    error = SandboxError.not_found("No one-time passcode matches")
            # Raised after the commit: a wrong attempt must count even though it is refused.
            if error is not None:
                raise error
            return answer

    def last_otp(self, destination: str) -> Optional[str]:
        """The passcode most recently texted to ``destination``, if any."""
        with self.lock:
            row = self._one(
                "SELECT passcode FROM otps WHERE destination = ? ORDER BY messageid DESC LIMIT 1",
                (destination,),
            )
            return None if row is None else str(row[0])


def _iso(epoch: float) -> str:
    """``2024-07-17T13:30:00.000Z``: how the API's listings write times."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _new_passcode(length: int) -> str:
    # Digits, as the API documents; never a leading zero, so the API's JSON number keeps them.
    return secrets.choice("123456789") + "".join(
        secrets.choice("0123456789") for _ in range(length - 1)
    )


def _matches(query: Query, created: float, record: Dict[str, Any], unread: Optional[bool]) -> bool:
    """Whether one message passes every filter ``query`` gives."""
    if query.status is not None and record["status"] != query.status.upper():
        return False
    if query.credits is not None and record.get("credits") != query.credits:
        return False
    if query.destination is not None and str(record["destination"]) != query.destination.lstrip(
        "+"
    ):
        return False
    if query.sender is not None and record["sender"] != query.sender:
        return False
    if query.keyword is not None and record.get("keyword", "").upper() != query.keyword.upper():
        return False
    if query.start is not None and created < query.start:
        return False
    if query.end is not None and created > query.end:
        return False
    if query.unread is not None and unread != query.unread:
        return False
    stored = record.get("metadata") or []
    return all(pair in stored for pair in query.metadata)


def default_clock() -> float:
    """Wall-clock time; the sandbox's default."""
    return time.time()
