"""asyncio support (``pip install "smsworks[async]"``): the same API, every call awaited.

``ApiClient`` and the five API classes here are the async twins of those in ``openapi_client``;
every other name (``Configuration``, the models, the exceptions, ``ApiResponse``, ...) is the very
object ``openapi_client`` exports, so ``from openapi_client import aio as openapi_client`` turns
code written for openapi-generator's asyncio client into code for this one. See docs/Async.md.

Importing this package needs nothing beyond the SDK itself: httpx, which the async transport
runs on, is imported only when a client is built, and its absence is reported then with the
command that installs it.
"""

from typing import TYPE_CHECKING, Any

from .._version import __version__

if TYPE_CHECKING:
    from .. import (
        OTP,
        ApiAttributeError,
        ApiConnectionError,
        ApiException,
        ApiKeyError,
        ApiResponse,
        ApiResponseError,
        ApiTimeoutError,
        ApiTypeError,
        ApiValueError,
        BadRequestException,
        BatchMessage,
        BatchMessageResponse,
        CancelledMessageResponse,
        ChunkedSendError,
        ChunkedSendReport,
        ChunkResult,
        Configuration,
        ConflictException,
        CreditEstimate,
        CreditsResponse,
        DeletedMessageResponse,
        ErrorModel,
        ExtendedErrorModel,
        ForbiddenException,
        InsufficientCreditsException,
        LocalValidationError,
        Lookalike,
        Message,
        MessageEstimate,
        MessageResponse,
        MessageResponseFailurereason,
        MetaData,
        MissingTokenError,
        NotFoundException,
        OpenApiException,
        OTPResponse,
        OTPVerify,
        OTPVerifyResponse,
        ProgressInfo,
        Query,
        QueryMetadata,
        RateLimitException,
        ReportAlreadyResumedError,
        RetryPolicy,
        Sandbox,
        ScheduledBatchResponse,
        ScheduledMessage,
        ScheduledMessageResponse,
        ScheduledMessagesResponse,
        ScheduledMessagesResponseMessage,
        SegmentCount,
        SendMessageResponse,
        SendOutcomeUnknownError,
        SendOutcomeUnknownResponseError,
        SendOutcomeUnknownServiceError,
        SendOutcomeUnknownTimeoutError,
        ServiceException,
        TestResponse,
        UnauthorizedException,
        UnprocessableEntityException,
        count_segments,
        estimate_credits,
        lookalikes,
        parse_delivery_report,
        parse_delivery_reports,
        split_parts,
        to_gsm,
    )
    from .api import (
        BatchMessagesApi,
        CreditsApi,
        MessagesApi,
        OneTimePasswordApi,
        UtilsApi,
    )
    from .api_client import ApiClient

#: Names whose async twin lives here -> the module holding it.
_OWN = {
    "ApiClient": ".api_client",
    "BatchMessagesApi": ".api",
    "MessagesApi": ".api",
    "OneTimePasswordApi": ".api",
    "CreditsApi": ".api",
    "UtilsApi": ".api",
}


def __getattr__(name: str) -> Any:
    import importlib

    module = _OWN.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
    elif name in _SHARED:
        value = getattr(importlib.import_module("openapi_client"), name)
    else:
        raise AttributeError(f"module 'openapi_client.aio' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> "list[str]":
    return sorted(__all__)


__all__ = [
    "OTP",
    "ApiAttributeError",
    "ApiClient",
    "ApiConnectionError",
    "ApiException",
    "ApiKeyError",
    "ApiResponse",
    "ApiResponseError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "BadRequestException",
    "BatchMessage",
    "BatchMessageResponse",
    "BatchMessagesApi",
    "CancelledMessageResponse",
    "ChunkResult",
    "ChunkedSendError",
    "ChunkedSendReport",
    "Configuration",
    "ConflictException",
    "CreditEstimate",
    "CreditsApi",
    "CreditsResponse",
    "DeletedMessageResponse",
    "ErrorModel",
    "ExtendedErrorModel",
    "ForbiddenException",
    "InsufficientCreditsException",
    "LocalValidationError",
    "Lookalike",
    "Message",
    "MessageEstimate",
    "MessageResponse",
    "MessageResponseFailurereason",
    "MessagesApi",
    "MetaData",
    "MissingTokenError",
    "NotFoundException",
    "OTPResponse",
    "OTPVerify",
    "OTPVerifyResponse",
    "OneTimePasswordApi",
    "OpenApiException",
    "ProgressInfo",
    "Query",
    "QueryMetadata",
    "RateLimitException",
    "ReportAlreadyResumedError",
    "RetryPolicy",
    "Sandbox",
    "ScheduledBatchResponse",
    "ScheduledMessage",
    "ScheduledMessageResponse",
    "ScheduledMessagesResponse",
    "ScheduledMessagesResponseMessage",
    "SegmentCount",
    "SendMessageResponse",
    "SendOutcomeUnknownError",
    "SendOutcomeUnknownResponseError",
    "SendOutcomeUnknownServiceError",
    "SendOutcomeUnknownTimeoutError",
    "ServiceException",
    "TestResponse",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "UtilsApi",
    "__version__",
    "count_segments",
    "estimate_credits",
    "lookalikes",
    "parse_delivery_report",
    "parse_delivery_reports",
    "split_parts",
    "to_gsm",
]

#: The names that are the same objects as in ``openapi_client``.
_SHARED = frozenset(__all__) - set(_OWN) - {"__version__"}
