"""``ScheduledMessageResponse``: the answer to ``/message/schedule``."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Id

__all__ = ["ScheduledMessageResponse"]


class ScheduledMessageResponse(ResponseModel):
    """A message is scheduled. Cancel it with its ``messageid`` before it is due."""

    messageid: Id = Field(description="ID of the scheduled message.")
    status: Optional[str] = Field(default=None, description="Status of the message: SCHEDULED.")
