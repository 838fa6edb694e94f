"""``BatchMessageResponse``: the answer to ``/batch/send`` and ``/batch/any``."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Id

__all__ = ["BatchMessageResponse"]


class BatchMessageResponse(ResponseModel):
    """The batch was accepted. Read its messages back with ``batch_batchid_get(batchid)``."""

    batchid: Id = Field(description="ID of the new batch (sent as a number by some servers).")
    status: Optional[str] = Field(default=None, description="Status of the batch, e.g. SCHEDULED.")
