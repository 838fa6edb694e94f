"""Sends of more than one batch: progress, and after a failure what was sent and how to resume."""

from __future__ import annotations

import argparse
import json
import os
import shlex
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence

from ._client import allow_insecure_http
from ._common import EXIT_API, EXIT_INTERRUPTED, PROG
from ._errors import describe_api_error
from ._output import Output

if TYPE_CHECKING:
    from .._batching import ChunkedSendReport, ProgressInfo


def progress_printer(out: Output, noun: str) -> Callable[[ProgressInfo], None]:
    """A progress callback that says on stderr how far a chunked send has got."""

    def progress(info: ProgressInfo) -> None:
        out.note(
            f"sent chunk {info.chunks_done}/{info.chunks_total} "
            f"({info.recipients_done}/{info.recipients_total} {noun})"
        )

    return progress


def report_batches(report: ChunkedSendReport) -> List[Dict[str, Any]]:
    """The batches a chunked send created, as ``{"batchid", "status", "recipients"}``."""
    return [
        {"batchid": chunk.batchid, "status": chunk.status, "recipients": len(chunk)}
        for chunk in report.chunks
    ]


def carries_report(error: BaseException) -> bool:
    """Whether ``error`` left a chunked send with its report (else nothing was sent)."""
    return getattr(error, "report", None) is not None


def _write_lines(path: str, lines: Sequence[str]) -> Optional[str]:
    """Write ``lines`` to ``path``; the path, or ``None`` if it could not be written."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(f"{line}\n" for line in lines)
    except OSError:
        return None
    return path


class _Leftovers:
    """Writes what a failed chunked send did not (or may not) have sent, one file per kind."""

    def __init__(self, args: argparse.Namespace, messages: Optional[List[Dict[str, Any]]]) -> None:
        self.messages = messages
        self.stem = args.unsent_file or "smsworks-unsent"
        self.extension = ".jsonl" if messages is not None else ".txt"
        self.noun = "messages" if messages is not None else "recipients"

    def write(self, suffix: str, indices: Sequence[int], numbers: Sequence[str]) -> Optional[str]:
        path = f"{self.stem}{suffix}{self.extension}"
        if self.messages is not None:
            rows = [json.dumps(self.messages[i], ensure_ascii=False) for i in indices]
            return _write_lines(path, rows)
        return _write_lines(path, numbers)


def chunked_failure(
    error: BaseException,
    out: Output,
    args: argparse.Namespace,
    messages: Optional[List[Dict[str, Any]]] = None,
) -> int:
    """Say what was sent, what was not and what may have been, and how to send the rest.

    ``error`` is a ``ChunkedSendError`` or an interrupt (Ctrl-C) carrying the report.
    """
    from .._batching import ChunkedSendError

    report: ChunkedSendReport = error.report  # type: ignore[attr-defined]  # set on interrupts too
    if isinstance(error, ChunkedSendError):
        out.error(f"chunked send stopped: {describe_api_error(error.cause)}")
        code = EXIT_API
    else:
        out.error("interrupted during a chunked send")
        code = EXIT_INTERRUPTED
    leftovers = _Leftovers(args, messages)
    batches = report_batches(report)
    ids = ", ".join(str(batch["batchid"]) for batch in batches)
    out.note(
        f"sent: {report.sent_count} of {report.total} {leftovers.noun} in {len(batches)} "
        "batch(es)" + (f": {ids}" if ids else "")
    )
    files = _list_leftovers(report, out, args, leftovers)
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


def _list_leftovers(
    report: ChunkedSendReport, out: Output, args: argparse.Namespace, leftovers: _Leftovers
) -> Dict[str, Optional[str]]:
    """Write the uncertain and unsent files, say where they are; their paths by kind."""
    noun = leftovers.noun
    files: Dict[str, Optional[str]] = {"unsent": None, "uncertain": None}
    if report.uncertain_chunks:
        indices = [i for chunk in report.uncertain_chunks for i in chunk.indices]
        path = leftovers.write(".uncertain", indices, report.uncertain_destinations)
        files["uncertain"] = path
        out.note(
            f"uncertain: {report.uncertain_count} {noun} may or may not have been sent"
            + (f" (listed in {path})" if path else "")
            + "; check them before sending them again"
        )
    if not report.unsent_indices:
        out.note(f"not sent: 0 {noun}")
        return files
    path = leftovers.write("", report.unsent_indices, report.unsent)
    files["unsent"] = path
    out.note(f"not sent: {report.unsent_count} {noun}" + (f" (listed in {path})" if path else ""))
    if path:
        resume = resume_command(args, path, leftovers.messages is not None)
        out.note(f"to send the rest: {resume}")
    return files


def resume_command(args: argparse.Namespace, path: str, any_: bool) -> str:
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
    from ..configuration import DEFAULT_HOST

    target = args.base_url or os.environ.get("SMSWORKS_BASE_URL") or DEFAULT_HOST
    where = [PROG, "--base-url", target]
    if allow_insecure_http(args):
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
