"""``smsworks batch send|any|schedule|get|cancel``: ``BatchMessagesApi`` from a shell."""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Tuple

from ._chunked import carries_report, chunked_failure, progress_printer, report_batches
from ._client import api
from ._common import (
    EXIT_OK,
    UsageError,
    add_at,
    add_command,
    add_message_extras,
    add_recipients,
    add_validity_ttl,
    finish,
    message_fields,
    parse_when,
    positive_int,
    recipients,
    subcommands,
)
from ._errors import in_cli_words
from ._files import locate, read_messages
from ._output import Output, pairs, show_records, table

if TYPE_CHECKING:
    from .._batching import ChunkedSendReport
    from ..api.batch_messages_api import BatchMessagesApi


@contextmanager
def _batches(args: argparse.Namespace, out: Output) -> Iterator[BatchMessagesApi]:
    with api(args, out, "batch_messages_api", "BatchMessagesApi") as batches:
        yield batches


def register(commands: Any) -> None:
    """Add ``batch`` and its actions to the top-level ``commands``."""
    batch = commands.add_parser("batch", help="send, schedule, read and cancel batches")
    finish(batch)
    actions = subcommands(batch, "batch_command", "ACTION")

    send = add_command(
        actions,
        "send",
        cmd_batch_send,
        help="one text to many recipients (more than 5,000 are sent in chunks)",
        description="Send one text to many recipients. More than 5,000 recipients are sent "
        "as several batches, with progress on stderr.",
    )
    add_send_options(send)
    _add_in_flight(send)
    finish(send)

    any_ = add_command(
        actions,
        "any",
        cmd_batch_any,
        help="different texts from a CSV or JSON-lines file",
        description="Send one message per row of a CSV file (columns destination, content "
        "and optionally sender, tag, deliveryreporturl, validity, ttl, ai, responseemail, "
        "metadata.<key>) or per line of a JSON-lines file.",
    )
    any_.add_argument("file", help="messages file (.csv, .jsonl/.ndjson, or '-' for stdin)")
    any_.add_argument("--format", choices=("csv", "jsonl"), help="file format (default: detect)")
    any_.add_argument("--sender", help="sender for rows that have none")
    add_message_extras(any_)
    _add_unsent_file(any_)
    _add_in_flight(any_)
    finish(any_)

    schedule = add_command(
        actions,
        "schedule",
        cmd_batch_schedule,
        help="one text to many recipients, at a later time",
        description="Schedule one text to up to 5,000 recipients.",
    )
    add_at(schedule)
    add_send_options(schedule)
    finish(schedule)

    get = add_command(
        actions, "get", cmd_batch_get, help="the messages of a batch and their status"
    )
    get.add_argument("batchid", help="the batch id a send or schedule printed")
    finish(get)

    cancel = add_command(actions, "cancel", cmd_batch_cancel, help="cancel a scheduled batch")
    cancel.add_argument("batchid", help="the batch id the schedule printed")
    finish(cancel)


def add_send_options(parser: argparse.ArgumentParser) -> None:
    """The options of one text to many recipients."""
    parser.add_argument("--sender", required=True, help="sender ID: 11 letters/digits or 15 digits")
    parser.add_argument("--content", required=True, help="the message text")
    add_recipients(parser)
    add_message_extras(parser)
    add_validity_ttl(parser)
    _add_unsent_file(parser)


def _add_unsent_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--unsent-file",
        metavar="STEM",
        help="where a failed chunked send lists what was not sent (default: smsworks-unsent)",
    )


def _add_in_flight(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--in-flight",
        metavar="N",
        type=_in_flight,
        default=1,
        help="send up to N chunks of 5,000 at once (1 to 32; default 1, one after another)",
    )


def _in_flight(text: str) -> int:
    from .._batching import MAX_IN_FLIGHT

    value = positive_int(text)
    if not 1 <= value <= MAX_IN_FLIGHT:
        raise argparse.ArgumentTypeError(f"{text!r}: must be from 1 to {MAX_IN_FLIGHT}")
    return value


def _show_sent(out: Output, batchid: Any, status: Any, recipients: int, **extra: Any) -> None:
    if out.as_json:
        out.json({"batchid": batchid, "status": status, "recipients": recipients, **extra})
        return
    rows: List[Tuple[str, Any]] = [("Batch", batchid), ("Status", status)]
    rows.append(("Recipients", recipients))
    rows.extend((name.capitalize(), value) for name, value in extra.items())
    out.print(pairs(rows))


def _show_many(out: Output, report: ChunkedSendReport, recipients: int) -> None:
    batches = report_batches(report)
    if out.as_json:
        out.json({"batches": batches, "recipients": recipients, "complete": True})
        return
    out.print(
        table(
            [(str(b["batchid"]), str(b["status"]), str(b["recipients"])) for b in batches],
            header=("BATCH", "STATUS", "RECIPIENTS"),
        )
    )
    out.print(f"{recipients} recipients in {len(batches)} batches")


