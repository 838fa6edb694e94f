"""``ApiClient``: the one request path every operation goes through.

An operation (``BatchMessagesApi.batch_send_post`` and friends) is a declaration: an
``Operation`` naming the method, the path template, how its body is checked and encoded, and the
type of each success answer. ``ApiClient._request`` does the rest, in this order:

1. build the URL, percent-encoding every path parameter;
2. check and encode the body (types always, the API's limits unless switched off);
3. add headers and the ``Authorization: JWT <token>`` header, refusing control characters;
4. send, retrying only what ``RetryPolicy`` allows (never a send that may have arrived);
5. map a failure to the ``ApiException`` tree, or decode the answer into its model.

The openapi-generator methods (``param_serialize``, ``call_api``, ``response_deserialize``) are
these same steps, public for code written against generated clients.
"""

from __future__ import annotations

import datetime as _dt
import gc
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
)
from urllib.parse import quote, urlencode, urlsplit

from pydantic import BaseModel, FailFast, TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError
from typing_extensions import Annotated, get_origin

from . import __version__
from . import models as _models
from ._redact import secret_header
from ._retry import Attempt, FailureKind, RetryPolicy
from .api_response import ApiResponse
from .configuration import Configuration, client_log, jwt_header_value
from .exceptions import (
    ApiConnectionError,
    ApiException,
    ApiResponseError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    MissingTokenError,
    SendOutcomeUnknownError,
    SendOutcomeUnknownResponseError,
    SendOutcomeUnknownServiceError,
    SendOutcomeUnknownTimeoutError,
)
from .rest import ResponseTooLarge, RESTClientObject, RESTResponse, TransportError

__all__ = ["ApiClient", "Operation"]

logger = logging.getLogger("openapi_client")

T = TypeVar("T")

#: "Not given" for ``_request_timeout``, distinct from ``None`` ("no timeout").
_UNSET: Any = object()

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
_ACCEPT = "application/json;charset=UTF-8, application/json"

_adapters: Dict[Any, TypeAdapter[Any]] = {}


def adapter_for(tp: Any) -> TypeAdapter[Any]:
    """The ``TypeAdapter`` of ``tp``, built once per type for the life of the process.

    Lists stop at their first bad item: without that, a huge array of wrong things (a hostile or
    broken server's 50 MB of ``[0,0,...]``) makes pydantic record one error per item, and the
    report alone can take more memory than the machine has.
    """
    found = _adapters.get(tp)
    if found is None:
        target: Any = Annotated[tp, FailFast()] if get_origin(tp) is list else tp
        found = _adapters[tp] = TypeAdapter(target)
    return found


#: Error bodies are tried as the detailed model first, then the plain one.
_ERROR_MODELS = (_models.ExtendedErrorModel, _models.ErrorModel)


def _sends(method: str) -> bool:
    """Whether a request with this method sends texts: every POST of the API does."""
    return method == "POST"


@dataclass(frozen=True)
class Operation:
    """One endpoint, declared.

    Attributes:
        method: HTTP method.
        path: path template below the host, e.g. ``/batch/{batchid}``.
        responses: success status -> type of its body.
        body: the body's parameter name, its type, and the check to run on it (``None`` for
            operations without a body).
    """

    method: str
    path: str
    responses: Mapping[int, Any]
    body_name: Optional[str] = None
    body_type: Any = None
    body_check: Optional[Callable[[Any, Configuration], Any]] = None

    @property
    def sends(self) -> bool:
        """Whether this operation sends texts (and so must never be replayed blindly)."""
        return _sends(self.method)


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
        return text  # the usual batch id: nothing to check or encode
    if not text.strip():
        raise ApiValueError("must not be empty or blank", [name])
    pieces = text.split("/") if "/" in safe else [text]
    if any(piece.strip() in (".", "..") for piece in pieces):
        # "." and ".." are path navigation to every server and proxy on the way, whatever the
        # encoding; no batch is called that.
        raise ApiValueError(f"{text!r} is not a valid id", [name])
    if _CONTROL.search(text):
        raise ApiValueError("must not contain control characters", [name])
    # safe="" encodes "/", "?", "#" and "%" too, and non-ASCII as UTF-8 (RFC 3986 §3.3).
    try:
        return quote(text, safe=safe)
    except UnicodeEncodeError:
        raise ApiValueError("is not valid Unicode text (a lone surrogate)", [name]) from None


