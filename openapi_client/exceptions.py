"""Everything the SDK raises, in one tree.

::

    OpenApiException
     ├── ApiTypeError (TypeError)          a value of the wrong type, refused before sending
     ├── ApiValueError (ValueError)        a value out of bounds, refused before sending
     │    └── ReportAlreadyResumedError    a chunked-send report given as resume= a second time
     ├── ApiKeyError (KeyError)
     ├── ApiAttributeError (AttributeError)
     └── ApiException                      anything that happened on the way to or from the server
          ├── BadRequestException              400
          ├── UnauthorizedException            401  bad, expired or missing token
          ├── InsufficientCreditsException     402  not enough credits; nothing was sent
          ├── ForbiddenException               403
          ├── NotFoundException                404
          ├── ConflictException                409
          ├── UnprocessableEntityException     422
          ├── RateLimitException               429
          ├── ServiceException                 5xx
          ├── ApiResponseError                 an answer whose body could not be read or decoded
          ├── ApiConnectionError               the request never reached a server
          │    └── ApiTimeoutError             connecting or reading timed out
          ├── SendOutcomeUnknownError          a send may or may not have gone out
          │    ├── SendOutcomeUnknownServiceError    ... answered 5xx (also ServiceException)
          │    ├── SendOutcomeUnknownResponseError   ... answer unreadable (also ApiResponseError)
          │    └── SendOutcomeUnknownTimeoutError    ... no answer in time (also ApiTimeoutError)
          └── ChunkedSendError                 a chunked send stopped; ``.report`` says where

Whether a failure is "outcome unknown" depends on the operation, not on its HTTP method: each
operation declares whether replaying it is harmless (reads, searches, cancels, the credit balance)
or not (anything that texts a person, and ``/otp/verify``, which uses the passcode up). A call
that is not replayable raises one of the ``SendOutcomeUnknownError`` classes whenever the request
may have reached the API but its answer does not say what happened: a timeout after sending, a
dropped connection, a 5xx, an answer too large or unreadable. The same failures of a replayable
call are retried, then raised as ``ApiTimeoutError`` / ``ApiConnectionError`` /
``ServiceException`` / ``ApiResponseError``.

A timed-out send is both a ``SendOutcomeUnknownError`` and an ``ApiTimeoutError``. So, from a
send, test ``SendOutcomeUnknownError`` FIRST: an ``ApiConnectionError`` (or ``ApiTimeoutError``)
that is not a ``SendOutcomeUnknownError`` was never sent and is safe to send again.

    LocalValidationError (ApiValueError + BadRequestException)   a request the API would refuse
                                                                   with 400, refused before sending

    MissingTokenError (UnauthorizedException and ApiValueError)
                                           no token configured: refused before sending
``exception_for`` is the one place a failure becomes one of these classes: the send loop and
the answer's interpretation both call it with what they saw (the operation's replay flag, the
kind of failure, the status and the body).

``except ApiException`` catches every failure of a call that was attempted. Input refused before
sending raises ``ApiValueError`` / ``ApiTypeError``, which are ``ValueError`` / ``TypeError`` as in
every openapi-generator client. When the refusal is one of the API's own rules (a limit, a
missing schedule, a duplicate destination) it is a ``LocalValidationError``: also a
``BadRequestException`` with ``status`` 400, so code that handles the server's 400 handles it too.
A value of the wrong Python type stays an ``ApiTypeError`` only: that is a bug in the calling
code, not a request the API would answer.

Every exception here survives ``pickle`` (a worker process can hand one to its parent) with its
attributes, and none shows the token: bodies, reasons, ``str`` and ``repr`` are redacted.
"""

from __future__ import annotations

import functools
import json
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    Union,
)

from urllib3 import HTTPHeaderDict

from ._redact import redact

if TYPE_CHECKING:
    from ._batching import ChunkedSendReport
    from .models.error_model import ErrorModel
    from .models.extended_error_model import ExtendedErrorModel

PathItem = Union[str, int]

__all__ = [
    "ApiAttributeError",
    "ApiConnectionError",
    "ApiException",
    "ApiKeyError",
    "ApiResponseError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "BadRequestException",
    "ChunkedSendError",
    "ConflictException",
    "ForbiddenException",
    "InsufficientCreditsException",
    "LocalValidationError",
    "MissingTokenError",
    "NotFoundException",
    "OpenApiException",
    "RateLimitException",
    "ReportAlreadyResumedError",
    "SendOutcomeUnknownError",
    "SendOutcomeUnknownResponseError",
    "SendOutcomeUnknownServiceError",
    "SendOutcomeUnknownTimeoutError",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "exception_for",
    "explain_failure",
    "render_path",
]


