"""``ApiClient``: the one request path every operation goes through.

An operation (``BatchMessagesApi.batch_send_post`` and friends) is a declaration, an
``Operation`` (see ``_operation``). A call runs in three steps:

1. **prepare** (``_prepare``): build the URL, percent-encoding every path parameter; check and
   encode the body (types always, the API's limits unless switched off); add headers and the
   ``Authorization: JWT <token>`` header, refusing control characters. The result is an
   immutable ``PreparedRequest``; nothing has been sent.
2. **send** (``_sending.send``): the only step doing I/O, through the transport, retrying only
   what ``RetryPolicy`` allows for the operation (never a send that may have arrived).
3. **interpret** (``_answer``): map a failure to the ``ApiException`` tree (one mapping,
   ``exceptions.exception_for``), or decode the answer into the operation's result type.

Steps 1 and 3 do no I/O, so a client over an asyncio transport needs only its own send loop.
The openapi-generator methods (``param_serialize``, ``call_api``, ``response_deserialize``) are
these same steps, public for code written against generated clients.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import time
from typing import (
    Any,
    Callable,
    Dict,
    Generic,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    cast,
)
from urllib.parse import urlencode

import urllib3
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError
from typing_extensions import Self, Unpack

from . import _sending
from . import models as _models
from ._adapters import (
    adapter_for,
    decode_json,
    resolve_type,
    undecodable,
    unencodable_text,
    validation_error,
)
from ._headers import ACCEPT, OriginGuard, check_header, expand_path, is_json_type
from ._operation import Operation, PreparedRequest, RequestOptions
from ._redact import secret_header
from ._retry import RetryPolicy
from ._version import __version__
from .api_response import ApiResponse
from .configuration import Configuration, jwt_header_value
from .exceptions import (
    ApiException,
    ApiResponseError,
    ApiTypeError,
    ApiValueError,
    MissingTokenError,
    exception_for,
)
from .rest import RESTClientObject, RESTResponse

__all__ = ["ApiClient", "BaseApiClient", "Operation"]

R = TypeVar("R")

#: "Not given" for ``_request_timeout``, distinct from ``None`` ("no timeout").
_UNSET: Any = object()

#: Error bodies are tried as the detailed model first, then the plain one.
_ERROR_MODELS = (_models.ExtendedErrorModel, _models.ErrorModel)


TransportT = TypeVar("TransportT")


class BaseApiClient(Generic[TransportT]):
    """Everything a client does but sending: settings, headers, preparing and interpreting.

    ``ApiClient`` (here) and ``openapi_client.aio.ApiClient`` add only their transport, their
    send loop and the methods that wait on it.
    """

    #: Each client class sets its own, so the sync and the async default never mix.
    _default: Any = None

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        *,
        transport: Optional[TransportT] = None,
    ) -> None:
        self.configuration = configuration or Configuration.get_default()
        if self.configuration.verify_ssl is False:
            import warnings

            warnings.warn(
                "TLS certificate verification is off: anyone on the network path can read the "
                "token and the messages",
                stacklevel=2,
            )
        self.rest_client: TransportT = transport if transport is not None else self._new_transport()
        self.default_headers: Dict[str, str] = {}
        if header_name is not None:
            self.set_default_header(header_name, header_value or "")
        self.cookie = cookie
        self.user_agent = f"smsworks-python/{__version__}"
        self.client_side_validation = self.configuration.client_side_validation
        self._retry_policy = RetryPolicy.from_setting(self.configuration.retries)
        self._auth_cache: Tuple[Optional[str], Optional[str]] = (None, None)
        self._origins = OriginGuard()

    def _new_transport(self) -> TransportT:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(host={self.configuration.host!r})"

    @classmethod
    def get_default(cls) -> Self:
        """A shared client of this class, built from the default configuration."""
        if cls._default is None:
            cls._default = cls()
        return cast(Self, cls._default)

    @classmethod
    def set_default(cls, default: Optional[Self]) -> None:
        """Replace the shared default client of this class."""
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
        check_header(header_name, header_value)
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
                check_header(name, str(value))
                headers[name] = str(value)
        if self.cookie:
            check_header("Cookie", self.cookie)
            headers["Cookie"] = self.cookie
        if with_auth:
            auth = self._auth_header(request_auth)
            if auth is not None:
                headers["Authorization"] = auth

    def _check_origin(self, url: str, has_token: bool) -> None:
        self._origins.check(
            url, has_token=has_token, allow_insecure_http=self.configuration.allow_insecure_http
        )

    # -- the request core: prepare, send, interpret --------------------------------------

    def _prepare(
        self,
        op: Operation[Any, Any],
        path_params: Optional[Mapping[str, Any]],
        body: object,
        preload: bool,
        options: RequestOptions,
    ) -> PreparedRequest:
        """Build and check the request of one call of ``op``; nothing is sent."""
        cfg = self.configuration
        host_index = options.get("_host_index")
        host = cfg.host if host_index is None else cfg.get_host_from_settings(host_index)
        url = host + expand_path(op.path, path_params, cfg.safe_chars_for_path_param)

        headers = dict(self.default_headers)
        headers["Accept"] = ACCEPT
        payload: Optional[bytes] = None
        if op.body_name is not None:
            payload = self._encode_body(op, body)
            content_type = options.get("_content_type")
            if content_type is not None and not is_json_type(content_type):
                raise ApiValueError(
                    f"this operation sends JSON; cannot send it as {content_type!r}",
                    ["_content_type"],
                )
            headers["Content-Type"] = content_type or "application/json"
        self._add_headers(
            headers, options.get("_headers"), options.get("_request_auth"), with_auth=True
        )
        if "Authorization" not in headers:
            raise MissingTokenError()  # the API answers 401 to every call without one
        self._check_origin(url, True)
        return PreparedRequest(
            method=op.method,
            url=url,
            headers=headers,
            body=payload,
            timeout=options.get("_request_timeout", cfg.timeout),
            preload=preload,
            replayable=op.replayable,
            operation=op.name,
        )

    def _encode_body(self, op: Operation[Any, Any], body: object) -> bytes:
        name = op.body_name or "body"
        try:
            value = adapter_for(op.body_type).validate_python(body)
        except ValidationError as exc:
            raise validation_error(exc, name) from None
        if op.body_check is not None:
            value = op.body_check(value, self.configuration)
        try:
            return adapter_for(op.body_type).dump_json(value, by_alias=True, exclude_none=True)
        except PydanticSerializationError as exc:
            # Text that cannot be UTF-8 (a lone surrogate, from a bad decode upstream) is only
            # found when the body is written out: name the field it is in.
            where = unencodable_text(value, [name])
            if where is not None:
                raise ApiValueError(
                    "is not valid Unicode text (a lone surrogate); it cannot be sent", where
                ) from None
            raise ApiValueError(f"cannot be written as JSON: {exc}", [name]) from None

    def _answer(
        self,
        response: RESTResponse,
        types: Optional[Mapping[Any, Any]],
        request: Optional[PreparedRequest] = None,
    ) -> ApiResponse[Any]:
        """Decode ``response``, or raise what it means.

        Without a ``request`` the answer is judged as a replayable call's. A call that is not
        replayable raises a ``SendOutcomeUnknownError`` class for a 5xx or an answer that cannot
        be decoded, as the request may have been acted on.
        """
        status = response.status
        if not 200 <= status <= 299:
            raise self._error(response, request)
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
        if tp is bytearray:
            data = raw
        elif tp is not None:
            tp = resolve_type(tp)
            try:
                data = decode_json(raw, tp)
            except ValidationError as exc:
                raise exception_for(
                    replayable=_replayable(request),
                    kind="unreadable",
                    reason=f"unexpected response: {undecodable(exc, tp)}",
                    http_resp=response,
                    body=raw.decode("utf-8", "replace"),
                    method=request.method if request else "",
                    url=request.url if request else "",
                ) from exc
        return ApiResponse(status_code=status, headers=response.headers, data=data, raw_data=raw)

    def _error(self, response: RESTResponse, request: Optional[PreparedRequest]) -> ApiException:
        """The exception an answer outside 2xx stands for, its error body decoded if it can be."""
        raw = response.read()
        data: Any = None
        if raw and raw.lstrip()[:1] == b"{":
            for model in _ERROR_MODELS:
                try:
                    data = adapter_for(model).validate_json(raw)
                    break
                except ValidationError:
                    continue
        return exception_for(
            replayable=_replayable(request),
            kind="status",
            http_resp=response,
            body=raw.decode("utf-8", "replace") if raw else None,
            data=data,
            method=request.method if request else "",
            url=request.url if request else "",
        )

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
        url += expand_path(resource_path, path_params, cfg.safe_chars_for_path_param)
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

    def _call_request(
        self,
        method: str,
        url: str,
        header_params: Optional[Dict[str, str]],
        body: Any,
        timeout: Any,
    ) -> PreparedRequest:
        """The request ``call_api`` sends: a ``param_serialize`` result, judged by its method."""
        if timeout is _UNSET:
            timeout = self.configuration.timeout
        if body is not None and not isinstance(body, (bytes, bytearray)):
            body = json.dumps(self.sanitize_for_serialization(body)).encode()
        return PreparedRequest(
            method=method,
            url=url,
            headers=dict(header_params or {}),
            body=body,
            timeout=timeout,
            preload=True,
            replayable=None,
        )

    def response_deserialize(
        self,
        response_data: RESTResponse,
        response_types_map: Optional[Mapping[Any, Any]] = None,
    ) -> ApiResponse[Any]:
        """Decode an answer into ``ApiResponse``, or raise the ``ApiException`` it means."""
        return self._answer(response_data, response_types_map)

    def deserialize(
        self,
        response_text: Union[str, bytes],
        response_type: Any,
        content_type: Optional[str] = None,
    ) -> Any:
        """Decode a JSON body into ``response_type`` (a type, or its name as a string)."""
        tp = resolve_type(response_type)
        try:
            return adapter_for(tp).validate_json(response_text)
        except ValidationError as exc:
            raise ApiResponseError(
                reason=f"unexpected response: {undecodable(exc, tp)}",
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
        return BaseApiClient.select_header_accept(content_types)

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


class ApiClient(BaseApiClient[_sending.Transport]):
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

    _default: Any = None

    def _new_transport(self) -> _sending.Transport:
        return RESTClientObject(self.configuration)

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

    # -- the request path: prepare, send, interpret ----------------------------------------

    def _request(
        self,
        op: Operation[Any, R],
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        body: object = None,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[R]:
        """Run ``op`` and decode its answer."""
        request = self._prepare(op, path_params, body, True, options)
        return self._answer(self._send(request), op.responses, request)

    def _request_raw(
        self,
        op: Operation[Any, Any],
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        body: object = None,
        **options: Unpack[RequestOptions],
    ) -> urllib3.HTTPResponse:
        """Run ``op``; its answer's body is left unread, whatever its status."""
        request = self._prepare(op, path_params, body, False, options)
        response: urllib3.HTTPResponse = self._send(request).response
        return response

    def _send(self, request: PreparedRequest) -> RESTResponse:
        """Send with retries. Every failure leaves here as an ``ApiException``."""
        return _sending.send(
            self.rest_client,
            request,
            policy=self._retry_policy,
            config=self.configuration,
            sleep=self.sleep,
        )

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
        request = self._call_request(method, url, header_params, body, _request_timeout)
        return self._send(request)


def _replayable(request: Optional[PreparedRequest]) -> bool:
    return True if request is None else _sending.replayable(request)
