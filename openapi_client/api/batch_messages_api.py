"""The batch endpoints of The SMS Works API, declared over ``ApiClient``'s request core.

Each endpoint is one ``Operation``. Its three methods differ only in what they hand back: the
decoded model, an ``ApiResponse`` with status and headers (``*_with_http_info``), or the
undecoded ``urllib3.HTTPResponse`` (``*_without_preload_content``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Union

import urllib3
from typing_extensions import TypedDict, Unpack

from .. import _validation
from ..api_client import ApiClient, Operation
from ..api_response import ApiResponse
from ..configuration import TimeoutSetting
from ..exceptions import LocalValidationError
from ..models import (
    BatchMessage,
    BatchMessageResponse,
    CancelledMessageResponse,
    Message,
    MessageResponse,
    ScheduledBatchResponse,
)

if TYPE_CHECKING:
    from .._batching import ChunkedSendReport, ProgressInfo

__all__ = ["BatchMessagesApi"]

BatchMessageIn = Union[BatchMessage, Dict[str, Any]]
MessagesIn = Sequence[Union[Message, Dict[str, Any]]]


class RequestOptions(TypedDict, total=False):
    """Per-call options, as in openapi-generator's clients."""

    _request_timeout: TimeoutSetting
    _request_auth: Optional[Dict[str, Any]]
    _content_type: Optional[str]
    _headers: Optional[Dict[str, Any]]
    _host_index: Optional[int]


def _require_schedule(msg: BatchMessage, config: Any) -> BatchMessage:
    if msg.schedule is None or (isinstance(msg.schedule, str) and not msg.schedule.strip()):
        raise LocalValidationError("required to schedule a batch", ["sms_message", "schedule"])
    return _validation.check_batch_message(msg, config)


_SEND = Operation(
    "POST", "/batch/send", {201: BatchMessageResponse},
    "sms_message", BatchMessage, _validation.check_batch_message,
)  # fmt: skip
_ANY = Operation(
    "POST", "/batch/any", {201: BatchMessageResponse},
    "messages", List[Message], _validation.check_messages,
)  # fmt: skip
_SCHEDULE = Operation(
    "POST", "/batch/schedule", {201: ScheduledBatchResponse},
    "sms_message", BatchMessage, _require_schedule,
)  # fmt: skip
_GET = Operation("GET", "/batch/{batchid}", {200: List[MessageResponse]})
_CANCEL = Operation("DELETE", "/batches/schedule/{batchid}", {200: CancelledMessageResponse})


class BatchMessagesApi:
    """Send, schedule, read back and cancel batches of SMS.

    Every method raises ``ApiValueError``/``ApiTypeError`` for bad input (before sending) and an
    ``ApiException`` subclass for anything that goes wrong on the way: see ``docs/Errors.md``.
    Every method takes the options ``_request_timeout`` (seconds, ``(connect, read)``, or
    ``None`` for none), ``_request_auth``, ``_content_type``, ``_headers`` and ``_host_index``.
    """

    def __init__(self, api_client: Optional[ApiClient] = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient.get_default()

    def _call(self, op: Operation, preload: bool, options: RequestOptions, **params: Any) -> Any:
        body = params.pop(op.body_name) if op.body_name else None
        return self.api_client._request(
            op, path_params=params, body=body, preload=preload, **options
        )

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
        return self.batch_send_post_with_http_info(sms_message, **options).data

    def batch_send_post_with_http_info(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[BatchMessageResponse]:
        """As ``batch_send_post``, returning the ``ApiResponse``."""
        return self._call(_SEND, True, options, sms_message=sms_message)  # type: ignore[no-any-return]

    def batch_send_post_without_preload_content(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> urllib3.HTTPResponse:
        """As ``batch_send_post``, returning the undecoded ``urllib3.HTTPResponse``."""
        return self._call(_SEND, False, options, sms_message=sms_message)  # type: ignore[no-any-return]

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
        return self.batch_any_post_with_http_info(messages, **options).data

    def batch_any_post_with_http_info(
        self, messages: MessagesIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[BatchMessageResponse]:
        """As ``batch_any_post``, returning the ``ApiResponse``."""
        return self._call(_ANY, True, options, messages=messages)  # type: ignore[no-any-return]

    def batch_any_post_without_preload_content(
        self, messages: MessagesIn, **options: Unpack[RequestOptions]
    ) -> urllib3.HTTPResponse:
        """As ``batch_any_post``, returning the undecoded ``urllib3.HTTPResponse``."""
        return self._call(_ANY, False, options, messages=messages)  # type: ignore[no-any-return]

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
        return self.batch_schedule_post_with_http_info(sms_message, **options).data

    def batch_schedule_post_with_http_info(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> ApiResponse[ScheduledBatchResponse]:
        """As ``batch_schedule_post``, returning the ``ApiResponse``."""
        return self._call(_SCHEDULE, True, options, sms_message=sms_message)  # type: ignore[no-any-return]

    def batch_schedule_post_without_preload_content(
        self, sms_message: BatchMessageIn, **options: Unpack[RequestOptions]
    ) -> urllib3.HTTPResponse:
        """As ``batch_schedule_post``, returning the undecoded ``urllib3.HTTPResponse``."""
        return self._call(_SCHEDULE, False, options, sms_message=sms_message)  # type: ignore[no-any-return]

    # -- GET /batch/{batchid} ---------------------------------------------------------------

    def batch_batchid_get(
        self, batchid: Union[str, int], **options: Unpack[RequestOptions]
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
        return self.batch_batchid_get_with_http_info(batchid, **options).data

    def batch_batchid_get_with_http_info(
        self, batchid: Union[str, int], **options: Unpack[RequestOptions]
    ) -> ApiResponse[List[MessageResponse]]:
        """As ``batch_batchid_get``, returning the ``ApiResponse``."""
        return self._call(_GET, True, options, batchid=batchid)  # type: ignore[no-any-return]

    def batch_batchid_get_without_preload_content(
        self, batchid: Union[str, int], **options: Unpack[RequestOptions]
    ) -> urllib3.HTTPResponse:
        """As ``batch_batchid_get``, returning the undecoded ``urllib3.HTTPResponse``."""
        return self._call(_GET, False, options, batchid=batchid)  # type: ignore[no-any-return]

    # -- DELETE /batches/schedule/{batchid} -------------------------------------------------

    def batches_schedule_batchid_delete(
        self, batchid: Union[str, int], **options: Unpack[RequestOptions]
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
        return self.batches_schedule_batchid_delete_with_http_info(batchid, **options).data

    def batches_schedule_batchid_delete_with_http_info(
        self, batchid: Union[str, int], **options: Unpack[RequestOptions]
    ) -> ApiResponse[CancelledMessageResponse]:
        """As ``batches_schedule_batchid_delete``, returning the ``ApiResponse``."""
        return self._call(_CANCEL, True, options, batchid=batchid)  # type: ignore[no-any-return]

    def batches_schedule_batchid_delete_without_preload_content(
        self, batchid: Union[str, int], **options: Unpack[RequestOptions]
    ) -> urllib3.HTTPResponse:
        """As ``batches_schedule_batchid_delete``, returning the undecoded response."""
        return self._call(_CANCEL, False, options, batchid=batchid)  # type: ignore[no-any-return]

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
