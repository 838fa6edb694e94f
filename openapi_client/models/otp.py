"""``OTP``: a one-time passcode to generate and text (``/otp/send``)."""

from __future__ import annotations

import re
from typing import Dict, Optional

from pydantic import Field, JsonValue, StrictInt, StrictStr

from .. import _limits
from ._base import RequestModel
from ._types import Destination, Sender

__all__ = ["OTP"]


class OTP(RequestModel):
    """A passcode texted to ``destination``; check it later with ``OTPVerify``.

    Limits are checked when the passcode is sent, as for messages.
    """

    sender: Sender
    destination: Destination
    length: Optional[StrictInt] = Field(
        default=None,
        description="Digits of the generated passcode (default 6).",
        json_schema_extra={"minimum": 1},
    )
    template: Optional[StrictStr] = Field(
        default=None,
        description="The text to send; must hold '{{passcode}}', where the passcode goes.",
        json_schema_extra={"pattern": re.escape(_limits.OTP_PLACEHOLDER)},
    )
    validity: Optional[StrictInt] = Field(
        default=None,
        description="Seconds (not minutes) the passcode stays valid.",
        json_schema_extra={"minimum": 1},
    )
    passcode: Optional[StrictStr] = Field(
        default=None,
        description="A passcode of your own to send instead of a generated one.",
        json_schema_extra={"minLength": 1},
    )
    metadata: Optional[Dict[str, JsonValue]] = Field(
        default=None,
        description="JSON object (at most 1024 bytes) returned when the passcode is verified.",
    )
