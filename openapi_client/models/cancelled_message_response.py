"""``CancelledMessageResponse``: the answer to cancelling a scheduled batch."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import Field, model_validator

from ._base import ResponseModel
from ._types import Id

__all__ = ["CancelledMessageResponse"]


class CancelledMessageResponse(ResponseModel):
    """A scheduled batch (or message) was cancelled.

    The API reuses its single-message schema here, so the batch id arrives under ``messageid``;
    a ``batchid`` key is accepted too, and ``.batchid`` reads whichever came.
    """

    messageid: Id = Field(description="ID of what was cancelled (for a batch: the batch id).")
    status: Optional[str] = Field(default=None, description="Status after the call: CANCELLED.")

    @model_validator(mode="before")
    @classmethod
    def _batchid_as_messageid(cls, data: Any) -> Any:
        if isinstance(data, dict) and "messageid" not in data and "batchid" in data:
            data = {**data, "messageid": data["batchid"]}
        return data

    @property
    def batchid(self) -> str:
        """The cancelled batch's id (the API calls it ``messageid``)."""
        return self.messageid