def _expand_path(template: str, params: Optional[Mapping[str, Any]], safe: str = "") -> str:
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


def _validation_error(exc: ValidationError, root: str) -> Exception:
    """Turn pydantic's report into our ``ApiTypeError``/``ApiValueError`` naming the field."""
    first = exc.errors(include_url=False)[0]
    path: List[Union[str, int]] = [root] if root else []
    path.extend(first["loc"])
    message = first["msg"]
    count = exc.error_count()
    if count > 1:
        message += f" (and {count - 1} more error{'s' if count > 2 else ''})"
    kind = first["type"]
    if kind.endswith("_type") or kind in ("model_type", "dict_type", "list_type"):
        return ApiTypeError(message, path)
    return ApiValueError(message, path)


class ApiClient:
    """Talks HTTP to The SMS Works on behalf of the API classes.

    Args:
        configuration: settings; ``Configuration.get_default()`` when not given.
        header_name, header_value: one extra header sent with every request.
        cookie: a ``Cookie`` header value (kept for compatibility; the API does not use one).
        transport: what sends requests (default: urllib3). Tests pass a fake.

    Use it as a context manager, or call ``close()``, to release its connections. One client may
    be shared by many threads.
    """

    #: How retries wait; tests replace it to make waits instant without changing the policy.
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    _default: Optional[ApiClient] = None

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        *,
        transport: Any = None,
    ) -> None:
        self.configuration = configuration or Configuration.get_default()
        if self.configuration.verify_ssl is False:
            import warnings

            warnings.warn(
                "TLS certificate verification is off: anyone on the network path can read the "
                "token and the messages",
                stacklevel=2,
            )
        self.rest_client = (
            transport if transport is not None else RESTClientObject(self.configuration)
        )
        self.default_headers: Dict[str, str] = {}
        if header_name is not None:
            self.set_default_header(header_name, header_value or "")
        self.cookie = cookie
        self.user_agent = f"smsworks-python/{__version__}"
        self.client_side_validation = self.configuration.client_side_validation
        self._retry_policy = RetryPolicy.from_setting(self.configuration.retries)
        self._auth_cache: Tuple[Optional[str], Optional[str]] = (None, None)
        self._secure_origins: set[str] = set()

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every pooled connection."""
        clear = getattr(self.rest_client, "clear", None)
        if clear is not None:
            clear()

    def __repr__(self) -> str:
        return f"ApiClient(host={self.configuration.host!r})"

    @classmethod
    def get_default(cls) -> ApiClient:
        """A shared client built from the default configuration."""
        if cls._default is None:
            cls._default = ApiClient()
        return cls._default

    @classmethod
    def set_default(cls, default: Optional[ApiClient]) -> None:
        """Replace the shared default client."""
        cls._default = default

    # -- headers ----------------------------------------------------------------------------

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header sent with every request."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.set_default_header("User-Agent", value)

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send ``header_name: header_value`` with every request of this client."""
        _check_header(header_name, header_value)
        self.default_headers[header_name] = header_value

    def _auth_header(self, request_auth: Optional[Mapping[str, Any]]) -> Optional[str]:
        # Every value returned is a SecretHeader: the headers dict, and every frame an error
        # tracker records on the way down to the socket, show it as 'JWT ***'.
        if request_auth is not None:
            value = request_auth.get("value")
            return secret_header(jwt_header_value(str(value))) if value else None
        cfg = self.configuration
        token = cfg.api_key.get("JWT")
        if cfg.refresh_api_key_hook is not None:
            fresh = cfg.get_api_key_with_prefix("JWT")
            return None if fresh is None else secret_header(fresh)
        cached_token, cached_value = self._auth_cache
        if token is cached_token:
            return cached_value
        value = secret_header(jwt_header_value(token)) if token is not None else None
        self._auth_cache = (token, value)
        return value

    def _add_headers(
        self,
        headers: Dict[str, str],
        extra: Optional[Mapping[str, Any]],
        request_auth: Optional[Mapping[str, Any]],
        *,
        with_auth: bool,
    ) -> None:
        """Add the caller's headers, the cookie and the token to ``headers``, each checked."""
        if extra:
            for name, value in extra.items():
                _check_header(name, str(value))
                headers[name] = str(value)
        if self.cookie:
            _check_header("Cookie", self.cookie)
            headers["Cookie"] = self.cookie
        if with_auth:
            auth = self._auth_header(request_auth)
            if auth is not None:
                headers["Authorization"] = auth

    def _check_origin(self, url: str, has_token: bool) -> None:
        end = url.find("/", url.find("//") + 2)
        origin = url if end < 0 else url[:end]
        if origin in self._secure_origins:
            return
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ApiValueError(f"unsupported URL scheme {parts.scheme!r}", ["host"])
        if (
            parts.scheme == "http"
            and has_token
            and not self.configuration.allow_insecure_http
            and not _is_loopback(parts.hostname or "")
        ):
            raise ApiValueError(
                f"refusing to send the token over plain http to {parts.hostname}; use https, "
                "or set Configuration(allow_insecure_http=True) if you really mean it",
                ["host"],
            )
        if parts.scheme == "https" or _is_loopback(parts.hostname or ""):
            # Only origins that are safe whatever the token and settings are remembered: an
            # http origin is checked again on every call, as the token may be set later.
            self._secure_origins.add(origin)

    # -- the request core -------------------------------------------------------------------

    def _request(
        self,
        op: Operation,
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        preload: bool = True,
        _request_timeout: Any = _UNSET,
        _request_auth: Optional[Mapping[str, Any]] = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, Any]] = None,
        _host_index: Optional[int] = None,
    ) -> Any:
        """Run ``op``; returns ``ApiResponse`` (preload) or the raw urllib3 response."""
        cfg = self.configuration
        host = cfg.host if _host_index is None else cfg.get_host_from_settings(_host_index)
        url = host + _expand_path(op.path, path_params, cfg.safe_chars_for_path_param)

        headers = dict(self.default_headers)
        headers["Accept"] = _ACCEPT
        payload: Optional[bytes] = None
        if op.body_name is not None:
            payload = self._encode_body(op, body)
            if (
                _content_type is not None
                and _content_type.lower().replace(" ", "") not in _JSON_TYPES
            ):
                raise ApiValueError(
                    f"this operation sends JSON; cannot send it as {_content_type!r}",
                    ["_content_type"],
                )
            headers["Content-Type"] = _content_type or "application/json"
        self._add_headers(headers, _headers, _request_auth, with_auth=True)
        if "Authorization" not in headers:
            raise MissingTokenError()  # the API answers 401 to every call without one
        self._check_origin(url, True)

        timeout = cfg.timeout if _request_timeout is _UNSET else _request_timeout
        response = self._send(op.method, url, headers, payload, timeout, preload)
        if not preload:
            return response.response
        if op.sends:
            return self._answer(response, op.responses, op.method, url)
        return self._answer(response, op.responses)

    def _encode_body(self, op: Operation, body: Any) -> bytes:
        assert op.body_name is not None
        try:
            value = adapter_for(op.body_type).validate_python(body)
        except ValidationError as exc:
            raise _validation_error(exc, op.body_name) from None
        if op.body_check is not None:
            value = op.body_check(value, self.configuration)
        try:
            return adapter_for(op.body_type).dump_json(value, by_alias=True, exclude_none=True)
        except PydanticSerializationError as exc:
            # Text that cannot be UTF-8 (a lone surrogate, from a bad decode upstream) is only
            # found when the body is written out: name the field it is in.
            where = _unencodable_text(value, [op.body_name])
            if where is not None:
                raise ApiValueError(
                    "is not valid Unicode text (a lone surrogate); it cannot be sent", where
                ) from None
            raise ApiValueError(f"cannot be written as JSON: {exc}", [op.body_name]) from None

    def _send(
        self,
        method: str,
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: Any,
        preload: bool,
    ) -> RESTResponse:
        """Send with retries. Every failure leaves here as an ``ApiException``."""
        policy = self._retry_policy
        number = 1
        cfg = self.configuration
        debug = cfg.debug or logger.isEnabledFor(logging.DEBUG)
        while True:
            started = time.perf_counter() if debug else 0.0
            try:
                response: RESTResponse = self.rest_client.request(
                    method,
                    url,
                    headers=headers,
                    body=body,
                    _request_timeout=timeout,
                    preload_content=preload,
                )
            except TransportError as exc:
                decision = policy.decide(Attempt(method, number, exc.kind))
                if decision.retry and not exc.final:
                    client_log(
                        cfg, logging.INFO, "retrying %s %s: %s", method, url, decision.reason
                    )
                    self.sleep(decision.wait)
                    number += 1
                    continue
                raise self._transport_error(exc, method, url, decision.reason) from exc.cause
            if debug:
                client_log(
                    cfg,
                    logging.DEBUG,
                    "%s %s -> %s in %.1f ms (attempt %d)",
                    method,
                    url,
                    response.status,
                    (time.perf_counter() - started) * 1000,
                    number,
                )
            status = response.status
            if status in policy.retry_statuses:
                decision = policy.decide(
                    Attempt(
                        method,
                        number,
                        FailureKind.STATUS,
                        status,
                        response.getheader("Retry-After"),
                    )
                )
                if decision.retry:
                    client_log(
                        cfg, logging.INFO, "retrying %s %s: %s", method, url, decision.reason
                    )
                    if not preload:
                        response.response.drain_conn()
                        response.response.release_conn()
                    self.sleep(decision.wait)
                    number += 1
                    continue
            return response

    @staticmethod
    def _transport_error(exc: TransportError, method: str, url: str, why: str) -> ApiException:
        send = _sends(method)
        if isinstance(exc, ResponseTooLarge):
            # The server answered; only its body was too big to read.
            status = exc.status
            if 400 <= status <= 499:
                # A refusal is a refusal whatever its body says: map it by its status.
                refused = RESTResponse(
                    None, b"", status=status, reason=str(exc), headers=exc.headers
                )
                return ApiException.from_response(http_resp=refused, body=None, data=None)
            if send:
                return SendOutcomeUnknownResponseError(
                    str(exc), method=method, url=url, status=status, headers=exc.headers
                )
            return ApiResponseError(status=status, reason=str(exc), headers=exc.headers)
        kind = exc.kind
        if kind in (FailureKind.CONNECT, FailureKind.CONNECT_TIMEOUT):
            cls: Type[ApiConnectionError] = (
                ApiTimeoutError if kind is FailureKind.CONNECT_TIMEOUT else ApiConnectionError
            )
            return cls(f"{exc}; the request was not sent", method=method, url=url)
        if send:
            if kind is FailureKind.READ_TIMEOUT:
                return SendOutcomeUnknownTimeoutError(str(exc), method=method, url=url)
            return SendOutcomeUnknownError(str(exc), method=method, url=url)
        if kind is FailureKind.READ_TIMEOUT:
            return ApiTimeoutError(f"{exc} ({why})", method=method, url=url)
        return ApiConnectionError(f"{exc} ({why})", method=method, url=url)

    def _error(
        self,
        response: RESTResponse,
        cls: Optional[Type[SendOutcomeUnknownError]] = None,
        method: str = "",
        url: str = "",
    ) -> ApiException:
        raw = response.read()
        body = raw.decode("utf-8", "replace") if raw else None
        data: Any = None
        if raw and raw.lstrip()[:1] == b"{":
            for model in _ERROR_MODELS:
                try:
                    data = adapter_for(model).validate_json(raw)
                    break
                except ValidationError:
                    continue
        if cls is None:
            return ApiException.from_response(http_resp=response, body=body, data=data)
        return cls(http_resp=response, body=body, data=data, method=method, url=url)

    # -- openapi-generator's public steps ---------------------------------------------------

    def param_serialize(
        self,
        method: str,
        resource_path: str,
        path_params: Optional[Mapping[str, Any]] = None,
        query_params: Optional[Sequence[Tuple[str, Any]]] = None,
        header_params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        post_params: Any = None,
        files: Any = None,
        auth_settings: Optional[Sequence[str]] = None,
        collection_formats: Any = None,
        _host: Optional[str] = None,
        _request_auth: Optional[Mapping[str, Any]] = None,
    ) -> Tuple[str, str, Dict[str, str], Optional[bytes], Any]:
        """Build ``(method, url, headers, body, post_params)`` for ``call_api``."""
        cfg = self.configuration
        url = (_host or cfg.host).rstrip("/")
        url += _expand_path(resource_path, path_params, cfg.safe_chars_for_path_param)
        if query_params:
            url += "?" + urlencode([(k, self._query_value(v)) for k, v in query_params])
        headers = dict(self.default_headers)
        with_auth = auth_settings is None or "JWT" in auth_settings
        self._add_headers(headers, header_params, _request_auth, with_auth=with_auth)
        payload: Optional[bytes] = None
        if body is not None:
            payload = json.dumps(self.sanitize_for_serialization(body)).encode()
            headers.setdefault("Content-Type", "application/json")
        self._check_origin(url, "Authorization" in headers)
        return method, url, headers, payload, post_params

    def _query_value(self, value: Any) -> str:
        # Dates in a query are written with the configured formats, as generated clients do.
        if isinstance(value, _dt.datetime):
            return value.strftime(self.configuration.datetime_format)
        if isinstance(value, _dt.date):
            return value.strftime(self.configuration.date_format)
        return str(value)

    def call_api(
        self,
        method: str,
        url: str,
        header_params: Optional[Dict[str, str]] = None,
        body: Any = None,
        post_params: Any = None,
        _request_timeout: Any = _UNSET,
    ) -> RESTResponse:
        """Send a request built by ``param_serialize``; returns the undecoded answer.

        Raises:
            ApiConnectionError, ApiTimeoutError, SendOutcomeUnknownError: the request failed
                below HTTP (after the retries the policy allows).
        """
        timeout = self.configuration.timeout if _request_timeout is _UNSET else _request_timeout
        if body is not None and not isinstance(body, (bytes, bytearray)):
            body = json.dumps(self.sanitize_for_serialization(body)).encode()
        return self._send(method, url, dict(header_params or {}), body, timeout, True)

    def response_deserialize(
        self,
        response_data: RESTResponse,
        response_types_map: Optional[Mapping[Any, Any]] = None,
    ) -> ApiResponse[Any]:
        """Decode an answer into ``ApiResponse``, or raise the ``ApiException`` it means."""
        return self._answer(response_data, response_types_map)

    def _answer(
        self,
        response: RESTResponse,
        types: Optional[Mapping[Any, Any]],
        send_method: str = "",
        url: str = "",
    ) -> ApiResponse[Any]:
        """Decode ``response``, or raise what it means.

        ``send_method`` and ``url`` are given for an operation that sends texts: then a 5xx, or a
        body that cannot be decoded, raises a ``SendOutcomeUnknownError`` class, as the request
        may have been acted on.
        """
        status = response.status
        if not 200 <= status <= 299:
            if send_method and status >= 500:
                raise self._error(response, SendOutcomeUnknownServiceError, send_method, url)
            raise self._error(response)
        raw = response.read()
        types = types or {}
        tp = types.get(status)
        if tp is None:
            tp = types.get(str(status), types.get(f"{str(status)[0]}XX"))
        if tp is None:
            # A success status the operation does not declare (200 for a send, 204 for a read)
            # still has to give what the method promises: decode with its one success type.
            declared = [t for code, t in types.items() if str(code).startswith("2")]
            tp = declared[0] if len(declared) == 1 else None
        data: Any = None
        if tp is not None and tp is not bytearray:
            data = self._decode(raw, _resolve_type(tp), response, send_method, url)
        elif tp is bytearray:
            data = raw
        return ApiResponse(status_code=status, headers=response.headers, data=data, raw_data=raw)

    def _decode(
        self, raw: bytes, tp: Any, response: RESTResponse, send_method: str = "", url: str = ""
    ) -> Any:
        try:
            if len(raw) < _GC_PAUSE_BYTES:
                return adapter_for(tp).validate_json(raw)
            return _without_gc(adapter_for(tp).validate_json, raw)
        except ValidationError as exc:
            why = _undecodable(exc, tp)
            body = raw.decode("utf-8", "replace")
            if send_method:
                raise SendOutcomeUnknownResponseError(
                    f"unexpected response: {why}",
                    http_resp=response,
                    body=body,
                    method=send_method,
                    url=url,
                ) from exc
            raise ApiResponseError(
                reason=f"unexpected response: {why}", http_resp=response, body=body
            ) from exc

    def deserialize(
        self,
        response_text: Union[str, bytes],
        response_type: Any,
        content_type: Optional[str] = None,
    ) -> Any:
        """Decode a JSON body into ``response_type`` (a type, or its name as a string)."""
        tp = _resolve_type(response_type)
        try:
            return adapter_for(tp).validate_json(response_text)
        except ValidationError as exc:
            raise ApiResponseError(
                reason=f"unexpected response: {_undecodable(exc, tp)}",
                body=response_text if isinstance(response_text, str) else None,
            ) from exc

    @staticmethod
    def select_header_accept(accepts: Sequence[str]) -> Optional[str]:
        """The ``Accept`` value to send for these media types: a JSON one if offered."""
        for candidate in accepts:
            if re.search(r"json", candidate, re.IGNORECASE):
                return candidate
        return accepts[0] if accepts else None

    @staticmethod
    def select_header_content_type(content_types: Sequence[str]) -> Optional[str]:
        """The ``Content-Type`` to send for these media types: a JSON one if offered."""
        return ApiClient.select_header_accept(content_types)

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """Turn models, dates and containers into plain JSON-ready values."""
        if obj is None or isinstance(obj, (str, int, float, bool)):
            return obj
        if isinstance(obj, BaseModel):
            return obj.model_dump(by_alias=True, exclude_none=True, mode="json")
        if isinstance(obj, (list, tuple)):
            return [self.sanitize_for_serialization(item) for item in obj]
        if isinstance(obj, dict):
            return {str(k): self.sanitize_for_serialization(v) for k, v in obj.items()}
        if isinstance(obj, (_dt.datetime, _dt.date)):
            return obj.isoformat()
        raise ApiTypeError(f"cannot serialise {type(obj).__name__} to JSON")


