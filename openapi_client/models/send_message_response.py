"""``SendMessageResponse``: the answer to ``/message/send`` and ``/message/flash``."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Id

__all__ = ["SendMessageResponse"]


class SendMessageResponse(ResponseModel):
    """The message was accepted. Keep ``messageid`` to read it back or find its report.

    Only ``messageid`` is required: the credit figures are informative, and an answer without
    them must not turn a text that went out into an error.
    """

    messageid: Id = Field(description="ID of the new message (sent as a number by some servers).")
    status: Optional[str] = Field(default=None, description="Status of the message, e.g. SENT.")
    credits: Optional[float] = Field(
        default=None, description="Credits left on the account after this send."
    )
    credits_used: Optional[float] = Field(
        default=None, alias="creditsUsed", description="Credits this message cost."
    )
    messageparts: Optional[int] = Field(
        default=None, description="SMS parts the text was split into (a live answer carried it)."
    )
