"""Client-side checks of the API's documented limits, run just before a body is encoded.

The request core validates a body's *types* with pydantic first; the functions here then check
what pydantic cannot express simply: the limits The SMS Works documents (5,000 recipients, 11/15
character senders, 1,280 characters of text, validity 1..2880, ...) and the phone-number forms
people really type. Each problem raises ``ApiValueError`` naming the field, e.g.
``messages[1234].sender: ...`` or ``sms_message.destinations[17]: ...``, before a byte is sent.

Normalisation (what is rewritten rather than refused):

* destinations: spaces, dashes, dots and parentheses are removed, a leading ``+`` or ``00``
  (the international call prefix) is dropped, ``(0)`` after a country code is dropped, and a UK
  mobile number written nationally (``07700 900123``) becomes ``447700900123``;
* a numeric sender written with ``+`` loses the ``+``;
* a repeated number is refused, dropped or kept, as ``Configuration.duplicate_destinations``
  says (``"error"`` by default).

Numbers that cannot be read safely are refused rather than guessed at: letters, a ``+`` inside,
``+0``/``000`` (no country code starts with 0), a ``07`` number without 11 digits, and any other
national number (single leading ``0``); ``normalize_uk_numbers=False`` sends ``0...`` numbers
as written instead.

``Configuration(client_side_validation=False)`` switches all of it off; pydantic's type checks
stay. These functions sit on the path of every send, 5,000 items at a time, so they avoid
pydantic re-validation and regexes where ``str`` methods do, and copy a model only when it
changes.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

from . import _limits
from .exceptions import LocalValidationError
from .models import OTP, BatchMessage, Message, OTPVerify, Query

if TYPE_CHECKING:
    from .configuration import Configuration

__all__ = [
    "check_batch",
    "check_batch_message",
    "check_message_list",
    "check_messages",
    "normalize_destination",
]

PathItem = Union[str, int]

#: Characters people put between digits; removed from destinations.
_SEPARATORS = " \t\u00a0-.()"
_DELETE_SEPARATORS = str.maketrans("", "", _SEPARATORS)
_TRUNK_ZERO = re.compile(r"^((?:00)?[0-9]{1,3})[ \t\u00a0-]*\(0\)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+")
_DUPLICATE_MODES = ("error", "drop", "allow")

_UK_MOBILE_NATIONAL_LENGTH = 11  # 07 + nine digits


class _Refused(Exception):
    """A value is refused; the caller adds where it was."""


# -- single values --------------------------------------------------------------------------


def normalize_destination(value: str, normalize_uk_numbers: bool = True) -> str:
    """Return ``value`` as the API wants a number: 7 to 15 digits, international form.

    Raises:
        ApiValueError: the value is not a phone number in a form we can read.
    """
    try:
        return _destination(value, normalize_uk_numbers)
    except _Refused as exc:
        raise LocalValidationError(f"{value!r} {exc}") from None


def _destination(raw: str, uk: bool) -> str:
    if raw.isdigit() and raw.isascii():  # the common case: already plain digits
        digits = raw
        if digits[:1] != "0":
            if _limits.MIN_DESTINATION_DIGITS <= len(digits) <= _limits.MAX_DESTINATION_DIGITS:
                return digits
            raise _Refused(_length_problem(digits))
    else:
        text = raw.strip()
        plus = text[:1] == "+"
        if plus:
            text = text[1:]
        if plus or text[:2] == "00":
            # "+44 (0)7700 900123": the (0) after the country code is the national trunk
            # prefix, dialled only inside the country; keeping it would give a wrong number.
            text = _TRUNK_ZERO.sub(r"\1", text, count=1)
        digits = text.translate(_DELETE_SEPARATORS)
        if not (digits.isdigit() and digits.isascii()):
            bad = next((c for c in digits if not ("0" <= c <= "9")), "")
            if not bad:
                raise _Refused("holds no digits")
            raise _Refused(
                f"holds {bad!r}: a number may contain digits, spaces, '-', '.', '(', ')' and "
                "one leading '+'"
            )
        if plus:
            if digits[:1] == "0":
                # E.164 country codes never start with 0, so '+0...' is a typo.
                raise _Refused(
                    "has a 0 after '+'; a country code follows '+' and none starts with 0"
                )
            return _checked_length(digits)
    if digits[:2] == "00":
        digits = digits[2:]  # the international call prefix, as dialled in the UK and Europe
        if digits[:1] == "0":
            raise _Refused(
                "has a 0 after the international prefix 00; no country code starts with 0"
            )
        return _checked_length(digits)
    if uk and digits[:1] == "0":
        if digits[:2] == "07" and len(digits) == _UK_MOBILE_NATIONAL_LENGTH:
            return "44" + digits[1:]
        if digits[:2] == "07":
            raise _Refused(
                f"looks like a UK mobile number but has {len(digits)} digits, not "
                f"{_UK_MOBILE_NATIONAL_LENGTH}"
            )
        raise _Refused(
            "is a national number (leading 0); write it in international form, e.g. 44 and the "
            "number without its 0 for the UK"
        )
    return _checked_length(digits)


def _checked_length(digits: str) -> str:
    if _limits.MIN_DESTINATION_DIGITS <= len(digits) <= _limits.MAX_DESTINATION_DIGITS:
        return digits
    raise _Refused(_length_problem(digits))


def _length_problem(digits: str) -> str:
    return (
        f"has {len(digits)} digits; a phone number in international form has "
        f"{_limits.MIN_DESTINATION_DIGITS} to {_limits.MAX_DESTINATION_DIGITS}"
    )


def _sender(value: str) -> str:
    if value[:1] == "+":
        rest = value[1:]
        if rest.isdigit() and rest.isascii():
            value = rest
        else:
            raise _Refused("'+' is allowed only in front of a numeric sender")
    if not value:
        raise _Refused("must not be empty")
    if value.isascii() and value.isdigit():
        if len(value) > _limits.MAX_SENDER_NUMERIC:
            raise _Refused(
                f"is a number of {len(value)} digits; numeric senders have at most "
                f"{_limits.MAX_SENDER_NUMERIC}"
            )
        return value
    if value.isascii() and value.isalnum():
        if len(value) > _limits.MAX_SENDER_ALPHANUMERIC:
            raise _Refused(
                f"{value!r} is {len(value)} characters; alphanumeric senders have at most "
                f"{_limits.MAX_SENDER_ALPHANUMERIC}"
            )
        return value
    bad = next(c for c in value if not (c.isascii() and c.isalnum()))
    raise _Refused(
        f"{value!r} holds {bad!r}: a sender ID is letters A-Z, a-z and digits only, "
        "with no spaces or symbols"
    )


def _content(value: str) -> None:
    if not value or value.isspace():
        raise _Refused("must not be empty")
    if len(value) > _limits.MAX_CONTENT_LENGTH:
        raise _Refused(f"is {len(value)} characters; the limit is {_limits.MAX_CONTENT_LENGTH}")


def _url(value: str) -> None:
    problem = "must be an http:// or https:// URL with a host name"
    if not value or any(c.isspace() or not c.isprintable() for c in value):
        raise _Refused(f"{value!r} {problem} (no spaces or control characters)")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        raise _Refused(f"{value!r} {problem}") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise _Refused(f"{value!r} {problem}")


# -- shared fields --------------------------------------------------------------------------


def _at(root: Sequence[PathItem], index: Optional[int], *rest: PathItem) -> List[PathItem]:
    """The path of a field; built only when there is an error to report."""
    path = list(root)
    if index is not None:
        path.append(index)
    path.extend(rest)
    return path


class _Context:
    """Settings of one check, and caches of values already seen in it.

    Messages of one ``/batch/any`` request usually share sender, URL and addresses; checking
    each distinct value once keeps 5,000 messages in the low milliseconds.
    """

    __slots__ = ("duplicates", "emails", "root", "senders", "uk", "urls")

    def __init__(self, config: Configuration, root: Sequence[PathItem]) -> None:
        self.root = root
        self.uk = bool(getattr(config, "normalize_uk_numbers", True))
        mode = getattr(config, "duplicate_destinations", "error")
        if mode not in _DUPLICATE_MODES:
            raise LocalValidationError(
                f"must be 'error', 'drop' or 'allow', not {mode!r}",
                ["configuration", "duplicate_destinations"],
            )
        self.duplicates: str = mode
        self.senders: Dict[str, str] = {}
        self.urls: Dict[str, bool] = {}
        self.emails: Dict[str, bool] = {}

    def sender(self, value: str, index: Optional[int]) -> str:
        found = self.senders.get(value)
        if found is None:
            try:
                found = _sender(value)
            except _Refused as exc:
                raise LocalValidationError(str(exc), _at(self.root, index, "sender")) from None
            self.senders[value] = found
        return found

    def url(self, value: str, index: Optional[int]) -> None:
        if value not in self.urls:
            try:
                _url(value)
            except _Refused as exc:
                raise LocalValidationError(
                    str(exc), _at(self.root, index, "deliveryreporturl")
                ) from None
            self.urls[value] = True

    def email(self, value: str, index: Optional[int], position: int) -> None:
        if value not in self.emails:
            if not _EMAIL.fullmatch(value):
                raise LocalValidationError(
                    f"{value!r} is not an e-mail address",
                    _at(self.root, index, "responseemail", position),
                )
            self.emails[value] = True

    def destination(self, raw: str, path: Sequence[PathItem]) -> str:
        try:
            return _destination(raw, self.uk)
        except _Refused as exc:
            raise LocalValidationError(f"{raw!r} {exc}", path) from None


def _common(
    msg: Union[BatchMessage, Message], ctx: _Context, index: Optional[int]
) -> Optional[Dict[str, Any]]:
    """Check what both models share; the changed fields, or ``None`` when nothing changes."""
    update: Optional[Dict[str, Any]] = None
    sender = msg.sender
    clean = ctx.senders.get(sender) or ctx.sender(sender, index)
    if clean != sender:
        update = {"sender": clean}
    content = msg.content
    if not content or len(content) > _limits.MAX_CONTENT_LENGTH or content.isspace():
        try:
            _content(content)
        except _Refused as exc:
            raise LocalValidationError(str(exc), _at(ctx.root, index, "content")) from None
    tag = msg.tag
    if tag is not None and len(tag) > _limits.MAX_TAG_LENGTH:
        raise LocalValidationError(
            f"is {len(tag)} characters; the limit is {_limits.MAX_TAG_LENGTH}",
            _at(ctx.root, index, "tag"),
        )
    validity = msg.validity
    if validity is not None and not _limits.MIN_VALIDITY <= validity <= _limits.MAX_VALIDITY:
        raise LocalValidationError(
            f"must be {_limits.MIN_VALIDITY}..{_limits.MAX_VALIDITY} minutes, not {validity}",
            _at(ctx.root, index, "validity"),
        )
    ttl = msg.ttl
    if ttl is not None and ttl < 1:
        raise LocalValidationError(
            f"must be a positive number of minutes, not {ttl} (leave it out to keep reports)",
            _at(ctx.root, index, "ttl"),
        )
    url = msg.deliveryreporturl
    if url is not None and url not in ctx.urls:
        ctx.url(url, index)
    return update


def _size(count: int, limit: Optional[int], what: str, path: List[PathItem], hint: str) -> None:
    if count == 0:
        raise LocalValidationError(f"must hold at least one {what}", path)
    if limit is not None and count > limit:
        raise LocalValidationError(
            f"holds {count} {what}s; the limit is {limit} per request ({hint})", path
        )


def _duplicate_error(
    keys: Sequence[Any], key: Any, index: int, path: List[PathItem], label: str, shown: str
) -> LocalValidationError:
    where = [i for i, k in enumerate(keys) if k == key]
    listed = ", ".join(str(i) for i in where[:10]) + (", ..." if len(where) > 10 else "")
    return LocalValidationError(
        f"{shown} appears {len(where)} times (at {label} {listed}); "
        "set Configuration(duplicate_destinations='drop') to keep only the first, or 'allow'",
        [*path, index],
    )


def _first_occurrences(
    keys: Sequence[Any], ctx: _Context, path: List[PathItem], label: str, shown: Any
) -> Optional[List[int]]:
    """Positions to keep under the duplicate policy; ``None`` keeps all of them."""
    if ctx.duplicates == "allow" or len(set(keys)) == len(keys):
        return None
    seen: Dict[Any, int] = {}
    kept: List[int] = []
    for index, key in enumerate(keys):
        if key in seen:
            if ctx.duplicates == "error":
                raise _duplicate_error(keys, key, index, path, label, shown(key))
            continue
        seen[key] = index
        kept.append(index)
    return kept


# -- /batch/send and /batch/schedule ----------------------------------------------------------


def check_batch(
    msg: BatchMessage, config: Configuration, *, limit: Optional[int] = _limits.MAX_BATCH_SIZE
) -> Tuple[BatchMessage, Optional[List[int]]]:
    """Check and normalise ``msg``; also return the positions kept when duplicates were dropped.

    ``limit`` is the largest number of destinations allowed (``None``: any number, for chunked
    sends). The positions are ``None`` when every destination was kept.
    """
    if not getattr(config, "client_side_validation", True):
        return msg, None
    ctx = _Context(config, ["sms_message"])
    update = _common(msg, ctx, None) or {}
    given = msg.destinations
    dest_path: List[PathItem] = ["sms_message", "destinations"]
    if not given:
        raise LocalValidationError("must hold at least one recipient", dest_path)
    out = given
    joined = ",".join(given) + ","
    # One regex pass over the whole list settles the usual case (every number already plain);
    # the count guards against a "number" that itself holds a comma.
    all_plain = _PLAIN_LIST.fullmatch(joined) is not None and joined.count(",") == len(given)
    for index, raw in enumerate(() if all_plain else given):
        if not _plain(raw):
            # Rare: something to normalise. Copy once, then carry on in the copy.
            out = list(given)
            for later in range(index, len(given)):
                number = given[later]
                if not _plain(number):
                    out[later] = ctx.destination(number, [*dest_path, later])
            break
    kept = _first_occurrences(out, ctx, dest_path, "destinations", str)
    if kept is not None:
        out = [out[i] for i in kept]
    _size(len(out), limit, "recipient", dest_path, "batch_send_many() sends any number")
    if out is not given:
        update["destinations"] = out
    if not update:
        return msg, kept
    return msg.model_copy(update=update), kept


#: A comma-terminated list of numbers that need no rewriting (see ``_plain``); [0-9] is ASCII.
_MORE_DIGITS = f"{_limits.MIN_DESTINATION_DIGITS - 1},{_limits.MAX_DESTINATION_DIGITS - 1}"
_PLAIN_LIST = re.compile(rf"(?:[1-9][0-9]{{{_MORE_DIGITS}}},)*")


def _plain(number: str) -> bool:
    """Whether ``number`` is already what the API wants (the fast path of nearly every call)."""
    return (
        _limits.MIN_DESTINATION_DIGITS <= len(number) <= _limits.MAX_DESTINATION_DIGITS
        and number.isdigit()
        and number.isascii()
        and number[0] != "0"
    )


def check_batch_message(msg: BatchMessage, config: Configuration) -> BatchMessage:
    """Check ``msg`` against the API's limits and return it normalised.

    Returns ``msg`` itself when nothing needed rewriting, otherwise a copy.

    Raises:
        ApiValueError: a limit is broken; the message names the field
            (``sms_message.destinations[17]: ...``).
    """
    return check_batch(msg, config)[0]


# -- /batch/any -------------------------------------------------------------------------------


def _one_message(msg: Message, ctx: _Context, index: Optional[int]) -> Message:
    """Check one ``Message``; itself when nothing needed rewriting, otherwise a copy."""
    root = ctx.root
    update = _common(msg, ctx, index)
    raw = msg.destination
    if not _plain(raw):
        number = ctx.destination(raw, _at(root, index, "destination"))
        if number != raw:
            update = update or {}
            update["destination"] = number
    emails = msg.responseemail
    if emails:
        for email in emails:
            if email not in ctx.emails:
                ctx.email(email, index, emails.index(email))
    metadata = msg.metadata
    if metadata:
        for pair in metadata:
            key = pair.key
            if not key or key.isspace():
                where = _at(root, index, "metadata", metadata.index(pair), "key")
                raise LocalValidationError("must not be empty", where)
    return msg.model_copy(update=update) if update else msg


def check_message_list(
    msgs: List[Message], config: Configuration, *, limit: Optional[int] = _limits.MAX_BATCH_SIZE
) -> Tuple[List[Message], Optional[List[int]]]:
    """As ``check_batch`` for the message list of ``/batch/any``.

    Two messages are duplicates when destination, sender, content and schedule are all equal:
    the same number may well get two different texts in one batch.
    """
    if not getattr(config, "client_side_validation", True):
        return msgs, None
    root: List[PathItem] = ["messages"]
    if not msgs:
        raise LocalValidationError("must hold at least one message", root)
    ctx = _Context(config, root)
    out: List[Message] = msgs
    for index, msg in enumerate(msgs):
        checked = _one_message(msg, ctx, index)
        if checked is not msg:
            if out is msgs:
                out = list(msgs)
            out[index] = checked
    kept: Optional[List[int]] = None
    if ctx.duplicates != "allow":
        keys = [(m.destination, m.sender, m.content, m.schedule) for m in out]
        kept = _first_occurrences(
            keys, ctx, root, "messages", lambda key: f"the same text to {key[0]}"
        )
        if kept is not None:
            out = [out[i] for i in kept]
    _size(len(out), limit, "message", root, "batch_any_many() sends any number")
    return out, kept


def check_messages(msgs: List[Message], config: Configuration) -> List[Message]:
    """Check the messages of a ``/batch/any`` request and return them normalised.

    Returns ``msgs`` itself when nothing needed rewriting, otherwise a new list (with copies of
    the messages that changed).

    Raises:
        ApiValueError: a limit is broken; the message names the field
            (``messages[1234].sender: ...``).
    """
    return check_message_list(msgs, config)[0]


# -- /message/send, /message/flash, /message/schedule ------------------------------------------


def check_message(msg: Message, config: Configuration) -> Message:
    """Check one text to one recipient (``sms_message``) and return it normalised.

    The same rules as for each message of ``/batch/any``.
    """
    if not getattr(config, "client_side_validation", True):
        return msg
    return _one_message(msg, _Context(config, ["sms_message"]), None)


def check_scheduled_message(msg: Message, config: Configuration) -> Message:
    """As ``check_message``, for ``/message/schedule``: ``schedule`` is required."""
    if getattr(config, "client_side_validation", True):
        schedule = msg.schedule
        if schedule is None or (isinstance(schedule, str) and not schedule.strip()):
            raise LocalValidationError(
                "required to schedule a message", ["sms_message", "schedule"]
            )
    return check_message(msg, config)


# -- searches ---------------------------------------------------------------------------------


def check_query(query: Query, config: Configuration) -> Query:
    """Check the paging of a search (``limit`` 1..1000, ``skip`` 0 or more)."""
    if not getattr(config, "client_side_validation", True):
        return query
    limit = query.limit
    if limit is not None and not 1 <= limit <= _limits.MAX_QUERY_RESULTS:
        raise LocalValidationError(
            f"must be 1..{_limits.MAX_QUERY_RESULTS}, not {limit}", ["query", "limit"]
        )
    skip = query.skip
    if skip is not None and skip < 0:
        raise LocalValidationError(f"must be 0 or more, not {skip}", ["query", "skip"])
    return query


# -- one-time passcodes -----------------------------------------------------------------------


def check_otp(otp: OTP, config: Configuration) -> OTP:
    """Check a passcode send (``otp``) and return it normalised.

    Sender and destination follow the rules of every text; ``length`` and ``validity`` are
    positive, a ``template`` holds the ``{{passcode}}`` placeholder and fits in one text's
    limit, a ``passcode`` of your own is not blank, and ``metadata`` is at most 1024 bytes of
    JSON.
    """
    if not getattr(config, "client_side_validation", True):
        return otp
    root: List[PathItem] = ["otp"]
    ctx = _Context(config, root)
    update: Dict[str, Any] = {}
    sender = ctx.sender(otp.sender, None)
    if sender != otp.sender:
        update["sender"] = sender
    number = ctx.destination(otp.destination, [*root, "destination"])
    if number != otp.destination:
        update["destination"] = number
    for name in ("length", "validity"):
        value = getattr(otp, name)
        if value is not None and value < 1:
            raise LocalValidationError(f"must be 1 or more, not {value}", [*root, name])
    template = otp.template
    if template is not None:
        if _limits.OTP_PLACEHOLDER not in template:
            raise LocalValidationError(
                f"must hold the placeholder {_limits.OTP_PLACEHOLDER}", [*root, "template"]
            )
        try:
            _content(template)
        except _Refused as exc:
            raise LocalValidationError(str(exc), [*root, "template"]) from None
    passcode = otp.passcode
    if passcode is not None and not passcode.strip():
        raise LocalValidationError("must not be empty or blank", [*root, "passcode"])
    if otp.metadata is not None:
        size = len(json.dumps(otp.metadata, separators=(",", ":"), ensure_ascii=False).encode())
        if size > _limits.MAX_OTP_METADATA_BYTES:
            raise LocalValidationError(
                f"is {size} bytes as JSON; the limit is {_limits.MAX_OTP_METADATA_BYTES}",
                [*root, "metadata"],
            )
    return otp.model_copy(update=update) if update else otp


def check_otp_verify(verify: OTPVerify, config: Configuration) -> OTPVerify:
    """Check a passcode to verify: it must not be empty or blank."""
    if getattr(config, "client_side_validation", True) and not verify.passcode.strip():
        raise LocalValidationError("must not be empty or blank", ["passcode", "passcode"])
    return verify
