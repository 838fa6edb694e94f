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

__version__ = "1.0.0"

if TYPE_CHECKING:
    from ._batching import ChunkedSendError, ChunkedSendReport, ChunkResult, ProgressInfo
    from ._retry import RetryPolicy
    from .api.batch_messages_api import BatchMessagesApi
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
        MissingTokenError,
        NotFoundException,
        OpenApiException,
        RateLimitException,
        SendOutcomeUnknownError,
        ServiceException,
        UnauthorizedException,
        UnprocessableEntityException,
    )
    from .models import (
        BatchMessage,
        BatchMessageResponse,
        CancelledMessageResponse,
        ErrorModel,
        ExtendedErrorModel,
        Message,
        MessageResponse,
        MessageResponseFailurereason,
        MetaData,
        ScheduledBatchResponse,
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
    "RetryPolicy": "._retry",
    "BatchMessagesApi": ".api.batch_messages_api",
    "ApiClient": ".api_client",
    "ApiResponse": ".api_response",
    "Configuration": ".configuration",
    "ApiAttributeError": ".exceptions",
    "ApiConnectionError": ".exceptions",
    "ApiException": ".exceptions",
    "ApiKeyError": ".exceptions",
    "ApiResponseError": ".exceptions",
    "ApiTimeoutError": ".exceptions",
    "ApiTypeError": ".exceptions",
    "ApiValueError": ".exceptions",
    "BadRequestException": ".exceptions",
    "ConflictException": ".exceptions",
    "ForbiddenException": ".exceptions",
    "InsufficientCreditsException": ".exceptions",
    "MissingTokenError": ".exceptions",
    "NotFoundException": ".exceptions",
    "OpenApiException": ".exceptions",
    "RateLimitException": ".exceptions",
    "SendOutcomeUnknownError": ".exceptions",
    "ServiceException": ".exceptions",
    "UnauthorizedException": ".exceptions",
    "UnprocessableEntityException": ".exceptions",
    "BatchMessage": ".models",
    "BatchMessageResponse": ".models",
    "CancelledMessageResponse": ".models",
    "ErrorModel": ".models",
    "ExtendedErrorModel": ".models",
    "Message": ".models",
    "MessageResponse": ".models",
    "MessageResponseFailurereason": ".models",
    "MetaData": ".models",
    "ScheduledBatchResponse": ".models",
    "ChunkedSendError": "._batching",
    "ChunkedSendReport": "._batching",
    "ChunkResult": "._batching",
    "ProgressInfo": "._batching",
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
    "ErrorModel",
    "ExtendedErrorModel",
    "ForbiddenException",
    "InsufficientCreditsException",
    "Lookalike",
    "Message",
    "MessageEstimate",
    "MessageResponse",
    "MessageResponseFailurereason",
    "MetaData",
    "MissingTokenError",
    "NotFoundException",
    "OpenApiException",
    "ProgressInfo",
    "RateLimitException",
    "RetryPolicy",
    "Sandbox",
    "ScheduledBatchResponse",
    "SegmentCount",
    "SendOutcomeUnknownError",
    "ServiceException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "__version__",
    "count_segments",
    "estimate_credits",
    "lookalikes",
    "parse_delivery_report",
    "parse_delivery_reports",
    "split_parts",
    "to_gsm",
]
