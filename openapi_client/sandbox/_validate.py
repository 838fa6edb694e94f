"""Checks on request bodies, with the limits the API documents.

Each check raises :class:`SandboxError` naming the field (``destinations[3]``,
``[12].content``), so a failing test says what the client got wrong.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from .. import _limits
from ._clock import parse_schedule
from ._errors import SandboxError

__all__ = ["Common", "parse_json", "validate_batch", "validate_messages"]

_DIGITS = re.compile(r"[0-9]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_DESTINATION = re.compile(
    rf"[0-9]{{{_limits.MIN_DESTINATION_DIGITS},{_limits.MAX_DESTINATION_DIGITS}}}"
)
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


class Common(NamedTuple):
    """What the messages of one request share (all of it, for ``/batch/send``)."""

    sender: str
    content: str
    tag: Optional[str]
    deliveryreporturl: Optional[str]
    ttl: Optional[int]
    validity: int
    ai: Optional[bool]
    metadata: Optional[List[Dict[str, str]]]
    responseemail: Optional[List[str]]


def parse_json(raw: bytes, content_type: Optional[str]) -> Any:
    """Decode a request body, refusing anything that is not JSON."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise SandboxError.extended(
            1000, f"Content-Type must be application/json, not {media or 'missing'}"
        )
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise SandboxError.extended(1000, f"request body is not valid JSON: {error}") from None


def _missing(field: str) -> SandboxError:
    return SandboxError.extended(1002, f"{field} is required")


def _type(field: str, expected: str) -> SandboxError:
    return SandboxError.extended(1003, f"{field} must be {expected}")


def _string(obj: Dict[str, Any], key: str, where: str, required: bool) -> Optional[str]:
    value = obj.get(key)
    if value is None or (required and value == ""):
        if required:
            raise _missing(where + key)
        return None
    if not isinstance(value, str):
        raise _type(where + key, "a string")
    return value


def _integer(obj: Dict[str, Any], key: str, where: str) -> Optional[int]:
    value = obj.get(key)
    if value is None:
        return None
    # JSON has one number type; 1440.0 is the integer 1440, true is not a number.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type(where + key, "an integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise _type(where + key, "an integer")
        value = int(value)
    return value


def _sender(value: str, field: str) -> str:
    if _DIGITS.fullmatch(value):
        if len(value) > _limits.MAX_SENDER_NUMERIC:
            raise SandboxError.extended(
                1010, f"{field} is numeric and longer than {_limits.MAX_SENDER_NUMERIC} digits"
            )
    elif not _ALNUM.fullmatch(value):
        raise SandboxError.extended(
            1010, f"{field} may hold only letters and digits, no spaces or symbols"
        )
    elif len(value) > _limits.MAX_SENDER_ALPHANUMERIC:
        raise SandboxError.extended(
            1010,
            f"{field} is alphanumeric and longer than {_limits.MAX_SENDER_ALPHANUMERIC} characters",
        )
    return value


