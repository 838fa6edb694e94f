"""``MessageResponse``: one message as the API reports it (``GET /batch/{batchid}``)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import Field

from .._dates import parse_api_datetime
from ._base import ResponseModel
from ._types import Id, NumberText
from .message_response_failurereason import MessageResponseFailurereason

__all__ = ["MessageResponse"]


class MessageResponse(ResponseModel):
    """A message record. Every field is optional: real records omit some (``tag``, ``schedule``).

    IDs and ``destination`` arrive as numbers or strings and are always strings here. Dates keep
    the API's text (``created``) and are also offered parsed (``created_at``).
    """

    id: Optional[Id] = Field(default=None, description="Internal record id.")
    messageid: Optional[Id] = Field(default=None, description="ID of the message.")
    batchid: Optional[Id] = Field(default=None, description="ID of the batch it belongs to.")
    customerid: Optional[str] = Field(default=None, description="Your customer ID.")
    identifier: Optional[Id] = Field(default=None, description="Network identifier.")
    keyword: Optional[str] = Field(default=None, description="Keyword of an inbound message.")
    sender: Optional[str] = Field(default=None, description="Sender ID.")
    destination: Optional[NumberText] = Field(default=None, description="Recipient's number.")
    content: Optional[str] = Field(default=None, description="Message text.")
    status: Optional[str] = Field(
        default=None,
        description="SENT, DELIVERED, EXPIRED, UNDELIVERABLE, REJECTED, SCHEDULED, CANCELLED...",
    )
    tag: Optional[str] = Field(default=None, description="Label given when sending.")
    schedule: Optional[str] = Field(default=None, description="Scheduled send time, as sent.")
    created: Optional[str] = Field(default=None, description="Creation time, as sent.")
    modified: Optional[str] = Field(default=None, description="Last status change, as sent.")
    deliveryreporturl: Optional[str] = Field(default=None, description="Delivery report URL.")
    failurereason: Optional[MessageResponseFailurereason] = Field(
        default=None, description="Why delivery failed, for failed messages."
    )

    @property
    def created_at(self) -> Optional[datetime]:
        """``created`` as an aware datetime (``None`` if absent or unreadable)."""
        return parse_api_datetime(self.created)

    @property
    def modified_at(self) -> Optional[datetime]:
        """``modified`` as an aware datetime (``None`` if absent or unreadable)."""
        return parse_api_datetime(self.modified)

    @property
    def schedule_at(self) -> Optional[datetime]:
        """``schedule`` as an aware datetime (``None`` if absent, empty or unreadable)."""
        return parse_api_datetime(self.schedule)
