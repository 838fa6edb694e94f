"""The single-message endpoints of The SMS Works API: send, flash, schedule, search, read, delete.

Each endpoint is one ``Operation``; its three methods differ only in what they hand back: the
decoded model, an ``ApiResponse`` with status and headers (``*_with_http_info``), or the
undecoded ``urllib3.HTTPResponse`` (``*_without_preload_content``). Sends are never replayed
after they may have arrived; searches, reads and deletes are (see ``Operation.replayable``).
"""

from __future__ import annotations

from typing import Any, List

from pydantic import BeforeValidator
from typing_extensions import Annotated, Unpack

from .. import _validation
from .._operation import Operation
from ..models import (
    CancelledMessageResponse,
    DeletedMessageResponse,
    Message,
    MessageResponse,
    Query,
    ScheduledMessageResponse,
    ScheduledMessagesResponse,
    SendMessageResponse,
)
from ._base import (
    ApiBase,
    MessageIn,
    PathId,
    QueryIn,
    RequestOptions,
    with_http_info,
    without_preload_content,
)

__all__ = ["MessagesApi"]

_API = "MessagesApi"


def _as_list(value: Any) -> Any:
    # The upstream document declares one object where the API lists scheduled jobs: take both.
    return [value] if isinstance(value, dict) else value


#: What ``GET /messages/schedule`` decodes into: a list, also when the answer is one object.
ScheduledList = Annotated[List[ScheduledMessagesResponse], BeforeValidator(_as_list)]

SEND: Operation[Message, SendMessageResponse] = Operation(
    name="message_send_post", api=_API, method="POST", path="/message/send",
    status=201, result=SendMessageResponse, replayable=False,
    body_name="sms_message", body_type=Message, body_check=_validation.check_message,
)  # fmt: skip
FLASH: Operation[Message, SendMessageResponse] = Operation(
    name="send_flash_message", api=_API, method="POST", path="/message/flash",
    status=201, result=SendMessageResponse, replayable=False,
    body_name="sms_message", body_type=Message, body_check=_validation.check_message,
)  # fmt: skip
SCHEDULE: Operation[Message, List[ScheduledMessageResponse]] = Operation(
    name="message_schedule_post", api=_API, method="POST", path="/message/schedule",
    status=200, result=List[ScheduledMessageResponse], replayable=False,
    body_name="sms_message", body_type=Message, body_check=_validation.check_scheduled_message,
)  # fmt: skip
SEARCH: Operation[Query, List[MessageResponse]] = Operation(
    name="messages_post", api=_API, method="POST", path="/messages",
    status=200, result=List[MessageResponse], replayable=True,
    body_name="query", body_type=Query, body_check=_validation.check_query,
)  # fmt: skip
INBOX: Operation[Query, List[MessageResponse]] = Operation(
    name="messages_inbox_post", api=_API, method="POST", path="/messages/inbox",
    status=200, result=List[MessageResponse], replayable=True,
    body_name="query", body_type=Query, body_check=_validation.check_query,
)  # fmt: skip
FAILED: Operation[Query, List[MessageResponse]] = Operation(
    name="messages_failed_post", api=_API, method="POST", path="/messages/failed",
    status=200, result=List[MessageResponse], replayable=True,
    body_name="query", body_type=Query, body_check=_validation.check_query,
)  # fmt: skip
SCHEDULED: Operation[None, List[ScheduledMessagesResponse]] = Operation(
    name="messages_schedule_get", api=_API, method="GET", path="/messages/schedule",
    status=200, result=ScheduledList, replayable=True,
)  # fmt: skip
GET: Operation[None, MessageResponse] = Operation(
    name="messages_messageid_get", api=_API, method="GET", path="/messages/{messageid}",
    status=200, result=MessageResponse, replayable=True,
)  # fmt: skip
DELETE: Operation[None, DeletedMessageResponse] = Operation(
    name="messages_messageid_delete", api=_API, method="DELETE", path="/messages/{messageid}",
    status=200, result=DeletedMessageResponse, replayable=True,
)  # fmt: skip
CANCEL: Operation[None, CancelledMessageResponse] = Operation(
    name="messages_schedule_messageid_delete", api=_API, method="DELETE",
    path="/messages/schedule/{messageid}",
    status=200, result=CancelledMessageResponse, replayable=True,
)  # fmt: skip
#: This class's operations, for the registry.
OPERATIONS = (SEND, FLASH, SCHEDULE, SEARCH, INBOX, FAILED, SCHEDULED, GET, DELETE, CANCEL)