def _destination(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise _type(field, "a string of digits")
    if value.startswith("0") and _DIGITS.fullmatch(value):
        # The API records destinations as numbers: a leading zero would silently turn into
        # another number, so national (07...) and 00-prefixed forms are refused, not guessed.
        raise SandboxError.extended(
            1011,
            f"{field} starts with 0: give it in international form without '+' or '00'"
            " (UK 07700900123 is 447700900123)",
        )
    if not _DESTINATION.fullmatch(value):
        raise SandboxError.extended(
            1011,
            f"{field} must be {_limits.MIN_DESTINATION_DIGITS}-{_limits.MAX_DESTINATION_DIGITS}"
            " digits in international form without '+' (UK numbers start with 44)",
        )
    return value


def _common(obj: Dict[str, Any], where: str, allow_message_fields: bool) -> Common:
    sender = _string(obj, "sender", where, required=True)
    content = _string(obj, "content", where, required=True)
    assert sender is not None
    assert content is not None
    _sender(sender, where + "sender")
    if len(content) > _limits.MAX_CONTENT_LENGTH:
        raise SandboxError.extended(
            1012,
            f"{where}content is {len(content)} characters; "
            f"the limit is {_limits.MAX_CONTENT_LENGTH}",
        )
    tag = _string(obj, "tag", where, required=False)
    if tag is not None and len(tag) > _limits.MAX_TAG_LENGTH:
        raise SandboxError.extended(
            1013, f"{where}tag is {len(tag)} characters; the limit is {_limits.MAX_TAG_LENGTH}"
        )
    url = _string(obj, "deliveryreporturl", where, required=False) or None
    if url is not None and not _URL.fullmatch(url):
        raise SandboxError.extended(1017, f"{where}deliveryreporturl must be an http(s) URL")
    validity = _integer(obj, "validity", where)
    if validity is not None and not _limits.MIN_VALIDITY <= validity <= _limits.MAX_VALIDITY:
        raise SandboxError.extended(
            1014,
            f"{where}validity must be {_limits.MIN_VALIDITY}..{_limits.MAX_VALIDITY} minutes,"
            f" not {validity}",
        )
    ttl = _integer(obj, "ttl", where)
    if ttl is not None and ttl < 0:
        raise SandboxError.extended(1015, f"{where}ttl must not be negative")
    ai = obj.get("ai")
    if ai is not None and not isinstance(ai, bool):
        raise _type(where + "ai", "true or false")
    metadata: Optional[List[Dict[str, str]]] = None
    emails: Optional[List[str]] = None
    if allow_message_fields:
        metadata = _metadata(obj.get("metadata"), where + "metadata")
        emails = _emails(obj.get("responseemail"), where + "responseemail")
    return Common(
        sender=sender,
        content=content,
        tag=tag,
        deliveryreporturl=url,
        ttl=ttl,
        validity=_limits.MAX_VALIDITY if validity is None else validity,
        ai=ai,
        metadata=metadata,
        responseemail=emails,
    )


def _metadata(value: Any, field: str) -> Optional[List[Dict[str, str]]]:
    if value is None:
        return None
    if not isinstance(value, list):
        raise SandboxError.extended(1018, f"{field} must be an array of {{key, value}} objects")
    pairs: List[Dict[str, str]] = []
    for index, item in enumerate(value):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("key"), str)
            or not isinstance(item.get("value"), str)
        ):
            raise SandboxError.extended(
                1018, f"{field}[{index}] must be an object with string 'key' and 'value'"
            )
        pairs.append({"key": item["key"], "value": item["value"]})
    return pairs


def _emails(value: Any, field: str) -> Optional[List[str]]:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _type(field, "an array of strings")
    return list(value)


def _size(count: int, what: str) -> None:
    if count == 0:
        raise SandboxError.extended(1020, f"{what} must hold at least one entry")
    if count > _limits.MAX_BATCH_SIZE:
        raise SandboxError.extended(
            1021, f"{what} holds {count} entries; the limit is {_limits.MAX_BATCH_SIZE}"
        )


def validate_batch(body: Any, scheduled: bool) -> Tuple[Common, List[str], Optional[float]]:
    """Check a ``BatchMessage``; return what its messages share, the destinations, the schedule.

    The schedule (epoch seconds) is only read for ``/batch/schedule``; the API documents
    ``schedule`` as used by that call alone.
    """
    if not isinstance(body, dict):
        raise SandboxError.extended(1001, "request body must be a JSON object (a BatchMessage)")
    destinations = body.get("destinations")
    if destinations is None:
        raise _missing("destinations")
    if not isinstance(destinations, list):
        raise _type("destinations", "an array of strings")
    common = _common(body, "", allow_message_fields=False)
    _size(len(destinations), "destinations")
    checked = [_destination(item, f"destinations[{i}]") for i, item in enumerate(destinations)]
    when: Optional[float] = None
    if scheduled:
        raw = body.get("schedule")
        if raw is None or raw == "":
            raise _missing("schedule")
        if not isinstance(raw, str):
            raise _type("schedule", "a string")
        when = parse_schedule(raw)
        if when is None:
            raise SandboxError.extended(
                1016,
                f"schedule {raw!r} is not a date: use ISO 8601 with an offset "
                "(2026-12-01T09:00:00+00:00) or 'Wed Jul 19 2017 20:53:46 GMT+0100 (BST)'",
            )
    return common, checked, when


def validate_messages(body: Any) -> List[Tuple[Common, str]]:
    """Check the JSON array of ``Message`` sent to ``/batch/any``."""
    if not isinstance(body, list):
        raise SandboxError.extended(1001, "request body must be a JSON array of Message objects")
    _size(len(body), "the message array")
    checked: List[Tuple[Common, str]] = []
    # Messages of a mail-merge often share everything but the text; reuse equal Commons so the
    # credit count below runs once per distinct text, not once per message.
    seen: Dict[Common, Common] = {}
    for index, item in enumerate(body):
        where = f"[{index}]."
        if not isinstance(item, dict):
            raise SandboxError.extended(1001, f"[{index}] must be a Message object")
        destination = item.get("destination")
        if destination is None or destination == "":
            raise _missing(where + "destination")
        destination = _destination(destination, where + "destination")
        common = _common(item, where, allow_message_fields=True)
        key = common if common.metadata is None and common.responseemail is None else None
        if key is not None:
            common = seen.setdefault(key, common)
        checked.append((common, destination))
    return checked
