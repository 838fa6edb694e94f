"""``Message``: one SMS, the item type of ``/batch/any``."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field, StrictBool, StrictInt, StrictStr

from .. import _limits
from ._base import RequestModel
from ._types import OptionalSchedule
from .meta_data import MetaData

__all__ = ["Message"]


class Message(RequestModel):
    """One text to one recipient.

    The API's limits (sender and content length, validity range, ...) are checked when the message
    is sent, not when it is built, so that ``client_side_validation`` can switch them off.
    """

    sender: StrictStr = Field(
        description="Sender ID: up to 11 letters/digits, or a number of up to 15 digits.",
        json_schema_extra={
            "maxLength": _limits.MAX_SENDER_NUMERIC,
            "pattern": _limits.SENDER_PATTERN,
        },
    )
    destination: StrictStr = Field(
        description="Recipient's number in international form without '+', e.g. '447700900123'."
    )
    content: StrictStr = Field(
        description="Message text.",
        json_schema_extra={"minLength": 1, "maxLength": _limits.MAX_CONTENT_LENGTH},
    )
    deliveryreporturl: Optional[StrictStr] = Field(
        default=None, description="URL the delivery reports of this message are POSTed to."
    )
    schedule: OptionalSchedule = Field(
        default=None, description="When to send: an aware datetime or an API date string."
    )
    tag: Optional[StrictStr] = Field(
        default=None,
        description="Label for reports and filtering.",
        json_schema_extra={"maxLength": _limits.MAX_TAG_LENGTH},
    )
    ttl: Optional[StrictInt] = Field(
        default=None,
        description="Minutes before the delivery report is deleted; unset keeps it.",
        json_schema_extra={"minimum": 1},
    )
    validity: Optional[StrictInt] = Field(
        default=None,
        description="Minutes the network keeps trying before the message expires (default 2880).",
        json_schema_extra={"minimum": _limits.MIN_VALIDITY, "maximum": _limits.MAX_VALIDITY},
    )
    ai: Optional[StrictBool] = Field(
        default=None, description="Use the AI Optimiser near a credit boundary (account default)."
    )
    responseemail: Optional[List[StrictStr]] = Field(
        default=None, description="E-mail addresses that replies are forwarded to."
    )
    metadata: Optional[List[MetaData]] = Field(
        default=None, description="Key/value pairs kept with the message."
    )
