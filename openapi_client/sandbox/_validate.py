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

__all__ = [
    "OTP_MAX_LENGTH",
    "OTP_MAX_VALIDITY",
    "Common",
    "OtpRequest",
    "Query",
    "parse_json",
    "validate_batch",
    "validate_message",
    "validate_messages",
    "validate_otp",
    "validate_query",
]

#: Longest generated passcode the sandbox makes (the API documents no limit).
OTP_MAX_LENGTH = 16
#: Longest ``OTP.validity`` the sandbox takes, in seconds (the API documents no limit).
OTP_MAX_VALIDITY = 24 * 60 * 60
#: ``OTP.validity`` when left out, in seconds (the value of the API's own example).
OTP_DEFAULT_VALIDITY = 300
#: The text of a passcode sent without a ``template``.
OTP_DEFAULT_TEMPLATE = f"Your one-time passcode is {_limits.OTP_PLACEHOLDER}"

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
    if not -_INT64 <= value < _INT64:
        # The store keeps integers as SQLite's signed 64-bit INTEGER; no field of the API needs
        # more, and a larger one must be a 400, not a failure while saving.
        raise _type(where + key, "an integer below 2**63")
    return value


#: Integers the store can hold: SQLite's INTEGER is a signed 64-bit number.
_INT64 = 2**63


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
    return common, checked, _schedule(body, "schedule") if scheduled else None


def _schedule(body: Dict[str, Any], field: str) -> float:
    raw = body.get("schedule")
    if raw is None or raw == "":
        raise _missing(field)
    if not isinstance(raw, str):
        raise _type(field, "a string")
    when = parse_schedule(raw)
    if when is None:
        raise SandboxError.extended(
            1016,
            f"{field} {raw!r} is not a date: use ISO 8601 with an offset "
            "(2026-12-01T09:00:00+00:00) or 'Wed Jul 19 2017 20:53:46 GMT+0100 (BST)'",
        )
    return when


def _message(item: Any, where: str) -> Tuple[Common, str]:
    """One ``Message`` object; ``where`` prefixes the field names in errors (``[3].``)."""
    destination = item.get("destination")
    if destination is None or destination == "":
        raise _missing(where + "destination")
    destination = _destination(destination, where + "destination")
    return _common(item, where, allow_message_fields=True), destination


def validate_message(body: Any, scheduled: bool) -> Tuple[Common, str, Optional[float]]:
    """Check the one ``Message`` of ``/message/send``, ``/message/flash`` or
    ``/message/schedule``; the schedule is read (and required) only for the last."""
    if not isinstance(body, dict):
        raise SandboxError.extended(1001, "request body must be a JSON object (a Message)")
    common, destination = _message(body, "")
    return common, destination, _schedule(body, "schedule") if scheduled else None


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
        common, destination = _message(item, where)
        key = common if common.metadata is None and common.responseemail is None else None
        if key is not None:
            common = seen.setdefault(key, common)
        checked.append((common, destination))
    return checked


class Query(NamedTuple):
    """The filters and paging of one search; ``None`` where a filter was not given."""

    status: Optional[str]
    credits: Optional[float]
    destination: Optional[str]
    sender: Optional[str]
    keyword: Optional[str]
    start: Optional[float]
    end: Optional[float]
    limit: int
    skip: int
    unread: Optional[bool]
    metadata: List[Dict[str, str]]


_QUERY_STRINGS = ("status", "destination", "sender", "keyword", "from", "to")
_QUERY_FIELDS = frozenset(_QUERY_STRINGS + ("credits", "limit", "skip", "unread", "metadata"))


def _query_error(message: str) -> SandboxError:
    return SandboxError.extended(1019, message)


