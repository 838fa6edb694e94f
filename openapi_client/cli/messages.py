"""``smsworks message ...``: single messages, their records and the searches (``MessagesApi``)."""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from ._client import api
from ._common import (
    EXIT_OK,
    add_at,
    add_command,
    add_message_extras,
    add_metadata,
    add_validity_ttl,
    finish,
    message_fields,
    number,
    parse_when,
    positive_int,
    subcommands,
)
from ._output import SENT_LABELS, Output, pairs, show_fields, show_records

#: The searches: action, method of ``MessagesApi``, help.
SEARCHES = (
    ("search", "messages_post", "find sent and received messages"),
    ("inbox", "messages_inbox_post", "replies not yet read (--read for the read ones)"),
    ("failed", "messages_failed_post", "messages that were undeliverable, expired or rejected"),
)


@contextmanager
def _messages(args: argparse.Namespace, out: Output) -> Iterator[Any]:
    with api(args, out, "messages_api", "MessagesApi") as messages:
        yield messages


def register(commands: Any) -> None:
    """Add ``message`` and its actions to the top-level ``commands``."""
    message = commands.add_parser(
        "message", help="send, schedule, read, delete and search single messages"
    )
    finish(message)
    actions = subcommands(message, "message_command", "ACTION")
    _register_sends(actions)
    for action, handler, text in (
        ("get", cmd_message_get, "a message's record (sent or received) and its status"),
        ("delete", cmd_message_delete, "delete a message's record (its credits stay spent)"),
        ("cancel", cmd_message_cancel, "cancel a scheduled message, refunding it"),
    ):
        parser = add_command(actions, action, handler, help=text)
        parser.add_argument("messageid", help="the message id a send, schedule or search printed")
        finish(parser)
    for action, method, text in SEARCHES:
        parser = add_command(actions, action, cmd_message_search, help=text, description=text)
        parser.set_defaults(search_method=method)
        _add_query_options(parser, inbox=action == "inbox")
        finish(parser)


def _register_sends(actions: Any) -> None:
    send = add_command(
        actions,
        "send",
        cmd_message_send,
        help="one text to one recipient, now",
        description="Send one text to one recipient.",
    )
    _add_message_options(send)
    send.add_argument(
        "--flash",
        action="store_true",
        help="a flash message: shown on the screen at once, not kept in the inbox",
    )
    finish(send)
    schedule = add_command(
        actions,
        "schedule",
        cmd_message_schedule,
        help="one text to one recipient, at a later time",
        description="Schedule one text to one recipient; cancel it with 'message cancel'.",
    )
    add_at(schedule)
    _add_message_options(schedule)
    finish(schedule)


def _add_message_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sender", required=True, help="sender ID: 11 letters/digits or 15 digits")
    parser.add_argument(
        "--to",
        "--destination",
        dest="to",
        required=True,
        metavar="NUMBER",
        help="the recipient, international form (447700900001)",
    )
    parser.add_argument("--content", required=True, help="the message text")
    add_message_extras(parser)
    add_validity_ttl(parser)
    add_metadata(parser, "a key/value pair kept with the message")


def _add_query_options(parser: argparse.ArgumentParser, inbox: bool) -> None:
    parser.add_argument("--status", help="only this status, e.g. DELIVERED or INCOMING")
    parser.add_argument(
        "--to", "--destination", dest="to", metavar="NUMBER", help="only to this number"
    )
    parser.add_argument("--sender", help="only from this sender ID (a reply: the replier)")
    parser.add_argument("--keyword", help="only replies with this keyword")
    parser.add_argument(
        "--credits", type=number(above_zero=False), help="only messages that cost this much"
    )
    parser.add_argument("--from-date", metavar="WHEN", help="created at or after (ISO 8601)")
    parser.add_argument("--to-date", metavar="WHEN", help="created at or before (ISO 8601)")
    parser.add_argument("--limit", type=positive_int, help="at most this many (1..1000)")
    parser.add_argument("--skip", type=positive_int, help="pass over this many matches first")
    read = parser.add_mutually_exclusive_group()
    read.add_argument(
        "--unread",
        dest="unread",
        action="store_const",
        const=True,
        help="only replies not yet read" + (" (the default)" if inbox else ""),
    )
    read.add_argument(
        "--read", dest="unread", action="store_const", const=False, help="only replies read"
    )
    add_metadata(parser, "only messages sent with this key/value pair")


