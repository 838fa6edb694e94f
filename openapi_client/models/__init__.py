"""The API's data models. Requests are strict, responses lenient (see ``_base``)."""

from .batch_message import BatchMessage
from .batch_message_response import BatchMessageResponse
from .cancelled_message_response import CancelledMessageResponse
from .credits_response import CreditsResponse
from .deleted_message_response import DeletedMessageResponse
from .error_model import ErrorModel
from .extended_error_model import ExtendedErrorModel
from .message import Message
from .message_response import MessageResponse
from .message_response_failurereason import MessageResponseFailurereason
from .meta_data import MetaData
from .otp import OTP
from .otp_response import OTPResponse
from .otp_verify import OTPVerify
from .otp_verify_response import OTPVerifyResponse
from .query import Query
from .query_metadata import QueryMetadata
from .scheduled_batch_response import ScheduledBatchResponse
from .scheduled_message import ScheduledMessage
from .scheduled_message_response import ScheduledMessageResponse
from .scheduled_messages_response import ScheduledMessagesResponse
from .scheduled_messages_response_message import ScheduledMessagesResponseMessage
from .send_message_response import SendMessageResponse
from .test_response import TestResponse

__all__ = [
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
]