#: Bodies from this size up are decoded with the cyclic garbage collector paused (see below).
_GC_PAUSE_BYTES = 256 * 1024


def _without_gc(decode: Callable[[bytes], Any], raw: bytes) -> Any:
    """Run ``decode(raw)`` with the cyclic garbage collector paused.

    Decoding 5,000 records creates some 20,000 tracked objects, none of them garbage; the
    collections that allocation triggers walk the young objects again and again and cost about a
    quarter of the decode. The records hold no reference cycles, so pausing loses nothing, and
    the collector is switched back on at once, unless it was already off when we started.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return decode(raw)
    finally:
        if was_enabled:
            gc.enable()


def _check_header(name: str, value: str) -> None:
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


def _undecodable(exc: ValidationError, tp: Any) -> str:
    """Why a body could not be decoded into ``tp``, in one line."""
    first = exc.errors(include_url=False)[0]
    if first["type"] in ("json_invalid", "string_unicode"):
        return f"the body is not valid JSON ({first['msg']})"
    where = ".".join(str(p) for p in first["loc"]) or "body"
    return f"the body does not fit {_type_name(tp)}: {where}: {first['msg']}"


def _unencodable_text(value: Any, path: List[Union[str, int]]) -> Optional[List[Union[str, int]]]:
    """The path of the first text in ``value`` that cannot be encoded as UTF-8, if any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        for name, info in fields.items():
            found = _unencodable_text(getattr(value, name), [*path, info.alias or name])
            if found is not None:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _unencodable_text(item, [*path, index])
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _unencodable_text(key, [*path, "(key)"]) or _unencodable_text(
                item, [*path, str(key)]
            )
            if found is not None:
                return found
    return None


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _resolve_type(tp: Any) -> Any:
    """Accept a type, or openapi-generator's name of one (``"List[MessageResponse]"``)."""
    if not isinstance(tp, str):
        return tp
    name = tp.strip()
    if name.startswith("List[") and name.endswith("]"):
        return List[_resolve_type(name[5:-1])]  # type: ignore[misc]
    simple = {"str": str, "int": int, "float": float, "bool": bool, "object": Any, "dict": dict}
    if name in simple:
        return simple[name]
    model = getattr(_models, name, None)
    if model is None:
        raise ApiValueError(f"unknown response type {tp!r}")
    return model
