"""``OTPVerify``: a passcode to check (``/otp/verify``)."""

from __future__ import annotations

from pydantic import Field, StrictStr

from ._base import RequestModel

__all__ = ["OTPVerify"]


class OTPVerify(RequestModel):
    """The passcode a user typed in, to check against the ones sent."""

    passcode: StrictStr = Field(
        description="The passcode as typed, as text (keeps leading zeros).",
        json_schema_extra={"minLength": 1},
    )
