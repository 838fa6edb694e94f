"""The async API classes as type checkers see them (``api.py`` makes them at run time).

One coroutine per operation and variant, with the sync method's parameters and result;
``test/test_aio.py`` fails when this file and the sync classes disagree.
"""

from typing import Callable, List, Optional

import httpx
from typing_extensions import Unpack

from .._batching import ChunkedSendReport, ProgressInfo
from ..api._base import (
    BatchMessageIn,
    MessageIn,
    MessagesIn,
    OTPIn,
    OTPVerifyIn,
    PathId,
    QueryIn,
    RequestOptions,
)
from ..api_response import ApiResponse
from ..models import (
    BatchMessageResponse,
    CancelledMessageResponse,
    CreditsResponse,
    DeletedMessageResponse,
    ExtendedErrorModel,
    MessageResponse,
    OTPResponse,
    OTPVerifyResponse,
    ScheduledBatchResponse,
    ScheduledMessageResponse,
    ScheduledMessagesResponse,
    SendMessageResponse,
    TestResponse,
)
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
    api_client: ApiClient

    def __init__(self, api_client: Optional[ApiClient] = None) -> None: ...

class BatchMessagesApi(ApiBase):
    async def batch_send_post(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> BatchMessageResponse: ...
    async def batch_send_post_with_http_info(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[BatchMessageResponse]: ...
    async def batch_send_post_without_preload_content(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def batch_any_post(
        self, messages: MessagesIn, **options: Unpack[RequestOptions]
    ) -> BatchMessageResponse: ...
    async def batch_any_post_with_http_info(
        self, messages: MessagesIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[BatchMessageResponse]: ...
    async def batch_any_post_without_preload_content(
        self, messages: MessagesIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def batch_schedule_post(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> ScheduledBatchResponse: ...
    async def batch_schedule_post_with_http_info(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[ScheduledBatchResponse]: ...
    async def batch_schedule_post_without_preload_content(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def batch_batchid_get(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]: ...
    async def batch_batchid_get_with_http_info(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> ApiResponse[List[MessageResponse]]: ...
    async def batch_batchid_get_without_preload_content(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def batches_schedule_batchid_delete(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> CancelledMessageResponse: ...
    async def batches_schedule_batchid_delete_with_http_info(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> ApiResponse[CancelledMessageResponse]: ...
    async def batches_schedule_batchid_delete_without_preload_content(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def batch_send_many(
        self,
        sms_message: BatchMessageIn,
        chunk_size: int = 5000,
        *,
        resume: Optional[ChunkedSendReport] = None,
        progress: Optional[Callable[[ProgressInfo], None]] = None,
        max_in_flight: int = 1,
        **options: Unpack[RequestOptions],
    ) -> ChunkedSendReport: ...
    async def batch_any_many(
        self,
        messages: MessagesIn,
        chunk_size: int = 5000,
        *,
        resume: Optional[ChunkedSendReport] = None,
        progress: Optional[Callable[[ProgressInfo], None]] = None,
        max_in_flight: int = 1,
        **options: Unpack[RequestOptions],
    ) -> ChunkedSendReport: ...

class MessagesApi(ApiBase):
    async def message_send_post(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> SendMessageResponse: ...
    async def message_send_post_with_http_info(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[SendMessageResponse]: ...
    async def message_send_post_without_preload_content(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def send_flash_message(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> SendMessageResponse: ...
    async def send_flash_message_with_http_info(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[SendMessageResponse]: ...
    async def send_flash_message_without_preload_content(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def message_schedule_post(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> List[ScheduledMessageResponse]: ...
    async def message_schedule_post_with_http_info(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[List[ScheduledMessageResponse]]: ...
    async def message_schedule_post_without_preload_content(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def messages_post(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]: ...
    async def messages_post_with_http_info(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[List[MessageResponse]]: ...
    async def messages_post_without_preload_content(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def messages_inbox_post(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]: ...
    async def messages_inbox_post_with_http_info(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[List[MessageResponse]]: ...
    async def messages_inbox_post_without_preload_content(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def messages_failed_post(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]: ...
    async def messages_failed_post_with_http_info(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[List[MessageResponse]]: ...
    async def messages_failed_post_without_preload_content(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def messages_schedule_get(
        self, **options: Unpack[RequestOptions]
    ) -> List[ScheduledMessagesResponse]: ...
    async def messages_schedule_get_with_http_info(
        self, **options: Unpack[RequestOptions]
    ) -> ApiResponse[List[ScheduledMessagesResponse]]: ...
    async def messages_schedule_get_without_preload_content(
        self, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def messages_messageid_get(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> MessageResponse: ...
    async def messages_messageid_get_with_http_info(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> ApiResponse[MessageResponse]: ...
    async def messages_messageid_get_without_preload_content(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def messages_messageid_delete(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> DeletedMessageResponse: ...
    async def messages_messageid_delete_with_http_info(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> ApiResponse[DeletedMessageResponse]: ...
    async def messages_messageid_delete_without_preload_content(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def messages_schedule_messageid_delete(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> CancelledMessageResponse: ...
    async def messages_schedule_messageid_delete_with_http_info(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> ApiResponse[CancelledMessageResponse]: ...
    async def messages_schedule_messageid_delete_without_preload_content(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...

class OneTimePasswordApi(ApiBase):
    async def otp_send_post(self, otp: OTPIn, **options: Unpack[RequestOptions]) -> OTPResponse: ...
    async def otp_send_post_with_http_info(
        self, otp: OTPIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[OTPResponse]: ...
    async def otp_send_post_without_preload_content(
        self, otp: OTPIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def otp_verify_post(
        self, passcode: OTPVerifyIn, **options: Unpack[RequestOptions]
    ) -> OTPVerifyResponse: ...
    async def otp_verify_post_with_http_info(
        self, passcode: OTPVerifyIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[OTPVerifyResponse]: ...
    async def otp_verify_post_without_preload_content(
        self, passcode: OTPVerifyIn, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def otp_messageid_get(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> OTPVerifyResponse: ...
    async def otp_messageid_get_with_http_info(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> ApiResponse[OTPVerifyResponse]: ...
    async def otp_messageid_get_without_preload_content(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...

class CreditsApi(ApiBase):
    async def credits_balance_get(self, **options: Unpack[RequestOptions]) -> CreditsResponse: ...
    async def credits_balance_get_with_http_info(
        self, **options: Unpack[RequestOptions]
    ) -> ApiResponse[CreditsResponse]: ...
    async def credits_balance_get_without_preload_content(
        self, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...

class UtilsApi(ApiBase):
    async def utils_test_get(self, **options: Unpack[RequestOptions]) -> TestResponse: ...
    async def utils_test_get_with_http_info(
        self, **options: Unpack[RequestOptions]
    ) -> ApiResponse[TestResponse]: ...
    async def utils_test_get_without_preload_content(
        self, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
    async def utils_errors_errorcode_get(
        self, errorcode: PathId, **options: Unpack[RequestOptions]
    ) -> ExtendedErrorModel: ...
    async def utils_errors_errorcode_get_with_http_info(
        self, errorcode: PathId, **options: Unpack[RequestOptions]
    ) -> ApiResponse[ExtendedErrorModel]: ...
    async def utils_errors_errorcode_get_without_preload_content(
        self, errorcode: PathId, **options: Unpack[RequestOptions]
    ) -> httpx.Response: ...
