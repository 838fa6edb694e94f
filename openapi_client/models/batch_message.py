"""``BatchMessage``: one text to many recipients (``/batch/send``, ``/batch/schedule``)."""

from __future__ import annotations

from typing import List

from pydantic import Field, StrictStr

from .. import _limits
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

__all__ = ["BatchMessage"]


class BatchMessage(RequestModel):
    """The same text to up to 5,000 recipients in one request.

    More recipients than that: ``BatchMessagesApi.batch_send_many`` splits them into batches.
    """

    sender: Sender
    destinations: List[StrictStr] = Field(
        description="Recipients' numbers in international form without '+'.",
        json_schema_extra={"minItems": 1, "maxItems": _limits.MAX_BATCH_SIZE},
    )
    content: Content
    deliveryreporturl: DeliveryReportUrl = None
    schedule: OptionalSchedule = Field(
        default=None,
        description="When to send (``/batch/schedule``): an aware datetime or an API date string.",
    )
    tag: Tag = None
    ttl: Ttl = None
    validity: Validity = None
    ai: AiOptimiser = None
