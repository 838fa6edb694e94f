"""``ScheduledMessagesResponse``: one scheduled job, as ``GET /messages/schedule`` lists it."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Id
from .scheduled_messages_response_message import ScheduledMessagesResponseMessage

__all__ = ["ScheduledMessagesResponse"]


class ScheduledMessagesResponse(ResponseModel):
    """A scheduled single message (``batch`` false) or batch (``batch`` true) and its state."""

    status: Optional[str] = Field(
        default=None, description="SCHEDULED, PROCESSED (it has gone out) or CANCELLED."
    )
    id: Optional[Id] = Field(default=None, description="ID of the scheduled job.")
    batch: Optional[bool] = Field(default=None, description="True for a batch, false for one.")
    message: Optional[ScheduledMessagesResponseMessage] = Field(
        default=None, description="What will be (or was) sent."
    )
