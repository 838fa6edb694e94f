"""Errors in the words of the command line: API failures in one line, fields as options."""

from __future__ import annotations

import argparse
import re
from typing import Any, Dict, List


def describe_api_error(error: BaseException) -> str:
    """One line: HTTP status, the API's errorCode and status, and its message."""
    from ..exceptions import ApiConnectionError, ApiTimeoutError, SendOutcomeUnknownError

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
        from .._redact import cut

        # Redacted before the cut: a cut through a token would leave a piece nobody can match.
        message = cut(body.strip(), 300) if body else getattr(error, "reason", None) or str(error)
    return ", ".join(parts) + f": {message}"


#: For each request body the SDK names in its errors, the option that gives each field.
OPTION_OF_FIELD: Dict[str, Dict[str, str]] = {
    "sms_message": {
        "sender": "--sender",
        "content": "--content",
        "tag": "--tag",
        "deliveryreporturl": "--delivery-report-url",
        "validity": "--validity",
        "ttl": "--ttl",
        "schedule": "--at",
        # A single message (``message send|schedule``) is sent under the same name.
        "destination": "--to",
        "metadata": "--metadata",
    },
    "message": {
        "sender": "--sender",
        "destination": "--to",
        "content": "--content",
        "tag": "--tag",
        "deliveryreporturl": "--delivery-report-url",
        "validity": "--validity",
        "ttl": "--ttl",
        "schedule": "--at",
        "metadata": "--metadata",
    },
    "otp": {
        "sender": "--sender",
        "destination": "--to",
        "length": "--length",
        "template": "--template",
        "validity": "--validity",
        "passcode": "--passcode",
        "metadata": "--metadata",
    },
    "otp_verify": {"passcode": "passcode"},
    "passcode": {"passcode": "passcode"},
    "query": {
        "status": "--status",
        "destination": "--to",
        "sender": "--sender",
        "keyword": "--keyword",
        "credits": "--credits",
        "from": "--from-date",
        "var_from": "--from-date",
        "to": "--to-date",
        "limit": "--limit",
        "skip": "--skip",
        "unread": "--unread",
        "metadata": "--metadata",
    },
}


def in_cli_words(error: Any, args: argparse.Namespace) -> str:
    """An SDK input error (or its text), reworded with the options a shell user has."""
    from ..exceptions import render_path

    text = _plain_words(str(error))
    path = list(getattr(error, "path_to_item", None) or [])
    if path == ["host"] and text.startswith("host: "):
        return "--base-url (or SMSWORKS_BASE_URL): " + text[len("host: ") :]
    options = OPTION_OF_FIELD.get(str(path[0])) if path else None
    if len(path) < 2 or options is None:
        return text
    shown = render_path(path)
    if not text.startswith(shown):
        return text
    rest = text[len(shown) :]
    if path[0] == "sms_message" and path[1] == "destinations":
        return _recipient_words(path, rest, args)
    option = options.get(str(path[1]))
    return f"{option}{rest}" if option else text


def _plain_words(text: str) -> str:
    """Configuration advice as the options that set the same things."""
    text = text.replace(
        "set Configuration(duplicate_destinations='drop') to keep only the first, or 'allow'",
        "pass --duplicates drop to send to it once, or --duplicates allow",
    )
    text = text.replace(
        "or set Configuration(allow_insecure_http=True) if you really mean it",
        "or pass --allow-insecure-http (or set SMSWORKS_ALLOW_INSECURE_HTTP=1) if you really "
        "mean it",
    )
    return text.replace("configuration.duplicate_destinations", "--duplicates")


def _recipient_words(path: List[Any], rest: str, args: argparse.Namespace) -> str:
    """``sms_message.destinations[2]`` as ``--to recipient 3 '...'``."""
    from ._common import recipients

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
    if len(path) > 2 and isinstance(path[2], int):
        given = recipients(args) if hasattr(args, "to") else []
        index = path[2]
        options = "--to/--to-file" if getattr(args, "to_file", None) else "--to"
        number = f" {given[index]!r}" if 0 <= index < len(given) else ""
        return f"{options} recipient {index + 1}{number}{rest}"
    return f"--to{rest}"
