"""``DeletedMessageResponse``: the answer to deleting a message record."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Id

__all__ = ["DeletedMessageResponse"]


class DeletedMessageResponse(ResponseModel):
    """A message's record was deleted from the account."""

    messageid: Id = Field(description="ID of the deleted message.")
    status: Optional[str] = Field(default=None, description="Status after the call: DELETED.")
