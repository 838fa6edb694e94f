"""``OTPVerifyResponse``: a passcode's record (``/otp/verify``, ``GET /otp/{messageid}``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Optional

from pydantic import Field

from .._dates import parse_api_datetime
from ._base import ResponseModel
from ._types import NumberText

__all__ = ["OTPVerifyResponse"]


class OTPVerifyResponse(ResponseModel):
    """Where a passcode stands, and the metadata it was sent with.

    ``passcode`` is text even when the API sends a JSON number. Dates keep the API's text and
    are also offered parsed (``created_at``, ``expires_at``, ``modified_at``).
    """

    destination: Optional[NumberText] = Field(
        default=None, description="Number the passcode went to."
    )
    status: Optional[str] = Field(
        default=None, description="VERIFIED once used in time, EXPIRED after; others may occur."
    )
    passcode: Optional[str] = Field(default=None, description="The passcode.")
    validity: Optional[int] = Field(default=None, description="Seconds the passcode was valid for.")
    metadata: Optional[Dict[str, Any]] = Field(
        default=None, description="The metadata given when the passcode was sent."
    )
    created: Optional[str] = Field(default=None, description="When it was sent, as sent.")
    expires: Optional[str] = Field(default=None, description="When it expires, as sent.")
    modified: Optional[str] = Field(
        default=None, description="Last change (usually the check), as sent."
    )

    @property
    def created_at(self) -> Optional[datetime]:
        """``created`` as an aware datetime (``None`` if absent or unreadable)."""
        return parse_api_datetime(self.created)

    @property
    def expires_at(self) -> Optional[datetime]:
        """``expires`` as an aware datetime (``None`` if absent or unreadable)."""
        return parse_api_datetime(self.expires)

    @property
    def modified_at(self) -> Optional[datetime]:
        """``modified`` as an aware datetime (``None`` if absent or unreadable)."""
        return parse_api_datetime(self.modified)
