"""``Message``: one SMS, the item type of ``/batch/any``."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field, StrictStr

from ._base import RequestModel
from ._types import (
    AiOptimiser,
    Content,
    DeliveryReportUrl,
    OptionalSchedule,
    Sender,
    Tag,
    Ttl,
    Validity,
)
from .meta_data import MetaData

__all__ = ["Message"]


class Message(RequestModel):
    """One text to one recipient.

    The API's limits (sender and content length, validity range, ...) are checked when the message
    is sent, not when it is built, so that ``client_side_validation`` can switch them off.
    """

    sender: Sender
    destination: StrictStr = Field(
        description="Recipient's number in international form without '+', e.g. '447700900123'."
    )
    content: Content
    deliveryreporturl: DeliveryReportUrl = None
    schedule: OptionalSchedule = Field(
        default=None, description="When to send: an aware datetime or an API date string."
    )
    tag: Tag = None
    ttl: Ttl = None
    validity: Validity = None
    ai: AiOptimiser = None
    responseemail: Optional[List[StrictStr]] = Field(
        default=None, description="E-mail addresses that replies are forwarded to."
    )
    metadata: Optional[List[MetaData]] = Field(
        default=None, description="Key/value pairs kept with the message."
    )
