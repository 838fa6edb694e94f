"""``MessageResponseFailurereason``: why a message was not delivered."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Number

__all__ = ["MessageResponseFailurereason"]


class MessageResponseFailurereason(ResponseModel):
    """The network's reason for a failed message. Codes are not published by the API."""

    code: Optional[Number] = Field(default=None, description="Numeric failure code, e.g. 34.")
    details: Optional[str] = Field(default=None, description="Text, e.g. 'Handset error'.")
    permanent: Optional[bool] = Field(
        default=None, description="True when sending again to this number will not help."
    )
