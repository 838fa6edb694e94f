"""``BatchMessage``: one text to many recipients (``/batch/send``, ``/batch/schedule``)."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field, StrictBool, StrictInt, StrictStr

from .. import _limits
from ._base import RequestModel
from ._types import OptionalSchedule

__all__ = ["BatchMessage"]


class BatchMessage(RequestModel):
    """The same text to up to 5,000 recipients in one request.

    More recipients than that: ``BatchMessagesApi.batch_send_many`` splits them into batches.
    """

    sender: StrictStr = Field(
        description="Sender ID: up to 11 letters/digits, or a number of up to 15 digits.",
        json_schema_extra={
            "maxLength": _limits.MAX_SENDER_NUMERIC,
            "pattern": _limits.SENDER_PATTERN,
        },
    )
    destinations: List[StrictStr] = Field(
        description="Recipients' numbers in international form without '+'.",
        json_schema_extra={"minItems": 1, "maxItems": _limits.MAX_BATCH_SIZE},
    )
    content: StrictStr = Field(
        description="Message text.",
        json_schema_extra={"minLength": 1, "maxLength": _limits.MAX_CONTENT_LENGTH},
    )
    deliveryreporturl: Optional[StrictStr] = Field(
        default=None, description="URL the delivery reports of this batch are POSTed to."
    )
    schedule: OptionalSchedule = Field(
        default=None,
        description="When to send (``/batch/schedule``): an aware datetime or an API date string.",
    )
    tag: Optional[StrictStr] = Field(
        default=None,
        description="Label for reports and filtering.",
        json_schema_extra={"maxLength": _limits.MAX_TAG_LENGTH},
    )
    ttl: Optional[StrictInt] = Field(
        default=None,
        description="Minutes before the delivery reports are deleted; unset keeps them.",
        json_schema_extra={"minimum": 1},
    )
    validity: Optional[StrictInt] = Field(
        default=None,
        description="Minutes the network keeps trying before a message expires (default 2880).",
        json_schema_extra={"minimum": _limits.MIN_VALIDITY, "maximum": _limits.MAX_VALIDITY},
    )
    ai: Optional[StrictBool] = Field(
        default=None, description="Use the AI Optimiser near a credit boundary (account default)."
    )