def validate_query(body: Any) -> Query:
    """Check a ``Query`` (every filter optional, unknown fields refused as the document says)."""
    if not isinstance(body, dict):
        raise SandboxError.extended(1001, "request body must be a JSON object (a Query)")
    unknown = sorted(set(body) - _QUERY_FIELDS)
    if unknown:
        raise _query_error(f"{unknown[0]} is not a search filter")
    texts: Dict[str, Optional[str]] = {}
    for key in _QUERY_STRINGS:
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise _type(key, "a string")
        texts[key] = value
    moments: Dict[str, Optional[float]] = {}
    for key in ("from", "to"):
        text = texts[key]
        moments[key] = None if text is None else parse_schedule(text)
        if text is not None and moments[key] is None:
            raise _query_error(f"{key} {text!r} is not a date with an offset")
    credits = body.get("credits")
    if credits is not None and (isinstance(credits, bool) or not isinstance(credits, (int, float))):
        raise _type("credits", "a number")
    limit = _integer(body, "limit", "")
    if limit is not None and not 1 <= limit <= _limits.MAX_QUERY_RESULTS:
        raise _query_error(f"limit must be 1..{_limits.MAX_QUERY_RESULTS}, not {limit}")
    skip = _integer(body, "skip", "")
    if skip is not None and skip < 0:
        raise _query_error(f"skip must not be negative, not {skip}")
    unread = body.get("unread")
    if unread is not None and not isinstance(unread, bool):
        raise _type("unread", "true or false")
    return Query(
        status=texts["status"],
        credits=None if credits is None else float(credits),
        destination=texts["destination"],
        sender=texts["sender"],
        keyword=texts["keyword"],
        start=moments["from"],
        end=moments["to"],
        limit=_limits.MAX_QUERY_RESULTS if limit is None else limit,
        skip=skip or 0,
        unread=unread,
        metadata=_metadata(body.get("metadata"), "metadata") or [],
    )


class OtpRequest(NamedTuple):
    """A checked ``OTP``: what to text, and the passcode (``None``: the sandbox makes one)."""

    common: Common
    destination: str
    length: int
    validity: int
    passcode: Optional[str]
    metadata: Optional[Dict[str, Any]]


def _otp_error(message: str) -> SandboxError:
    return SandboxError.extended(1022, message)


def validate_otp(body: Any) -> OtpRequest:
    """Check an ``OTP``; the text it sends is ``template`` (or a default) with the passcode in."""
    if not isinstance(body, dict):
        raise SandboxError.extended(1001, "request body must be a JSON object (an OTP)")
    sender = _string(body, "sender", "", required=True)
    assert sender is not None
    _sender(sender, "sender")
    destination = body.get("destination")
    if destination is None or destination == "":
        raise _missing("destination")
    destination = _destination(destination, "destination")
    length = _integer(body, "length", "")
    if length is not None and not 1 <= length <= OTP_MAX_LENGTH:
        raise _otp_error(f"length must be 1..{OTP_MAX_LENGTH} digits, not {length}")
    validity = _integer(body, "validity", "")
    if validity is not None and not 1 <= validity <= OTP_MAX_VALIDITY:
        raise _otp_error(f"validity must be 1..{OTP_MAX_VALIDITY} seconds, not {validity}")
    template = _string(body, "template", "", required=False)
    if template is not None and _limits.OTP_PLACEHOLDER not in template:
        raise _otp_error(f"template must hold {_limits.OTP_PLACEHOLDER}")
    passcode = _string(body, "passcode", "", required=False)
    if passcode == "":
        raise _otp_error("passcode must not be empty")
    metadata = body.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise _type("metadata", "a JSON object")
        size = len(json.dumps(metadata, separators=(",", ":"), ensure_ascii=False).encode())
        if size > _limits.MAX_OTP_METADATA_BYTES:
            raise _otp_error(
                f"metadata is {size} bytes of JSON; the limit is {_limits.MAX_OTP_METADATA_BYTES}"
            )
    code_length = len(passcode) if passcode is not None else length or _limits.DEFAULT_OTP_LENGTH
    content = (template or OTP_DEFAULT_TEMPLATE).replace(_limits.OTP_PLACEHOLDER, "0" * code_length)
    if len(content) > _limits.MAX_CONTENT_LENGTH:
        raise _otp_error(
            f"the text is {len(content)} characters; the limit is {_limits.MAX_CONTENT_LENGTH}"
        )
    common = Common(
        sender=sender,
        content=template or OTP_DEFAULT_TEMPLATE,
        tag=None,
        deliveryreporturl=None,
        ttl=None,
        validity=_limits.MAX_VALIDITY,
        ai=None,
        metadata=None,
        responseemail=None,
    )
    return OtpRequest(
        common=common,
        destination=destination,
        length=length or _limits.DEFAULT_OTP_LENGTH,
        validity=OTP_DEFAULT_VALIDITY if validity is None else validity,
        passcode=passcode,
        metadata=metadata,
    )
