"""The ``smsworks`` command: send, schedule, read back and cancel batches from a shell.

::

    smsworks batch send --sender Acme --content "Hi" --to 447700900001 --to 447700900002
    smsworks batch any messages.csv --sender Acme
    smsworks batch schedule --at 2026-12-01T09:00:00+00:00 --sender Acme --content "Hi" --to ...
    smsworks batch get 3000001
    smsworks batch cancel 3000002
    smsworks estimate --content "Hi there" --to 447700900001
    smsworks sandbox --port 8025

Every command talks to the API through the SDK's public surface (``ApiClient``,
``BatchMessagesApi``, the models and the exception tree). Exit status: 0 on success, 1 when the
API (or the network) failed, 2 for bad usage or input (nothing was sent), 130 on Ctrl+C.
The token is read from ``--token`` or ``SMSWORKS_TOKEN`` and never written to any output.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import shlex
import signal
import sys
import threading
from contextlib import contextmanager
from datetime import datetime
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    NoReturn,
    Optional,
    Sequence,
    Set,
    Tuple,
)

if TYPE_CHECKING:
    from ._batching import ChunkedSendReport, ProgressInfo
    from .api.batch_messages_api import BatchMessagesApi

__all__ = ["main"]

PROG = "smsworks"
EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: Opening balance of a sandbox the command starts (``sandbox``, ``--sandbox``): enough for
#: every example of the documentation, volume sends included. A real account (and
#: ``Sandbox()`` in code) starts with 50; ``--credits 50`` starts like one.
SANDBOX_CREDITS = 100_000.0

#: Columns (CSV) or keys (JSON lines) of ``batch any`` that map to a ``Message`` field.
MESSAGE_FIELDS = (
    "destination",
    "content",
    "sender",
    "tag",
    "deliveryreporturl",
    "schedule",
    "validity",
    "ttl",
    "ai",
    "responseemail",
    "metadata",
)
_INT_FIELDS = ("validity", "ttl")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


class UsageError(Exception):
    """Bad usage or input, found before anything was sent (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (and where to find the full usage)."""

    def error(self, message: str) -> NoReturn:
        text = f"{self.prog}: error: {message} (see {self.prog} --help)"
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        self.exit(EXIT_USAGE, " ".join(text.split()) + "\n")


# -- output ----------------------------------------------------------------------------------


class Output:
    """Where everything printed goes, with the token scrubbed from every line."""

    def __init__(self, as_json: bool, stdout: IO[str], stderr: IO[str]) -> None:
        self.as_json = as_json
        self.stdout = stdout
        self.stderr = stderr
        self.secrets: Set[str] = set()

    def hide(self, secret: Optional[str]) -> None:
        """Never print ``secret``: its bare form is hidden, so any ``JWT ``-prefixed form is too."""
        from ._redact import remember

        if secret:
            words = secret.split()
            self.secrets.add(words[-1] if words else secret)
            # Known to the SDK too, so a cut made before printing redacts before cutting.
            remember(secret)

    def _clean(self, text: str) -> str:
        from ._redact import redact

        # A byte that was not UTF-8 in argv or a file name arrives as a lone surrogate, which
        # no stream can encode: show it escaped instead of failing while reporting it.
        return redact(text, self.secrets).encode("utf-8", "backslashreplace").decode("utf-8")

    def print(self, text: str = "") -> None:
        self.stdout.write(self._clean(text) + "\n")
        self.stdout.flush()

    def json(self, data: Any) -> None:
        self.print(json.dumps(data, ensure_ascii=False, default=str))

    def note(self, text: str) -> None:
        self.stderr.write(self._clean(text) + "\n")
        self.stderr.flush()

    def error(self, text: str) -> None:
        one_line = " ".join(text.split())
        self.note(f"{PROG}: error: {one_line}")


def _table(rows: Sequence[Sequence[str]], header: Optional[Sequence[str]] = None) -> str:
    """Rows as left-aligned columns separated by two spaces."""
    everything = ([list(header)] if header else []) + [list(row) for row in rows]
    if not everything:
        return ""
    widths = [max(len(row[i]) for row in everything) for i in range(len(everything[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in everything]  # fmt: skip
    return "\n".join(lines)


def _pairs(pairs: Sequence[Tuple[str, Any]]) -> str:
    return _table([(name, "" if value is None else str(value)) for name, value in pairs])


# -- errors ----------------------------------------------------------------------------------


def _describe_api_error(error: BaseException) -> str:
    """One line: HTTP status, the API's errorCode and status, and its message."""
    from .exceptions import ApiConnectionError, ApiTimeoutError, SendOutcomeUnknownError

    if isinstance(error, SendOutcomeUnknownError):
        return (
            "the send may or may not have reached The SMS Works "
            f"({getattr(error, 'reason', None) or error.__class__.__name__}); it was not "
            "retried, to avoid texting anyone twice. Check your batches before sending again."
        )
    if isinstance(error, ApiTimeoutError):
        return f"timed out: {error}"
    if isinstance(error, ApiConnectionError):
        return f"could not reach the API: {error}"
    status = getattr(error, "status", None)
    parts = [f"HTTP {status}" if status is not None else error.__class__.__name__]
    code = getattr(error, "error_code", None)
    data = getattr(error, "data", None)
    api_status = getattr(data, "status", None)
    if code is not None:
        parts.append(f"errorCode {code}" + (f" ({api_status})" if api_status else ""))
    message = getattr(error, "message", None)
    if not message:
        body = getattr(error, "body", None)
        from ._redact import cut

        # Redacted before the cut: a cut through a token would leave a piece nobody can match.
        message = cut(body.strip(), 300) if body else getattr(error, "reason", None) or str(error)
    return ", ".join(parts) + f": {message}"


# -- inputs ----------------------------------------------------------------------------------


def _open_text(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None


def _split_numbers(values: Sequence[str]) -> List[str]:
    numbers: List[str] = []
    for value in values:
        numbers.extend(part.strip() for part in value.split(",") if part.strip())
    return numbers


def _read_numbers(path: str) -> List[str]:
    """One number per line (commas also separate); blank lines and ``#`` comments skipped."""
    handle = _open_text(path)
    try:
        lines = [line.split("#", 1)[0] for line in handle]
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text: {error}") from None
    finally:
        if handle is not sys.stdin:
            handle.close()
    return _split_numbers(lines)


def _recipients(args: argparse.Namespace) -> List[str]:
    numbers = _split_numbers(args.to or [])
    for path in args.to_file or []:
        numbers.extend(_read_numbers(path))
    return numbers


def _boolean(value: str, where: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise UsageError(f"{where}: expected true or false, got {value!r}")


def _message_from_fields(
    fields: Dict[str, Any], where: str, defaults: Dict[str, Any], from_csv: bool
) -> Dict[str, Any]:
    """A ``Message`` dict from one CSV row or JSON line; ``metadata.*`` columns become metadata."""
    message: Dict[str, Any] = {}
    metadata: List[Dict[str, str]] = []
    unknown: List[str] = []
    for raw_key, value in fields.items():
        key = (raw_key or "").strip()
        name = key.lower()
        if from_csv and isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
        if value is None:
            continue
        if name == "to":
            name = "destination"
        if name.startswith("metadata.") and len(key) > len("metadata."):
            metadata.append({"key": key[len("metadata.") :], "value": str(value)})
            continue
        if not _known_column(name):
            unknown.append(key or "(empty)")
            continue
        if from_csv:
            if name in _INT_FIELDS:
                try:
                    value = int(value)
                except ValueError:
                    raise UsageError(f"{where}: {name} must be a whole number") from None
            elif name == "ai":
                value = _boolean(value, f"{where}: ai")
            elif name == "responseemail":
                value = [part.strip() for part in value.split(";") if part.strip()]
            elif name == "metadata":
                raise UsageError(f"{where}: in CSV, give metadata as 'metadata.<key>' columns")
        elif name == "metadata" and isinstance(value, dict):
            value = [{"key": str(k), "value": str(v)} for k, v in value.items()]
        elif name == "destination" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        message[name] = value
    if unknown:
        raise UsageError(_unknown_columns(where, unknown))
    if metadata:
        message["metadata"] = list(message.get("metadata") or []) + metadata
    for name, value in defaults.items():
        if value is not None and name not in message:
            message[name] = value
    for name in ("destination", "content", "sender"):
        if name not in message:
            hint = " (add a sender column or pass --sender)" if name == "sender" else ""
            raise UsageError(f"{where}: no {name}{hint}")
    return message


def _known_column(name: str) -> bool:
    name = name.strip().lower()
    return (
        name in MESSAGE_FIELDS
        or name == "to"
        or (name.startswith("metadata.") and len(name) > len("metadata."))
    )


def _unknown_columns(where: str, unknown: Sequence[str]) -> str:
    return (
        f"{where}: unknown column(s) {', '.join(unknown)}; known: to (or destination), "
        f"{', '.join(MESSAGE_FIELDS[1:])} and metadata.<key>"
    )


def _detect_format(path: str, text: str, forced: Optional[str]) -> str:
    if forced:
        return forced
    lowered = path.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lowered.endswith(".csv"):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def _read_messages(
    path: str, forced: Optional[str], defaults: Dict[str, Any]
) -> Tuple[List[Dict[str, Any]], List[int]]:
    """Messages from a CSV or JSON-lines file, with the line each came from."""
    handle = _open_text(path)
    try:
        text = handle.read()
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text: {error}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    finally:
        if handle is not sys.stdin:
            handle.close()
    name = "stdin" if path == "-" else os.path.basename(path)
    messages: List[Dict[str, Any]] = []
    lines: List[int] = []
    if _detect_format(path, text, forced) == "jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{name} line {number}"
            try:
                item = json.loads(line)
            except ValueError as error:
                raise UsageError(f"{where}: not JSON: {error}") from None
            if not isinstance(item, dict):
                raise UsageError(f"{where}: each line must be a JSON object")
            messages.append(_message_from_fields(item, where, defaults, from_csv=False))
            lines.append(number)
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames:
            raise UsageError(f"{name}: empty file; the first line must name the columns")
        columns = {(field or "").strip().lower() for field in reader.fieldnames}
        if not {"destination", "to"} & columns or "content" not in columns:
            raise UsageError(
                f"{name} line 1: the first line must name the columns, with at least "
                "'destination' (or 'to') and 'content'"
            )
        # A misspelt column is a mistake of line 1, whatever row would meet it first.
        unknown = [
            (f or "").strip() or "(empty)" for f in reader.fieldnames if not _known_column(f or "")
        ]
        if unknown:
            raise UsageError(_unknown_columns(f"{name} line 1", unknown))
        for row in reader:
            if None in row:
                raise UsageError(f"{name} line {reader.line_num}: more cells than columns")
            if not any((value or "").strip() for value in row.values()):
                continue
            where = f"{name} line {reader.line_num}"
            messages.append(_message_from_fields(dict(row), where, defaults, from_csv=True))
            lines.append(reader.line_num)
    if not messages:
        raise UsageError(f"{name}: no messages")
    return messages, lines


def _parse_when(value: str) -> datetime:
    """``--at``: ISO 8601 with an offset (or ``Z``), or the API's own date form."""
    from dateutil.parser import isoparse

    from ._dates import parse_api_datetime

    text = value.strip()
    try:
        moment = isoparse(text)
    except (ValueError, OverflowError):
        parsed = parse_api_datetime(text) if "GMT" in text else None
        if parsed is None:
            raise UsageError(
                f"--at {value!r} is not a date; use ISO 8601 with an offset, "
                "e.g. 2026-12-01T09:00:00+00:00"
            ) from None
        return parsed
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UsageError(
            f"--at {value!r} has no UTC offset, so it names a different moment in every time "
            "zone; add one, e.g. 2026-12-01T09:00:00+00:00 or ...Z"
        )
    return moment


# -- the API ---------------------------------------------------------------------------------


@contextmanager
def _api(args: argparse.Namespace, out: Output) -> Iterator[BatchMessagesApi]:
    """A ``BatchMessagesApi`` for the chosen target: ``--sandbox`` or the configured API."""
    import openapi_client

    options: Dict[str, Any] = {"duplicate_destinations": args.duplicates}
    if _allow_insecure_http(args):
        options["allow_insecure_http"] = True
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.sandbox:
        from .sandbox import Sandbox

        with Sandbox(credits=args.sandbox_credits) as sandbox:
            out.hide(sandbox.token)
            out.note(f"using a throwaway in-process sandbox at {sandbox.url}")
            config = openapi_client.Configuration(
                host=sandbox.url, api_key={"JWT": sandbox.token}, **options
            )
            with openapi_client.ApiClient(config) as client:
                yield openapi_client.BatchMessagesApi(client)
        return
    token = args.token or os.environ.get("SMSWORKS_TOKEN")
    if not token or not token.strip():
        raise UsageError("no token: pass --token or set SMSWORKS_TOKEN (or try --sandbox)")
    out.hide(token)
    out.hide(token.strip())
    host = args.base_url or os.environ.get("SMSWORKS_BASE_URL") or None
    if host is not None:
        _check_base_url(host, "--base-url" if args.base_url else "SMSWORKS_BASE_URL")
    try:
        config = openapi_client.Configuration(host=host, api_key={"JWT": token}, **options)
    except openapi_client.ApiValueError as error:
        raise UsageError(_in_cli_words(error, args)) from None
    with openapi_client.ApiClient(config) as client:
        yield openapi_client.BatchMessagesApi(client)


def _check_base_url(url: str, source: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as error:
        raise UsageError(f"{source}: {url!r} is not a URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{source}: {url!r} is not an http:// or https:// URL with a host")


def _allow_insecure_http(args: argparse.Namespace) -> bool:
    if getattr(args, "allow_insecure_http", False):
        return True
    return os.environ.get("SMSWORKS_ALLOW_INSECURE_HTTP", "").strip().lower() in _TRUE


#: SDK field paths of ``batch send``/``schedule`` and the option that gives each one.
_OPTION_OF_FIELD = {
    "sender": "--sender",
    "content": "--content",
    "tag": "--tag",
    "deliveryreporturl": "--delivery-report-url",
    "validity": "--validity",
    "ttl": "--ttl",
    "schedule": "--at",
}


def _in_cli_words(error: Any, args: argparse.Namespace) -> str:
    """An SDK input error (or its text), reworded with the options a shell user has."""
    from .exceptions import render_path

    text = str(error)
    text = text.replace(
        "set Configuration(duplicate_destinations='drop') to keep only the first, or 'allow'",
        "pass --duplicates drop to send to it once, or --duplicates allow",
    )
    text = text.replace(
        "or set Configuration(allow_insecure_http=True) if you really mean it",
        "or pass --allow-insecure-http (or set SMSWORKS_ALLOW_INSECURE_HTTP=1) if you really "
        "mean it",
    )
    text = text.replace("configuration.duplicate_destinations", "--duplicates")
    path = list(getattr(error, "path_to_item", None) or [])
    if path == ["host"] and text.startswith("host: "):
        return "--base-url (or SMSWORKS_BASE_URL): " + text[len("host: ") :]
    if len(path) < 2 or path[0] != "sms_message":
        return text
    shown = render_path(path)
    if not text.startswith(shown):
        return text
    rest = text[len(shown) :]
    # The SDK counts list positions from 0; on the command line recipients count from 1.
    rest = re.sub(
        r"\(at destinations ([0-9, ]+)(, \.\.\.)?\)",
        lambda m: (
            "(recipients "
            + ", ".join(str(int(n) + 1) for n in m.group(1).split(", "))
            + (m.group(2) or "")
            + ")"
        ),
        rest,
    )
    if path[1] == "destinations" and len(path) > 2 and isinstance(path[2], int):
        given = _recipients(args) if hasattr(args, "to") else []
        index = path[2]
        options = "--to/--to-file" if getattr(args, "to_file", None) else "--to"
        number = f" {given[index]!r}" if 0 <= index < len(given) else ""
        return f"{options} recipient {index + 1}{number}{rest}"
    if path[1] == "destinations":
        return f"--to{rest}"
    option = _OPTION_OF_FIELD.get(str(path[1]))
    return f"{option}{rest}" if option else text


def _batch_fields(args: argparse.Namespace) -> Dict[str, Any]:
    fields: Dict[str, Any] = {}
    for name, value in (
        ("tag", args.tag),
        ("deliveryreporturl", args.delivery_report_url),
        ("validity", args.validity),
        ("ttl", args.ttl),
    ):
        if value is not None:
            fields[name] = value
    return fields


def _progress_printer(out: Output, noun: str) -> Callable[[ProgressInfo], None]:
    def progress(info: ProgressInfo) -> None:
        out.note(
            f"sent chunk {info.chunks_done}/{info.chunks_total} "
            f"({info.recipients_done}/{info.recipients_total} {noun})"
        )

    return progress


def _report_batches(report: ChunkedSendReport) -> List[Dict[str, Any]]:
    """The batches a chunked send created, as ``{"batchid", "status", "recipients"}``."""
    return [
        {"batchid": chunk.batchid, "status": chunk.status, "recipients": len(chunk)}
        for chunk in report.chunks
    ]


def _write_lines(path: str, lines: Sequence[str]) -> Optional[str]:
    """Write ``lines`` to ``path``; the path, or ``None`` if it could not be written."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(f"{line}\n" for line in lines)
    except OSError:
        return None
    return path


def _chunked_failure(
    error: BaseException,
    out: Output,
    args: argparse.Namespace,
    messages: Optional[List[Dict[str, Any]]] = None,
) -> int:
    """Say what was sent, what was not and what may have been, and how to send the rest.

    ``error`` is a ``ChunkedSendError`` or an interrupt (Ctrl-C) carrying the report.
    """
    from ._batching import ChunkedSendError

    report: ChunkedSendReport = error.report  # type: ignore[attr-defined]  # set on interrupts too
    noun = "messages" if messages is not None else "recipients"
    if isinstance(error, ChunkedSendError):
        out.error(f"chunked send stopped: {_describe_api_error(error.cause)}")
        code = EXIT_API
    else:
        out.error("interrupted during a chunked send")
        code = EXIT_INTERRUPTED
    batches = _report_batches(report)
    ids = ", ".join(str(batch["batchid"]) for batch in batches)
    out.note(
        f"sent: {report.sent_count} of {report.total} {noun} in {len(batches)} batch(es)"
        + (f": {ids}" if ids else "")
    )
    stem = args.unsent_file or "smsworks-unsent"
    extension = ".jsonl" if messages is not None else ".txt"

    def leftovers(indices: Sequence[int], numbers: Sequence[str], path: str) -> Optional[str]:
        if messages is not None:
            rows = [json.dumps(messages[i], ensure_ascii=False) for i in indices]
            return _write_lines(path, rows)
        return _write_lines(path, numbers)

    files: Dict[str, Optional[str]] = {"unsent": None, "uncertain": None}
    if report.uncertain_chunks:
        indices = [i for chunk in report.uncertain_chunks for i in chunk.indices]
        path = leftovers(indices, report.uncertain_destinations, f"{stem}.uncertain{extension}")
        files["uncertain"] = path
        out.note(
            f"uncertain: {report.uncertain_count} {noun} may or may not have been sent"
            + (f" (listed in {path})" if path else "")
            + "; check them before sending them again"
        )
    if report.unsent_indices:
        path = leftovers(report.unsent_indices, report.unsent, f"{stem}{extension}")
        files["unsent"] = path
        out.note(
            f"not sent: {report.unsent_count} {noun}" + (f" (listed in {path})" if path else "")
        )
        if path:
            out.note(f"to send the rest: {_resume_command(args, path, messages is not None)}")
    else:
        out.note(f"not sent: 0 {noun}")
    if out.as_json:
        out.json(
            {
                "complete": False,
                "batches": batches,
                "sent": report.sent_count,
                "unsent": report.unsent_count,
                "uncertain": report.uncertain_count,
                "unsent_file": files["unsent"],
                "uncertain_file": files["uncertain"],
            }
        )
    return code


def _carries_report(error: BaseException) -> bool:
    """Whether ``error`` left a chunked send with its report (else nothing was sent)."""
    return getattr(error, "report", None) is not None


def _resume_command(args: argparse.Namespace, path: str, any_: bool) -> str:
    """The command that sends the rest to the same place the failed run sent to.

    The place is spelled out (never left to whatever ``SMSWORKS_BASE_URL`` says later), and a
    run against a throwaway ``--sandbox`` gets no command at all: that sandbox, with the
    batches it accepted, is gone, and the same command without ``--sandbox`` would text real
    people.
    """
    if args.sandbox:
        return (
            "no command: this run used a throwaway --sandbox, which is gone with the batches it "
            "accepted (and the same command without --sandbox would text real people); run the "
            f"whole send again with --sandbox to try again ({path} lists what was not sent)"
        )
    from .configuration import DEFAULT_HOST

    target = args.base_url or os.environ.get("SMSWORKS_BASE_URL") or DEFAULT_HOST
    where = [PROG, "--base-url", target]
    if _allow_insecure_http(args):
        where.append("--allow-insecure-http")
    if args.duplicates != "error":
        where += ["--duplicates", args.duplicates]
    if any_:
        return shlex.join([*where, "batch", "any", path])
    words = [*where, "batch", "send", "--sender", args.sender, "--content", args.content]
    for option, value in (
        ("--tag", args.tag),
        ("--delivery-report-url", args.delivery_report_url),
        ("--validity", args.validity),
        ("--ttl", args.ttl),
    ):
        if value is not None:
            words += [option, str(value)]
    return shlex.join([*words, "--to-file", path])


# -- commands --------------------------------------------------------------------------------


def _show_sent(out: Output, batchid: Any, status: Any, recipients: int, **extra: Any) -> None:
    if out.as_json:
        out.json({"batchid": batchid, "status": status, "recipients": recipients, **extra})
        return
    rows: List[Tuple[str, Any]] = [("Batch", batchid), ("Status", status)]
    rows.append(("Recipients", recipients))
    rows.extend((name.capitalize(), value) for name, value in extra.items())
    out.print(_pairs(rows))


def _show_many(out: Output, report: ChunkedSendReport, recipients: int) -> None:
    batches = _report_batches(report)
    if out.as_json:
        out.json({"batches": batches, "recipients": recipients, "complete": True})
        return
    out.print(
        _table(
            [(str(b["batchid"]), str(b["status"]), str(b["recipients"])) for b in batches],
            header=("BATCH", "STATUS", "RECIPIENTS"),
        )
    )
    out.print(f"{recipients} recipients in {len(batches)} batches")


def _send_one_text(
    args: argparse.Namespace, out: Output, api: BatchMessagesApi, schedule: Any = None
) -> int:
    import openapi_client

    numbers = _recipients(args)
    if not numbers:
        raise UsageError("no recipients: give --to NUMBER or --to-file FILE")
    fields = _batch_fields(args)
    if schedule is not None:
        fields["schedule"] = schedule
    message = openapi_client.BatchMessage(
        sender=args.sender, destinations=numbers, content=args.content, **fields
    )
    # Checked here as the send will check it, so an error names the option, and the count
    # shown is what is sent (``--duplicates drop`` leaves each number once).
    from ._validation import check_batch

    try:
        message, _ = check_batch(message, api.api_client.configuration, limit=None)
    except openapi_client.ApiValueError as error:
        raise UsageError(_in_cli_words(error, args)) from None
    numbers = list(message.destinations)
    limit = _chunk_limit()
    if schedule is not None:
        if len(numbers) > limit:
            raise UsageError(
                f"{len(numbers)} recipients: a scheduled batch holds at most {limit}; "
                "split the list into several schedules"
            )
        scheduled = api.batch_schedule_post(message)
        _show_sent(
            out, scheduled.batchid, scheduled.status, len(numbers), schedule=schedule.isoformat()
        )
        return EXIT_OK
    if len(numbers) > limit:
        try:
            report = api.batch_send_many(message, progress=_progress_printer(out, "recipients"))
        except (openapi_client.ChunkedSendError, KeyboardInterrupt) as error:
            if not _carries_report(error):
                raise
            return _chunked_failure(error, out, args)
        _show_many(out, report, len(numbers))
        return EXIT_OK
    sent = api.batch_send_post(message)
    _show_sent(out, sent.batchid, sent.status, len(numbers))
    return EXIT_OK


def _chunk_limit() -> int:
    from ._limits import MAX_BATCH_SIZE

    return int(MAX_BATCH_SIZE)


def cmd_batch_send(args: argparse.Namespace, out: Output) -> int:
    with _api(args, out) as api:
        return _send_one_text(args, out, api)


def cmd_batch_schedule(args: argparse.Namespace, out: Output) -> int:
    when = _parse_when(args.at)
    with _api(args, out) as api:
        return _send_one_text(args, out, api, schedule=when)


def cmd_batch_any(args: argparse.Namespace, out: Output) -> int:
    import openapi_client

    defaults = {
        "sender": args.sender,
        "tag": args.tag,
        "deliveryreporturl": args.delivery_report_url,
    }
    messages, lines = _read_messages(args.file, args.format, defaults)
    with _api(args, out) as api:
        try:
            count = _count_messages(messages, api)
            if count > _chunk_limit():
                try:
                    report = api.batch_any_many(
                        messages, progress=_progress_printer(out, "messages")
                    )
                except (openapi_client.ChunkedSendError, KeyboardInterrupt) as error:
                    if not _carries_report(error):
                        raise
                    return _chunked_failure(error, out, args, messages)
                _show_many(out, report, count)
                return EXIT_OK
            sent = api.batch_any_post(messages)
        except (openapi_client.ApiValueError, openapi_client.ApiTypeError) as error:
            raise UsageError(_in_cli_words(_locate(error, lines, args.file), args)) from None
    _show_sent(out, sent.batchid, sent.status, count)
    return EXIT_OK


def _count_messages(messages: List[Dict[str, Any]], api: BatchMessagesApi) -> int:
    """How many of ``messages`` a send carries (``--duplicates drop`` leaves repeats out)."""
    from pydantic import TypeAdapter

    from ._validation import check_message_list
    from .models import Message

    if api.api_client.configuration.duplicate_destinations != "drop":
        return len(messages)
    try:
        models = TypeAdapter(List[Message]).validate_python(messages)
        return len(check_message_list(models, api.api_client.configuration, limit=None)[0])
    except (ValueError, TypeError):
        return len(messages)  # the send refuses them, naming the file line


def _locate(error: Exception, lines: List[int], path: str) -> str:
    """Add the file line to an SDK error that names ``messages[i]``."""
    where = getattr(error, "path_to_item", None) or []
    index = next((part for part in where if isinstance(part, int)), None)
    if index is not None and 0 <= index < len(lines):
        name = "stdin" if path == "-" else os.path.basename(path)
        return f"{name} line {lines[index]}: {error}"
    return str(error)


def _failure_text(reason: Any) -> str:
    if reason is None:
        return ""
    code = getattr(reason, "code", None)
    details = getattr(reason, "details", None) or ""
    permanent = getattr(reason, "permanent", None)
    kind = " (permanent)" if permanent is True else " (temporary)" if permanent is False else ""
    return f"{'' if code is None else code} {details}".strip() + kind


def _credits_text(message: Any) -> str:
    # "credits" is not in the documented record, so it lives among the model's extra fields.
    value = (getattr(message, "model_extra", None) or {}).get("credits")
    return f"{value:g}" if isinstance(value, (int, float)) else ""


def cmd_batch_get(args: argparse.Namespace, out: Output) -> int:
    with _api(args, out) as api:
        messages = api.batch_batchid_get(args.batchid)
    if out.as_json:
        out.json([message.to_dict() for message in messages])
        return EXIT_OK
    rows = [
        (
            message.messageid or "",
            message.destination or "",
            message.status or "",
            _credits_text(message),
            _failure_text(message.failurereason),
            message.tag or "",
            message.modified or "",
        )
        for message in messages
    ]
    out.print(
        _table(
            rows,
            header=("MESSAGEID", "DESTINATION", "STATUS", "CREDITS", "FAILURE", "TAG", "MODIFIED"),
        )
    )
    counts: Dict[str, int] = {}
    for message in messages:
        counts[message.status or "?"] = counts.get(message.status or "?", 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    out.print(f"{len(messages)} message(s)" + (f": {summary}" if summary else ""))
    return EXIT_OK


def cmd_batch_cancel(args: argparse.Namespace, out: Output) -> int:
    with _api(args, out) as api:
        cancelled = api.batches_schedule_batchid_delete(args.batchid)
    # The API answers with the batch id under "messageid".
    batchid = getattr(cancelled, "messageid", None) or args.batchid
    if out.as_json:
        out.json({"batchid": batchid, "status": cancelled.status})
    else:
        out.print(_pairs([("Batch", batchid), ("Status", cancelled.status)]))
    return EXIT_OK


def cmd_estimate(args: argparse.Namespace, out: Output) -> int:
    from . import sms

    if not args.content:
        raise UsageError("--content must not be empty")
    count = sms.count_segments(args.content)
    numbers = _recipients(args)
    multiplier = args.international_multiplier
    if numbers:
        estimate = sms.estimate_credits(
            {"content": args.content, "destinations": numbers},
            international_multiplier=multiplier,
        )
        credits: Optional[float] = estimate.credits
        international = sum(1 for row in estimate.per_message if row.international)
    else:
        credits, international = None, 0
    found = sms.lookalikes(args.content)
    from ._limits import MAX_CONTENT_LENGTH

    too_long = len(args.content) > MAX_CONTENT_LENGTH
    data: Dict[str, Any] = {
        "encoding": count.encoding,
        "characters": count.characters,
        "units": count.units,
        "segments": count.segments,
        "unsupported": list(count.unsupported),
        "lookalikes": [
            {"char": item.char, "replacement": item.replacement, "name": item.name}
            for item in found
        ],
        "recipients": len(numbers),
        "international": international,
        "credits_per_uk_recipient": float(count.segments),
        "credits_per_international_recipient": count.segments * multiplier,
        "credits": credits,
        "is_estimate": True,
        "sendable": not too_long,
    }
    refused = (
        f"a send would be refused: the text is {len(args.content):,} characters and the API "
        f"takes at most {MAX_CONTENT_LENGTH:,}"
    )
    if too_long:
        out.note(f"{PROG}: warning: {refused}")
    if out.as_json:
        out.json(data)
        return EXIT_OK
    unit = "septets" if count.encoding == "GSM-7" else "UTF-16 units"
    rows: List[Tuple[str, Any]] = [
        ("Encoding", count.encoding),
        ("Characters", count.characters),
        ("Length", f"{count.units} {unit}"),
        ("Segments", count.segments),
        ("Unsupported", " ".join(_show_char(c) for c in count.unsupported) or "none"),
    ]
    if numbers:
        rows.append(("Recipients", f"{len(numbers)} ({international} international)"))
        rows.append(("Credits", f"{credits:g} (estimate)"))
    else:
        rows.append(("Credits", f"{count.segments:g} per UK recipient (estimate)"))
    if too_long:
        rows.append(("Sendable", f"no: over {MAX_CONTENT_LENGTH:,} characters"))
    out.print(_pairs(rows))
    if found:
        out.print("")
        out.print("Replace these to stay in GSM-7 (see sms.to_gsm):")
        out.print(
            _table(
                [(_show_char(item.char), repr(item.replacement), item.name) for item in found],
                header=("CHAR", "WITH", "NAME"),
            )
        )
    return EXIT_OK


def _show_char(char: str) -> str:
    return f"{char!r} U+{ord(char):04X}" if len(char) == 1 else repr(char)


def cmd_sandbox(args: argparse.Namespace, out: Output) -> int:
    from .sandbox import Sandbox, StateFileError

    stop = threading.Event()
    try:
        sandbox = Sandbox(
            credits=args.credits,
            token=args.token,
            port=args.port,
            host=args.host,
            delivery_delay=args.delivery_delay,
            delivery_report_url=args.delivery_report_url,
            state_file=args.state_file,
        )
    except StateFileError as error:
        raise UsageError(f"--state-file: {error}") from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"--state-file {args.state_file}: {error.strerror or error}") from None
    previous: Dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            previous[number] = signal.signal(number, lambda *_: stop.set())
    try:
        sandbox.start()
    except (OSError, ValueError) as error:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if isinstance(error, ValueError) or getattr(error, "filename", None):
            # The state file, not the address, is what could not be used.
            reason = getattr(error, "strerror", None) or error
            out.error(f"--state-file {args.state_file}: cannot be used: {reason}")
            return EXIT_USAGE
        out.error(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
        return EXIT_API
    try:
        # The sandbox's own token is printed: it is a throwaway that only opens this sandbox.
        # A token the user chose with --token is not echoed back.
        if out.as_json:
            data = {"url": sandbox.url, "credits": sandbox.credits}
            if not args.token:
                data["token"] = sandbox.token
            out.json(data)
        else:
            out.print(f"SMS Works sandbox on {sandbox.url} with {sandbox.credits:g} credits")
            out.print(f"  export SMSWORKS_BASE_URL={sandbox.url}")
            if args.token:
                out.print("  (token: the one given with --token)")
            else:
                out.print(f"  export SMSWORKS_TOKEN={sandbox.token}")
            out.print("Stop with Ctrl+C.")
        while not stop.wait(0.2):
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sandbox.stop()
    if not out.as_json:
        out.note("sandbox stopped")
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must not be negative")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: a TCP port is 0..65535 (0: any free port)")
    return value


def _number(*, above_zero: bool) -> Callable[[str], float]:
    """A finite number, at least 0 (or above 0): never nan, inf or a negative amount."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number")
        if value < 0 or (above_zero and value == 0):
            bound = "above 0" if above_zero else "0 or more"
            raise argparse.ArgumentTypeError(f"{text!r}: must be {bound}")
        return value

    return parse


#: Options whose values are file names: any bytes the file system allows are fine there.
_PATH_OPTIONS = {"file", "to_file", "state_file", "unsent_file"}


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Refuse an option value that held bytes that are not UTF-8 (lone surrogates in argv)."""
    for name, value in vars(args).items():
        if name in _PATH_OPTIONS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                continue
            bad = next((ch for ch in item if "\udc80" <= ch <= "\udcff"), None)
            if bad is not None:
                label = name if name == "batchid" else "--" + name.replace("_", "-")
                raise UsageError(
                    f"{label}: byte 0x{ord(bad) - 0xDC00:02x} is not UTF-8 text; "
                    "give the value as UTF-8"
                )


def _add_globals(parser: argparse.ArgumentParser, top: bool) -> None:
    """The options every command takes, before or after the command name."""
    # Below the top level, defaults are SUPPRESSed so a sub-command never overwrites a value
    # given before it (``smsworks --json batch get 1`` and ``smsworks batch get 1 --json``).
    default: Any = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("connection and output")
    group.add_argument(
        "--token",
        default=default,
        help="API token (default: $SMSWORKS_TOKEN); never printed",
    )
    group.add_argument(
        "--base-url",
        default=default,
        metavar="URL",
        help="API base URL (default: $SMSWORKS_BASE_URL, else the production API)",
    )
    group.add_argument(
        "--sandbox",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="run against a throwaway in-process sandbox instead of the API",
    )
    group.add_argument(
        "--sandbox-credits",
        type=_number(above_zero=False),
        default=SANDBOX_CREDITS if top else argparse.SUPPRESS,
        metavar="N",
        help=f"opening balance of the --sandbox account (default: {SANDBOX_CREDITS:g})",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="print machine-readable JSON on stdout",
    )
    group.add_argument(
        "--timeout",
        type=_number(above_zero=True),
        default=default,
        metavar="SECONDS",
        help="per-request timeout (default: the SDK's, 5 s connect / 60 s read)",
    )
    group.add_argument(
        "--duplicates",
        choices=("error", "drop", "allow"),
        default="error" if top else argparse.SUPPRESS,
        help="what to do with a repeated recipient (default: error)",
    )
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="allow sending the token over plain http:// to a host that is not this machine "
        "(default: $SMSWORKS_ALLOW_INSECURE_HTTP=1, else refused)",
    )


def _add_send_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sender", required=True, help="sender ID: 11 letters/digits or 15 digits")
    parser.add_argument("--content", required=True, help="the message text")
    _add_recipients(parser)
    _add_message_extras(parser)
    parser.add_argument(
        "--validity", type=_positive_int, metavar="MINUTES", help="1..2880 (default 2880)"
    )
    parser.add_argument(
        "--ttl", type=_positive_int, metavar="MINUTES", help="minutes to keep delivery reports"
    )
    parser.add_argument(
        "--unsent-file",
        metavar="STEM",
        help="where a failed chunked send lists what was not sent (default: smsworks-unsent)",
    )


def _add_recipients(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        action="append",
        metavar="NUMBER",
        help="recipient, international form (447700900001); repeat or separate with commas",
    )
    parser.add_argument(
        "--to-file",
        action="append",
        metavar="FILE",
        help="file of recipients, one per line ('-' for stdin)",
    )


def _add_message_extras(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tag", help="label for reports (up to 280 characters)")
    parser.add_argument(
        "--delivery-report-url", metavar="URL", help="where delivery reports are POSTed"
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``smsworks`` argument parser."""
    from . import __version__

    parser = _Parser(
        prog=PROG,
        description="Send, schedule, read back and cancel SMS batches with The SMS Works.",
        epilog="Exit status: 0 ok, 1 API or network failure, 2 bad usage or input.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_globals(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    batch = commands.add_parser("batch", help="send, schedule, read and cancel batches")
    _add_globals(batch, top=False)
    batch_commands = batch.add_subparsers(dest="batch_command", metavar="ACTION")
    batch_commands.required = True

    send = batch_commands.add_parser(
        "send",
        help="one text to many recipients (more than 5,000 are sent in chunks)",
        description="Send one text to many recipients. More than 5,000 recipients are sent "
        "as several batches, with progress on stderr.",
    )
    _add_send_options(send)
    _add_globals(send, top=False)
    send.set_defaults(handler=cmd_batch_send)

    any_ = batch_commands.add_parser(
        "any",
        help="different texts from a CSV or JSON-lines file",
        description="Send one message per row of a CSV file (columns destination, content "
        "and optionally sender, tag, deliveryreporturl, validity, ttl, ai, responseemail, "
        "metadata.<key>) or per line of a JSON-lines file.",
    )
    any_.add_argument("file", help="messages file (.csv, .jsonl/.ndjson, or '-' for stdin)")
    any_.add_argument("--format", choices=("csv", "jsonl"), help="file format (default: detect)")
    any_.add_argument("--sender", help="sender for rows that have none")
    _add_message_extras(any_)
    any_.add_argument(
        "--unsent-file",
        metavar="STEM",
        help="where a failed chunked send lists what was not sent (default: smsworks-unsent)",
    )
    _add_globals(any_, top=False)
    any_.set_defaults(handler=cmd_batch_any)

    schedule = batch_commands.add_parser(
        "schedule",
        help="one text to many recipients, at a later time",
        description="Schedule one text to up to 5,000 recipients.",
    )
    schedule.add_argument(
        "--at", required=True, metavar="WHEN", help="ISO 8601 with offset: 2026-12-01T09:00:00Z"
    )
    _add_send_options(schedule)
    _add_globals(schedule, top=False)
    schedule.set_defaults(handler=cmd_batch_schedule)

    get = batch_commands.add_parser("get", help="the messages of a batch and their status")
    get.add_argument("batchid", help="the batch id a send or schedule printed")
    _add_globals(get, top=False)
    get.set_defaults(handler=cmd_batch_get)

    cancel = batch_commands.add_parser("cancel", help="cancel a scheduled batch")
    cancel.add_argument("batchid", help="the batch id the schedule printed")
    _add_globals(cancel, top=False)
    cancel.set_defaults(handler=cmd_batch_cancel)

    estimate = commands.add_parser(
        "estimate",
        help="encoding, segments and credits of a text (offline)",
        description="Estimate locally, without sending: encoding, SMS parts, credits.",
    )
    estimate.add_argument("--content", required=True, help="the message text")
    _add_recipients(estimate)
    estimate.add_argument(
        "--international-multiplier",
        type=_number(above_zero=True),
        default=2.0,
        metavar="X",
        help="credits per part for non-UK numbers (default: 2)",
    )
    _add_globals(estimate, top=False)
    estimate.set_defaults(handler=cmd_estimate)

    sandbox = commands.add_parser(
        "sandbox",
        help="run a local sandbox of the API until interrupted",
        description="Serve a sandbox of the batch API on this machine until Ctrl+C/SIGTERM.",
    )
    sandbox.add_argument("--port", type=_port, default=0, help="TCP port (default: any free one)")
    sandbox.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    sandbox.add_argument(
        "--credits",
        type=_number(above_zero=False),
        default=SANDBOX_CREDITS,
        help=f"opening balance (default: {SANDBOX_CREDITS:g})",
    )
    sandbox.add_argument(
        "--delivery-delay",
        type=_number(above_zero=False),
        default=0.0,
        metavar="SECONDS",
        help="SENT -> outcome",
    )
    sandbox.add_argument(
        "--delivery-report-url", metavar="URL", help="account-wide delivery report URL"
    )
    sandbox.add_argument("--state-file", metavar="FILE", help="keep the account between runs")
    _add_globals(sandbox, top=False)
    sandbox.set_defaults(handler=cmd_sandbox)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``smsworks`` with ``argv`` (default: the process arguments); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    out = Output(args.json, sys.stdout, sys.stderr)
    out.hide(args.token)
    out.hide(os.environ.get("SMSWORKS_TOKEN"))
    try:
        _refuse_undecodable(args)
    except UsageError as error:
        out.error(str(error))
        return EXIT_USAGE
    from pydantic import ValidationError

    import openapi_client

    try:
        result: int = args.handler(args, out)
        return result
    except UsageError as error:
        out.error(str(error))
        return EXIT_USAGE
    except (openapi_client.ApiValueError, openapi_client.ApiTypeError) as error:
        out.error(_in_cli_words(error, args))
        return EXIT_USAGE
    except ValidationError as error:  # a value argparse let through but a model refused
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        )
        out.error(problems)
        return EXIT_USAGE
    except openapi_client.ApiException as error:
        out.error(_describe_api_error(error))
        return EXIT_API
    except KeyboardInterrupt:
        out.error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `smsworks batch get 1 | head`: the reader has gone
        # Point stdout at nothing so the interpreter's final flush does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
