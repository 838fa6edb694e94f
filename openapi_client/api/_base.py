"""What every API class shares: its client, the two ways to run an operation, and the twins.

Each operation is one written method (its signature, docstring and one line over ``_info``);
``with_http_info`` and ``without_preload_content`` make its two generator twins from it, with
the same parameters, so the three can never disagree.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, Optional, Sequence, Tuple, TypeVar, Union, cast

import urllib3
from typing_extensions import Concatenate, ParamSpec

from .._operation import Operation, RequestOptions
from ..api_client import ApiClient
from ..api_response import ApiResponse
from ..models import OTP as OTPModel
from ..models import BatchMessage, Message, OTPVerify, Query

__all__ = [
    "ApiBase",
    "BatchMessageIn",
    "MessageIn",
    "MessagesIn",
    "OTPIn",
    "OTPVerifyIn",
    "PathId",
    "QueryIn",
    "RequestOptions",
    "with_http_info",
    "without_preload_content",
]

R = TypeVar("R")

#: What a body parameter accepts: the model, or a dict with its keys (checked the same way).
BatchMessageIn = Union[BatchMessage, Dict[str, Any]]
MessageIn = Union[Message, Dict[str, Any]]
MessagesIn = Sequence[Union[Message, Dict[str, Any]]]
QueryIn = Union[Query, Dict[str, Any]]
OTPIn = Union[OTPModel, Dict[str, Any]]
OTPVerifyIn = Union[OTPVerify, Dict[str, Any]]
#: An id in a path: text, or a number as some answers carry it.
PathId = Union[str, int]


class ApiBase:
    """Base of the API classes: each operation method is one line over ``_info`` or ``_raw``.

    Every method raises ``ApiValueError``/``ApiTypeError`` for bad input (before sending) and an
    ``ApiException`` subclass for anything that goes wrong on the way: see ``docs/Errors.md``.
    Every method takes the options ``_request_timeout`` (seconds, ``(connect, read)``, or
    ``None`` for none), ``_request_auth``, ``_content_type``, ``_headers`` and ``_host_index``.
    """

    def __init__(self, api_client: Optional[ApiClient] = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient.get_default()

    def _info(
        self,
        op: Operation[Any, R],
        options: RequestOptions,
        body: object = None,
        **path: PathId,
    ) -> ApiResponse[R]:
        """Run ``op``; the decoded answer with its status and headers."""
        return self.api_client._request(op, path_params=path, body=body, **options)

    def _raw(
        self,
        op: Operation[Any, Any],
        options: RequestOptions,
        body: object = None,
        **path: PathId,
    ) -> urllib3.HTTPResponse:
        """Run ``op``; the undecoded ``urllib3.HTTPResponse``."""
        return self.api_client._request_raw(op, path_params=path, body=body, **options)


S = TypeVar("S", bound=ApiBase)
P = ParamSpec("P")


def _arguments(
    op: Operation[Any, Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]
) -> Tuple[object, Dict[str, PathId], RequestOptions]:
    """Split a call's arguments, in the generator's order (path parameters, then the body)."""
    names = op.path_params + ((op.body_name,) if op.body_name else ())
    if len(args) > len(names):
        raise TypeError(f"{op.name}() takes {len(names)} positional arguments, {len(args)} given")
    values = dict(zip(names, args))
    options = dict(kwargs)
    for name in names[len(args) :]:
        if name not in options:
            raise TypeError(f"{op.name}() missing required argument: {name!r}")
        values[name] = options.pop(name)
    body = values.pop(op.body_name) if op.body_name else None
    return body, values, cast(RequestOptions, options)


def _named(method: Callable[..., Any], plain: Callable[..., Any], suffix: str, doc: str) -> None:
    # Tools that follow __wrapped__ (inspect.signature, IDEs) show the plain method's parameters.
    functools.update_wrapper(method, plain)
    method.__name__ = plain.__name__ + suffix
    method.__qualname__ = plain.__qualname__ + suffix
    method.__doc__ = doc


def with_http_info(
    plain: Callable[Concatenate[S, P], R], op: Operation[Any, R]
) -> Callable[Concatenate[S, P], ApiResponse[R]]:
    """The ``*_with_http_info`` twin of ``plain``: the decoded answer with status and headers."""

    def method(self: S, /, *args: P.args, **kwargs: P.kwargs) -> ApiResponse[R]:
        body, path, options = _arguments(op, args, kwargs)
        return self.api_client._request(op, path_params=path, body=body, **options)

    _named(method, plain, "_with_http_info", f"As ``{op.name}``, returning the ``ApiResponse``.")
    return method


def without_preload_content(
    plain: Callable[Concatenate[S, P], Any], op: Operation[Any, Any]
) -> Callable[Concatenate[S, P], urllib3.HTTPResponse]:
    """The ``*_without_preload_content`` twin of ``plain``: the undecoded urllib3 response."""

    def method(self: S, /, *args: P.args, **kwargs: P.kwargs) -> urllib3.HTTPResponse:
        body, path, options = _arguments(op, args, kwargs)
        return self.api_client._request_raw(op, path_params=path, body=body, **options)

    text = f"As ``{op.name}``, returning the undecoded ``urllib3.HTTPResponse``."
    _named(method, plain, "_without_preload_content", text)
    return method