def render_path(path_to_item: Optional[Sequence[PathItem]]) -> str:
    """Render ``["messages", 3, "sender"]`` as ``messages[3].sender``."""
    out = ""
    for part in path_to_item or ():
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _redacting(method: Callable[[Any], str]) -> Callable[[Any], str]:
    @functools.wraps(method)
    def text(self: Any) -> str:
        return redact(method(self))

    text._redacts = True  # type: ignore[attr-defined]
    return text


def _rebuild(cls: Type[BaseException], args: Tuple[Any, ...]) -> BaseException:
    # The constructor is not called: subclasses take other arguments than ``args`` (a report
    # and a cause, keyword-only details), and the state below restores what it set.
    exc = cls.__new__(cls, *args)
    exc.args = args
    return exc


def _scrubbed(value: Any) -> Any:
    """``value`` (an error model, or what it holds) with every known token redacted."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    fields = getattr(value, "__dict__", None)
    copy = getattr(value, "model_copy", None)
    if isinstance(fields, dict) and callable(copy) and redact(repr(value)) != repr(value):
        extra = getattr(value, "__pydantic_extra__", None) or {}
        update = {key: _scrubbed(item) for key, item in {**fields, **extra}.items()}
        return copy(update=update)
    return value


class OpenApiException(Exception):
    """Base of every exception the SDK raises.

    ``str`` and ``repr`` of it and every subclass never show a token this process has sent,
    and every subclass pickles with its attributes, whatever its constructor takes.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass that words its own message is redacted too: the check lives here once,
        # not in every ``__str__`` (later ones included).
        for name in ("__str__", "__repr__"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_redacts", False):
                setattr(cls, name, _redacting(method))

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_rebuild, (type(self), self.args), dict(self.__dict__))

    def __str__(self) -> str:
        return redact(super().__str__())

    def __repr__(self) -> str:
        return redact(super().__repr__())


class _PathMixin:
    path_to_item: Optional[Sequence[PathItem]]

    def _with_path(self, msg: str, path_to_item: Optional[Sequence[PathItem]]) -> str:
        self.path_to_item = list(path_to_item) if path_to_item else None
        where = render_path(path_to_item)
        return f"{where}: {msg}" if where else msg


class ApiTypeError(OpenApiException, TypeError, _PathMixin):
    """A value has the wrong type; raised before anything is sent."""

    def __init__(
        self,
        msg: str,
        path_to_item: Optional[Sequence[PathItem]] = None,
        valid_classes: Optional[Sequence[type]] = None,
        key_type: Optional[bool] = None,
    ) -> None:
        self.valid_classes = valid_classes
        self.key_type = key_type
        super().__init__(self._with_path(msg, path_to_item))


class ApiValueError(OpenApiException, ValueError, _PathMixin):
    """A value is out of bounds (a limit of the API, a malformed number); raised before sending.

    ``str(exc)`` starts with the field, e.g. ``messages[1234].sender: ...``.
    """

    def __init__(self, msg: str, path_to_item: Optional[Sequence[PathItem]] = None) -> None:
        super().__init__(self._with_path(msg, path_to_item))


class ApiAttributeError(OpenApiException, AttributeError, _PathMixin):
    """An attribute that does not exist was asked for."""

    def __init__(self, msg: str, path_to_item: Optional[Sequence[PathItem]] = None) -> None:
        super().__init__(self._with_path(msg, path_to_item))


class ApiKeyError(OpenApiException, KeyError, _PathMixin):
    """A key that does not exist was asked for."""

    def __init__(self, msg: str, path_to_item: Optional[Sequence[PathItem]] = None) -> None:
        super().__init__(self._with_path(msg, path_to_item))