def _checked_batch(args: argparse.Namespace, batches: BatchMessagesApi, schedule: Any) -> Any:
    """The ``BatchMessage`` the options describe, checked as the send will check it."""
    import openapi_client

    from .._validation import check_batch

    numbers = recipients(args)
    if not numbers:
        raise UsageError("no recipients: give --to NUMBER or --to-file FILE")
    fields = message_fields(args)
    if schedule is not None:
        fields["schedule"] = schedule
    message = openapi_client.BatchMessage(
        sender=args.sender, destinations=numbers, content=args.content, **fields
    )
    # Checked here so that an error names the option, and the count shown is what is sent
    # (``--duplicates drop`` leaves each number once).
    try:
        message, _ = check_batch(message, batches.api_client.configuration, limit=None)
    except openapi_client.ApiValueError as error:
        raise UsageError(in_cli_words(error, args)) from None
    return message


def _send_one_text(
    args: argparse.Namespace, out: Output, batches: BatchMessagesApi, schedule: Any = None
) -> int:
    import openapi_client

    message = _checked_batch(args, batches, schedule)
    count = len(message.destinations)
    limit = _chunk_limit()
    if schedule is not None:
        if count > limit:
            raise UsageError(
                f"{count} recipients: a scheduled batch holds at most {limit}; "
                "split the list into several schedules"
            )
        scheduled = batches.batch_schedule_post(message)
        _show_sent(out, scheduled.batchid, scheduled.status, count, schedule=schedule.isoformat())
        return EXIT_OK
    if count > limit:
        try:
            report = batches.batch_send_many(
                message,
                max_in_flight=args.in_flight,
                progress=progress_printer(out, "recipients"),
            )
        except (openapi_client.ChunkedSendError, KeyboardInterrupt) as error:
            if not carries_report(error):
                raise
            return chunked_failure(error, out, args)
        _show_many(out, report, count)
        return EXIT_OK
    sent = batches.batch_send_post(message)
    _show_sent(out, sent.batchid, sent.status, count)
    return EXIT_OK


def _chunk_limit() -> int:
    from .._limits import MAX_BATCH_SIZE

    return int(MAX_BATCH_SIZE)


def cmd_batch_send(args: argparse.Namespace, out: Output) -> int:
    """``batch send``: one text to many recipients, in chunks of 5,000 when there are more."""
    with _batches(args, out) as batches:
        return _send_one_text(args, out, batches)


def cmd_batch_schedule(args: argparse.Namespace, out: Output) -> int:
    """``batch schedule``: one text to up to 5,000 recipients, at ``--at``."""
    when = parse_when(args.at)
    with _batches(args, out) as batches:
        return _send_one_text(args, out, batches, schedule=when)


def cmd_batch_any(args: argparse.Namespace, out: Output) -> int:
    """``batch any``: one message per row of a file."""
    import openapi_client

    defaults = {
        "sender": args.sender,
        "tag": args.tag,
        "deliveryreporturl": args.delivery_report_url,
    }
    messages, lines = read_messages(args.file, args.format, defaults)
    with _batches(args, out) as batches:
        try:
            count = _count_messages(messages, batches)
            if count > _chunk_limit():
                try:
                    report = batches.batch_any_many(
                        messages,
                        max_in_flight=args.in_flight,
                        progress=progress_printer(out, "messages"),
                    )
                except (openapi_client.ChunkedSendError, KeyboardInterrupt) as error:
                    if not carries_report(error):
                        raise
                    return chunked_failure(error, out, args, messages)
                _show_many(out, report, count)
                return EXIT_OK
            sent = batches.batch_any_post(messages)
        except (openapi_client.ApiValueError, openapi_client.ApiTypeError) as error:
            raise UsageError(in_cli_words(locate(error, lines, args.file), args)) from None
    _show_sent(out, sent.batchid, sent.status, count)
    return EXIT_OK


def _count_messages(messages: List[Dict[str, Any]], batches: BatchMessagesApi) -> int:
    """How many of ``messages`` a send carries (``--duplicates drop`` leaves repeats out)."""
    from pydantic import TypeAdapter

    from .._validation import check_message_list
    from ..models import Message

    configuration = batches.api_client.configuration
    if configuration.duplicate_destinations != "drop":
        return len(messages)
    try:
        models = TypeAdapter(List[Message]).validate_python(messages)
        return len(check_message_list(models, configuration, limit=None)[0])
    except (ValueError, TypeError):
        return len(messages)  # the send refuses them, naming the file line


def cmd_batch_get(args: argparse.Namespace, out: Output) -> int:
    """``batch get``: the messages of a batch, as a table or JSON."""
    with _batches(args, out) as batches:
        messages = batches.batch_batchid_get(args.batchid)
    show_records(out, messages)
    return EXIT_OK


def cmd_batch_cancel(args: argparse.Namespace, out: Output) -> int:
    """``batch cancel``: cancel a scheduled batch."""
    with _batches(args, out) as batches:
        cancelled = batches.batches_schedule_batchid_delete(args.batchid)
    # The API answers with the batch id under "messageid".
    batchid = getattr(cancelled, "messageid", None) or args.batchid
    if out.as_json:
        out.json({"batchid": batchid, "status": cancelled.status})
    else:
        out.print(pairs([("Batch", batchid), ("Status", cancelled.status)]))
    return EXIT_OK
