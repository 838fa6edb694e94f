"""The API's data models. Requests are strict, responses lenient (see ``_base``)."""

from .batch_message import BatchMessage
from .batch_message_response import BatchMessageResponse
from .cancelled_message_response import CancelledMessageResponse
from .error_model import ErrorModel
from .extended_error_model import ExtendedErrorModel
from .message import Message
from .message_response import MessageResponse
from .message_response_failurereason import MessageResponseFailurereason
from .meta_data import MetaData
from .scheduled_batch_response import ScheduledBatchResponse

__all__ = [
    "BatchMessage",
    "BatchMessageResponse",
    "CancelledMessageResponse",
    "ErrorModel",
    "ExtendedErrorModel",
    "Message",
    "MessageResponse",
    "MessageResponseFailurereason",
    "MetaData",
    "ScheduledBatchResponse",
]
