"""``ScheduledBatchResponse``: the answer to ``/batch/schedule``."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Id

__all__ = ["ScheduledBatchResponse"]


class ScheduledBatchResponse(ResponseModel):
    """The batch is scheduled. Cancel it with ``batches_schedule_batchid_delete(batchid)``."""

    batchid: Id = Field(description="ID of the scheduled batch.")
    status: Optional[str] = Field(default=None, description="Status of the batch: SCHEDULED.")
