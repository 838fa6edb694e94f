"""Python SDK for The SMS Works SMS API: send, schedule, read back and cancel batches of SMS.

Quick start::

    import openapi_client

    configuration = openapi_client.Configuration()          # reads SMSWORKS_TOKEN
    with openapi_client.ApiClient(configuration) as api_client:
        api = openapi_client.BatchMessagesApi(api_client)
        sent = api.batch_send_post(
            openapi_client.BatchMessage(
                sender="Acme", destinations=["447700900001"], content="Your code is 123456"
            )
        )

The sandbox, the SMS cost estimator and the delivery-report parser load on first use, so a
plain send does not pay for importing them.
"""

from typing import TYPE_CHECKING, Any

from ._retry import RetryPolicy
from ._version import __version__
from .api.batch_messages_api import BatchMessagesApi
from .api.credits_api import CreditsApi
from .api.messages_api import MessagesApi
from .api.one_time_password_api import OneTimePasswordApi
from .api.utils_api import UtilsApi
from .api_client import ApiClient
from .api_response import ApiResponse
from .configuration import Configuration
from .exceptions import (
    ApiAttributeError,
    ApiConnectionError,
    ApiException,
    ApiKeyError,
    ApiResponseError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    InsufficientCreditsException,
    LocalValidationError,
    NotFoundException,
    OpenApiException,
    RateLimitException,
    SendOutcomeUnknownError,
    ServiceException,
    UnauthorizedException,
    UnprocessableEntityException,
)
from .models import (
    OTP,
    BatchMessage,
    BatchMessageResponse,
    CancelledMessageResponse,
    CreditsResponse,
    DeletedMessageResponse,
    ErrorModel,
    ExtendedErrorModel,
    Message,
    MessageResponse,
    MessageResponseFailurereason,
    MetaData,
    OTPResponse,
    OTPVerify,
    OTPVerifyResponse,
    Query,
    QueryMetadata,
    ScheduledBatchResponse,
    ScheduledMessage,
    ScheduledMessageResponse,
    ScheduledMessagesResponse,
    ScheduledMessagesResponseMessage,
    SendMessageResponse,
    TestResponse,
)

if TYPE_CHECKING:
    from ._batching import (
        ChunkedSendError,
        ChunkedSendReport,
        ChunkResult,
        ProgressInfo,
        ReportAlreadyResumedError,
    )
    from .sandbox import Sandbox
    from .sms import (
        CreditEstimate,
        Lookalike,
        MessageEstimate,
        SegmentCount,
        count_segments,
        estimate_credits,
        lookalikes,
        split_parts,
        to_gsm,
    )
    from .webhooks import parse_delivery_report, parse_delivery_reports

_LAZY = {
    "ChunkedSendError": "._batching",
    "ChunkedSendReport": "._batching",
    "ChunkResult": "._batching",
    "ProgressInfo": "._batching",
    "ReportAlreadyResumedError": "._batching",
    "Sandbox": ".sandbox",
    "CreditEstimate": ".sms",
    "SegmentCount": ".sms",
    "count_segments": ".sms",
    "estimate_credits": ".sms",
    "to_gsm": ".sms",
    "split_parts": ".sms",
    "lookalikes": ".sms",
    "Lookalike": ".sms",
    "MessageEstimate": ".sms",
    "parse_delivery_report": ".webhooks",
    "parse_delivery_reports": ".webhooks",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'openapi_client' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
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
