"""``ExtendedErrorModel``: the API's detailed error body."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ResponseModel
from ._types import Number

__all__ = ["ExtendedErrorModel"]


class ExtendedErrorModel(ResponseModel):
    """An error answer with a code. ``permanent`` says whether trying again can help."""

    message: Optional[str] = Field(default=None, description="What went wrong.")
    error_code: Number = Field(alias="errorCode", description="The API's numeric error code.")
    status: Optional[str] = Field(default=None, description="Short status text.")
    permanent: Optional[bool] = Field(
        default=None, description="True when repeating the request will fail the same way."
    )