def metadata_pairs(given: Optional[Sequence[Tuple[str, str]]]) -> Optional[List[Dict[str, str]]]:
    """``--metadata`` pairs as the API's ``[{"key": ..., "value": ...}]``."""
    return [{"key": key, "value": value} for key, value in given] if given else None


def _message(args: argparse.Namespace, schedule: Any = None) -> Any:
    from ..models.message import Message

    fields = message_fields(args)
    if schedule is not None:
        fields["schedule"] = schedule
    metadata = metadata_pairs(args.metadata)
    if metadata:
        fields["metadata"] = metadata
    return Message(sender=args.sender, destination=args.to, content=args.content, **fields)


def cmd_message_send(args: argparse.Namespace, out: Output) -> int:
    """``message send``: one text now (``--flash``: as a flash message)."""
    message = _message(args)
    with _messages(args, out) as messages:
        send = messages.send_flash_message if args.flash else messages.message_send_post
        sent = send(message)
    show_fields(out, sent.to_dict(), SENT_LABELS)
    return EXIT_OK


def cmd_message_schedule(args: argparse.Namespace, out: Output) -> int:
    """``message schedule``: one text at ``--at``."""
    when = parse_when(args.at)
    message = _message(args, schedule=when)
    with _messages(args, out) as messages:
        scheduled = messages.message_schedule_post(message)
    # The API answers with a list (of one).
    rows = [item.to_dict() for item in scheduled]
    if out.as_json:
        out.json([{**row, "schedule": when.isoformat()} for row in rows])
        return EXIT_OK
    for row in rows:
        out.print(
            pairs([("Message", row.get("messageid")), ("Status", row.get("status")),
                   ("Schedule", when.isoformat())])
        )  # fmt: skip
    return EXIT_OK


def cmd_message_get(args: argparse.Namespace, out: Output) -> int:
    """``message get``: one message's record."""
    with _messages(args, out) as messages:
        record = messages.messages_messageid_get(args.messageid)
    if out.as_json:
        out.json(record.to_dict())
    else:
        show_records(out, [record])
    return EXIT_OK


def cmd_message_delete(args: argparse.Namespace, out: Output) -> int:
    """``message delete``: remove a message's record."""
    with _messages(args, out) as messages:
        deleted = messages.messages_messageid_delete(args.messageid)
    _show_id_status(out, deleted, args.messageid)
    return EXIT_OK


def cmd_message_cancel(args: argparse.Namespace, out: Output) -> int:
    """``message cancel``: cancel a scheduled message before it is due."""
    with _messages(args, out) as messages:
        cancelled = messages.messages_schedule_messageid_delete(args.messageid)
    _show_id_status(out, cancelled, args.messageid)
    return EXIT_OK


def _show_id_status(out: Output, answer: Any, messageid: str) -> None:
    data = {"messageid": getattr(answer, "messageid", None) or messageid, "status": answer.status}
    show_fields(out, data, (("messageid", "Message"), ("status", "Status")))


def query(args: argparse.Namespace) -> Any:
    """The ``Query`` the search options describe (only the filters given)."""
    from ..models.query import Query

    fields: Dict[str, Any] = {}
    for name, value in (
        ("status", args.status),
        ("destination", args.to),
        ("sender", args.sender),
        ("keyword", args.keyword),
        ("credits", args.credits),
        ("limit", args.limit),
        ("skip", args.skip),
        ("unread", args.unread),
        ("metadata", metadata_pairs(args.metadata)),
    ):
        if value is not None:
            fields[name] = value
    if args.from_date is not None:
        fields["from"] = parse_when(args.from_date, "--from-date")
    if args.to_date is not None:
        fields["to"] = parse_when(args.to_date, "--to-date")
    return Query.model_validate(fields)


def cmd_message_search(args: argparse.Namespace, out: Output) -> int:
    """``message search|inbox|failed``: the records a search finds, newest first."""
    filters = query(args)
    with _messages(args, out) as messages:
        found = getattr(messages, args.search_method)(filters)
    show_records(out, found)
    return EXIT_OK
