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

Every public name loads on first use: ``import openapi_client`` itself imports neither pydantic
nor urllib3, so the ``smsworks`` command answers ``--help`` at once, and a plain send does not pay
for the sandbox, the SMS cost estimator or the delivery-report parser.
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._batching import (
        ChunkedSendError,
        ChunkedSendReport,
        ChunkResult,
        ProgressInfo,
        ReportAlreadyResumedError,
    )
    from ._retry import (
        RetryPolicy,
    )
    from .api.batch_messages_api import (
        BatchMessagesApi,
    )
    from .api.credits_api import (
        CreditsApi,
    )
    from .api.messages_api import (
        MessagesApi,
    )
    from .api.one_time_password_api import (
        OneTimePasswordApi,
    )
    from .api.utils_api import (
        UtilsApi,
    )
    from .api_client import (
        ApiClient,
    )
    from .api_response import (
        ApiResponse,
    )
    from .configuration import (
        Configuration,
    )
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
        MissingTokenError,
        NotFoundException,
        OpenApiException,
        RateLimitException,
        SendOutcomeUnknownError,
        SendOutcomeUnknownResponseError,
        SendOutcomeUnknownServiceError,
        SendOutcomeUnknownTimeoutError,
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
    from .sandbox import (
        Sandbox,
    )
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
    from .webhooks import (
        parse_delivery_report,
        parse_delivery_reports,
    )

#: Where each public name lives. Nothing is imported until a name is first used, so that
#: ``smsworks --help`` and a plain ``import openapi_client`` stay fast.
_EXPORTS = {
    "._retry": ("RetryPolicy",),
    ".api.batch_messages_api": ("BatchMessagesApi",),
    ".api.credits_api": ("CreditsApi",),
    ".api.messages_api": ("MessagesApi",),
    ".api.one_time_password_api": ("OneTimePasswordApi",),
    ".api.utils_api": ("UtilsApi",),
    ".api_client": ("ApiClient",),
    ".api_response": ("ApiResponse",),
    ".configuration": ("Configuration",),
    ".exceptions": (
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
        "LocalValidationError",
        "MissingTokenError",
        "NotFoundException",
        "OpenApiException",
        "RateLimitException",
        "SendOutcomeUnknownError",
        "SendOutcomeUnknownResponseError",
        "SendOutcomeUnknownServiceError",
        "SendOutcomeUnknownTimeoutError",
        "ServiceException",
        "UnauthorizedException",
        "UnprocessableEntityException",
    ),
    ".models": (
        "OTP",
        "BatchMessage",
        "BatchMessageResponse",
        "CancelledMessageResponse",
        "CreditsResponse",
        "DeletedMessageResponse",
        "ErrorModel",
        "ExtendedErrorModel",
        "Message",
        "MessageResponse",
        "MessageResponseFailurereason",
        "MetaData",
        "OTPResponse",
        "OTPVerify",
        "OTPVerifyResponse",
        "Query",
        "QueryMetadata",
        "ScheduledBatchResponse",
        "ScheduledMessage",
        "ScheduledMessageResponse",
        "ScheduledMessagesResponse",
        "ScheduledMessagesResponseMessage",
        "SendMessageResponse",
        "TestResponse",
    ),
    "._batching": (
        "ChunkedSendError",
        "ChunkedSendReport",
        "ChunkResult",
        "ProgressInfo",
        "ReportAlreadyResumedError",
    ),
    ".sandbox": ("Sandbox",),
    ".sms": (
        "CreditEstimate",
        "Lookalike",
        "MessageEstimate",
        "SegmentCount",
        "count_segments",
        "estimate_credits",
        "lookalikes",
        "split_parts",
        "to_gsm",
    ),
    ".webhooks": ("parse_delivery_report", "parse_delivery_reports"),
}
_LAZY = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    import importlib

    module = _LAZY.get(name)
    if module is None:
        # A submodule (``openapi_client.exceptions``) reached as an attribute, as it could be
        # when this package imported its modules eagerly.
        import importlib.util

        if name.startswith("__") or importlib.util.find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module 'openapi_client' has no attribute {name!r}")
        return importlib.import_module(f"{__name__}.{name}")
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
