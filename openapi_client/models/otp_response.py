"""``OTPResponse``: the answer to ``/otp/send``."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Id

__all__ = ["OTPResponse"]


class OTPResponse(ResponseModel):
    """The passcode was texted. Keep ``messageid`` to look the passcode up later."""

    messageid: Optional[Id] = Field(
        default=None, description="ID of the text that carried the passcode."
    )
    status: Optional[str] = Field(default=None, description="Status of that text, e.g. SENT.")
    credits: Optional[float] = Field(
        default=None, description="Credits left on the account after this send."
    )
    credits_used: Optional[float] = Field(
        default=None, alias="creditsUsed", description="Credits the text cost."
    )
    messageparts: Optional[int] = Field(
        default=None, description="SMS parts the text was split into."
    )
