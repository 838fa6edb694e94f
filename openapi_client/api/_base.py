"""What every API class shares: its client, and the two ways to run one of its operations."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, TypeVar, Union

import urllib3

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