class MessagesApi(ApiBase):
    """Send one text, schedule one, search sent and received texts, read or delete one.

    Errors and per-call options as for every API class (see ``ApiBase``).
    """

    # -- POST /message/send ------------------------------------------------------------------

    def message_send_post(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> SendMessageResponse:
        """Send one text to one recipient now.

        Args:
            sms_message: the ``Message`` (or a dict with its keys): sender, destination, content.

        Returns:
            The new message's ``messageid``, its status and the credits it used.

        Raises:
            LocalValidationError: the message breaks a limit of the API (nothing was sent).
            InsufficientCreditsException: 402, too few credits; nothing was sent.
            SendOutcomeUnknownError: the request may have gone out; it was not retried.
            ApiException: any other failure (see the exception tree).
        """
        return self._info(SEND, options, sms_message).data

    message_send_post_with_http_info = with_http_info(message_send_post, SEND)
    message_send_post_without_preload_content = without_preload_content(message_send_post, SEND)

    # -- POST /message/flash -----------------------------------------------------------------

    def send_flash_message(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> SendMessageResponse:
        """Send one flash text: it shows on the recipient's screen at once and is not stored.

        Takes the same ``Message``, gives the same answer and raises the same errors as
        ``message_send_post``; never retried once it may have arrived.
        """
        return self._info(FLASH, options, sms_message).data

    send_flash_message_with_http_info = with_http_info(send_flash_message, FLASH)
    send_flash_message_without_preload_content = without_preload_content(send_flash_message, FLASH)

    # -- POST /message/schedule --------------------------------------------------------------

    def message_schedule_post(
        self, sms_message: MessageIn, **options: Unpack[RequestOptions]
    ) -> List[ScheduledMessageResponse]:
        """Schedule one text to one recipient for ``sms_message.schedule``.

        Args:
            sms_message: as for ``message_send_post``, with ``schedule`` set: an aware ``datetime``
                or a date string the API reads.

        Returns:
            The scheduled message(s), each with its ``messageid``; cancel one with
            ``messages_schedule_messageid_delete``. The API answers 200 with a list.

        Raises:
            LocalValidationError: no ``schedule``, or a limit broken (nothing was sent).
            InsufficientCreditsException: 402, too few credits.
            SendOutcomeUnknownError: the request may have gone out; it was not retried.
            ApiException: any other failure.
        """
        return self._info(SCHEDULE, options, sms_message).data

    message_schedule_post_with_http_info = with_http_info(message_schedule_post, SCHEDULE)
    message_schedule_post_without_preload_content = without_preload_content(
        message_schedule_post, SCHEDULE
    )

    # -- POST /messages -----------------------------------------------------------------------

    def messages_post(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]:
        """Search the account's messages, sent and received.

        Args:
            query: the filters (``Query``, or a dict with its keys); ``limit`` and ``skip`` page.

        Returns:
            One ``MessageResponse`` per match, at most 1,000 (``Query.limit``).

        Raises:
            LocalValidationError: ``limit`` outside 1..1000 or a negative ``skip``.
            ApiException: any failure; a search is retried on timeouts, drops, 429 and 5xx.
        """
        return self._info(SEARCH, options, query).data

    messages_post_with_http_info = with_http_info(messages_post, SEARCH)
    messages_post_without_preload_content = without_preload_content(messages_post, SEARCH)

    # -- POST /messages/inbox -----------------------------------------------------------------

    def messages_inbox_post(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]:
        """Search the replies received (``INCOMING``), unread ones by default.

        Takes a ``Query`` and returns a list of ``MessageResponse``, paged and retried as
        ``messages_post``.
        """
        return self._info(INBOX, options, query).data

    messages_inbox_post_with_http_info = with_http_info(messages_inbox_post, INBOX)
    messages_inbox_post_without_preload_content = without_preload_content(
        messages_inbox_post, INBOX
    )

    # -- POST /messages/failed ----------------------------------------------------------------

    def messages_failed_post(
        self, query: QueryIn, **options: Unpack[RequestOptions]
    ) -> List[MessageResponse]:
        """Search the messages that failed (undeliverable, expired, rejected).

        Takes a ``Query`` and returns a list of ``MessageResponse``, paged and retried as
        ``messages_post``.
        """
        return self._info(FAILED, options, query).data

    messages_failed_post_with_http_info = with_http_info(messages_failed_post, FAILED)
    messages_failed_post_without_preload_content = without_preload_content(
        messages_failed_post, FAILED
    )

    # -- GET /messages/schedule --------------------------------------------------------------

    def messages_schedule_get(
        self, **options: Unpack[RequestOptions]
    ) -> List[ScheduledMessagesResponse]:
        """List the scheduled messages and batches: the last 3 months' and those still due.

        Returns:
            One ``ScheduledMessagesResponse`` per job (``batch`` tells a batch from one message).
            The upstream document declares one object; a list or one object is accepted, and the
            result is always a list.

        Raises:
            ApiException: any failure; reads are retried on timeouts, drops, 429 and 5xx.
        """
        return self._info(SCHEDULED, options).data

    messages_schedule_get_with_http_info = with_http_info(messages_schedule_get, SCHEDULED)
    messages_schedule_get_without_preload_content = without_preload_content(
        messages_schedule_get, SCHEDULED
    )

    # -- GET /messages/{messageid} -----------------------------------------------------------

    def messages_messageid_get(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> MessageResponse:
        """Read one message, with its status.

        Args:
            messageid: the id ``message_send_post`` (or a search) gave.

        Returns:
            The ``MessageResponse``.

        Raises:
            ApiValueError: an empty or malformed ``messageid`` (nothing was sent).
            NotFoundException: 404, no such message.
            ApiException: any other failure.
        """
        return self._info(GET, options, messageid=messageid).data

    messages_messageid_get_with_http_info = with_http_info(messages_messageid_get, GET)
    messages_messageid_get_without_preload_content = without_preload_content(
        messages_messageid_get, GET
    )

    # -- DELETE /messages/{messageid} --------------------------------------------------------

    def messages_messageid_delete(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> DeletedMessageResponse:
        """Delete one message's record from the account.

        Args:
            messageid: the message's id.

        Returns:
            ``DeletedMessageResponse`` (status ``DELETED``).

        Raises:
            ApiValueError: an empty or malformed ``messageid``.
            BadRequestException: 400, the message cannot be deleted.
            ApiException: any other failure.
        """
        return self._info(DELETE, options, messageid=messageid).data

    messages_messageid_delete_with_http_info = with_http_info(messages_messageid_delete, DELETE)
    messages_messageid_delete_without_preload_content = without_preload_content(
        messages_messageid_delete, DELETE
    )

    # -- DELETE /messages/schedule/{messageid} -----------------------------------------------

    def messages_schedule_messageid_delete(
        self, messageid: PathId, **options: Unpack[RequestOptions]
    ) -> CancelledMessageResponse:
        """Cancel a scheduled message before it is due.

        Args:
            messageid: the id ``message_schedule_post`` returned.

        Returns:
            ``CancelledMessageResponse`` (status ``CANCELLED``).

        Raises:
            ApiValueError: an empty or malformed ``messageid``.
            ApiException: the message is unknown, already sent or cancelled, or another failure.
        """
        return self._info(CANCEL, options, messageid=messageid).data

    messages_schedule_messageid_delete_with_http_info = with_http_info(
        messages_schedule_messageid_delete, CANCEL
    )
    messages_schedule_messageid_delete_without_preload_content = without_preload_content(
        messages_schedule_messageid_delete, CANCEL
    )