class ApiException(OpenApiException):
    """A call to the API failed.

    Attributes:
        status: the HTTP status, or ``None`` when no answer was received.
        reason: the HTTP reason phrase, or a short description of the failure.
        body: the response body as text (``None`` when there was none).
        data: the body parsed into ``ExtendedErrorModel`` or ``ErrorModel`` when it parses.
        headers: the response headers.
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        http_resp: Any = None,
        *,
        body: Optional[str] = None,
        data: Optional[Union[ExtendedErrorModel, ErrorModel, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        if http_resp is not None:
            status = status if status is not None else getattr(http_resp, "status", None)
            reason = reason if reason is not None else getattr(http_resp, "reason", None)
            if headers is None:
                headers = getattr(http_resp, "headers", None)
            if body is None:
                raw = getattr(http_resp, "data", None)
                if isinstance(raw, (bytes, bytearray)):
                    body = bytes(raw).decode("utf-8", "replace")
        self.status = status
        self.reason = None if reason is None else redact(reason)
        self.body = None if body is None else redact(body)
        self.data = _scrubbed(data)
        # Case-insensitive, as the urllib3 headers generated clients expose.
        self.headers: HTTPHeaderDict = HTTPHeaderDict(
            {
                key: redact(value) if isinstance(value, str) else value
                for key, value in (headers or {}).items()
            }
        )
        super().__init__(self.__str__())

    @property
    def error_code(self) -> Optional[int]:
        """The API's ``errorCode`` from the error body, if it had one."""
        return getattr(self.data, "error_code", None)

    @property
    def permanent(self) -> Optional[bool]:
        """Whether the API marked the error permanent (retrying will not help)."""
        return getattr(self.data, "permanent", None)

    @property
    def message(self) -> Optional[str]:
        """The API's ``message`` from the error body, if it had one."""
        return getattr(self.data, "message", None)

    def __str__(self) -> str:
        head = f"({self.status})" if self.status is not None else ""
        parts = [f"{head} Reason: {self.reason}" if head else f"Reason: {self.reason}"]
        if self.data is not None and self.message:
            detail = self.message
            if self.error_code is not None:
                detail = f"errorCode {self.error_code}: {detail}"
            parts.append(f"API error: {detail}")
        elif self.body:
            text = self.body if len(self.body) <= 500 else self.body[:500] + "..."
            parts.append(f"HTTP response body: {text}")
        return "\n".join(parts)

    @classmethod
    def from_response(
        cls,
        *,
        http_resp: Any,
        body: Optional[str],
        data: Any,
    ) -> ApiException:
        """Build the subclass that matches ``http_resp.status``."""
        status = getattr(http_resp, "status", None)
        exc_cls = _STATUS_CLASSES.get(status or 0, cls)
        if exc_cls is cls and status is not None and 500 <= status <= 599:
            exc_cls = ServiceException
        return exc_cls(http_resp=http_resp, body=body, data=data)


class BadRequestException(ApiException):
    """400: the API refused the request as malformed."""


class UnauthorizedException(ApiException):
    """401: the token is missing, malformed, expired or revoked."""


class InsufficientCreditsException(ApiException):
    """402: the account has too few credits for this send. Nothing was sent or charged."""


class ForbiddenException(ApiException):
    """403: the token is valid but not allowed to do this."""


class NotFoundException(ApiException):
    """404: no such batch (or message)."""


class ConflictException(ApiException):
    """409: the request conflicts with the current state."""


class UnprocessableEntityException(ApiException):
    """422: the request was understood but its content was refused."""


class RateLimitException(ApiException):
    """429: too many requests. ``retry_after`` holds the server's ``Retry-After`` header."""

    @property
    def retry_after(self) -> Optional[str]:
        """The raw ``Retry-After`` header, if the server sent one."""
        return self.headers.get("Retry-After")


class ServiceException(ApiException):
    """5xx: the server (or a proxy in front of it) failed."""


class ApiResponseError(ApiException):
    """An answer whose body could not be used: not valid JSON, not the documented shape, or
    larger than ``Configuration.max_response_bytes``. ``status`` is the answer's status."""


