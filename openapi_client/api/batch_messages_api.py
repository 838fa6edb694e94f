"""The batch endpoints of The SMS Works API, declared over ``ApiClient``'s request core.

Each endpoint is one ``Operation``. Its three methods differ only in what they hand back: the
decoded model, an ``ApiResponse`` with status and headers (``*_with_http_info``), or the
undecoded ``urllib3.HTTPResponse`` (``*_without_preload_content``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, List, Optional

from typing_extensions import Unpack

from .. import _validation
from .._operation import Operation
from ..configuration import Configuration
from ..exceptions import LocalValidationError
from ..models import (
    BatchMessage,
    BatchMessageResponse,
    CancelledMessageResponse,
    Message,
    MessageResponse,
    ScheduledBatchResponse,
)
from ._base import (
    ApiBase,
    BatchMessageIn,
    MessagesIn,
    PathId,
    RequestOptions,
    with_http_info,
    without_preload_content,
)

if TYPE_CHECKING:
    from .._batching import ChunkedSendReport, ProgressInfo

__all__ = ["BatchMessagesApi"]

_API = "BatchMessagesApi"


def _require_schedule(msg: BatchMessage, config: Configuration) -> BatchMessage:
    if msg.schedule is None or (isinstance(msg.schedule, str) and not msg.schedule.strip()):
        raise LocalValidationError("required to schedule a batch", ["sms_message", "schedule"])
    return _validation.check_batch_message(msg, config)


SEND: Operation[BatchMessage, BatchMessageResponse] = Operation(
    name="batch_send_post", api=_API, method="POST", path="/batch/send",
    status=201, result=BatchMessageResponse, replayable=False,
    body_name="sms_message", body_type=BatchMessage, body_check=_validation.check_batch_message,
)  # fmt: skip
ANY: Operation[List[Message], BatchMessageResponse] = Operation(
    name="batch_any_post", api=_API, method="POST", path="/batch/any",
    status=201, result=BatchMessageResponse, replayable=False,
    body_name="messages", body_type=List[Message], body_check=_validation.check_messages,
)  # fmt: skip
SCHEDULE: Operation[BatchMessage, ScheduledBatchResponse] = Operation(
    name="batch_schedule_post", api=_API, method="POST", path="/batch/schedule",
    status=201, result=ScheduledBatchResponse, replayable=False,
    body_name="sms_message", body_type=BatchMessage, body_check=_require_schedule,
)  # fmt: skip
GET: Operation[None, List[MessageResponse]] = Operation(
    name="batch_batchid_get", api=_API, method="GET", path="/batch/{batchid}",
    status=200, result=List[MessageResponse], replayable=True,
)  # fmt: skip
CANCEL: Operation[None, CancelledMessageResponse] = Operation(
    name="batches_schedule_batchid_delete", api=_API, method="DELETE",
    path="/batches/schedule/{batchid}",
    status=200, result=CancelledMessageResponse, replayable=True,
)  # fmt: skip
#: This class's operations, for the registry.
OPERATIONS = (SEND, ANY, SCHEDULE, GET, CANCEL)


class BatchMessagesApi(ApiBase):
    """Send, schedule, read back and cancel batches of SMS.

    Errors and per-call options as for every API class (see ``ApiBase``).
    """

    # -- POST /batch/send -------------------------------------------------------------------

    def batch_send_post(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> BatchMessageResponse:
        """Send one text to up to 5,000 recipients.

        Args:
            sms_message: the text, the sender and the ``destinations``.

        Returns:
            The new batch's ``batchid`` and status. Read its messages with
            ``batch_batchid_get``.

        Raises:
            ApiValueError: the message breaks a limit of the API (nothing was sent).
            InsufficientCreditsException: 402, too few credits; nothing was sent.
            SendOutcomeUnknownError: the request may have gone out; it was not retried.
            ApiException: any other failure (see the exception tree).
        """
        return self._info(SEND, options, sms_message).data

    batch_send_post_with_http_info = with_http_info(batch_send_post, SEND)
    batch_send_post_without_preload_content = without_preload_content(batch_send_post, SEND)

    # -- POST /batch/any --------------------------------------------------------------------

    def batch_any_post(
        self, messages: MessagesIn, **options: Unpack[RequestOptions]
    ) -> BatchMessageResponse:
        """Send up to 5,000 different texts (each ``Message`` has its own recipient) at once.

        Args:
            messages: a list of ``Message`` (or dicts with the same keys).

        Returns:
            The new batch's ``batchid`` and status.

        Raises:
            ApiValueError: a message breaks a limit; the error names it (``messages[12].sender``).
            InsufficientCreditsException: 402, too few credits; nothing was sent.
            SendOutcomeUnknownError: the request may have gone out; it was not retried.
            ApiException: any other failure.
        """
        return self._info(ANY, options, messages).data

    batch_any_post_with_http_info = with_http_info(batch_any_post, ANY)
    batch_any_post_without_preload_content = without_preload_content(batch_any_post, ANY)

    # -- POST /batch/schedule ---------------------------------------------------------------

    def batch_schedule_post(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> ScheduledBatchResponse:
        """Schedule one text to up to 5,000 recipients for ``sms_message.schedule``.

        Args:
            sms_message: as for ``batch_send_post``, with ``schedule`` set: a timezone-aware
                ``datetime`` (a naive one is refused) or a date string the API reads.

        Returns:
            The scheduled batch's ``batchid``; cancel it with ``batches_schedule_batchid_delete``.

        Raises:
            ApiValueError: no ``schedule``, a naive ``datetime``, or a limit broken.
            InsufficientCreditsException: 402, too few credits.
            SendOutcomeUnknownError: the request may have gone out; it was not retried.
            ApiException: any other failure.
        """
        return self._info(SCHEDULE, options, sms_message).data

    batch_schedule_post_with_http_info = with_http_info(batch_schedule_post, SCHEDULE)
    batch_schedule_post_without_preload_content = without_preload_content(
        batch_schedule_post, SCHEDULE
    )

    # -- GET /batch/{batchid} ---------------------------------------------------------------

    def batch_batchid_get(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]:
        """Read back every message of a batch, with its status.

        Args:
            batchid: the id ``batch_send_post`` (or ``batch_any_post``) returned.

        Returns:
            One ``MessageResponse`` per message.

        Raises:
            ApiValueError: an empty or malformed ``batchid`` (nothing was sent).
            NotFoundException: 404, no such batch.
            ApiException: any other failure (reads are retried on 429/5xx and timeouts).
        """
        return self._info(GET, options, batchid=batchid).data

    batch_batchid_get_with_http_info = with_http_info(batch_batchid_get, GET)
    batch_batchid_get_without_preload_content = without_preload_content(batch_batchid_get, GET)

    # -- DELETE /batches/schedule/{batchid} -------------------------------------------------

    def batches_schedule_batchid_delete(
        self, batchid: PathId, **options: Unpack[RequestOptions]
    ) -> CancelledMessageResponse:
        """Cancel a scheduled batch; its credits are returned.

        Args:
            batchid: the id ``batch_schedule_post`` returned.

        Returns:
            ``CancelledMessageResponse`` (the API puts the batch id in ``messageid``).

        Raises:
            ApiValueError: an empty or malformed ``batchid``.
            ApiException: the batch is unknown, already sent or already cancelled, or another
                failure.
        """
        return self._info(CANCEL, options, batchid=batchid).data

    batches_schedule_batchid_delete_with_http_info = with_http_info(
        batches_schedule_batchid_delete, CANCEL
    )
    batches_schedule_batchid_delete_without_preload_content = without_preload_content(
        batches_schedule_batchid_delete, CANCEL
    )

    # -- any number of recipients -----------------------------------------------------------

    def batch_send_many(
        self,
        sms_message: BatchMessageIn,
        chunk_size: int = 5000,
        *,
        resume: Optional[ChunkedSendReport] = None,
        progress: Optional[Callable[[ProgressInfo], None]] = None,
        max_in_flight: int = 1,
        **options: Unpack[RequestOptions],
    ) -> ChunkedSendReport:
        """Send one text to any number of recipients, in batches of at most ``chunk_size``.

        Everything is checked before the first batch goes out. Batches go out in order; on a
        failure, sending stops and ``ChunkedSendError`` carries the report of what was sent,
        what was not, and what may have been. Pass that report back as ``resume`` to send only
        the rest: no recipient is ever sent twice by this method. ``max_in_flight`` (1 to 32)
        sends up to that many batches at once, each from a thread of a pool this call owns.
        """
        from .._batching import send_many

        return send_many(
            self, sms_message, chunk_size, resume=resume, progress=progress,
            max_in_flight=max_in_flight, **options,
        )  # fmt: skip

    def batch_any_many(
        self,
        messages: MessagesIn,
        chunk_size: int = 5000,
        *,
        resume: Optional[ChunkedSendReport] = None,
        progress: Optional[Callable[[ProgressInfo], None]] = None,
        max_in_flight: int = 1,
        **options: Unpack[RequestOptions],
    ) -> ChunkedSendReport:
        """Send any number of different texts, in batches of at most ``chunk_size``.

        Works as ``batch_send_many`` does, for ``batch_any_post``.
        """
        from .._batching import any_many

        return any_many(
            self, messages, chunk_size, resume=resume, progress=progress,
            max_in_flight=max_in_flight, **options,
        )  # fmt: skip
