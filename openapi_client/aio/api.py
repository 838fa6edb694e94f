"""The async API classes, made from the operation registry and the sync classes.

For every operation of a sync API class (``openapi_client._registry.OPERATIONS``) the async
class of the same name gets the same three methods, as coroutines: the call takes its arguments
exactly as the sync method does (the same binding, ``api._base._arguments``), runs the operation
through ``aio.ApiClient`` and returns what the sync method returns. Nothing per operation is
written here, so an operation added to the registry is async at once; ``api.pyi`` gives type
checkers each method's parameters and result, and a test holds it to the sync classes.
"""

from __future__ import annotations

import inspect
from typing import Any, Awaitable, Callable, Dict, Optional, cast

from .._batching import ChunkedSendReport, ProgressInfo, plan_any_many, plan_send_many
from .._operation import Operation
from .._registry import API_CLASSES, OPERATIONS
from ..api._base import _arguments, _named
from . import _batching
from .api_client import ApiClient

__all__ = [
    "ApiBase",
    "BatchMessagesApi",
    "CreditsApi",
    "MessagesApi",
    "OneTimePasswordApi",
    "UtilsApi",
]


class ApiBase:
    """Base of the async API classes: they hold their client and nothing else.

    Errors, per-call options and results are those of the sync classes; every method is a
    coroutine, and a cancelled one raises ``asyncio.CancelledError`` unchanged.
    """

    def __init__(self, api_client: Optional[ApiClient] = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient.get_default()


Runner = Callable[[ApiClient, Operation[Any, Any], Dict[str, Any], object, Any], Awaitable[Any]]


async def _data(
    client: ApiClient, op: Operation[Any, Any], path: Dict[str, Any], body: object, options: Any
) -> Any:
    return (await client._request(op, path_params=path, body=body, **options)).data


async def _info(
    client: ApiClient, op: Operation[Any, Any], path: Dict[str, Any], body: object, options: Any
) -> Any:
    return await client._request(op, path_params=path, body=body, **options)


async def _raw(
    client: ApiClient, op: Operation[Any, Any], path: Dict[str, Any], body: object, options: Any
) -> Any:
    return await client._request_raw(op, path_params=path, body=body, **options)


#: Method name suffix -> what a method of that variant runs once its arguments are bound.
_VARIANTS: Dict[str, Runner] = {
    "": _data,
    "_with_http_info": _info,
    "_without_preload_content": _raw,
}


def _result(plain: Callable[..., Any], suffix: str) -> Any:
    returns = inspect.signature(plain).return_annotation
    if suffix == "_with_http_info":
        return f"ApiResponse[{returns}]"
    if suffix == "_without_preload_content":
        return "httpx.Response"
    return returns


def _method(op: Operation[Any, Any], plain: Callable[..., Any], suffix: str) -> Any:
    run = _VARIANTS[suffix]

    async def method(self: ApiBase, /, *args: Any, **kwargs: Any) -> Any:
        body, path, options = _arguments(op, args, kwargs)
        return await run(self.api_client, op, path, body, options)

    if suffix:
        doc = f"As ``{op.name}``, returning " + (
            "the ``ApiResponse``."
            if suffix == "_with_http_info"
            else "the open ``httpx.Response``."
        )
    else:
        doc = plain.__doc__ or ""
    _named(method, plain, suffix, doc)
    # The sync method's parameters, this method's result; not __wrapped__, which would make
    # tools show the sync method as what this one is.
    del vars(method)["__wrapped__"]
    signature = inspect.signature(plain).replace(return_annotation=_result(plain, suffix))
    vars(method)["__signature__"] = signature
    method.__qualname__ = f"{op.api}.{op.name}{suffix}"
    method.__module__ = __name__
    return method


class _ChunkedSends(ApiBase):
    """``batch_send_many`` and ``batch_any_many``: the sync plans, driven by asyncio tasks."""

    async def batch_send_many(
        self,
        sms_message: Any,
        chunk_size: int = 5000,
        *,
        resume: Optional[ChunkedSendReport] = None,
        progress: Optional[Callable[[ProgressInfo], None]] = None,
        max_in_flight: int = 1,
        **options: Any,
    ) -> ChunkedSendReport:
        plan = plan_send_many(self, sms_message, chunk_size, resume, max_in_flight)
        send = cast(Any, self).batch_send_post
        return await _batching.run(plan, send, progress, options)

    async def batch_any_many(
        self,
        messages: Any,
        chunk_size: int = 5000,
        *,
        resume: Optional[ChunkedSendReport] = None,
        progress: Optional[Callable[[ProgressInfo], None]] = None,
        max_in_flight: int = 1,
        **options: Any,
    ) -> ChunkedSendReport:
        plan = plan_any_many(self, messages, chunk_size, resume, max_in_flight)
        send = cast(Any, self).batch_any_post
        return await _batching.run(plan, send, progress, options)


def _carry_over(method: Callable[..., Any], sync: Callable[..., Any]) -> None:
    """Give ``method`` the docstring and parameters of the sync method of the same name."""
    method.__doc__ = sync.__doc__
    vars(method)["__signature__"] = inspect.signature(sync)


for _name in ("batch_send_many", "batch_any_many"):
    _carry_over(getattr(_ChunkedSends, _name), getattr(API_CLASSES["BatchMessagesApi"], _name))

#: What an async class has besides its registry operations.
_EXTRAS: Dict[str, type] = {"BatchMessagesApi": _ChunkedSends}


def _build(name: str) -> type:
    sync = API_CLASSES[name]
    namespace: Dict[str, Any] = {"__doc__": sync.__doc__, "__module__": __name__}
    for op in OPERATIONS.values():
        if op.api == name:
            plain = getattr(sync, op.name)
            for suffix in _VARIANTS:
                namespace[op.name + suffix] = _method(op, plain, suffix)
    return type(name, (_EXTRAS.get(name, ApiBase),), namespace)


BatchMessagesApi = _build("BatchMessagesApi")
MessagesApi = _build("MessagesApi")
OneTimePasswordApi = _build("OneTimePasswordApi")
CreditsApi = _build("CreditsApi")
UtilsApi = _build("UtilsApi")
