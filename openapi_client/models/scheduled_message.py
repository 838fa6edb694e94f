"""``ScheduledMessage``: what a scheduled job will send, as a listing shows it."""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from pydantic import Field

from .._dates import parse_api_datetime
from ._base import ResponseModel
from ._types import NumberText

__all__ = ["ScheduledMessage"]


class ScheduledMessage(ResponseModel):
    """The text of a scheduled job: ``destination`` for one message, ``destinations`` for a batch.

    Numbers arrive as JSON numbers or strings and are always strings here; ``schedule`` keeps the
    API's text and is also offered parsed (``schedule_at``).
    """

    sender: Optional[str] = Field(default=None, description="Sender ID.")
    content: Optional[str] = Field(default=None, description="Message text.")
    destination: Optional[NumberText] = Field(
        default=None, description="Recipient's number, for a single message."
    )
    destinations: Optional[List[str]] = Field(
        default=None, description="Recipients' numbers, for a batch."
    )
    schedule: Optional[str] = Field(default=None, description="When it is due, as sent.")

    @property
    def schedule_at(self) -> Optional[datetime]:
        """``schedule`` as an aware datetime (``None`` if absent, empty or unreadable)."""
        return parse_api_datetime(self.schedule)