class ApiConnectionError(ApiException):
    """The request could not be delivered: refused, unreachable, DNS failure, TLS failure."""

    def __init__(self, reason: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(reason=reason)

    def __str__(self) -> str:
        target = f" ({self.method} {self.url})" if self.method else ""
        return f"{self.reason}{target}"


class ApiTimeoutError(ApiConnectionError):
    """Connecting or reading timed out (the budget is ``_request_timeout`` or the client's)."""


class SendOutcomeUnknownError(ApiException):
    """A send may or may not have reached the API, and it was NOT retried.

    The API has no idempotency key, so replaying the request could text every recipient twice
    and charge twice. Reconcile instead: read the batch back with ``batch_batchid_get`` if you
    know its id, or look for the unique ``tag`` / ``metadata`` you gave the messages.

    Attributes:
        method, url: the request that may have gone out.
        cause: the underlying failure (read timeout, dropped connection, 5xx answer).
    """

    def __init__(
        self,
        reason: Optional[str] = None,
        *,
        method: str = "",
        url: str = "",
        status: Optional[int] = None,
        http_resp: Any = None,
        body: Optional[str] = None,
        data: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.method = method
        self.url = url
        super().__init__(
            status=status, reason=reason, http_resp=http_resp, body=body, data=data, headers=headers
        )

    def __str__(self) -> str:
        # ApiException's wording for every subclass, whatever other base it has.
        base = ApiException.__str__(self)
        return (
            f"{base}\nThe outcome of {self.method} {self.url} is unknown: the request may have "
            "been delivered. It was not retried, to avoid sending twice; check the batch before "
            "sending again."
        )


class SendOutcomeUnknownServiceError(SendOutcomeUnknownError, ServiceException):
    """A send answered with 5xx: a ``ServiceException`` whose outcome is unknown.

    Behind a proxy, or when the API fails after queueing the batch, a 5xx does not prove that
    nothing was sent, so a send is never replayed after one.
    """


class SendOutcomeUnknownResponseError(SendOutcomeUnknownError, ApiResponseError):
    """A send's answer arrived but could not be read: an ``ApiResponseError`` of unknown outcome.

    The body was too large, not JSON, not UTF-8 or not the documented shape, so the batch id (or
    the reason for a refusal) is lost. ``status`` is the status the server sent; a 2xx means the
    API accepted the batch.
    """


class SendOutcomeUnknownTimeoutError(SendOutcomeUnknownError, ApiTimeoutError):
    """A send's answer did not come within the attempt's time limit.

    The request was written, so the API may have accepted it before the time ran out. It is
    also an ``ApiTimeoutError`` (it did time out); test ``SendOutcomeUnknownError`` first to
    tell it from a timeout that proves nothing was sent.
    """

    def __init__(
        self, reason: Optional[str] = None, *, method: str = "", url: str = "", **details: Any
    ) -> None:
        # ApiConnectionError's constructor takes no answer details: skip past it to the base.
        self.method = method
        self.url = url
        ApiException.__init__(self, reason=reason, **details)


class LocalValidationError(ApiValueError, BadRequestException):
    """A request broke one of the API's rules and was refused before anything was sent.

    It is an ``ApiValueError`` (``str(exc)`` starts with the field, e.g.
    ``messages[12].sender: ...``) and a ``BadRequestException`` with ``status`` 400, so code
    written for a client that lets the server answer 400 catches it. ``body`` is JSON text
    holding the message, the field (``field``), the index of the offending item (``index``, or
    null) and ``"sent": false``; ``headers`` is empty and ``data`` is ``None``.
    """

    def __init__(self, msg: str, path_to_item: Optional[Sequence[PathItem]] = None) -> None:
        # Neither parent's __init__ is called: each would fill the other's fields its own way.
        text = self._with_path(msg, path_to_item)
        Exception.__init__(self, text)
        index = next((p for p in path_to_item or () if isinstance(p, int)), None)
        self.status = 400
        self.reason = "Bad Request (refused by the SDK; nothing was sent)"
        self.body = json.dumps(
            {
                "message": f"not sent: {text}",
                "field": render_path(path_to_item) or None,
                "index": index,
                "sent": False,
            }
        )
        self.data = None
        self.headers = HTTPHeaderDict()

    def __str__(self) -> str:
        return str(self.args[0])


_STATUS_CLASSES: Dict[int, Type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    402: InsufficientCreditsException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
    422: UnprocessableEntityException,
    429: RateLimitException,
}


class MissingTokenError(UnauthorizedException, ApiValueError):
    """No token was configured, so the call was refused before anything was sent.

    Without a token the API can only answer 401. This is raised instead of sending, with
    ``status`` 401, and is caught both by ``except UnauthorizedException`` (as that 401 would
    be) and by ``except ApiValueError`` (as any input refused before sending).
    """

    def __init__(self, reason: Optional[str] = None) -> None:
        self.path_to_item: Optional[Sequence[PathItem]] = ["api_key", "JWT"]
        super().__init__(
            status=401,
            reason=reason
            or "no token configured, so nothing was sent: set SMSWORKS_TOKEN or pass "
            "Configuration(api_key={'JWT': '<token>'})",
        )

    def __reduce__(self) -> Any:
        return (type(self), (self.reason,))


class ChunkedSendError(ApiException):
    """A chunked send stopped at a failed chunk.

    ``report`` says exactly what was sent, what was not and what may have been; the failure of
    the chunk is ``__cause__`` (its ``status``, ``body`` and ``data`` are copied here). Pass
    ``report`` back as ``resume=`` to send the rest.
    """

    def __init__(self, report: ChunkedSendReport, cause: BaseException) -> None:
        self.report = report
        self.cause = cause
        super().__init__(
            status=getattr(cause, "status", None),
            reason=explain_failure(cause),
            body=getattr(cause, "body", None),
            data=getattr(cause, "data", None),
            headers=getattr(cause, "headers", None),
        )

    def __str__(self) -> str:
        return f"chunked send stopped: {self.report.error}\n{self.report.summary()}"


class ReportAlreadyResumedError(ApiValueError):
    """A ``ChunkedSendReport`` was given as ``resume=`` after it had been resumed already.

    Raised before anything is sent. A report is resumed at most once: by one call in one
    process, and, once saved with ``save()``, by one process whichever loads it first.
    Resume from the newest report instead (the one the earlier resume returned or raised with).
    """


def explain_failure(exc: BaseException) -> str:
    """One line: the exception's first line, plus the API's own message when it sent one."""
    text = str(exc).strip()
    line = f"{type(exc).__name__}: {text.splitlines()[0] if text else type(exc).__name__}"
    message = getattr(exc, "message", None) if isinstance(exc, ApiException) else None
    if isinstance(message, str) and message and message not in line:
        line += f" ({message})"
    return line


# -- the one mapping from a failed call to its exception ------------------------------------

#: Kinds of failure below HTTP, by their ``FailureKind`` value (see ``_retry``); kept as
#: strings so this module imports nothing of the request path.
_NEVER_SENT = frozenset({"connect", "connect_timeout"})
_TIMEOUTS = frozenset({"connect_timeout", "read_timeout"})


def exception_for(
    *,
    replayable: bool,
    kind: str,
    reason: str = "",
    status: Optional[int] = None,
    http_resp: Any = None,
    body: Optional[str] = None,
    data: Any = None,
    headers: Optional[Mapping[str, str]] = None,
    method: str = "",
    url: str = "",
    why: str = "",
) -> ApiException:
    """The exception a failed call raises; every failure of the request path comes through here.

    Args:
        replayable: whether the operation may be sent again harmlessly. When it may not, any
            failure that leaves open whether the request was acted on is a
            ``SendOutcomeUnknownError`` class.
        kind: what failed: a ``FailureKind`` value below HTTP (``"connect"``,
            ``"connect_timeout"``, ``"read_timeout"``, ``"dropped"``), ``"status"`` for an
            answer with a status outside 2xx, or ``"unreadable"`` for an answer whose body could
            not be read or decoded (too large, not JSON, not the documented shape).
        reason: a short description of the failure.
        status, http_resp, body, data, headers: the answer, when there was one (``data`` is
            the error body decoded into an error model).
        method, url: the request.
        why: why it was not tried again (the retry policy's reason), added to the message of a
            replayable call's failure.
    """
    kind = str(getattr(kind, "value", kind))
    if kind in _NEVER_SENT:
        cls: Type[ApiConnectionError] = (
            ApiTimeoutError if kind == "connect_timeout" else ApiConnectionError
        )
        return cls(f"{reason}; the request was not sent", method=method, url=url)
    if kind in ("read_timeout", "dropped"):
        if not replayable:
            unknown: Type[SendOutcomeUnknownError] = (
                SendOutcomeUnknownTimeoutError if kind in _TIMEOUTS else SendOutcomeUnknownError
            )
            return unknown(reason, method=method, url=url)
        again: Type[ApiConnectionError] = (
            ApiTimeoutError if kind in _TIMEOUTS else ApiConnectionError
        )
        return again(f"{reason} ({why})" if why else reason, method=method, url=url)
    answer: Dict[str, Any] = {
        "status": status,
        "http_resp": http_resp,
        "body": body,
        "data": data,
        "headers": headers,
    }
    if status is None and http_resp is not None:
        status = getattr(http_resp, "status", None)
    if kind == "unreadable":
        if status is not None and 400 <= status <= 499:
            # A refusal is a refusal whatever its body says: map it by its status.
            return _status_class(status)(reason=reason, **answer)
        if not replayable:
            return SendOutcomeUnknownResponseError(reason, method=method, url=url, **answer)
        return ApiResponseError(reason=reason, **answer)
    if kind != "status":
        raise ValueError(f"unknown kind of failure {kind!r}")
    if not replayable and status is not None and status >= 500:
        return SendOutcomeUnknownServiceError(reason or None, method=method, url=url, **answer)
    return _status_class(status or 0)(**answer)


def _status_class(status: int) -> Type[ApiException]:
    found = _STATUS_CLASSES.get(status)
    if found is not None:
        return found
    return ServiceException if 500 <= status <= 599 else ApiException
