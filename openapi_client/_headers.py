"""What may go into a request line and its headers: path segments, header fields, origins.

Every check here refuses before anything is sent, with an ``ApiValueError``/``ApiTypeError``
naming the field.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Mapping, Optional, Set
from urllib.parse import quote, urlsplit

from .exceptions import ApiTypeError, ApiValueError

__all__ = ["ACCEPT", "OriginGuard", "check_header", "expand_path", "is_json_type"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# RFC 9110 §5.1: a field name is a token; §5.5: a value is visible ASCII, obs-text and spaces or
# tabs. C1 controls and the Unicode line separators are refused too: some stacks treat them as
# line breaks.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
#: Headers that frame the request; letting a caller set them would let the body be misread.
_FRAMING = frozenset({"content-length", "transfer-encoding", "host", "connection"})
#: Content types a JSON body may be labelled with, lower-cased and without spaces.
_JSON_TYPES = frozenset({"application/json", "application/json;charset=utf-8"})
#: The ``Accept`` header of every operation.
ACCEPT = "application/json;charset=UTF-8, application/json"


def is_json_type(content_type: str) -> bool:
    """Whether a caller's ``_content_type`` still labels the body as JSON."""
    return content_type.lower().replace(" ", "") in _JSON_TYPES


def check_header(name: str, value: str) -> None:
    """Refuse a header that could not be sent as written, or would change the request's framing."""
    if not _HEADER_NAME.fullmatch(name):
        raise ApiValueError(f"{name!r} is not a valid header name", ["headers"])
    if name.lower() in _FRAMING:
        raise ApiValueError(f"the {name} header is set by the SDK", ["headers"])
    if _BAD_VALUE.search(value):
        # CR/LF in a value would start a new header (or a new request) on the wire.
        raise ApiValueError(
            f"the value of header {name!r} contains control characters", ["headers"]
        )
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ApiValueError(
            f"the value of header {name!r} has characters HTTP headers cannot carry",
            ["headers"],
        ) from None


def _path_segment(name: str, value: Any, safe: str = "") -> str:
    """Percent-encode one path parameter so that it names one path segment.

    ``safe`` (``Configuration.safe_chars_for_path_param``) lists characters the caller wants
    left as they are; none by default.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ApiTypeError(
            f"expected str or int, got {type(value).__name__}", [name], valid_classes=(str, int)
        )
    if isinstance(value, str):
        text = str.__str__(value)  # a subclass's own __str__ is not what is sent
    else:
        try:
            text = int.__repr__(value)
        except ValueError:
            # Python will not write an int of more than 4,300 digits (and no id is that long).
            raise ApiValueError("is too large a number to be an id", [name]) from None
    if text.isalnum() and text.isascii():
        return text  # the usual id: nothing to check or encode
    if not text.strip():
        raise ApiValueError("must not be empty or blank", [name])
    pieces = text.split("/") if "/" in safe else [text]
    if any(piece.strip() in (".", "..") for piece in pieces):
        # "." and ".." are path navigation to every server and proxy on the way, whatever the
        # encoding; no id is called that.
        raise ApiValueError(f"{text!r} is not a valid id", [name])
    if _CONTROL.search(text):
        raise ApiValueError("must not contain control characters", [name])
    # safe="" encodes "/", "?", "#" and "%" too, and non-ASCII as UTF-8 (RFC 3986 §3.3).
    try:
        return quote(text, safe=safe)
    except UnicodeEncodeError:
        raise ApiValueError("is not valid Unicode text (a lone surrogate)", [name]) from None


def expand_path(template: str, params: Optional[Mapping[str, Any]], safe: str = "") -> str:
    """Fill ``{name}`` placeholders of a path with percent-encoded parameters."""
    path = template
    if params:
        for name, value in params.items():
            path = path.replace("{" + name + "}", _path_segment(name, value, safe))
    return path


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        import ipaddress  # only for plain-http hosts, once per origin

        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class OriginGuard:
    """Refuses to send a token in clear text to a host that is not this machine.

    Origins that are safe whatever the token and settings (https, loopback) are remembered;
    a plain-http origin is checked on every call, as the token may be set later.
    """

    def __init__(self) -> None:
        self._safe: Set[str] = set()
        self._lock = threading.Lock()

    def check(self, url: str, *, has_token: bool, allow_insecure_http: bool) -> None:
        """Raise ``ApiValueError`` when ``url`` may not be sent to."""
        end = url.find("/", url.find("//") + 2)
        origin = url if end < 0 else url[:end]
        if origin in self._safe:
            return
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ApiValueError(f"unsupported URL scheme {parts.scheme!r}", ["host"])
        loopback = _is_loopback(parts.hostname or "")
        if parts.scheme == "http" and has_token and not allow_insecure_http and not loopback:
            raise ApiValueError(
                f"refusing to send the token over plain http to {parts.hostname}; use https, "
                "or set Configuration(allow_insecure_http=True) if you really mean it",
                ["host"],
            )
        if parts.scheme == "https" or loopback:
            with self._lock:
                self._safe.add(origin)
