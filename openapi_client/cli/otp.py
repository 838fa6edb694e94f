"""``smsworks otp send|verify|status``: one-time passcodes (``OneTimePasswordApi``)."""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from typing import Any, Dict, Iterator

from ._client import api
from ._common import EXIT_API, EXIT_OK, add_command, add_metadata, finish, positive_int, subcommands
from ._output import SENT_LABELS, Output, show_fields

#: A passcode's record, as ``Label  value`` lines.
RECORD_LABELS = (
    ("destination", "Destination"),
    ("status", "Status"),
    ("validity", "Validity"),
    ("created", "Created"),
    ("expires", "Expires"),
    ("modified", "Modified"),
    ("metadata", "Metadata"),
)


@contextmanager
def _passcodes(args: argparse.Namespace, out: Output) -> Iterator[Any]:
    with api(args, out, "one_time_password_api", "OneTimePasswordApi") as passcodes:
        yield passcodes


def register(commands: Any) -> None:
    """Add ``otp`` and its actions to the top-level ``commands``."""
    otp = commands.add_parser("otp", help="text one-time passcodes and check them")
    finish(otp)
    actions = subcommands(otp, "otp_command", "ACTION")
    send = add_command(
        actions,
        "send",
        cmd_otp_send,
        help="text a one-time passcode",
        description="Text a one-time passcode to one number; check it later with 'otp verify'.",
    )
    send.add_argument("--sender", required=True, help="sender ID: 11 letters/digits or 15 digits")
    send.add_argument(
        "--to",
        "--destination",
        dest="to",
        required=True,
        metavar="NUMBER",
        help="the recipient, international form (447700900001)",
    )
    send.add_argument("--length", type=positive_int, help="digits of the passcode (default 6)")
    send.add_argument(
        "--template", metavar="TEXT", help="the text, with {{passcode}} where the passcode goes"
    )
    send.add_argument(
        "--validity", type=positive_int, metavar="SECONDS", help="seconds the passcode is valid"
    )
    send.add_argument("--passcode", metavar="CODE", help="send this passcode, not a new one")
    add_metadata(send, "a key/value pair returned when the passcode is checked")
    finish(send)

    verify = add_command(
        actions,
        "verify",
        cmd_otp_verify,
        help="check a passcode a user typed in (exit 1 unless it is VERIFIED)",
        description="Check a passcode. Exit status 0 only when the answer is VERIFIED.",
    )
    verify.add_argument("passcode", help="the passcode as the user typed it")
    finish(verify)

    status = add_command(
        actions, "status", cmd_otp_status, help="a passcode's record, without using it"
    )
    status.add_argument("messageid", help="the message id 'otp send' printed")
    finish(status)


def cmd_otp_send(args: argparse.Namespace, out: Output) -> int:
    """``otp send``: text a passcode."""
    from ..models.otp import OTP

    fields: Dict[str, Any] = {}
    for name, value in (
        ("length", args.length),
        ("template", args.template),
        ("validity", args.validity),
        ("passcode", args.passcode),
        ("metadata", dict(args.metadata) if args.metadata else None),
    ):
        if value is not None:
            fields[name] = value
    request = OTP(sender=args.sender, destination=args.to, **fields)
    with _passcodes(args, out) as passcodes:
        sent = passcodes.otp_send_post(request)
    show_fields(out, sent.to_dict(), SENT_LABELS)
    return EXIT_OK


def cmd_otp_verify(args: argparse.Namespace, out: Output) -> int:
    """``otp verify``: check a passcode; exit 1 unless the API says ``VERIFIED``."""
    from ..models.otp_verify import OTPVerify

    with _passcodes(args, out) as passcodes:
        checked = passcodes.otp_verify_post(OTPVerify(passcode=args.passcode))
    _show_record(out, checked)
    if checked.status != "VERIFIED":
        out.error(f"the passcode was not accepted: status {checked.status or 'unknown'}")
        return EXIT_API
    return EXIT_OK


def cmd_otp_status(args: argparse.Namespace, out: Output) -> int:
    """``otp status``: where a passcode stands."""
    with _passcodes(args, out) as passcodes:
        record = passcodes.otp_messageid_get(args.messageid)
    _show_record(out, record)
    return EXIT_OK


def _show_record(out: Output, record: Any) -> None:
    # The passcode itself is left out of the table: a terminal is often shared or recorded,
    # and whoever needs it has it already. ``--json`` gives the whole record.
    show_fields(out, record.to_dict(), RECORD_LABELS)
