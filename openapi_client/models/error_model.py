"""``ErrorModel``: the API's plain error body."""

from __future__ import annotations

from pydantic import Field

from ._base import ResponseModel

__all__ = ["ErrorModel"]


class ErrorModel(ResponseModel):
    """An error answer with only a message (e.g. 404 for an unknown batch)."""

    message: str = Field(description="What went wrong.")
