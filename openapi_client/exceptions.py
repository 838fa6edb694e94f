"""Everything the SDK raises, in one tree.

::

    OpenApiException
     ├── ApiTypeError (TypeError)          a value of the wrong type, refused before sending
     ├── ApiValueError (ValueError)        a value out of bounds, refused before sending
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
          ├── ApiResponseError                 a 2xx whose body is not what the API promised
          ├── ApiConnectionError               the request never reached a server
          │    └── ApiTimeoutError             connecting or reading timed out
          └── SendOutcomeUnknownError          a send may or may not have gone out

    MissingTokenError (UnauthorizedException and ApiValueError)
                                           no token configured: refused before sending

``except ApiException`` catches every failure of a call that was attempted. Input refused before
sending raises ``ApiValueError`` / ``ApiTypeError``, which are ``ValueError`` / ``TypeError`` as in
every openapi-generator client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Sequence, Type, Union

if TYPE_CHECKING:
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
    "ConflictException",
    "ForbiddenException",
    "InsufficientCreditsException",
    "MissingTokenError",
    "NotFoundException",
    "OpenApiException",
    "RateLimitException",
    "SendOutcomeUnknownError",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
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


class OpenApiException(Exception):
    """Base of every exception the SDK raises."""


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
        self.reason = reason
        self.body = body
        self.data = data
        self.headers: Dict[str, str] = dict(headers or {})
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
        for key, value in self.headers.items():
            if key.lower() == "retry-after":
                return value
        return None


class ServiceException(ApiException):
    """5xx: the server (or a proxy in front of it) failed."""


class ApiResponseError(ApiException):
    """A success status whose body is not valid JSON or does not fit the documented shape."""


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
        base = super().__str__()
        return (
            f"{base}\nThe outcome of {self.method} {self.url} is unknown: the request may have "
            "been delivered. It was not retried, to avoid sending twice; check the batch before "
            "sending again."
        )


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
